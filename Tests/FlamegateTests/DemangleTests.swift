import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// In-process Swift demangling, and `collapse --demangle`.
@Suite struct DemangleTests {
    static func lines(_ rel: String) throws -> [String] {
        try Fixtures.read(rel).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Every Swift symbol of the perf fixtures against `swift-demangle --simplified`
    /// (Tests/Fixtures/perf/swift-demangle.README.txt says how the fixture was made).
    @Test func simplifiedMatchesTheSwiftCLI() throws {
        let symbols = try Self.lines("perf/swift-demangle.symbols.txt")
        let want = try Self.lines("perf/swift-demangle.simplified.txt")
        #expect(symbols.count == 159)
        #expect(symbols.count == want.count)
        var mismatches: [String] = []
        for (s, w) in zip(symbols, want) {
            let got = SwiftDemangler.demangle(s, mode: .simplified) ?? s
            if got != w { mismatches.append("\(s): got \(got), want \(w)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func fullForm() {
        #expect(
            SwiftDemangler.demangle("$s9swiftwork4ItemV6encode2toys7Encoder_p_tKF", mode: .full)
                == "swiftwork.Item.encode(to: Swift.Encoder) throws -> ()")
        #expect(SwiftDemangler.demangle("_$s9swiftwork4mainyyF", mode: .full) == "swiftwork.main() -> ()")
        #expect(SwiftDemangler.demangle("$s9swiftwork4mainyyF", mode: .simplified) == "main()")
        #expect(SwiftDemangler.demangle("$sSqMa@plt", mode: .simplified) == "type metadata accessor for Optional@plt")
        #expect(SwiftDemangler.demangle("$s9swiftwork4mainyyF", mode: .none) == nil)
    }

    @Test(arguments: [
        "main", "_ZN3foo3barEv", "main.(*T).Run", "$s", "$", "", "$sXYZ", "_T", "foo::bar()", "[unknown]",
    ])
    func nonSwiftNamesPassThrough(_ name: String) {
        #expect(SwiftDemangler.demangle(name, mode: .simplified) == nil)
        #expect(SwiftDemangler.demangle(name, mode: .full) == nil)
    }

    static func collapse(
        _ input: String, _ mode: DemangleMode, _ configure: (inout PerfCollapseOptions) -> Void = { _ in }
    ) throws -> String {
        var o = PerfCollapseOptions()
        o.demangle = mode
        configure(&o)
        var c = PerfCollapser(options: o)
        try PerfScriptReader.forEachLine(path: Fixtures.path("perf/" + input)) { c.feed($0) }
        return String(decoding: c.folded(), as: UTF8.self)
    }

    /// Demangled names stay whole: no cut at `(`, no split on `->`.
    @Test func swiftFramesStayWhole() throws {
        let simplified = try Self.collapse("swiftwork.perf.txt", .simplified)
        #expect(simplified.contains(";Item.encode(to:);"))
        #expect(simplified.contains(";closure #1 in Worker.encodeWork(round:);"))
        #expect(simplified.contains(";protocol witness for Encodable.encode(to:) in conformance Item;"))
        #expect(!simplified.contains("$s9swiftwork"))
        let full = try Self.collapse("swiftwork.perf.txt", .full)
        #expect(full.contains(";swiftwork.Item.encode(to: Swift.Encoder) throws -> ();"))
        #expect(
            full.contains(
                ";closure #1 (Swift.Int) -> swiftwork.Item in swiftwork.Worker.encodeWork(round: Swift.Int) -> Swift.Int;"
            ))
        // Same samples, same totals, whatever the naming.
        let none = try Self.collapse("swiftwork.perf.txt", .none)
        func total(_ s: String) -> Int {
            s.split(separator: "\n").reduce(0) { $0 + Int($1.split(separator: " ").last!)! }
        }
        #expect(total(simplified) == total(none))
        #expect(total(full) == total(none))
        // Non-Swift frames of the Swift recording are named as before.
        #expect(simplified.contains("swiftwork;_start;__libc_start_main_impl;__libc_start_call_main;main;"))
    }

    /// Recordings without Swift symbols: identical to the Perl reference with any mode.
    @Test(arguments: ["cwork", "cwork-dwarf", "gowork", "pywork", "edge-cpp", "edge-go", "edge-punct", "edge-jit"])
    func nonSwiftRecordingsUnchanged(_ name: String) throws {
        let want = try Fixtures.read("perf/\(name).collapsed.default.txt")
        #expect(try Self.collapse("\(name).perf.txt", .simplified) == want)
        #expect(try Self.collapse("\(name).perf.txt", .full) == want)
    }

    @Test func kernelAnnotationStillApplies() throws {
        let s = try Self.collapse("swiftwork.perf.txt", .simplified) { $0.kernel = true }
        #expect(s.contains("_[k]"))
        #expect(s.contains(";Item.encode(to:);"))
    }

    @Test func cli() throws {
        let input = Fixtures.path("perf/swiftwork.perf.txt")
        let r = try Fixtures.run(["collapse", "--demangle", "simplified", input])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try Self.collapse("swiftwork.perf.txt", .simplified)))
        let f = try Fixtures.run(["collapse", "--demangle=full", input])
        #expect(f.status == 0)
        #expect(f.stdout.contains("swiftwork.Item.encode(to: Swift.Encoder) throws -> ()"))
        let none = try Fixtures.run(["collapse", input])
        #expect(none.stdout == (try Fixtures.read("perf/swiftwork.collapsed.default.txt")))
        let bad = try Fixtures.run(["collapse", "--demangle", "weird", input])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("none, full or simplified"))
    }
}
