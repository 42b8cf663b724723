import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate -proto -output=F P` (pprof's -proto): the written profile reads back to the
/// same report — `-top` of it equals pprof's own `-top` of the input.
@Suite struct ProtoCommandTests {
    @Test(arguments: ["cpu", "heap", "allocs", "block", "goroutine"])
    func protoReadsBackToPprofsTop(_ name: String) throws {
        let dir = Fixtures.path("pprof/go1.27")
        let out = try Fixtures.tempFile("\(name).proto.pb.gz", [], group: "proto")
        let w = try Fixtures.run(["-proto", "-output=\(out)", "\(dir)/\(name).pb.gz"])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stdout.isEmpty)
        let top = try Fixtures.run(["-top", out], environment: ["TZ": "UTC"])
        #expect(top.status == 0, "\(top.stderr)")
        if let d = Golden.difference(top.stdout, try Fixtures.read("pprof/go1.27/\(name).top.txt"), name) {
            Issue.record("\(d)")
        }
    }

    @Test func protoKeepsOnlyWhatTheFiltersKeep() throws {
        let out = try Fixtures.tempFile("focused.pb.gz", [], group: "proto")
        let w = try Fixtures.run(["proto", "--focus", "payHandler", "-o", out, Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(w.status == 0, "\(w.stderr)")
        let traces = try Fixtures.run(["traces", out])
        // Each stack sits between two separator lines; the last separator closes the list.
        let stacks = traces.stdout.components(separatedBy: "-----------+").dropFirst().dropLast()
        #expect(!stacks.isEmpty)
        #expect(stacks.allSatisfy { $0.contains("payHandler") })
    }

    /// A filter that matches nothing writes an empty profile, as pprof does, and says so.
    @Test func protoWarnsWhenTheFocusMatchesNothing() throws {
        let out = try Fixtures.tempFile("nothing.pb.gz", [], group: "proto")
        let r = try Fixtures.run([
            "proto", "--focus", "^nosuchfunction$", "-o", out, Fixtures.path("pprof/go1.27/cpu.pb.gz"),
        ])
        #expect(r.status == 0)
        #expect(r.stderr.contains("Focus expression matched no samples"), "\(r.stderr)")
    }
}
