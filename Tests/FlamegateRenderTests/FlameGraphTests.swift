import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension Flame {
    static func svg(_ p: Profile, _ configure: (inout FlameGraphOptions) -> Void = { _ in }) -> String {
        var o = FlameGraphOptions()
        configure(&o)
        return FlameGraphSVG.render(FlameLayout(CallTree(profile: p, sampleIndex: 0)), options: o)
    }
}

@Suite struct FlameGraphSVGTests {
    static let references: [(folded: String, svg: String, options: @Sendable (inout FlameGraphOptions) -> Void)] = [
        ("perf/cwork.collapsed.default.txt", "flame/cwork.hash.svg", { _ in }),
        ("perf/edge-punct.collapsed.default.txt", "flame/edge-punct.hash.svg", { _ in }),
        (
            "perf/gowork.collapsed.default.txt", "flame/gowork.hash-inverted-w800.svg",
            { o in
                o.inverted = true
                o.width = 800
                o.minWidth = 0.5
            }
        ),
    ]

    @Test(arguments: 0..<3) func geometryEqualsFlamegraphPl(_ k: Int) throws {
        let ref = Self.references[k]
        let p = try ProfileLoader.load([Fixtures.path(ref.folded)])
        let mine = Flame.svg(p) { o in
            o.hash = true
            o.colors = "hot"
            ref.options(&o)
        }
        let theirs = Flame.frames(try Fixtures.read(ref.svg))
        let ours = Flame.frames(mine)
        #expect(ours.count == theirs.count)
        #expect(ours.count > 3)
        func key(_ f: Flame.Frame) -> [Double] { [f.y, f.x, f.width] }
        let a = theirs.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        let b = ours.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        for (t, o) in zip(a, b) {
            #expect(abs(t.x - o.x) <= 0.01 && abs(t.width - o.width) <= 0.01 && t.y == o.y, "\(t) vs \(o)")
            #expect(t.fill == o.fill, "colour of \(t.name)")
        }
        // Image size too.
        let size = #/<svg version="1.1" width="(\d+)" height="(\d+)"/#
        let refSize = try Fixtures.read(ref.svg).firstMatch(of: size).map { "\($0.1)x\($0.2)" }
        #expect(mine.firstMatch(of: size).map { "\($0.1)x\($0.2)" } == refSize)
    }

