import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// Folded input that only flamegraph.pl read before (decimal counts, `#` comments, bad lines)
/// drawn as flamegraph.pl draws it. References: `Tests/Fixtures/flame/PROVENANCE.txt`.
@Suite struct FoldedFlameGraphTests {
    /// `fractional.folded`: decimal counts, a comment line and two invalid lines. flamegraph.pl
    /// (`--hash`) and Flamegate (`--hash --colors hot`) draw the same frames, same geometry
    /// and colours: every decimal counts (22.125 in all).
    @Test func fractionalGeometryEqualsFlamegraphPl() throws {
        let p = try ProfileLoader.load([Fixtures.path("flame/fractional.folded")])
        #expect(p.sampleTypes.map(\.description) == ["samples/count/1000"])
        #expect(p.totals() == [22_125])
        #expect(p.readWarnings == ["Ignored 2 lines with invalid format"])
        let mine = Flame.svg(p) { o in
            o.hash = true
            o.colors = "hot"
        }
        let theirs = Flame.frames(try Fixtures.read("flame/fractional.hash.svg"))
        let ours = Flame.frames(mine)
        #expect(ours.count == theirs.count)
        #expect(ours.count == 10)
        func key(_ f: Flame.Frame) -> [Double] { [f.y, f.x, f.width] }
        let a = theirs.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        let b = ours.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        for (t, o) in zip(a, b) {
            #expect(t.name == o.name)
            #expect(abs(t.x - o.x) <= 0.01 && abs(t.width - o.width) <= 0.01 && t.y == o.y, "\(t) vs \(o)")
            #expect(t.fill == o.fill, "colour of \(t.name)")
        }
    }
}
