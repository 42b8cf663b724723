import FlamegateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `go tool pprof -dot`: a `CallGraph` in Graphviz's DOT language, byte for byte as pprof
/// writes it (`ComposeDot`): a legend box with the report's header lines, one box per node
/// (short name, flat and cum, font size by flat, colour by cum), its label tags as
/// `box3d` nodelets, and the call edges heaviest first (width and colour by weight,
/// dotted when residual).
///
/// Text from the profile is escaped wherever it lands inside a quoted DOT string (pprof
/// leaves a few places raw: file names in node labels, the title, label tags); on names
/// without `"`, `\` or line breaks that makes no difference.
public enum CallGraphDot {
    /// The DOT text of `graph`. `total` is pprof's report total (percentages, colours),
    /// `style` its unit and `-divide_by`, `activeFilters` the legend's filter lines.
    public static func render(
        _ graph: CallGraph, profile p: Profile, sampleIndex si: Int, total: Int64, options: TableOptions,
        style: ReportStyle, activeFilters: [String] = []
    ) -> String {
        let unit = p.sampleTypes[si].unit
        let shown = graph.order.map { (flat: graph.nodes[Int($0)].flat, cum: graph.nodes[Int($0)].cum) }
        let outUnit = PprofText.selectOutputUnit(shown, total: total, sampleUnit: unit, style: style)
        let fmt = PprofText.formatter(sampleUnit: unit, outputUnit: outUnit, divideBy: style.divideBy)
        var counts = PprofText.GraphCounts(
            shown: graph.shownTotal, nodes: graph.order.count, original: graph.originalCount)
        counts.droppedNodes = graph.droppedNodes
        counts.droppedEdges = graph.droppedEdges
        let labels = PprofText.reportLabels(
            p, sampleIndex: si, total: total, counts: counts, options: options, style: style, format: fmt,
            activeFilters: activeFilters, fullHeaders: true)
        var title = ""
        if let m = p.mappings.first, m.file != 0 { title = escape(PathClean.base(p.strings[m.file])) }

        var out = "digraph \"\(title.isEmpty ? "unnamed" : title)\" {\n"
        out += "node [style=filled fillcolor=\"#f8f8f8\"]\n"
        out += "subgraph cluster_L { \"\(escape(labels[0]))\" [shape=box fontsize=16"
        out += " label=\"\(labels.map(escape).joined(separator: "\\l"))\\l\""
        if !title.isEmpty { out += " tooltip=\"\(title)\"" }
        out += "] }\n"
        guard !graph.order.isEmpty else { return out + "}\n" }

        var id = [Int](repeating: 0, count: graph.nodes.count)  // 0: not in the graph, as pprof's map lookup
        var maxFlat = Double(GoMath.abs(graph.nodes[Int(graph.order[0])].flat))
        for (i, n) in graph.order.enumerated() {
            id[Int(n)] = i + 1
            maxFlat = max(maxFlat, Double(GoMath.abs(graph.nodes[Int(n)].flat)))
        }
        var hasNodelets = [Bool](repeating: false, count: graph.nodes.count)
        let w = Writer(graph: graph, total: total, format: fmt)
        for n in graph.order {
            out += w.node(n, id: id[Int(n)], maxFlat: maxFlat)
            let nodelets = w.nodelets(n, id: id[Int(n)])
            hasNodelets[Int(n)] = !nodelets.isEmpty
            out += nodelets
        }
        for e in graph.sortedEdges() {
            out += w.edge(e, from: id[Int(e.src)], to: id[Int(e.dst)], hasNodelets: hasNodelets[Int(e.src)])
        }
        return out + "}\n"
    }

    /// pprof's `escapeForDot`: `\` and `"` escaped, line breaks as `\l` (left-justified).
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\l"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// pprof's `dotColor`: grey near 0, shifting to red for a positive share and green for
    /// a negative one (diffs); light for a fill, dark for a line.
    public static func color(_ score: Double, background: Bool) -> String {
        let shift = 0.7
        var saturation = background ? 0.1 : 1.0
        let value = background ? 0.93 : 0.7
        var score = goMax(-1.0, goMin(1.0, score))
        if abs(score) < 0.2 { saturation *= abs(score) / 0.2 }
        // C's pow, not Go's math.Pow: both gave the same bytes for all 684,024 shares v/total
        // with total ≤ 2000 (checked against Go 1.27 when this was written).
        if score > 0 { score = pow(score, 1 - shift) }
        if score < 0 { score = -pow(-score, 1 - shift) }
        let r: Double
        let g: Double
        if score < 0 {
            g = value
            r = value * (1 + saturation * score)
        } else {
            r = value
            g = value * (1 - saturation * score)
        }
        let b = value * (1 - saturation)
        func byte(_ x: Double) -> String {
            let v = UInt8(truncatingIfNeeded: GoMath.int64(x * 255))
            let h = String(v, radix: 16)
            return v < 16 ? "0" + h : h
        }
        return "#" + byte(r) + byte(g) + byte(b)
    }

