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
}
