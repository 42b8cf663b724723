/// pprof's call graph (`go tool pprof -dot`, `-svg`, `-png`): nodes with flat and cum
/// values and their label "tags", call edges (residual where hidden nodes were skipped,
/// inline where the call was inlined), trimmed as pprof's `newTrimmedGraph` trims a graph
/// for a picture: drop nodes below the node fraction, keep the `nodeCount` most
/// interesting ones (by pprof's entropy score, tag nodelets counting as nodes), drop light
/// tags and edges, drop residual edges that another path already explains.
///
/// With `callTree`, a node is a distinct call path rather than a function (pprof's
/// `-call_tree`), and dropped nodes are spliced out of the tree instead of rebuilding.
public struct CallGraph: Sendable {
    /// A label annotation on a node: samples' string labels joined ("key:value" lines),
    /// or one value of a numeric `bytes` label.
    public struct Tag: Sendable {
        /// The label text, or the formatted number.
        public var name: String
        /// Unit of a numeric tag, "" for string labels.
        public var unit: String
        /// Value of a numeric tag.
        public var value: Int64
        /// Value of samples whose leaf is the node.
        public var flat: Int64
        /// Value of samples through the node.
        public var cum: Int64
        /// A string-label tag's `key:value` parts, sorted (what `name` joins with `\n`).
        public var labels: [String] = []
        /// A string-label tag's label set (its key in `Node.labelTags` and `numericTags`).
        public var labelSet: Int32 = 0

        /// A tag with these values.
        public init(
            name: String, unit: String, value: Int64, flat: Int64, cum: Int64, labels: [String] = [],
            labelSet: Int32 = 0
        ) {
            (self.name, self.unit, self.value, self.flat, self.cum) = (name, unit, value, flat, cum)
            (self.labels, self.labelSet) = (labels, labelSet)
        }
    }

    /// A node: a report row (a function, file, line… by granularity), or a call path in a call tree.
    public struct Node: Sendable {
        /// Index into `table` (what the node stands for).
        public var info: Int32
        /// Value of samples whose innermost frame is this node.
        public var flat: Int64 = 0
        /// Value of samples through this node (once per sample in a graph).
        public var cum: Int64 = 0
        /// String-label tags, by label set (an id per distinct joined text; 0 = none).
        public var labelTags: [Int32: Tag] = [:]
        /// Numeric tags by the label set they came with (0 for none), then by formatted
        /// value (an id per distinct text).
        public var numericTags: [Int32: [Int32: Tag]] = [:]
    }

    /// A call edge.
    public struct Edge: Sendable {
        /// Calling node (index into `nodes`).
        public var src: Int32
        /// Called node (index into `nodes`).
        public var dst: Int32
        /// Value along the edge (once per sample).
        public var weight: Int64
        /// The call skips nodes that are not in the graph.
        public var residual: Bool
        /// Every contribution was an inlined call.
        public var inline: Bool
    }

    /// Every node built, by id; `order` lists those in the graph.
    public internal(set) var nodes: [Node] = []
    /// Edge storage by id; `outs`/`ins` hold the live ones.
    public internal(set) var edges: [Edge] = []
    /// Per node: callee node -> edge id.
    var outs: [[Int32: Int32]] = []
    /// Per node: caller node -> edge id.
    var ins: [[Int32: Int32]] = []
    /// The graph's nodes in pprof's display order (entropy order): N1, N2, …
    public internal(set) var order: [Int32] = []
    /// What nodes stand for (names, files, lines).
    public let table: NodeTable
    /// Nodes in the graph after the node-fraction cut, before the node count limit.
    public internal(set) var originalCount = 0
    /// Nodes dropped for cum below the node fraction.
    public internal(set) var droppedNodes = 0
    /// Edges dropped below the edge fraction (in the final step).
    public internal(set) var droppedEdges = 0

    /// Number of live out-edges of node `n`.
    public func outDegree(_ n: Int32) -> Int { outs[Int(n)].count }

    /// Sum of flat over the graph's nodes (pprof's shown total).
    public var shownTotal: Int64 { order.reduce(0) { $0 &+ nodes[Int($1)].flat } }

