import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// blame, explain, diff and `flame --blame` through the CLI.
@Suite struct BlameCommandTests {
    @Test func cliCommandsRun() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let fixed = Fixtures.path("pprof/go1.27-fixed/cpu.pb.gz")
        let b = try Fixtures.run(["blame", cpu])
        #expect(b.status == 0)
        #expect(b.stdout.contains("main.buildLineItemsRegress"))
        let e = try Fixtures.run(["explain", "--format", "json", cpu])
        #expect(e.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any]
        let ids = (obj?["findings"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(ids.contains("map-churn"))
        let d = try Fixtures.run(["diff", "--nodecount", "5", cpu, fixed])
        #expect(d.status == 0)
        #expect(d.stdout.contains("Total: 3.49s → 3.27s"))
        let bad = try Fixtures.run(["explain", "--rules", "/nonexistent.yml", cpu])
        #expect(bad.status == 2)
        let svg = try Fixtures.run(["flame", "--blame", cpu, "-o", "-"])
        #expect(svg.status == 0)
        #expect(svg.stdout.contains("main.buildLineItemsRegress"))
        #expect(!svg.stdout.contains(">runtime.mapassign_faststr<"))
    }
}
