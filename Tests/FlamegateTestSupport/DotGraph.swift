import Foundation

/// pprof's `-dot` output read back as a graph, to compare two outputs where pprof 1.27
/// itself is not deterministic and a byte comparison would test Go's map order.
///
/// pprof's sorts are unstable and some keys tie (google/pprof issue 966 is the same
/// family): call-tree nodes of one function with equal entropy score and flat value
/// (`compareNodes` compares identical NodeInfos), nodes with equal printable names
/// (`-files`: one file, different start lines), and in comparisons values of equal
/// magnitude and opposite sign (edges and tags are sorted by |value| only). Then node
/// numbers, edge order and nodelet order follow Go's map iteration and change from run
/// to run. Compared here is what every such run has in common: the header and legend
/// lines, and the graph up to renumbering — each node's line and its nodelets, each
/// edge's attributes and the nodes it joins — with nodes told apart by colour refinement
/// (a node's colour: its text, then the colours and attributes of its edges, repeated).
public struct DotGraph {
    /// Lines before the first node (digraph, node defaults, legend).
    public var head: [String] = []
    /// Node id -> its line without the id.
    var nodeText: [String: String] = [:]
    /// Node id -> its nodelet lines with every id blanked, sorted.
    var nodelets: [String: [String]] = [:]
    /// Edges: (from, to, attributes).
    var edges: [(String, String, String)] = []
    /// The last line.
    var tail = ""

    /// Reads pprof's DOT text (one statement per line).
    public init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        tail = lines.popLast() ?? ""
        var inBody = false
        for line in lines {
            let id = Self.leadingID(line)
            guard let id, !id.hasPrefix("NN") else {
                if !inBody || id == nil {
                    head.append(line)
                    continue
                }
                nodelets[Self.owner(id!), default: []].append(Self.blankIDs(line))
                continue
            }
            inBody = true
            let rest = line.dropFirst(id.count)
            if rest.hasPrefix(" [") {
                if id.contains("_") {
                    nodelets[Self.owner(id), default: []].append(Self.blankIDs(line))
                } else {
                    nodeText[id] = line.replacingAll("id=\"node\(id.dropFirst())\"", with: "id=\"node#\"")
                        .replacingAll(id + " [", with: "# [")
                }
            } else if rest.hasPrefix(" -> ") {
                let to = Self.leadingID(String(rest.dropFirst(4))) ?? ""
                if to.contains("_") || to.hasPrefix("NN") {
                    nodelets[Self.owner(to), default: []].append(Self.blankIDs(line))
                } else {
                    edges.append((id, to, String(rest.dropFirst(4 + to.count))))
                }
            } else {
                head.append(line)
            }
        }
        for k in nodelets.keys { nodelets[k]!.sort() }
    }

    /// `N12`, `N12_0`, `NN12_0`, `NN12_0_1` at the start of `s`.
    static func leadingID(_ s: String) -> String? {
        var out = ""
        for c in s {
            if c == "N" && (out.isEmpty || out == "N") {
                out.append(c)
                continue
            }
            if c.isNumber || (c == "_" && !out.isEmpty && out.last!.isNumber) {
                out.append(c)
                continue
            }
            break
        }
        return out.count >= 2 && out.last!.isNumber ? out : nil
    }

    /// The node a nodelet id belongs to: `NN12_0_1` -> `N12`.
    static func owner(_ id: String) -> String {
        let digits = id.drop(while: { $0 == "N" }).prefix(while: { $0.isNumber })
        return "N" + digits
    }

    /// Every node or nodelet id in `line` replaced by `#`.
    static func blankIDs(_ line: String) -> String {
        var out = ""
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "N", let id = leadingID(String(line[i...])) {
                let before = out.last
                if before == nil || before == " " || before == "\"" {
                    out += "#"
                    i = line.index(i, offsetBy: id.count)
                    continue
                }
            }
            out.append(c)
            i = line.index(after: i)
        }
        return out
    }

    /// Nodes coloured alike in `a` and `b` by refining their texts with their edges.
    static func colours(_ a: DotGraph, _ b: DotGraph) -> ([String: Int], [String: Int]) {
        var intern: [String: Int] = [:]
        func id(_ s: String) -> Int {
            if let k = intern[s] { return k }
            intern[s] = intern.count
            return intern.count - 1
        }
        func initial(_ g: DotGraph) -> [String: Int] {
            g.nodeText.mapValues { $0 }.reduce(into: [:]) { r, kv in
                r[kv.key] = id(kv.value + "\n" + (g.nodelets[kv.key] ?? []).joined(separator: "\n"))
            }
        }
        var ca = initial(a)
        var cb = initial(b)
        func refine(_ g: DotGraph, _ c: [String: Int]) -> [String: Int] {
            var outs: [String: [String]] = [:]
            var ins: [String: [String]] = [:]
            for (f, t, attr) in g.edges {
                outs[f, default: []].append("o\(c[t] ?? -1)\(attr)")
                ins[t, default: []].append("i\(c[f] ?? -1)\(attr)")
            }
            return c.reduce(into: [:]) { r, kv in
                let sig =
                    "\(kv.value)|" + (outs[kv.key] ?? []).sorted().joined(separator: "|") + "||"
                    + (ins[kv.key] ?? []).sorted().joined(separator: "|")
                r[kv.key] = id(sig)
            }
        }
        for _ in 0..<max(a.nodeText.count, b.nodeText.count, 1) {
            let (na, nb) = (refine(a, ca), refine(b, cb))
            let stable = Set(na.values).count == Set(ca.values).count && Set(nb.values).count == Set(cb.values).count
            (ca, cb) = (na, nb)
            if stable { break }
        }
        return (ca, cb)
    }

    /// The graph as sorted lines, nodes named by colour.
    func canonical(_ c: [String: Int]) -> [String] {
        var out = head + [tail]
        out += nodeText.map { "node \(c[$0.key]!): \($0.value) " + (nodelets[$0.key] ?? []).joined(separator: " ") }
            .sorted()
        out += edges.map { "edge \(c[$0.0] ?? -1) -> \(c[$0.1] ?? -1) \($0.2)" }.sorted()
        return out
    }

    /// nil when `got` and `want` are the same graph up to pprof's arbitrary orders; else
    /// the first difference.
    public static func difference(_ got: String, _ want: String, _ what: String) -> String? {
        let (g, w) = (DotGraph(got), DotGraph(want))
        let (cg, cw) = colours(g, w)
        let (lg, lw) = (g.canonical(cg), w.canonical(cw))
        if lg == lw { return nil }
        for i in 0..<min(lg.count, lw.count) where lg[i] != lw[i] {
            return "\(what): graphs differ (as sorted, renumbered lines)\n got: \(lg[i])\nwant: \(lw[i])"
        }
        return "\(what): \(lg.count) graph lines, the reference has \(lw.count)"
    }
}