    /// Go's math.Min/Max: NaN wins.
    static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : min(a, b) }
    static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : max(a, b) }

    /// Writes a graph's nodes, nodelets and edges.
    struct Writer {
        let graph: CallGraph
        let total: Int64
        let format: (Int64) -> String
        static let maxNodelets = 4

        var names: [String] { graph.table.names }

        func percent(_ v: Int64) -> String { Units.percentage(v, of: total).trimming() }

        func shareColor(_ v: Int64, background: Bool) -> String {
            CallGraphDot.color(Double(v) / Double(GoMath.abs(total)), background: background)
        }

        /// pprof's `multilinePrintableName`: the short name broken at `.` and `::`, then
        /// the location parts, each ending in `\n`.
        func multilineName(_ info: NodeInfo) -> String {
            let s = graph.table.strings
            var parts: [String] = []
            if info.address != 0 {
                let hex = String(info.address, radix: 16)
                parts.append(String(repeating: "0", count: max(0, 16 - hex.count)) + hex)
            }
            if info.name != 0 {
                var name = escape(ShortFunctionName.of(s[info.name]))
                name = replace(name, "::", "\\n")
                name = replace(name, "[...]", "[…]")
                name = replace(name, ".", "\\n")
                parts.append(name)
            }
            let file = info.file != 0 ? escape(PathClean.base(s[info.file])) : ""
            if info.line != 0 {
                var t = "\(file):\(info.line)"
                if info.column != 0 { t += ":\(info.column)" }
                parts.append(t)
            } else if !file.isEmpty {
                parts.append(file)
            } else if info.name != 0 {
            } else if info.objfile != 0 {
                parts.append("[" + escape(PathClean.base(s[info.objfile])) + "]")
            } else {
                parts.append("<unknown>")
            }
            return parts.joined(separator: "\\n") + "\\n"
        }

        func node(_ n: Int32, id: Int, maxFlat: Double) -> String {
            let node = graph.nodes[Int(n)]
            let (flat, cum) = (node.flat, node.cum)
            var label = multilineName(graph.table.infos[Int(node.info)])
            let flatValue = format(flat)
            label += flat != 0 ? "\(flatValue) (\(percent(flat)))" : "0"
            var cumValue = flatValue
            if cum != flat {
                label += flat != 0 ? "\\n" : " "
                cumValue = format(cum)
                label += "of \(cumValue) (\(percent(cum)))"
            }
            // Font 8 to 24 by the square root of the flat share of the largest flat.
            var fontSize = 8
            if maxFlat != 0 && flat != 0 && Double(GoMath.abs(flat)) <= maxFlat {
                fontSize += Int(GoMath.int64((16.0 * (Double(GoMath.abs(flat)) / maxFlat).squareRoot()).rounded(.up)))
            }
            let tooltip = escape(names[Int(node.info)])
            return
                "N\(id) [label=\"\(label)\" id=\"node\(id)\" fontsize=\(fontSize) shape=box tooltip=\"\(tooltip) (\(cumValue))\" color=\"\(shareColor(cum, background: false))\" fillcolor=\"\(shareColor(cum, background: true))\"]\n"
        }

        /// pprof's `SortTags`: by |cum| (unless `flat`), |flat|, name.
        func sortTags(_ ts: [CallGraph.Tag], flat: Bool) -> [CallGraph.Tag] {
            ts.sorted { a, b in
                if !flat && GoMath.abs(a.cum) != GoMath.abs(b.cum) { return GoMath.abs(a.cum) > GoMath.abs(b.cum) }
                if GoMath.abs(a.flat) != GoMath.abs(b.flat) { return GoMath.abs(a.flat) > GoMath.abs(b.flat) }
                return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
            }
        }

        /// The node's tags as nodelets: up to 4 label sets, each with its numeric tags,
        /// then the numeric tags of samples without labels. A node with callees shows flat
        /// values (its own samples), a leaf cum (including callees dropped from the graph).
        func nodelets(_ n: Int32, id: Int) -> String {
            let node = graph.nodes[Int(n)]
            let flatTags = graph.outDegree(n) > 0
            var out = ""
            let top = sortTags(Array(node.labelTags.values), flat: flatTags).prefix(Writer.maxNodelets)
            for (i, t) in top.enumerated() {
                let w = flatTags ? t.flat : t.cum
                if w == 0 { continue }
                let weight = format(w)
                let label = t.labels.map(escape).joined(separator: "\\n")
                out +=
                    "N\(id)_\(i) [label = \"\(label)\" id=\"N\(id)_\(i)\" fontsize=8 shape=box3d tooltip=\"\(weight)\"]\n"
                out +=
                    "N\(id) -> N\(id)_\(i) [label=\" \(weight)\" weight=100 tooltip=\"\(weight)\" labeltooltip=\"\(weight)\"]\n"
                if let nts = node.numericTags[t.labelSet], !nts.isEmpty {
                    out += numericNodelets(Array(nts.values), flat: flatTags, source: "N\(id)_\(i)")
                }
            }
            if let nts = node.numericTags[0], !nts.isEmpty {
                out += numericNodelets(Array(nts.values), flat: flatTags, source: "N\(id)")
            }
            return out
        }

        func numericNodelets(_ ts: [CallGraph.Tag], flat: Bool, source: String) -> String {
            var out = ""
            for (j, t) in collapsed(ts, flat: flat).enumerated() {
                var (w, attr) = (t.cum, " style=\"dotted\"")
                if flat || t.flat == t.cum { (w, attr) = (t.flat, "") }
                if w == 0 { continue }
                let weight = format(w)
                out +=
                    "N\(source)_\(j) [label = \"\(escape(t.name))\" id=\"N\(source)_\(j)\" fontsize=8 shape=box3d tooltip=\"\(weight)\"]\n"
                out +=
                    "\(source) -> N\(source)_\(j) [label=\" \(weight)\" weight=100 tooltip=\"\(weight)\" labeltooltip=\"\(weight)\"\(attr)]\n"
            }
            return out
        }

        /// pprof's `collapsedTags`: more than 4 numeric tags become 4 ranges ("16B..4kB"),
        /// each tag joining the first-4 tag nearest in value.
        func collapsed(_ ts: [CallGraph.Tag], flat: Bool) -> [CallGraph.Tag] {
            let count = Writer.maxNodelets
            let ts = sortTags(ts, flat: flat)
            if ts.count <= count { return ts }
            var groups = ts[..<count].map { [$0] }
            for t in ts[count...] {
                var g = 0
                var d = distance(t, groups[0][0])
                for i in 1..<count {
                    let nd = distance(t, groups[i][0])
                    if nd < d { (g, d) = (i, nd) }
                }
                groups[g].append(t)
            }
            return sortTags(groups.map(groupTag), flat: flat)
        }

        func distance(_ t: CallGraph.Tag, _ u: CallGraph.Tag) -> Double {
            let v = Units.scale(u.value, from: u.unit, to: t.unit).0
            return v < Double(t.value) ? Double(t.value) - v : v - Double(t.value)
        }

        func groupTag(_ g: [CallGraph.Tag]) -> CallGraph.Tag {
            if g.count == 1 {
                var t = g[0]
                t.name = Units.label(t.value, unit: t.unit)
                return t
            }
            var lo = g[0]
            var hi = g[0]
            var (f, c) = (g[0].flat, g[0].cum)
            for t in g.dropFirst() {
                if GoMath.int64(Units.scale(t.value, from: t.unit, to: lo.unit).0) < lo.value { lo = t }
                if GoMath.int64(Units.scale(t.value, from: t.unit, to: hi.unit).0) > hi.value { hi = t }
                f &+= t.flat
                c &+= t.cum
            }
            let name = Units.label(lo.value, unit: lo.unit) + ".." + Units.label(hi.value, unit: hi.unit)
            return CallGraph.Tag(name: name, unit: "", value: 0, flat: f, cum: c)
        }

        func edge(_ e: CallGraph.Edge, from: Int, to: Int, hasNodelets: Bool) -> String {
            let w = format(e.weight)
            var attr = "label=\" \(w)\(e.inline ? "\\n (inline)" : "")\""
            if total != 0 {
                // Go's integer arithmetic: the products wrap, the quotients truncate.
                let weight = 1 + min(GoMath.abs(e.weight &* 100 / total), 100)
                if weight > 1 { attr += " weight=\(weight)" }
                let width = 1 + min(GoMath.abs(e.weight &* 5 / total), 5)
                if width > 1 { attr += " penwidth=\(width)" }
                attr += " color=\"\(shareColor(e.weight, background: false))\""
            }
            let src = escape(names[Int(graph.nodes[Int(e.src)].info)])
            let dst = escape(names[Int(graph.nodes[Int(e.dst)].info)])
            let tooltip = "\"\(src) \(e.residual ? "..." : "->") \(dst) (\(w))\""
            attr += " tooltip=\(tooltip) labeltooltip=\(tooltip)"
            if e.residual { attr += " style=\"dotted\"" }
            if hasNodelets { attr += " minlen=2" }
            return "N\(from) -> N\(to) [\(attr)]\n"
        }

        /// Every occurrence of `what` replaced, byte-wise (Go's strings.ReplaceAll).
        func replace(_ s: String, _ what: String, _ with: String) -> String {
            let b = Array(s.utf8)
            let w = Array(what.utf8)
            guard b.count >= w.count else { return s }
            var out: [UInt8] = []
            out.reserveCapacity(b.count + 8)
            var i = 0
            var changed = false
            while i < b.count {
                if b[i] == w[0] && i + w.count <= b.count && b[i..<(i + w.count)].elementsEqual(w) {
                    out.append(contentsOf: with.utf8)
                    i += w.count
                    changed = true
                } else {
                    out.append(b[i])
                    i += 1
                }
            }
            return changed ? String(decoding: out, as: UTF8.self) : s
        }
    }
}