    /// The live edges out of the graph's nodes, in pprof's order: heavier |weight|
    /// first, then by caller and callee name. (pprof's sort is unstable for edges that tie
    /// there; those come in node order.)
    public func sortedEdges() -> [Edge] {
        var list: [Int32] = []
        for n in order { list.append(contentsOf: Self.inKeyOrder(outs[Int(n)])) }
        let rank = positions()
        return sortEdges(list, rank: rank).map { edges[Int($0)] }
    }

    /// Builds `profile`'s call graph for `options` (sample index, granularity, inlines,
    /// node count and fractions, drop-negative) as pprof's `-dot` does; `tagUnit` is the
    /// unit numeric tags are printed in (pprof's `-unit` as given, "minimum" by default).
    public init(profile p: Profile, options o: TableOptions, callTree: Bool = false, tagUnit: String = "minimum") {
        let table = NodeTable(profile: p, granularity: o.granularity, inlines: o.inlines)
        self.table = table
        let tags = SampleTags(p, unit: tagUnit)
        var g = GraphBuilder(p, table, o.sampleIndex, tags, dropNegative: o.dropNegative)
        if callTree { g.buildTree() } else { g.buildGraph(kept: nil) }
        self.take(g)

        let totalValue = order.reduce(Int64(0)) { $0 &+ nodes[Int($1)].flat }
        let nodeCutoff = absSat(int64Saturating(Double(totalValue) * o.nodeFraction))
        let edgeCutoff = absSat(int64Saturating(Double(totalValue) * o.edgeFraction))
        if nodeCutoff > 0 {
            let kept = order.filter { absSat(nodes[Int($0)].cum) >= nodeCutoff }
            if kept.count != order.count {
                droppedNodes = order.count - kept.count
                if callTree {
                    trimTree(kept)
                } else {
                    rebuild(&g, kept)
                }
            }
        }
        originalCount = order.count
        sortNodes()
        if o.nodeCount > 0 {
            // Light tags and edges go first: they change which nodes count as interesting.
            trimTags(nodeCutoff)
            _ = trimEdges(edgeCutoff)
            let top = selectTop(o.nodeCount)
            if top.count != order.count {
                if callTree {
                    trimTree(top)
                } else {
                    rebuild(&g, top)
                }
                sortNodes()
            }
        }
        trimTags(nodeCutoff)
        droppedEdges = trimEdges(edgeCutoff)
        removeRedundantEdges()
    }

    /// Rebuilds the graph from the samples with only the `kept` nodes (pprof rebuilds rather
    /// than edit, so edges across dropped nodes become residual ones with full weights).
    private mutating func rebuild(_ g: inout GraphBuilder, _ kept: [Int32]) {
        var keep = [Bool](repeating: false, count: table.count)
        for n in kept { keep[Int(nodes[Int(n)].info)] = true }
        g.reset()
        g.buildGraph(kept: keep)
        take(g)
    }

    private mutating func take(_ g: GraphBuilder) {
        nodes = g.nodes
        edges = g.edges
        outs = g.outs
        ins = g.ins
        order = g.selected()
    }

    /// Position of each node in `order` (Int32.max when not in the graph).
    func positions() -> [Int32] {
        var rank = [Int32](repeating: .max, count: nodes.count)
        for (i, n) in order.enumerated() { rank[Int(n)] = Int32(i) }
        return rank
    }

    /// pprof's edge order: |weight| descending, caller name, callee name.
    ///
    /// pprof's sort leaves some edges unordered (weights of equal magnitude and opposite
    /// sign, or the same weight and names); those come in node order here, except that
    /// with `residualLast` residual edges follow the others, so that redundant-edge
    /// removal, which walks from the light end, looks at them before it stops at a
    /// direct edge (what most of pprof's runs do).
    func sortEdges(_ list: [Int32], rank: [Int32], residualLast: Bool = false) -> [Int32] {
        let names = table.names
        return list.sorted { a, b in
            let ea = edges[Int(a)]
            let eb = edges[Int(b)]
            let (wa, wb) = (GoMath.abs(ea.weight), GoMath.abs(eb.weight))
            if wa != wb { return wa > wb }
            let sa = names[Int(nodes[Int(ea.src)].info)]
            let sb = names[Int(nodes[Int(eb.src)].info)]
            let da = names[Int(nodes[Int(ea.dst)].info)]
            let db = names[Int(nodes[Int(eb.dst)].info)]
            let tied = ea.weight != eb.weight || (sa == sb && da == db)
            if tied && residualLast && ea.residual != eb.residual { return eb.residual }
            if sa != sb { return sa.utf8.lexicographicallyPrecedes(sb.utf8) }
            if da != db { return da.utf8.lexicographicallyPrecedes(db.utf8) }
            let ka = (rank[Int(ea.src)], ea.src, rank[Int(ea.dst)], ea.dst)
            let kb = (rank[Int(eb.src)], eb.src, rank[Int(eb.dst)], eb.dst)
            return ka < kb
        }
    }