extension DotGraph {
    /// References on which pprof's own output varies from run to run (Fixtures/pprof/dot-refs.sh).
    public static func pprofIsArbitrary(_ ref: Fixtures.Reference) -> Bool {
        ref.args.contains {
            $0 == "-call_tree" || $0 == "-files" || $0.hasPrefix("-diff_base") || $0.hasPrefix("-base")
        }
    }

    /// The reference and the other graphs pprof made for the same command (`NAME.alt-K`).
    public static func pprofOutputs(_ ref: Fixtures.Reference) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: ref.dir)
        let alts = names.filter { $0.hasPrefix(ref.file + ".alt-") }.sorted()
        return try [ref.expected()] + alts.map { try String(contentsOfFile: ref.dir + "/" + $0, encoding: .utf8) }
    }

    /// nil when `got` is pprof's output for `ref`: its bytes, or, where pprof is not
    /// deterministic, a graph equal to one pprof made (up to numbering and order).
    public static func pprofDifference(_ got: String, _ ref: Fixtures.Reference) throws -> String? {
        let want = try ref.expected()
        if got == want { return nil }
        guard pprofIsArbitrary(ref) else { return Golden.difference(got, want, ref.description) }
        let outputs = try pprofOutputs(ref)
        if outputs.contains(where: { difference(got, $0, ref.description) == nil }) { return nil }
        let d = difference(got, want, ref.description) ?? ""
        return "none of pprof's \(outputs.count) graphs for this command: \(d)"
    }

    /// A line that leaves a quoted string open (a name broke the DOT syntax), or nil.
    public static func openString(_ dot: String) -> String? {
        for (n, line) in dot.split(separator: "\n").enumerated() {
            var inString = false
            var escaped = false
            for c in line.utf8 {
                if escaped {
                    escaped = false
                } else if inString && c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString.toggle()
                }
            }
            if inString || escaped { return "line \(n + 1) leaves a string open: \(line)" }
        }
        return nil
    }
}

extension String {
    /// Every occurrence of `what` replaced (Foundation-free).
    fileprivate func replacingAll(_ what: String, with: String) -> String {
        split(separator: what, omittingEmptySubsequences: false).joined(separator: with)
    }
}
