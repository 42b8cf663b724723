import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// In-process Swift demangling, and folding with it.
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

    /// Demangled names stay whole: no cut at `(`, no split on `->`.
    @Test func swiftFramesStayWhole() throws {
        let simplified = try PerfFixtures.collapse("swiftwork.perf.txt", .simplified)
        #expect(simplified.contains(";Item.encode(to:);"))
        #expect(simplified.contains(";closure #1 in Worker.encodeWork(round:);"))
        #expect(simplified.contains(";protocol witness for Encodable.encode(to:) in conformance Item;"))
        #expect(!simplified.contains("$s9swiftwork"))
        let full = try PerfFixtures.collapse("swiftwork.perf.txt", .full)
        #expect(full.contains(";swiftwork.Item.encode(to: Swift.Encoder) throws -> ();"))
        #expect(
            full.contains(
                ";closure #1 (Swift.Int) -> swiftwork.Item in swiftwork.Worker.encodeWork(round: Swift.Int) -> Swift.Int;"
            ))
        // Same samples, same totals, whatever the naming.
        let none = try PerfFixtures.collapse("swiftwork.perf.txt", .none)
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
        #expect(try PerfFixtures.collapse("\(name).perf.txt", .simplified) == want)
        #expect(try PerfFixtures.collapse("\(name).perf.txt", .full) == want)
    }

    @Test func kernelAnnotationStillApplies() throws {
        let s = try PerfFixtures.collapse("swiftwork.perf.txt", .simplified) { $0.kernel = true }
        #expect(s.contains("_[k]"))
        #expect(s.contains(";Item.encode(to:);"))
    }
}