    // MARK: Trimming (pprof's graph methods)

    /// Keeps tags whose |flat| or |cum| reaches `cutoff`.
    mutating func trimTags(_ cutoff: Int64) {
        func keep(_ t: Tag) -> Bool { absSat(t.flat) >= cutoff || absSat(t.cum) >= cutoff }
        for n in order {
            let i = Int(n)
            if !nodes[i].labelTags.isEmpty { nodes[i].labelTags = nodes[i].labelTags.filter { keep($0.value) } }
            for (k, m) in nodes[i].numericTags { nodes[i].numericTags[k] = m.filter { keep($0.value) } }
        }
    }

    /// Drops edges into the graph's nodes whose |weight| is below `cutoff`; returns how many.
    mutating func trimEdges(_ cutoff: Int64) -> Int {
        var dropped = 0
        for n in order {
            for (src, e) in ins[Int(n)] where absSat(edges[Int(e)].weight) < cutoff {
                unlink(src, n)
                dropped += 1
            }
        }
        return dropped
    }

    mutating func unlink(_ src: Int32, _ dst: Int32) {
        outs[Int(src)][dst] = nil
        ins[Int(dst)][src] = nil
    }

    /// pprof's `EntropyOrder`: nodes whose in and out edges spread the value (entry and
    /// leaf nodes favoured) first; then name, flat and pprof's last tie-breaker.
    mutating func sortNodes() {
        var score = [Int64](repeating: 0, count: nodes.count)
        for n in order { score[Int(n)] = entropyScore(n) }
        let t = table
        let nodes = self.nodes
        order.sort { a, b in
            let (sa, sb) = (GoMath.abs(score[Int(a)]), GoMath.abs(score[Int(b)]))
            if sa != sb { return sa > sb }
            let (ia, ib) = (nodes[Int(a)].info, nodes[Int(b)].info)
            if let less = FunctionTable.compareNames(ia, ib, t) { return less }
            let (fa, fb) = (GoMath.abs(nodes[Int(a)].flat), GoMath.abs(nodes[Int(b)].flat))
            if fa != fb { return fa > fb }
            if ia != ib {
                return t.goDebugString(Int(ia)).utf8.lexicographicallyPrecedes(t.goDebugString(Int(ib)).utf8)
            }
            return a < b  // call-tree nodes of one function: pprof's order is arbitrary here
        }
    }

    func entropyScore(_ n: Int32) -> Int64 {
        let node = nodes[Int(n)]
        var score = 0.0
        if ins[Int(n)].isEmpty {
            score += 1
        } else {
            score += edgeEntropy(ins[Int(n)], self: 0)
        }
        if outs[Int(n)].isEmpty {
            score += 1
        } else {
            score += edgeEntropy(outs[Int(n)], self: node.flat)
        }
        return GoMath.int64(score * Double(node.cum)) &+ node.flat
    }

    /// Shannon entropy of the edge weights (and the node's own value) as fractions of
    /// their positive total; Go's float rules (NaN for a zero weight) kept.
    func edgeEntropy(_ list: [Int32: Int32], self own: Int64) -> Double {
        // pprof sums in map order; a fixed order here (by peer) keeps runs identical.
        let weights = list.sorted { $0.key < $1.key }.map { edges[Int($0.value)].weight }
        var total = own
        for w in weights where w > 0 { total &+= GoMath.abs(w) }
        var score = 0.0
        if total != 0 {
            for w in weights {
                let frac = Double(GoMath.abs(w)) / Double(total)
                score += -frac * GoMath.log2(frac)
            }
            if own > 0 {
                let frac = Double(GoMath.abs(own)) / Double(total)
                score += -frac * GoMath.log2(frac)
            }
        }
        return score
    }

