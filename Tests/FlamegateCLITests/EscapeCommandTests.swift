import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate escape report|diff` through the CLI.
@Suite struct EscapeCommandTests {
    static let profile = Fixtures.path("pprof/go1.27/allocs.pb.gz")

    @Test func report() throws {
        let r = try Fixtures.run(["escape", "report", Fixtures.path("escape/cand.mm.txt")])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("POSITION") == true)
        #expect(
            lines.contains {
                $0.hasPrefix("main.go:261:11") && $0.contains("buildLineItemsRegress") && $0.contains(" map ")
            })
        #expect(r.stdout.contains("83 heap escapes (5 maps, 22 slices)"))
    }

    @Test func reportWithProfileOrdersByBytes() throws {
        let r = try Fixtures.run(["escape", "report", "--profile", Self.profile, Fixtures.path("escape/cand.mm.txt")])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").dropFirst()
        #expect(rows.first?.hasPrefix("main.go:326:18") == true)
        #expect(rows.first?.contains("HOT") == true)
        #expect(r.stdout.contains("hot (≥ 1% of alloc_space)"))
        let j = try Fixtures.run([
            "escape", "report", "--profile", Self.profile, "--format", "json", Fixtures.path("escape/cand.mm.txt"),
        ])
        let obj = try #require(JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        let esc = try #require(obj["escapes"] as? [[String: Any]])
        #expect(esc.count == 83)
        #expect(esc.first?["hot"] as? Bool == true)
        #expect((esc.first?["alloc_space"] as? Int ?? 0) > 0)
    }

    @Test func diff() throws {
        let r = try Fixtures.run([
            "escape", "diff", "--profile", Self.profile, Fixtures.path("escape/base.mm.txt"),
            Fixtures.path("escape/cand.mm.txt"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("new heap escapes: 1\n+  main.go:261:11  buildLineItemsRegress  map"))
        #expect(r.stdout.contains("removed heap escapes: 1\n-  main.go:357:45  renderInvoice  escape  n\n"))
        #expect(r.stdout.contains("unchanged: 82"))
        let j = try Fixtures.run([
            "escape", "diff", "--format", "json", Fixtures.path("escape/base.m.txt"),
            Fixtures.path("escape/cand.m.txt"),
        ])
        let obj = try #require(JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((obj["added"] as? [[String: Any]])?.first?["expression"] as? String == "make(map[string]int)")
        #expect((obj["removed"] as? [Any])?.count == 1)
    }

    @Test func badInputExitsTwo() throws {
        let r = try Fixtures.run(["escape", "report", Fixtures.path("bench/base.txt")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no compiler diagnostics"))
        let r2 = try Fixtures.run([
            "escape", "report", "--profile", Fixtures.path("pprof/go1.27/cpu.pb.gz"),
            Fixtures.path("escape/cand.m.txt"),
        ])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("no allocation sample type"))
    }
}
