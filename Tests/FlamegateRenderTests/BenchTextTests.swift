import FlamegateTestSupport
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// benchstat's text for the wordcount fixtures (the full parity is BenchstatParityTests).
@Suite struct BenchTextTests {
    @Test func textHasTheChangeAndTheGeomean() throws {
        let b = try GoBench.read(Fixtures.path("bench/base.txt"))
        let c = try GoBench.read(Fixtures.path("bench/cand.txt"))
        let text = BenchCompare.renderText(BenchCompare.compare(base: b, cand: c), base: b, cand: c, alpha: 0.05)
        #expect(text.contains("-75.00% (p=0.002 n=6)"))
        #expect(text.contains("geomean"))
    }

    /// Issue 18 §6: files that share a name get columns that differ (the paths' last
    /// differing components), never two identical headers.
    @Test func columnNamesDifferWhenFilesShareAName() throws {
        #expect(BenchCompare.columnNames(base: "x/base.txt", cand: "y/cand.txt") == ("base.txt", "cand.txt"))
        #expect(
            BenchCompare.columnNames(base: "base/bench.txt", cand: "cand/bench.txt") == (
                "base/bench.txt", "cand/bench.txt"
            ))
        #expect(
            BenchCompare.columnNames(base: "/ci/main/out/bench.txt", cand: "/ci/pr/out/bench.txt")
                == ("main/out/bench.txt", "pr/out/bench.txt"))
        #expect(
            BenchCompare.columnNames(base: "bench.txt", cand: "bench.txt") == ("bench.txt (base)", "bench.txt (cand)"))
        var b = try GoBench.read(Fixtures.path("bench/base.txt"))
        var c = try GoBench.read(Fixtures.path("bench/cand.txt"))
        (b.source, c.source) = ("main/bench.txt", "pr/bench.txt")
        let text = BenchCompare.renderText(BenchCompare.compare(base: b, cand: c), base: b, cand: c, alpha: 0.05)
        #expect(text.contains("main/bench.txt"))
        #expect(text.contains("pr/bench.txt"))
    }
}
