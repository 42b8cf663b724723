import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate top` on every input format, from files and stdin.
@Suite struct TopCommandTests {
    static func bytes(_ rel: String) throws -> [UInt8] { try Fixtures.bytes(rel) }

    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        try Fixtures.tempFile(name, contents, group: "detect-cli")
    }

    @Test func foldedFromStdinDash() throws {
        let text = try Self.bytes("perf/cwork.collapsed.default.txt")
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

    @Test func stdinIsDash() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pprof/go1.27/cpu.pb.gz")))
        let r = try Fixtures.run(["top", "-nodecount=3", "-"], stdin: data)
        #expect(r.status == 0)
        let want = try Fixtures.run(["top", "-nodecount=3", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(r.stdout == want.stdout)
    }

    @Test func cliTopAndFlameReadDumps() throws {
        let path = Fixtures.path("goroutine/go1.27-busy.txt")
        let top = try Fixtures.run(["top", path])
        #expect(top.status == 0, "\(top.stderr)")
        #expect(top.stdout.contains("Type: goroutine"))
        #expect(top.stdout.contains("[IO wait]"))
        let svg = try Fixtures.run(["flame", path, "-o", "-"])
        #expect(svg.status == 0, "\(svg.stderr)")
        #expect(svg.stdout.contains("[chan receive]"))
        #expect(svg.stdout.contains("main.startFraudWorkers.func1"))
    }
}
