import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// The call tree behind flame graphs: values, order, reversal, pprof stacks.
@Suite struct CallTreeTests {
    @Test func treeValuesAndOrder() {
        let p = Flame.profile(
            """
            main;b;x 3
            main;a 2
            main;b 4
            main;a;y 1
            other 5
            """)
        let t = CallTree(profile: p, sampleIndex: 0)
        #expect(t.total(0) == 15)
        let top = t.children(0).map { t.nameOf($0) }
        #expect(top == ["main", "other"])
        let main = t.children(0)[0]
        #expect(t.total(main) == 10)
        #expect(t.selfValue(main) == 0)
        #expect(t.children(main).map { t.nameOf($0) } == ["a", "b"])
        let b = t.children(main)[1]
        #expect(t.total(b) == 7 && t.selfValue(b) == 4)
        // Every node: total = self + sum of children; subtree ranges and depths are consistent.
        for i in 0..<t.count {
            #expect(t.total(i) == t.selfValue(i) + t.children(i).reduce(0) { $0 + t.total($1) })
            for c in t.children(i) { #expect(t.depth[c] == t.depth[i] + 1 && Int(t.parent[c]) == i) }
        }
    }

    @Test func childOrderFollowsFlamegraphPlLineSort() {
        // "a-x" sorts before "a" because flamegraph.pl compares "a;…" with "a-x;…" ('-' < ';').
        let p = Flame.profile("r;a;k 1\nr;a-x 1\nr;B 1\nr;a.b;k 1")
        let t = CallTree(profile: p, sampleIndex: 0)
        let r = t.children(0)[0]
        #expect(t.children(r).map { t.nameOf($0) } == ["B", "a-x", "a.b", "a"])
    }

    @Test func pprofStacksAreRootFirstWithInlinedFramesDeepest() throws {
        let p = try ProfileLoader.load([Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        let si = try p.sampleIndex(named: "")
        let t = CallTree(profile: p, sampleIndex: si)
        #expect(t.total(0) == p.totals()[si])
        for i in 0..<t.count {
            #expect(t.total(i) == t.selfValue(i) + t.children(i).reduce(0) { $0 + t.total($1) })
        }
        // Roots are goroutine entry points (the stack's last frame), never leaves such as cmpbody.
        let roots = Set(t.children(0).map { t.nameOf($0) })
        #expect(roots.contains("net/http.(*conn).serve"))
        #expect(!roots.contains("cmpbody") && !roots.contains("runtime.mallocgc"))
        // Function table: self sums to the total.
        #expect(t.functionTotals().reduce(0) { $0 + $1.selfValue } == t.total(0))
    }

    @Test func reverseAndFlameChart() {
        let p = Flame.profile("a;b 1\na;c 1\na;b 1")
        var o = CallTreeOptions()
        o.reverse = true
        let r = CallTree(profile: p, sampleIndex: 0, options: o)
        #expect(r.children(0).map { r.nameOf($0) } == ["b", "c"])
        o.reverse = false
        o.flameChart = true
        let c = CallTree(profile: p, sampleIndex: 0, options: o)
        let a = c.children(0)[0]
        #expect(c.children(a).map { c.nameOf($0) } == ["b", "c", "b"])
    }
}
