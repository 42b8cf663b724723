import Testing

@testable import FlamegateCore

/// pprof's call-graph building and trimming on a profile small enough to work out by hand
/// (the DOT references in FlamegateRenderTests check the same code on real profiles).
///
/// Stacks (root first): a→b→c 5, a→c 3, a→d 1. pprof's entropy scores: c 23 (two callers,
/// a leaf), a 21 (three callees, an entry), d 2, b 0 (one way in, one way out).
@Suite struct CallGraphTests {
    static func profile() -> Profile {
        var p = Profile(sampleTypes: [ValueType(type: "samples", unit: "count")])
        for (i, n) in ["a", "b", "c", "d"].enumerated() {
            let s = p.strings.intern(n)
            p.functions.append(Function(id: UInt64(i + 1), name: s, systemName: s))
            p.lines.append(Line(function: Int32(i)))
            p.locations.append(Location(id: UInt64(i + 1), lineStart: Int32(i), lineCount: 1))
        }
        p.samples.append(locations: [2, 1, 0] as [Int32], values: [5] as [Int64])
        p.samples.append(locations: [2, 0] as [Int32], values: [3] as [Int64])
        p.samples.append(locations: [3, 0] as [Int32], values: [1] as [Int64])
        return p
    }

    static func names(_ g: CallGraph) -> [String] { g.order.map { g.table.names[Int(g.nodes[Int($0)].info)] } }

    static func edges(_ g: CallGraph) -> [String] {
        g.sortedEdges().map { e in
            let (s, d) = (g.table.names[Int(g.nodes[Int(e.src)].info)], g.table.names[Int(g.nodes[Int(e.dst)].info)])
            return "\(s)\(e.residual ? "..." : "->")\(d) \(e.weight)"
        }
    }

    @Test func wholeGraphInEntropyOrder() {
        var o = TableOptions(sampleIndex: 0)
        o.nodeCount = 80
        let g = CallGraph(profile: Self.profile(), options: o)
        #expect(Self.names(g) == ["c", "a", "d", "b"])
        #expect(Self.edges(g) == ["a->b 5", "b->c 5", "a->c 3", "a->d 1"])
        #expect(g.shownTotal == 9 && g.originalCount == 4 && g.droppedNodes == 0)
    }

    /// Three nodes: b goes, and the graph is rebuilt from the samples, so a reaches c by a
    /// residual edge carrying both paths' value.
    @Test func nodeCountRebuildsWithResidualEdges() {
        var o = TableOptions(sampleIndex: 0)
        o.nodeCount = 3
        let g = CallGraph(profile: Self.profile(), options: o)
        #expect(Self.names(g) == ["c", "a", "d"])
        #expect(Self.edges(g) == ["a...c 8", "a->d 1"])
        #expect(g.originalCount == 4)
    }

    /// In a call tree, c under b and c under a are two nodes; b is spliced out and its
    /// child hangs from a by a residual edge.
    @Test func callTreeSplicesDroppedNodes() {
        var o = TableOptions(sampleIndex: 0)
        o.nodeCount = 3
        let g = CallGraph(profile: Self.profile(), options: o, callTree: true)
        #expect(Self.names(g) == ["a", "c", "c"])
        #expect(g.order.map { g.nodes[Int($0)].cum } == [9, 5, 3])
        #expect(Self.edges(g) == ["a...c 5", "a->c 3"])
    }

    /// The node fraction drops d (cum 1 < 25% of 9, truncated to 2) first, and counts it.
    @Test func nodeFractionDropsAndCounts() {
        var o = TableOptions(sampleIndex: 0)
        (o.nodeCount, o.nodeFraction) = (80, 0.25)
        let g = CallGraph(profile: Self.profile(), options: o)
        #expect(Self.names(g) == ["c", "a", "b"])
        #expect(g.droppedNodes == 1 && g.originalCount == 3)
    }

    @Test func goLog2MatchesGoBitForBit() {
        // Go 1.27's math.Log2 on amd64 (printed by Go as the shortest exact decimal).
        #expect(GoMath.log2(0.75) == -0.41503749927884376)
        #expect(GoMath.log2(1.0 / 3) == -1.5849625007211563)
        #expect(GoMath.log2(0.1) == -3.321928094887362)
        #expect(GoMath.int64(.nan) == .min && GoMath.abs(.min) == .min)
    }
}
