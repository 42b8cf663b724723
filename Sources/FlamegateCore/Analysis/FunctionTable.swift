/// Options of a flat report, with pprof's defaults for `-top`.
public struct TableOptions: Sendable {
    /// Index into `Profile.sampleTypes`.
    public var sampleIndex: Int
    /// Frame naming (pprof's `-granularity`); functions by default.
    public var granularity: Granularity = .functions
    /// Inlined calls are rows of their own; false charges them to the caller (pprof's `-noinlines`).
    public var inlines = true
    /// 0 = no limit (pprof's default for `top`).
    public var nodeCount = 0
    /// pprof's `-nodefraction`: rows whose |cum| is below this share of the graph total are dropped.
    public var nodeFraction = 0.005
    /// pprof's `-edgefraction`: sets `edgeCutoff`; lighter edges do not count for inline labels.
    public var edgeFraction = 0.001
    /// Sort by cum (pprof's `-cum`) instead of flat.
    public var cumSort = false
    /// Leave out nodes with negative flat (or zero flat and negative cum), as pprof's `-drop_negative`.
    public var dropNegative = false
    /// pprof's `-top` defaults for sample type `sampleIndex`.
    public init(sampleIndex: Int) { self.sampleIndex = sampleIndex }
}

/// pprof's flat/cum function table (`go tool pprof -top`): which rows, in which
/// order, with which values, computed over column arrays instead of pointer graphs.
public struct FunctionTable: Sendable {
    /// One report row: a node with its flat and cum values.
    public struct Row: Sendable {
        /// The row's node index in `nodes`.
        public var node: Int32
        /// Printable name (pprof's `PrintableName` for the granularity).
        public var name: String
        /// Value of samples whose innermost frame is this node.
        public var flat: Int64
        /// Value of samples with this node anywhere on the stack, counted once per sample.
        public var cum: Int64
        /// "", "(inline)" or "(partial-inline)".
        public var inlineLabel: String
    }

    /// Rows in pprof's order (|flat| or |cum|, then its tie-breakers), cut to `nodeCount`.
    public var rows: [Row]
    /// pprof's report total: sum of |value| over all samples (or over the diff base).
    public var total: Int64
    /// Sum of flat over the rows shown.
    public var shownTotal: Int64
    /// Nodes left out for cum below the node cutoff.
    public var droppedNodes: Int
    /// Nodes before the `nodeCount` limit.
    public var originalCount: Int
    /// |cum| below this was dropped (`nodeFraction` of the graph's flat sum).
    public var nodeCutoff: Int64
    /// Edges below this |weight| are left out (pprof's edge fraction of the graph total).
    public var edgeCutoff: Int64
    /// The node table the rows index into.
    public var nodes: NodeTable

    /// `total`: pprof computes the report total before focusing (unless
    /// `-relative_percentages`); pass it when `p` is already filtered.
    public init(profile p: Profile, options o: TableOptions, total: Int64? = nil) {
        let nodes = NodeTable(profile: p, granularity: o.granularity, inlines: o.inlines)
        self.init(profile: p, nodes: nodes, options: o, total: total)
    }

    /// Like `init(profile:options:total:)`, reusing a node table already built for `p`.
    public init(profile p: Profile, nodes: NodeTable, options o: TableOptions, total: Int64? = nil) {
        self.nodes = nodes
        self.total = total ?? FunctionTable.reportTotal(p, o.sampleIndex)
        let n = nodes.count
        var flat = [Int64](repeating: 0, count: n)
        var cum = [Int64](repeating: 0, count: n)
        FunctionTable.accumulate(p, nodes, o.sampleIndex, &flat, &cum)

        var inGraph = [Int32]()
        for i in 0..<n where !(flat[i] == 0 && cum[i] == 0) {
            if o.dropNegative && (flat[i] < 0 || (flat[i] == 0 && cum[i] < 0)) { continue }
            inGraph.append(Int32(i))
        }
        var totalValue: Int64 = 0
        for i in inGraph { totalValue &+= flat[Int(i)] }
        let cutoff = absSat(int64Saturating(Double(totalValue) * o.nodeFraction))
        nodeCutoff = cutoff
        let edgeCutoff = absSat(int64Saturating(Double(totalValue) * o.edgeFraction))
        self.edgeCutoff = edgeCutoff
        var kept = inGraph
        droppedNodes = 0
        if cutoff > 0 {
            kept = inGraph.filter { absSat(cum[Int($0)]) >= cutoff }
            droppedNodes = inGraph.count - kept.count
        }
        originalCount = kept.count
        FunctionTable.sort(&kept, flat, cum, nodes, cumSort: o.cumSort)
        if o.nodeCount > 0 && o.nodeCount < kept.count { kept.removeSubrange(o.nodeCount...) }

        let labels = FunctionTable.inlineLabels(p, nodes, o.sampleIndex, kept, edgeCutoff)
        let names = nodes.names
        rows = kept.map { k in
            Row(node: k, name: names[Int(k)], flat: flat[Int(k)], cum: cum[Int(k)], inlineLabel: labels[k] ?? "")
        }
        shownTotal = rows.reduce(0) { $0 &+ $1.flat }
    }

