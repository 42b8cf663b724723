import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// Sniffing gzip, pprof, perf script and folded input; every report reads them all.
@Suite struct FormatDetectTests {
    static func bytes(_ rel: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(rel))))
    }

    static func detect(_ b: [UInt8]) -> FormatDetector.Format? { b.withUnsafeBytes { FormatDetector.detect($0) } }

    @Test func detectsEachFormat() throws {
        let gz = try Self.bytes("pprof/go1.27/cpu.pb.gz")
        let raw = try gz.withUnsafeBytes { try Gzip.inflate($0) }
        #expect(Self.detect(raw) == .pprof)
        #expect(Self.detect(try Self.bytes("perf/cwork.perf.txt")) == .perfScript)
        #expect(Self.detect(try Self.bytes("perf/cwork-fields.perf.txt")) == .perfScript)
        #expect(Self.detect(try Self.bytes("perf/edge-header.perf.txt")) == .perfScript)
        #expect(Self.detect(try Self.bytes("perf/cwork.collapsed.default.txt")) == .folded)
        #expect(Self.detect(Array("\n\nmain;work 10 12\n".utf8)) == .folded)
        #expect(Self.detect(Array("hello world\n".utf8)) == nil)
        #expect(Self.detect([]) == nil)
    }

    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-detect-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    @Test func readAnyPerf() throws {
        let p = try ProfileInput.readAny(Fixtures.path("perf/cwork.perf.txt"))
        #expect(p.sampleTypes.map(\.description) == ["samples/count", "cpu-clock/nanoseconds"])
        #expect(p.defaultSampleType == "cpu-clock")
        #expect(p.periodType?.description == "cpu-clock/nanoseconds")
        // Same total as the Perl collapser's counts.
        let folded = try Fixtures.read("perf/cwork.collapsed.default.txt")
        let want = folded.split(separator: "\n").reduce(Int64(0)) { $0 + Int64($1.split(separator: " ").last!)! }
        #expect(p.totals()[1] == want)
        #expect(!p.mappings.isEmpty)
        #expect(p.strings[p.mappings[0].file].hasSuffix("/cwork"))
        // Root frame = process name; leaf first in the model.
        let r = p.samples.locationRange(0)
        let root = p.lines(ofLocation: Int(p.samples.locations[r.upperBound - 1]))
        #expect(p.functionName(root.first!.function) == "cwork")
    }

    @Test func readAnyPerfWithoutPeriods() throws {
        let p = try ProfileInput.readAny(Fixtures.path("perf/cwork-fields.perf.txt"))
        #expect(p.sampleTypes.map(\.description) == ["samples/count"])
    }

    @Test func readAnyGzipFoldedAndStdinDash() throws {
        let text = try Self.bytes("perf/cwork.collapsed.default.txt")
        let path = try Self.tempFile("x.folded.gz", Gzip.deflate(text))
        let p = try ProfileInput.readAny(path)
        #expect(p.sampleTypes.map(\.description) == ["samples/count"])
        #expect(FoldedStacks.write(StackProfile.folded(p, sampleIndex: 0)) == text)
        let r = try Fixtures.run(["top", "-"], stdin: Data(text))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("flat%"))
    }

    @Test func reportsReadEveryFormat() throws {
        let perf = try Fixtures.run(["top", "--nodecount", "5", Fixtures.path("perf/swiftwork.perf.txt")])
        #expect(perf.status == 0, "\(perf.stderr)")
        #expect(perf.stdout.contains("Type: cpu-clock"))
        #expect(perf.stdout.contains("swift_retain"))
        // Reports name Swift frames simplified by default.
        let cum = try Fixtures.run(["top", "--cum", "--nodecount", "30", Fixtures.path("perf/swiftwork.perf.txt")])
        #expect(cum.stdout.contains("Worker.closureWork(round:)"))
        let folded = try Self.tempFile("stacks.folded", try Self.bytes("perf/gowork.collapsed.default.txt"))
        let traces = try Fixtures.run(["traces", folded])
        #expect(traces.status == 0, "\(traces.stderr)")
        #expect(traces.stdout.contains("main.main"))
        let gz = try Self.tempFile("x.folded.gz", Gzip.deflate(try Self.bytes("perf/gowork.collapsed.default.txt")))
        let top = try Fixtures.run(["top", gz])
        #expect(top.status == 0, "\(top.stderr)")
    }

    @Test func unrecognizedInputIsExit2() throws {
        let path = try Self.tempFile("notes.txt", Array("just some notes\nnothing else\n".utf8))
        let r = try Fixtures.run(["top", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a profile: it looks like plain text"))
        let bad = try Self.tempFile("bad.folded", Array("a;b 1\na;b\n".utf8))
        let b = try Fixtures.run(["top", bad])
        #expect(b.status == 2)
        #expect(b.stderr.contains("line 2"))
        let empty = try Self.tempFile("empty.txt", [])
        #expect(try Fixtures.run(["top", empty]).status == 2)
    }

    @Test func pprofStillReadsAsBefore() throws {
        let a = try ProfileInput.readAny(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let b = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        #expect(a.samples.count == b.samples.count)
        #expect(a.totals() == b.totals())
    }
}