    /// The first nodes of `order` up to `maxNodes`, each node counting with its tags
    /// (at most 4, those with a flat value) as pprof does for pictures.
    func selectTop(_ maxNodes: Int) -> [Int32] {
        var limit = maxNodes
        var count = 0
        for (i, n) in order.enumerated() {
            let node = nodes[Int(n)]
            var tags = node.labelTags.values.reduce(0) { $0 + ($1.flat != 0 ? 1 : 0) }
            for m in node.numericTags.values { tags += m.values.reduce(0) { $0 + ($1.flat != 0 ? 1 : 0) } }
            count += min(tags, 4) + 1
            if count >= limit {
                limit = i + 1
                break
            }
        }
        return Array(order.prefix(limit))
    }

    /// pprof's `TrimTree`: nodes not in `kept` leave the tree; their children hang from
    /// their parent by residual edges (inline only if both calls were).
    mutating func trimTree(_ kept: [Int32]) {
        var keep = [Bool](repeating: false, count: nodes.count)
        for n in kept { keep[Int(n)] = true }
        let old = order
        order = old.filter { keep[Int($0)] }
        for cur in old where !keep[Int(cur)] {
            let c = Int(cur)
            guard let (parent, inEdge) = ins[c].min(by: { $0.key < $1.key }) else {
                for (child, _) in outs[c] { ins[Int(child)][cur] = nil }
                continue
            }
            let parentInline = edges[Int(inEdge)].inline
            outs[Int(parent)][cur] = nil
            for (child, e) in outs[c] {
                ins[Int(child)][cur] = nil
                ins[Int(child)][parent] = e
                outs[Int(parent)][child] = e
                edges[Int(e)].src = parent
                edges[Int(e)].residual = true
                edges[Int(e)].inline = parentInline && edges[Int(e)].inline
            }
        }
        removeRedundantEdges()
    }

    /// A node's edges ordered by the node at their other end. pprof takes these from Go maps,
    /// in an order that changes from run to run; Flamegate's output must not, so ties are
    /// broken by node index (an order pprof also produces).
    static func inKeyOrder(_ d: [Int32: Int32]) -> [Int32] {
        d.sorted { $0.key < $1.key }.map(\.value)
    }

    /// pprof's `RemoveRedundantEdges`: from the lightest, residual edges into a node go
    /// when the caller still reaches the node another way.
    mutating func removeRedundantEdges() {
        let rank = positions()
        for n in order.reversed() {
            let incoming = sortEdges(Self.inKeyOrder(ins[Int(n)]), rank: rank, residualLast: true)
            for e in incoming.reversed() {
                let edge = edges[Int(e)]
                if !edge.residual { break }
                if isRedundant(e) { unlink(edge.src, edge.dst) }
            }
        }
    }

    func isRedundant(_ e: Int32) -> Bool {
        let src = edges[Int(e)].src
        let start = edges[Int(e)].dst
        var seen: Set<Int32> = [start]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let n = queue[head]
            head += 1
            for (from, ie) in ins[Int(n)] {
                if ie == e || seen.contains(from) { continue }
                if from == src { return true }
                seen.insert(from)
                queue.append(from)
            }
        }
        return false
    }
}

/// Each sample's tags as pprof's graph sees them: its string labels joined into one
/// text (`key:value` sorted, joined by a literal `\n`; the diff marker `pprof::base`
/// left out), and the values of its numeric `bytes` label formatted in `unit`. Texts get
/// ids, so a frame's tags are found without hashing strings.
struct SampleTags {
    /// Per sample: index into `texts` (0: no string labels); empty when no sample has labels.
    var text: [Int32] = []
    /// Joined label texts; texts[0] = "".
    var texts: [String] = [""]
    /// The `key:value` parts of each text.
    var parts: [[String]] = [[]]
    /// Per sample: its `bytes` values as (id of the formatted text, value); empty when none has any.
    var bytes: [[(Int32, Int64)]] = []
    /// Formatted `bytes` values by id.
    var numberTexts: [String] = []
    /// The unit of `bytes` labels.
    var bytesUnit = ""