    /// pprof's `computeTotal`.
    public static func reportTotal(_ p: Profile, _ si: Int) -> Int64 {
        let s = p.samples
        var total: Int64 = 0
        var diffTotal: Int64 = 0
        let base = baseLabelIDs(p)
        for i in 0..<s.count {
            var v = s.values[i &* s.valueCount &+ si]
            v = absSat(v)
            total &+= v
            if let base, isDiffBase(s, i, base) { diffTotal &+= v }
        }
        return diffTotal > 0 ? diffTotal : total
    }

    /// String ids of the label `pprof::base=true` marking a diff base, if present.
    static func baseLabelIDs(_ p: Profile) -> (Int32, Int32)? {
        guard !p.samples.labels.isEmpty, let k = p.strings.lookup("pprof::base"), let v = p.strings.lookup("true")
        else { return nil }
        return (k, v)
    }

    static func isDiffBase(_ s: SampleTable, _ i: Int, _ kv: (Int32, Int32)) -> Bool {
        for j in s.labelRange(i) where s.labels[j].key == kv.0 && s.labels[j].str == kv.1 { return true }
        return false
    }

    /// Flat and cum per node (pprof's `newGraph` with every node kept): cum counted once
    /// per sample however often a node recurs; flat to the innermost frame.
    static func accumulate(_ p: Profile, _ nodes: NodeTable, _ si: Int, _ flat: inout [Int64], _ cum: inout [Int64]) {
        let s = p.samples
        let nc = nodes.count
        if s.count == 0 || nc == 0 { return }
        // Two halves on two cores: per-thread arrays, summed after.
        let workers = s.count > 200_000 ? 2 : 1
        var partial = [[Int64]](repeating: [], count: workers * 2)
        let chunk = (s.count + workers - 1) / workers
        let results = SharedSlots<[Int64]>(count: workers * 2, initial: [])
        ThreadPool.run(workers) { w in
            let lo = w * chunk
            let hi = min(s.count, lo + chunk)
            var f = [Int64](repeating: 0, count: nc)
            var c = [Int64](repeating: 0, count: nc)
            var stamp = [Int32](repeating: -1, count: nc)
            s.locationOffsets.withUnsafeBufferPointer { offs in
                s.locations.withUnsafeBufferPointer { locs in
                    s.values.withUnsafeBufferPointer { vals in
                        nodes.frameStart.withUnsafeBufferPointer { fs in
                            nodes.frames.withUnsafeBufferPointer { fr in
                                f.withUnsafeMutableBufferPointer { f in
                                    c.withUnsafeMutableBufferPointer { c in
                                        stamp.withUnsafeMutableBufferPointer { stamp in
                                            let vc = s.valueCount
                                            var i = lo
                                            while i < hi {
                                                let w = vals[i &* vc &+ si]
                                                if w != 0 {
                                                    let tag = Int32(truncatingIfNeeded: i)
                                                    var leaf: Int32 = -1
                                                    var k = offs[i + 1] &- 1
                                                    let start = offs[i]
                                                    while k >= start {
                                                        let loc = Int(locs[k])
                                                        var j = Int(fs[loc + 1]) &- 1
                                                        let js = Int(fs[loc])
                                                        while j >= js {
                                                            let nd = Int(fr[j])
                                                            if stamp[nd] != tag {
                                                                stamp[nd] = tag
                                                                c[nd] &+= w
                                                            }
                                                            leaf = Int32(nd)
                                                            j &-= 1
                                                        }
                                                        k &-= 1
                                                    }
                                                    if leaf >= 0 { f[Int(leaf)] &+= w }
                                                }
                                                i &+= 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            results.set(w * 2, f)
            results.set(w * 2 + 1, c)
        }
        for w in 0..<workers {
            partial[w * 2] = results.get(w * 2)
            partial[w * 2 + 1] = results.get(w * 2 + 1)
        }
        flat = partial[0]
        cum = partial[1]
        for w in 1..<workers {
            for i in 0..<nc {
                flat[i] &+= partial[w * 2][i]
                cum[i] &+= partial[w * 2 + 1][i]
            }
        }
    }

    /// pprof's `FlatNameOrder` / `CumNameOrder`.
    static func sort(_ list: inout [Int32], _ flat: [Int64], _ cum: [Int64], _ nodes: NodeTable, cumSort: Bool) {
        list.sort { a, b in
            let (fa, fb) = (absSat(flat[Int(a)]), absSat(flat[Int(b)]))
            let (ca, cb) = (absSat(cum[Int(a)]), absSat(cum[Int(b)]))
            if cumSort {
                if ca != cb { return ca > cb }
            } else if fa != fb {
                return fa > fb
            }
            if let less = compareNames(a, b, nodes) { return less }
            if cumSort {
                if fa != fb { return fa > fb }
            } else if ca != cb {
                return ca > cb
            }
            return LosslessUTF8.precedes(nodes.goDebugString(Int(a)), nodes.goDebugString(Int(b)))
        }
    }

    /// nil when equal; pprof compares printable names byte-wise (addresses numerically).
    static func compareNames(_ a: Int32, _ b: Int32, _ nodes: NodeTable) -> Bool? {
        if a == b { return nil }
        let ia = nodes.infos[Int(a)]
        let ib = nodes.infos[Int(b)]
        if ia.address != 0 && ib.address != 0 && ia.address != ib.address { return ia.address < ib.address }
        let na = nodes.names[Int(a)]
        let nb = nodes.names[Int(b)]
        if na == nb && na.utf8.elementsEqual(nb.utf8) { return nil }
        return LosslessUTF8.precedes(na, nb)
    }

    /// "(inline)" / "(partial-inline)" per shown node, from its incoming edges that
    /// survive the edge cutoff, in the graph restricted to the shown nodes.
    ///
    /// Only edges into nodes that appear inlined somewhere can change a label, so only
    /// those are weighed. Edges between two frames of one location are known from the
    /// location table, so they get ids up front and cost an array update per sample;
    /// other edges go through a hash table.
    static func inlineLabels(_ p: Profile, _ nodes: NodeTable, _ si: Int, _ shown: [Int32], _ edgeCutoff: Int64)
        -> [Int32: String]
    {
        var keptIndex = [Bool](repeating: false, count: nodes.count)
        var interesting = [Bool](repeating: false, count: nodes.count)
        var any = false
        for n in shown {
            keptIndex[Int(n)] = true
            if nodes.appearsInlined[Int(n)] {
                interesting[Int(n)] = true
                any = true
            }
        }
        if !any { return [:] }
        let merged = edges(p, nodes, si, kept: keptIndex, children: interesting)
        var flags: [Int32: (Bool, Bool)] = [:]
        for (key, e) in merged where absSat(e.0) >= edgeCutoff {
            let child = Int32(truncatingIfNeeded: key & 0xffff_ffff)
            var f = flags[child] ?? (false, false)
            if e.1 { f.0 = true } else { f.1 = true }
            flags[child] = f
        }
        var out: [Int32: String] = [:]
        for (n, f) in flags where f.0 {
            out[n] = f.1 ? "(partial-inline)" : "(inline)"
        }
        return out
    }

    /// Call edges of the graph restricted to `kept` nodes (pprof's residual edges skip
    /// nodes that are not kept), only those into `children`: key parent<<32 | child,
    /// value (weight counted once per sample, all contributions inlined).
    static func edges(_ p: Profile, _ nodes: NodeTable, _ si: Int, kept keptIndex: [Bool], children interesting: [Bool])
        -> [UInt64: (Int64, Bool)]
    {
        // Static edges: frame j+1 -> frame j inside one location, both kept, child interesting.
        var staticIDs = EdgeTable(capacity: 1024)
        var staticEdge = [Int32](repeating: -1, count: nodes.frames.count)
        for loc in 0..<(nodes.frameStart.count - 1) {
            let a = Int(nodes.frameStart[loc])
            let b = Int(nodes.frameStart[loc + 1])
            if b - a < 2 { continue }
            for j in a..<(b - 1) {
                let child = nodes.frames[j]
                let parent = nodes.frames[j + 1]
                if interesting[Int(child)] && keptIndex[Int(parent)] && parent != child {
                    let key = UInt64(UInt32(parent)) << 32 | UInt64(UInt32(child))
                    staticEdge[j] = staticIDs.id(key)
                }
            }
        }
        let staticCount = staticIDs.count
        let s = p.samples
        let keptFlags = keptIndex
        let interestingFlags = interesting
        let staticTable = staticEdge
        let workers = s.count > 200_000 ? 2 : 1
        let chunk = (s.count + workers - 1) / workers
        struct Partial {
            var weight: [Int64]
            var inline: [Bool]
            var last: [Int32]
            var dynamic: EdgeTable
        }
        let results = SharedSlots<Partial?>(count: workers, initial: nil)
        let seed = staticIDs
        ThreadPool.run(workers) { w in
            var ids = seed  // per thread: static ids shared, dynamic ids appended
            var acc = EdgeWeights(capacity: staticCount + 1024)
            let lo = w * chunk
            let hi = min(s.count, lo + chunk)
            s.locationOffsets.withUnsafeBufferPointer { offs in
                s.locations.withUnsafeBufferPointer { locs in
                    s.values.withUnsafeBufferPointer { vals in
                        nodes.frameStart.withUnsafeBufferPointer { fs in
                            nodes.frames.withUnsafeBufferPointer { fr in
                                keptFlags.withUnsafeBufferPointer { kept in
                                    interestingFlags.withUnsafeBufferPointer { inter in
                                        staticTable.withUnsafeBufferPointer { st in
                                            let vc = s.valueCount
                                            var i = lo
                                            while i < hi {
                                                let wv = vals[i &* vc &+ si]
                                                if wv != 0 {
                                                    let tag = Int32(truncatingIfNeeded: i)
                                                    var parent: Int32 = -1
                                                    var k = offs[i + 1] &- 1
                                                    let start = offs[i]
                                                    while k >= start {
                                                        let loc = Int(locs[k])
                                                        let js = Int(fs[loc])
                                                        var j = Int(fs[loc + 1]) &- 1
                                                        let outermost = j
                                                        while j >= js {
                                                            let nd = fr[j]
                                                            if kept[Int(nd)] {
                                                                if inter[Int(nd)] && parent >= 0 && parent != nd {
                                                                    let sid = st[j]
                                                                    if j != outermost && sid >= 0 && fr[j + 1] == parent
                                                                    {
                                                                        acc.add(Int(sid), wv, true, tag)
                                                                    } else {
                                                                        let key =
                                                                            UInt64(UInt32(parent)) << 32
                                                                            | UInt64(UInt32(nd))
                                                                        acc.add(
                                                                            Int(ids.id(key)), wv, j != outermost, tag)
                                                                    }
                                                                }
                                                                parent = nd
                                                            }
                                                            j &-= 1
                                                        }
                                                        k &-= 1
                                                    }
                                                }
                                                i &+= 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            results.set(w, Partial(weight: acc.weight, inline: acc.inline, last: acc.last, dynamic: ids))
        }
        // Sum per-thread results by edge key. A sample lies wholly in one thread's range,
        // so the once-per-sample rule already held within each thread.
        var merged: [UInt64: (Int64, Bool)] = [:]
        for w in 0..<workers {
            guard let part = results.get(w) else { continue }
            part.dynamic.forEach { key, id in
                guard id < part.last.count, part.last[Int(id)] >= 0 else { return }  // not seen in this thread
                let weight = part.weight[Int(id)]
                let inl = part.inline[Int(id)]
                if let e = merged[key] {
                    merged[key] = (e.0 &+ weight, e.1 && inl)
                } else {
                    merged[key] = (weight, inl)
                }
            }
        }
        return merged
    }

    /// One call edge between shown nodes.
    public struct Edge: Sendable {
        /// Node index (in `nodes`) of the caller.
        public var parent: Int32
        /// Node index (in `nodes`) of the callee.
        public var child: Int32
        /// Sample value along the edge, counted once per sample.
        public var weight: Int64
        /// True when every contribution was an inlined call (both frames in one location).
        public var inline: Bool
    }

    /// Every call edge between the shown rows whose |weight| reaches `cutoff`
    /// (pprof's graph after `TrimLowFrequencyEdges`).
    public func edges(profile p: Profile, sampleIndex si: Int, cutoff: Int64) -> [Edge] {
        var kept = [Bool](repeating: false, count: nodes.count)
        for r in rows { kept[Int(r.node)] = true }
        return FunctionTable.edges(p, nodes, si, kept: kept, children: kept).compactMap { key, e in
            absSat(e.0) >= cutoff
                ? Edge(
                    parent: Int32(truncatingIfNeeded: key >> 32), child: Int32(truncatingIfNeeded: key & 0xffff_ffff),
                    weight: e.0, inline: e.1) : nil
        }
    }
}

/// Per-edge weight, all-inline flag and last sample seen (to count a sample once).
struct EdgeWeights {
    var weight: [Int64]
    var inline: [Bool]
    var last: [Int32]

    init(capacity: Int) {
        weight = [Int64](repeating: 0, count: capacity)
        inline = [Bool](repeating: true, count: capacity)
        last = [Int32](repeating: -1, count: capacity)
    }

    @inline(__always)
    mutating func add(_ e: Int, _ w: Int64, _ inl: Bool, _ sample: Int32) {
        if e >= weight.count { grow(e) }
        if last[e] != sample {
            last[e] = sample
            weight[e] &+= w
            if !inl { inline[e] = false }
        }
    }

    mutating func grow(_ e: Int) {
        let n = max(weight.count * 2, e + 1)
        weight.append(contentsOf: repeatElement(0, count: n - weight.count))
        inline.append(contentsOf: repeatElement(true, count: n - inline.count))
        last.append(contentsOf: repeatElement(-1, count: n - last.count))
    }
}

/// Open-addressing hash table from call edges (parent<<32 | child) to dense ids.
struct EdgeTable {
    var keys: [UInt64]
    var ids: [Int32]
    var count = 0
    var mask: Int

    init(capacity: Int) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        keys = [UInt64](repeating: UInt64.max, count: c)
        ids = [Int32](repeating: -1, count: c)
        mask = c - 1
    }

    /// The id of `key`, assigning the next id if new.
    @inline(__always)
    mutating func id(_ key: UInt64) -> Int32 {
        var h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while true {
            let k = keys[h]
            if k == key { return ids[h] }
            if k == UInt64.max {
                keys[h] = key
                let id = Int32(count)
                ids[h] = id
                count += 1
                if count * 2 > mask { grow() }
                return id
            }
            h = (h &+ 1) & mask
        }
    }

    mutating func grow() {
        var bigger = EdgeTable(capacity: keys.count)
        for i in 0..<keys.count where keys[i] != UInt64.max {
            var h = Int(truncatingIfNeeded: (keys[i] &* 0x9E37_79B9_7F4A_7C15) >> 20) & bigger.mask
            while bigger.keys[h] != UInt64.max { h = (h &+ 1) & bigger.mask }
            bigger.keys[h] = keys[i]
            bigger.ids[h] = ids[i]
        }
        bigger.count = count
        self = bigger
    }

    func forEach(_ body: (UInt64, Int32) -> Void) {
        for i in 0..<keys.count where keys[i] != UInt64.max { body(keys[i], ids[i]) }
    }
}
