import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Helpers for the flame graph tests.
enum Flame {
    /// A profile from folded lines (`a;b;c 5`, or `a;b 3 7` for base/candidate), built by hand.
    static func profile(_ text: String, column: Int = 0) -> Profile {
        var p = Profile(sampleTypes: [ValueType(type: "samples", unit: "count")])
        var loc: [String: Int32] = [:]
        for line in text.split(separator: "\n") {
            var parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            let counts = parts.count >= 3 && Int64(parts[parts.count - 2]) != nil ? 2 : 1
            let values = parts.suffix(counts).map { Int64($0)! }
            parts.removeLast(counts)
            let stack = parts.joined(separator: " ")
            var locs: [Int32] = []
            for f in stack.split(separator: ";").reversed() {
                let name = String(f)
                if let l = loc[name] {
                    locs.append(l)
                    continue
                }
                let fi = Int32(p.functions.count)
                p.functions.append(Function(id: UInt64(fi + 1), name: p.strings.intern(name)))
                p.lines.append(Line(function: fi))
                let li = Int32(p.locations.count)
                p.locations.append(Location(id: UInt64(li + 1), lineStart: li, lineCount: 1))
                loc[name] = li
                locs.append(li)
            }
            p.samples.append(locations: locs, values: [values[min(column, values.count - 1)]])
        }
        return p
    }

    struct Frame: Equatable, CustomStringConvertible {
        var name: String
        var x: Double
        var y: Double
        var width: Double
        var fill: String
        var title: String
        var description: String { "\(name)@(\(x),\(y)) w=\(width) \(fill)" }
    }

    /// Frames of an SVG (Flamegate's or flamegraph.pl's): title, rect geometry, fill.
    static func frames(_ svg: String) -> [Frame] {
        guard let r = svg.range(of: "<g id=\"frames\">") else { return [] }
        let body = String(svg[r.upperBound...])
        let re = try! NSRegularExpression(
            pattern:
                #"<g[^>]*>\s*<title>([^<]*)</title><rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="[^"]+" fill="([^"]+)""#
        )
        let ns = body as NSString
        return re.matches(in: body, range: NSRange(location: 0, length: ns.length)).map { m in
            let title = ns.substring(with: m.range(at: 1))
            var name = title.components(separatedBy: "\n")[0]
            if !title.contains("\n"), let p = name.range(of: " (", options: .backwards) {
                name = String(name[..<p.lowerBound])
            }
            return Frame(
                name: name, x: Double(ns.substring(with: m.range(at: 2)))!,
                y: Double(ns.substring(with: m.range(at: 3)))!,
                width: Double(ns.substring(with: m.range(at: 4)))!, fill: ns.substring(with: m.range(at: 5)),
                title: title)
        }
    }

    static func svg(_ p: Profile, _ configure: (inout FlameGraphOptions) -> Void = { _ in }) -> String {
        var o = FlameGraphOptions()
        configure(&o)
        return FlameGraphSVG.render(FlameLayout(CallTree(profile: p, sampleIndex: 0)), options: o)
    }

    static let hostile = "</title><script>alert(1)</script>"
}

@Suite struct FlameGraphCallTreeTests {
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
}

@Suite struct FlameGraphSVGTests {
    static let references:
        [(folded: String, svg: String, options: @Sendable (inout FlameGraphOptions) -> Void)] = [
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

    @Test func perlPalettesAndLanguageAwareDefault() {
        #expect(Palette.kind("runtime.mallocgc") == .runtime)
        #expect(Palette.kind("internal/runtime/maps.(*Map).putSlot") == .runtime)
        #expect(Palette.kind("net/http.(*conn).serve") == .stdlib)
        #expect(Palette.kind("main.handler") == .user)
        #expect(Palette.kind("github.com/acme/svc.(*S).Run") == .user)
        #expect(Palette.kind("Swift.Array.append(_:)") == .stdlib)
        #expect(Palette.kind("swift_retain") == .runtime)
        #expect(Palette.kind("dictwork.encodeRecords(_:)") == .user)
        #expect(Palette.kind("do_syscall_64_[k]") == .kernel)
        #expect(Palette.kind("_int_malloc") == .runtime)
        #expect(Palette.kind("core::ptr::drop_in_place") == .stdlib)
        #expect(Palette.kind("[unknown]") == .unknown)
        #expect(Palette.auto("main.handler") == Palette.auto("main.handler"))
        // flamegraph.pl's --hash hot colour of the root (empty name): rgb(255,230,55).
        #expect(Palette.perlColor("hot", hash: true, name: "").css == "rgb(255,230,55)")
    }
}

@Suite struct FlameGraphCLITests {
    @Test func svgAndHtmlFromCLI() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let svg = dir.appendingPathComponent("cpu.svg").path
        let html = dir.appendingPathComponent("cpu.html").path
        var r = try Fixtures.run(["flame", cpu, "-o", svg, "--title", "CPU", "-focus=main"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(s.hasPrefix("<?xml") && s.contains(">CPU</text>"))
        r = try Fixtures.run(["flame", cpu, "-o", html, "--colors", "hot"])
        #expect(r.status == 0, "\(r.stderr)")
        let h = try String(contentsOfFile: html, encoding: .utf8)
        #expect(
            h.hasPrefix("<!DOCTYPE html>") && h.contains("<canvas") && !h.contains("http://") && !h.contains("https://")
        )
        r = try Fixtures.run(["flame", cpu, "-o", "-"])
        #expect(r.status == 0 && r.stdout.hasPrefix("<?xml"))
        r = try Fixtures.run(["flame", cpu, "--diff-base", cpu, "-o", "-", "--format", "svg"])
        #expect(r.status == 0 && r.stdout.contains("Differential Flame Graph"))
        r = try Fixtures.run(["flame", cpu, "--colors", "nope", "-o", "-"])
        #expect(r.status == 2)
        r = try Fixtures.run(["flame", cpu, "--minwidth", "x%", "-o", "-"])
        #expect(r.status == 2)
    }

    @Test func twoCountFoldedIsDifferential() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("diff.folded").path
        try "main;work;parse 10 30\nmain;work;emit 10 15\nmain;idle 20 20\nmain;gone 5 0\n".write(
            toFile: f, atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["flame", f, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let frames = Flame.frames(r.stdout)
        let work = frames.first { $0.name == "work" }
        #expect(work?.title.contains("base 20 samples, candidate 45 samples, delta +25 samples") == true, "\(frames)")
        #expect(frames.first { $0.name == "gone" }?.fill == "url(#onlybase)")
    }
}