    init(_ p: Profile, unit: String) {
        let s = p.samples
        guard !s.labelOffsets.isEmpty else { return }
        let base = p.strings.lookup("pprof::base")
        let bytesKey = p.strings.lookup("bytes")
        bytesUnit = p.numLabelUnits()["bytes"] ?? ""
        var numberIndex: [String: Int32] = [:]
        var index: [String: Int32] = ["": 0]
        text = [Int32](repeating: 0, count: s.count)
        var anyBytes = false
        var perSample: [[(Int32, Int64)]] = []
        for i in 0..<s.count {
            var parts: [String] = []
            var nums: [(Int32, Int64)] = []
            for j in s.labelRange(i) {
                let l = s.labels[j]
                if l.isString {
                    if l.key == base { continue }
                    parts.append(p.strings[l.key] + ":" + p.strings[l.str])
                } else if l.key == bytesKey {
                    let text = Units.scaledLabel(l.num, from: bytesUnit, to: unit)
                    let id = numberIndex[text] ?? Int32(numberTexts.count)
                    if id == Int32(numberTexts.count) {
                        numberTexts.append(text)
                        numberIndex[text] = id
                    }
                    nums.append((id, l.num))
                }
            }
            if !parts.isEmpty {
                parts.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                let joined = parts.joined(separator: "\\n")
                if let k = index[joined] {
                    text[i] = k
                } else {
                    let k = Int32(texts.count)
                    texts.append(joined)
                    self.parts.append(parts)
                    index[joined] = k
                    text[i] = k
                }
            }
            if !nums.isEmpty { anyBytes = true }
            perSample.append(nums)
        }
        if anyBytes { bytes = perSample }
    }
}

/// Builds the nodes and edges of a graph or tree from the samples (pprof's `newGraph`,
/// `newTree`).
struct GraphBuilder {
    let p: Profile
    let table: NodeTable
    let si: Int
    let tags: SampleTags
    let dropNegative: Bool
    var nodes: [CallGraph.Node] = []
    var edges: [CallGraph.Edge] = []
    var outs: [[Int32: Int32]] = []
    var ins: [[Int32: Int32]] = []

    init(_ p: Profile, _ table: NodeTable, _ si: Int, _ tags: SampleTags, dropNegative: Bool) {
        self.p = p
        self.table = table
        self.si = si
        self.tags = tags
        self.dropNegative = dropNegative
    }

    mutating func reset() {
        nodes = []
        edges = []
        outs = []
        ins = []
    }

    /// The built nodes pprof keeps: not all-zero, and (with drop-negative) not negative.
    func selected() -> [Int32] {
        var out: [Int32] = []
        for (i, n) in nodes.enumerated() where !(n.cum == 0 && n.flat == 0) {
            if dropNegative && (n.flat < 0 || (n.flat == 0 && n.cum < 0)) { continue }
            out.append(Int32(i))
        }
        return out
    }

    mutating func addNode(_ info: Int32) -> Int32 {
        nodes.append(CallGraph.Node(info: info))
        outs.append([:])
        ins.append([:])
        return Int32(nodes.count - 1)
    }

    mutating func addSample(_ n: Int32, _ w: Int64, sample i: Int, flat: Bool) {
        let k = Int(n)
        if flat { nodes[k].flat &+= w } else { nodes[k].cum &+= w }
        let set = tags.text.isEmpty ? 0 : tags.text[i]
        if set != 0 {
            if nodes[k].labelTags[set] == nil {
                nodes[k].labelTags[set] = CallGraph.Tag(
                    name: tags.texts[Int(set)], unit: "", value: 0, flat: 0, cum: 0, labels: tags.parts[Int(set)],
                    labelSet: set)
            }
            if flat { nodes[k].labelTags[set]!.flat &+= w } else { nodes[k].labelTags[set]!.cum &+= w }
        }
        if !tags.bytes.isEmpty && !tags.bytes[i].isEmpty {
            for (id, v) in tags.bytes[i] {
                if nodes[k].numericTags[set]?[id] == nil {
                    // pprof keys numeric tags by their text: the first value to get here names it.
                    nodes[k].numericTags[set, default: [:]][id] = CallGraph.Tag(
                        name: tags.numberTexts[Int(id)], unit: tags.bytesUnit, value: v, flat: 0, cum: 0)
                }
                if flat {
                    nodes[k].numericTags[set]![id]!.flat &+= w
                } else {
                    nodes[k].numericTags[set]![id]!.cum &+= w
                }
            }
        }
    }

