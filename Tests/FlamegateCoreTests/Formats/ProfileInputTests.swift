import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Reading any input format by path.
@Suite struct ProfileInputTests {
    static func bytes(_ rel: String) throws -> [UInt8] { try Fixtures.bytes(rel) }

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

    @Test func readAnyGzipFolded() throws {
        let text = try Self.bytes("perf/cwork.collapsed.default.txt")
        let path = try Fixtures.tempFile("x.folded.gz", Gzip.deflate(text), group: "detect")
        let p = try ProfileInput.readAny(path)
        #expect(p.sampleTypes.map(\.description) == ["samples/count"])
        #expect(FoldedStacks.write(StackProfile.folded(p, sampleIndex: 0)) == text)
    }

    @Test func pprofStillReadsAsBefore() throws {
        let a = try ProfileInput.readAny(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let b = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        #expect(a.samples.count == b.samples.count)
        #expect(a.totals() == b.totals())
    }
}