    @Test func widthsProportionalAndNested() throws {
        let p = try ProfileLoader.load([Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        let si = try p.sampleIndex(named: "")
        let t = CallTree(profile: p, sampleIndex: si)
        var o = FlameGraphOptions()
        o.minWidth = 0
        o.unit = "nanoseconds"
        let svg = FlameGraphSVG.render(FlameLayout(t), options: o)
        let frames = Flame.frames(svg)
        #expect(frames.count == t.count)
        let scale = (1200.0 - 20) / Double(t.total(0))
        // Preorder: the i-th <g> is node i.
        for (i, f) in frames.enumerated() {
            #expect(abs(f.width - Double(t.total(i)) * scale) <= 0.11, "\(f)")
            // Depth order: deeper frames are higher up (smaller y).
            #expect(f.y == frames[0].y - Double(t.depth[i]) * 16)
            if i > 0 {
                let parent = frames[Int(t.parent[i])]
                #expect(f.x >= parent.x - 0.11 && f.x + f.width <= parent.x + parent.width + 0.21)
            }
        }
        // Tooltip: value in the unit, % of total, % of parent, self.
        #expect(frames[1].title.contains("s ("))
        #expect(frames[1].title.contains("% of total, "))
        #expect(frames[1].title.contains("% of parent), self "))
        #expect(svg.contains("function search(") && svg.contains("function zoom(") && svg.contains("Reset Zoom"))
    }

    @Test func hostileNamesAreEscaped() {
        let p = Flame.profile("main;\(Flame.hostile) 10\nmain;a&b\"c'd 5")
        let svg = Flame.svg(p) { $0.title = "<b>x</b>" }
        #expect(!svg.contains("<script>alert"))
        #expect(!svg.contains("</title><script>"))
        #expect(svg.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains("&lt;b&gt;x&lt;/b&gt;"))
        // Still well-formed XML.
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        let html = String(
            decoding: FlameGraphHTML.render(
                FlameLayout(CallTree(profile: p, sampleIndex: 0)), options: FlameGraphOptions()), as: UTF8.self)
        #expect(!html.contains(Flame.hostile))
        #expect(!html.contains("<script>alert"))
        // Exactly our two <script> elements, and the JSON names survive a round trip.
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(html.components(separatedBy: "</script>").count == 3)
        let json = html.components(separatedBy: "<script id=\"fgdata\" type=\"application/json\">")[1].components(
            separatedBy: "</script>")[0]
        let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((obj?["names"] as? [String])?.contains(Flame.hostile) == true)
    }

    @Test func sameInputSameBytes() throws {
        let path = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let a = try ProfileLoader.load([path])
        let b = try ProfileLoader.load([path])
        let si = try a.sampleIndex(named: "")
        let s1 = FlameGraphSVG.render(FlameLayout(CallTree(profile: a, sampleIndex: si)), options: FlameGraphOptions())
        let s2 = FlameGraphSVG.render(FlameLayout(CallTree(profile: b, sampleIndex: si)), options: FlameGraphOptions())
        #expect(s1 == s2)
        let h1 = FlameGraphHTML.render(FlameLayout(CallTree(profile: a, sampleIndex: si)), options: FlameGraphOptions())
        let h2 = FlameGraphHTML.render(FlameLayout(CallTree(profile: b, sampleIndex: si)), options: FlameGraphOptions())
        #expect(h1 == h2)
        // Sample order does not matter either.
        let p1 = Flame.profile("a;b 1\na;c 2\nd 3")
        let p2 = Flame.profile("d 3\na;c 2\na;b 1")
        #expect(Flame.svg(p1) == Flame.svg(p2))
    }

    @Test func differentialParentShowsChildGrowth() {
        let base = Flame.profile("main;work;parse 10\nmain;work;emit 10\nmain;idle 20\nmain;gone 5")
        let cand = Flame.profile("main;work;parse 30\nmain;work;emit 15\nmain;idle 20")
        let t = CallTree(base: base, baseIndex: 0, candidate: cand, candidateIndex: 0)
        #expect(t.isDifferential)
        func node(_ path: [String]) -> Int? {
            var cur = 0
            for n in path {
                guard let c = t.children(cur).first(where: { t.nameOf($0) == n }) else { return nil }
                cur = c
            }
            return cur
        }
        let work = node(["main", "work"])!
        #expect(t.total(work, 0) == 20 && t.total(work, 1) == 45)
        #expect(t.selfValue(work, 0) == 0 && t.selfValue(work, 1) == 0)
        let gone = node(["main", "gone"])!
        #expect(t.total(gone, 0) == 5 && t.total(gone, 1) == 0)
        let l = FlameLayout(t)
        #expect(l.delta(work) == 25)
        #expect(l.delta(node(["main", "idle"])!) == 0)
        #expect(l.width[gone] == 5)  // only in base: still visible
        // Union widths nest: children fit in their parent.
        for i in 0..<t.count {
            #expect(t.children(i).reduce(0.0) { $0 + l.width[$1] } <= l.width[i] + 1e-9)
        }
        // Normalized: base scaled to the candidate's total (65 / 45).
        let n = FlameLayout(t, normalize: true)
        #expect(abs(n.base(0) - 65) < 1e-9)
        #expect(abs(n.delta(work) - (45 - 20 * 65.0 / 45)) < 1e-9)
        // SVG: grew is red, shrank blue, only-in-base hatched; tooltips carry base/candidate/delta.
        let svg = FlameGraphSVG.render(l, options: FlameGraphOptions())
        let frames = Flame.frames(svg)
        let w = frames.first { $0.name == "work" }!
        #expect(w.fill.hasPrefix("rgb(255,"))
        #expect(w.title.contains("base 20 samples, candidate 45 samples, delta +25 samples (+125.00%)"))
        let g = frames.first { $0.name == "gone" }!
        #expect(g.fill == "url(#onlybase)")
        #expect(g.title.contains("only in base"))
        #expect(svg.contains("Differential Flame Graph"))
    }

    @Test func outputExtensionPicksOrRefusesFormat() {
        typealias F = FlameGraphRequest.Format
        #expect(F.forOutput("a/b.svg") == .svg && F.forOutput("B.HTML") == .html && F.forOutput("x.htm") == .html)
        #expect(F.forOutput("-") == .svg && F.forOutput("dir.d/out") == .svg && F.forOutput(".hidden") == .svg)
        #expect(F.forOutput("x.png") == nil && F.forOutput("x.pdf") == nil)
        #expect(F.problem(forOutput: "x.svg") == nil)
        #expect(F.problem(forOutput: "x.png")?.contains("supported: .svg, .html, .htm") == true)
    }

    @Test func utcDates() {
        #expect(FlameGraph.utc(0) == "1970-01-01 00:00:00 UTC")
        #expect(FlameGraph.utc(1_764_921_600_000_000_000 + 3_661_000_000_000) == "2025-12-05 09:01:01 UTC")
    }

    /// The SVG's legend says what the palette means, sits outside the frames (flamegraph.pl
    /// geometry untouched) and matches the HTML page's list.
    @Test func legendNamesThePalette() throws {
        let p = Flame.profile("main;runtime.mallocgc 10\nmain;fmt.Println 5")
        let svg = Flame.svg(p)
        let legend = try #require(svg.components(separatedBy: "<g id=\"legend\"").dropFirst().first)
        let body = legend.components(separatedBy: "</g>")[0]
        for label in ["user code", "standard library", "runtime, libc", "kernel"] {
            #expect(body.contains(">\(label)</text>"), "\(label)")
        }
        #expect(svg.range(of: "<g id=\"legend\"")!.lowerBound < svg.range(of: "<g id=\"frames\">")!.lowerBound)
        let hot = Flame.svg(p) { $0.colors = "hot" }
        #expect(hot.contains("hue tells frames apart, no meaning"))
        let html = String(
            decoding: FlameGraphHTML.render(
                FlameLayout(CallTree(profile: p, sampleIndex: 0)), options: FlameGraphOptions()), as: UTF8.self)
        #expect(html.contains("[\"rgb(80,217,80)\",\"user code\"]"))
        #expect(body.contains("fill=\"rgb(80,217,80)\""))
        // Differential: red grew, blue shrank (swapped by --negate).
        let d = Palette.legend("auto", differential: true, negate: false)
        #expect(d[0] == Palette.LegendItem("rgb(255,105,105)", "grew") && d[1].fill == "rgb(105,105,255)")
        #expect(Palette.legend("auto", differential: true, negate: true)[0].fill == "rgb(105,105,255)")
    }
}
