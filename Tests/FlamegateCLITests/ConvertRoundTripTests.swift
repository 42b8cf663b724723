import FlamegateTestSupport
import Foundation
import Testing

/// Issue 18 §5 from the command line: `convert --to folded` names the sample type and
/// unit on stderr and honours --sample-index; a speedscope file `convert` wrote reads back.
@Suite struct ConvertRoundTripTests {
    let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")

    @Test func foldedNamesItsSampleTypeAndHonoursSampleIndex() throws {
        let cpuValues = try Fixtures.run(["convert", "--to", "folded", "-o", "-", cpu])
        #expect(cpuValues.status == 0, "\(cpuValues.stderr)")
        #expect(
            cpuValues.stderr
                == "flamegate: folded values are cpu/nanoseconds (other sample types: --sample-index samples)\n")
        let samples = try Fixtures.run(["convert", "--to", "folded", "--sample-index", "samples", "-o", "-", cpu])
        #expect(samples.status == 0)
        #expect(samples.stderr.hasPrefix("flamegate: folded values are samples/count"))
        #expect(samples.stdout != cpuValues.stdout)
        #expect(samples.stdout.split(separator: "\n").count == cpuValues.stdout.split(separator: "\n").count)
        let bad = try Fixtures.run(["convert", "--to", "folded", "--sample-index", "nosuch", "-o", "-", cpu])
        #expect(bad.status == 2)
    }

    @Test func speedscopeReadsBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fg-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("cpu.speedscope.json").path
        let w = try Fixtures.run(["convert", "--to", "speedscope", "-o", json, cpu])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stderr.isEmpty)
        for si in ["samples", "cpu"] {
            let direct = try Fixtures.run(["convert", "--to", "folded", "--sample-index", si, "-o", "-", cpu])
            let back = try Fixtures.run(["convert", "--to", "folded", "--sample-index", si, "-o", "-", json])
            #expect(back.status == 0, "\(back.stderr)")
            #expect(back.stdout == direct.stdout, "\(si)")
        }
        let top = try Fixtures.run(["top", "-nodecount=3", json])
        #expect(top.status == 0, "\(top.stderr)")
        #expect(top.stdout.contains("Type: cpu"))
    }
}
