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
            o.unit = p.sampleTypes[0].unit  // as FlameGraph.render sets it: count/1000
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
        // Tooltips show counts as flamegraph.pl does, rounded to whole samples (22.125 → 22),
        // never the stored ×1000 value.
        #expect(mine.contains("<title>all\n22 samples (100.00%)"), "\(mine.prefix(0))")
        #expect(!mine.contains("count/1000") && !mine.contains("22,125"))
    }

    /// `twocount.folded` (difffolded's `stack base cand`): flamegraph.pl sizes frames by the
    /// second count and colours them by their own delta (`color_scale`, saturating at the
    /// largest line delta); frames only in the base (`main;gone 5 0`) are not drawn.
    @Test func twoCountGeometryEqualsFlamegraphPl() throws {
        let p = try ProfileLoader.load([Fixtures.path("flame/twocount.folded")])
        let tree = CallTree(base: p, baseIndex: 0, candidate: p, candidateIndex: 1)
        let layout = FlameLayout(twoCount: tree)
        #expect(layout.maxDelta == 20)
        var o = FlameGraphOptions()
        o.hash = true
        o.colors = "hot"
        let theirs = Flame.frames(try Fixtures.read("flame/twocount.hash.svg"))
        let ours = Flame.frames(FlameGraphSVG.render(layout, options: o))
        #expect(ours.count == theirs.count)
        #expect(ours.count == 10)
        #expect(!ours.contains { $0.name == "gone" })
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