    /// Adds `w` to the edge parent -> child (made if new); returns its id.
    @discardableResult
    mutating func addEdge(_ parent: Int32, _ child: Int32, _ w: Int64, residual: Bool, inline: Bool) -> Int32 {
        if let e = outs[Int(parent)][child] {
            edges[Int(e)].weight &+= w
            if residual { edges[Int(e)].residual = true }
            if !inline { edges[Int(e)].inline = false }
            return e
        }
        let e = Int32(edges.count)
        edges.append(CallGraph.Edge(src: parent, dst: child, weight: w, residual: residual, inline: inline))
        outs[Int(parent)][child] = e
        ins[Int(child)][parent] = e
        return e
    }

    /// The graph: one node per table entry (`kept` ones only, when given). A node's cum
    /// and an edge's weight count once per sample; calls across nodes that are not kept
    /// become residual edges.
    mutating func buildGraph(kept: [Bool]?) {
        for i in 0..<table.count { _ = addNode(Int32(i)) }
        let s = p.samples
        var seenNode = [Int32](repeating: -1, count: table.count)
        var seenEdge: [Int32] = []
        for i in 0..<s.count {
            let w = s.value(i, si)
            if w == 0 { continue }
            let tag = Int32(truncatingIfNeeded: i)
            var parent: Int32 = -1
            var residual = false
            for k in s.locationRange(i).reversed() {
                let loc = Int(s.locations[k])
                let start = Int(table.frameStart[loc])
                let outermost = Int(table.frameStart[loc + 1]) - 1
                var j = outermost
                while j >= start {
                    defer { j -= 1 }
                    let n = table.frames[j]
                    if let kept, !kept[Int(n)] {
                        residual = true
                        continue
                    }
                    if seenNode[Int(n)] != tag {
                        seenNode[Int(n)] = tag
                        addSample(n, w, sample: i, flat: false)
                    }
                    if parent >= 0 && n != parent {
                        // Once per sample: a recursion repeats an edge without adding to it.
                        let known = outs[Int(parent)][n]
                        if known == nil || seenEdge[Int(known!)] != tag {
                            let e = addEdge(parent, n, w, residual: residual, inline: j != outermost)
                            if Int(e) >= seenEdge.count {
                                seenEdge.append(contentsOf: repeatElement(-1, count: Int(e) + 1 - seenEdge.count))
                            }
                            seenEdge[Int(e)] = tag
                        }
                    }
                    parent = n
                    residual = false
                }
            }
            if parent >= 0 && !residual { addSample(parent, w, sample: i, flat: true) }
        }
    }

    /// The call tree: one node per distinct call path; every frame adds to its node.
    mutating func buildTree() {
        var child: [UInt64: Int32] = [:]
        let s = p.samples
        for i in 0..<s.count {
            let w = s.value(i, si)
            if w == 0 { continue }
            var parent: Int32 = -1
            for k in s.locationRange(i).reversed() {
                let loc = Int(s.locations[k])
                let start = Int(table.frameStart[loc])
                let outermost = Int(table.frameStart[loc + 1]) - 1
                var j = outermost
                while j >= start {
                    let info = table.frames[j]
                    let key = UInt64(UInt32(bitPattern: parent &+ 1)) << 32 | UInt64(UInt32(bitPattern: info))
                    let n: Int32
                    if let known = child[key] {
                        n = known
                    } else {
                        n = addNode(info)
                        child[key] = n
                    }
                    addSample(n, w, sample: i, flat: false)
                    if parent >= 0 { addEdge(parent, n, w, residual: false, inline: j != outermost) }
                    parent = n
                    j -= 1
                }
            }
            if parent >= 0 { addSample(parent, w, sample: i, flat: true) }
        }
    }
}
