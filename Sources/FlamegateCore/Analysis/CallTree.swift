/// How a call tree is built from samples.
public struct CallTreeOptions: Sendable {
    /// Frame naming (pprof's granularity); functions by default.
    public var granularity: Granularity = .functions
    /// Inlined calls are frames of their own (innermost deepest); false charges them to the caller.
    public var inlines = true
    /// Leaf-rooted tree (flamegraph.pl's `--reverse`): stacks are merged from the leaf end.
    public var reverse = false
    /// Flame chart (flamegraph.pl's `--flamechart`): samples keep their order, only
    /// consecutive samples with a common prefix merge, children are not sorted.
    public var flameChart = false
    /// Function granularity, inlines on, root-first, merged (not a flame chart).
    public init() {}
}

/// A tree of frames, root → leaf, with inclusive (total) and self values per node.
///
/// Nodes are stored in depth-first preorder with children in a deterministic order
/// (byte order of the frame name followed by `;`, which is exactly the order
/// flamegraph.pl's line sort gives), so node `i`'s subtree is `i ..< i + size[i]`, its
/// first child is `i + 1` and its next sibling `i + size[i]`. Node 0 is the root ("all").
///
/// A tree holds one value column, or two for a differential tree (column 0 = base,
/// column 1 = candidate).
public struct CallTree: Sendable {
    /// Frame names; `name[i]` indexes it, the root has -1.
    public var names: [String] = []
    /// Per node: index into `names`, -1 for the root.
    public var name: [Int32] = []
    /// Per node: distance from the root (the root is 0).
    public var depth: [Int32] = []
    /// Per node: index of the parent node, -1 for the root.
    public var parent: [Int32] = []
    /// Per node: nodes in its subtree including itself; the subtree is `i ..< i + size[i]`.
    public var size: [Int32] = []
    /// `columns` values per node, row-major: inclusive and self.
    public var totals: [Int64] = []
    /// `columns` self values per node, row-major, laid out like `totals`.
    public var selfs: [Int64] = []
    /// Value columns: 1, or 2 for a differential tree (base, candidate).
    public var columns = 1

    /// Number of nodes, the root included.
    public var count: Int { name.count }
    /// Inclusive value of `node` in `column`.
    @inlinable public func total(_ node: Int, _ column: Int = 0) -> Int64 { totals[node * columns + column] }
    /// Self value of `node` in `column` (samples whose leaf is this node).
    @inlinable public func selfValue(_ node: Int, _ column: Int = 0) -> Int64 { selfs[node * columns + column] }
    /// The node's frame name; "all" for the root.
    public func nameOf(_ node: Int) -> String { name[node] < 0 ? "all" : names[Int(name[node])] }
    /// Depth of the deepest node (0 for a tree with only the root).
    public var maxDepth: Int { Int(depth.max() ?? 0) }
    /// True for a two-column (base, candidate) tree.
    public var isDifferential: Bool { columns == 2 }

    /// Children of `node`, in order.
    public func children(_ node: Int) -> [Int] {
        var out: [Int] = []
        var c = node + 1
        let end = node + Int(size[node])
        while c < end {
            out.append(c)
            c += Int(size[c])
        }
        return out
    }

    /// An empty tree without even a root; the builders fill it in.
    public init() {}

    /// The call tree of `profile`'s values at `sampleIndex`. Samples whose value is zero are skipped.
    public init(profile p: Profile, sampleIndex: Int, options: CallTreeOptions = CallTreeOptions()) {
        var b = Builder(columns: 1, flameChart: options.flameChart)
        var names = NameInterner()
        b.add(p, sampleIndex: sampleIndex, column: 0, options: options, names: &names)
        self = b.finish(names: names.names, sort: !options.flameChart)
    }

    /// A differential tree: column 0 = base, column 1 = candidate. Frames are matched by name path.
    public init(
        base: Profile, baseIndex: Int, candidate: Profile, candidateIndex: Int,
        options: CallTreeOptions = CallTreeOptions()
    ) {
        var b = Builder(columns: 2, flameChart: false)
        var names = NameInterner()
        var o = options
        o.flameChart = false
        b.add(base, sampleIndex: baseIndex, column: 0, options: o, names: &names)
        b.add(candidate, sampleIndex: candidateIndex, column: 1, options: o, names: &names)
        self = b.finish(names: names.names, sort: true)
    }

    /// Builds a tree from stacks given root first (name ids into `names`) and their values.
    /// `values` holds `columns` values per stack.
    public init(names: [String], stacks: [[Int32]], values: [Int64], columns: Int = 1, flameChart: Bool = false) {
        var b = Builder(columns: columns, flameChart: flameChart)
        for (i, s) in stacks.enumerated() {
            for c in 0..<columns { b.insert(s, value: values[i * columns + c], column: c) }
        }
        self = b.finish(names: names, sort: !flameChart)
    }

    /// Per-function totals over the tree: self is summed over every node of the name;
    /// total counts each stack once even when the name recurses. Rows are in name order.
    public func functionTotals(column: Int = 0) -> [(name: Int32, selfValue: Int64, total: Int64)] {
        var selfBy = [Int64](repeating: 0, count: names.count)
        var totalBy = [Int64](repeating: 0, count: names.count)
        var onPath = [Int32](repeating: 0, count: names.count)
        var stack: [Int] = []  // open ancestors
        for i in 0..<count {
            while let top = stack.last, i >= top + Int(size[top]) {
                stack.removeLast()
                if name[top] >= 0 { onPath[Int(name[top])] -= 1 }
            }
            let n = name[i]
            if n >= 0 {
                selfBy[Int(n)] &+= selfValue(i, column)
                if onPath[Int(n)] == 0 { totalBy[Int(n)] &+= total(i, column) }
                onPath[Int(n)] += 1
            }
            stack.append(i)
        }
        var rows: [(name: Int32, selfValue: Int64, total: Int64)] = []
        for k in 0..<names.count where selfBy[k] != 0 || totalBy[k] != 0 {
            rows.append((Int32(k), selfBy[k], totalBy[k]))
        }
        return rows
    }

    /// The order of sibling frames: byte order of `name + ";"`, as flamegraph.pl sorts folded lines.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        (LosslessUTF8.bytes(a) + [0x3B]).lexicographicallyPrecedes(LosslessUTF8.bytes(b) + [0x3B])
    }
}

/// Interns frame names across profiles.
struct NameInterner {
    var names: [String] = []
    var index: [String: Int32] = [:]
    mutating func intern(_ s: String) -> Int32 {
        if let i = index[s] { return i }
        let i = Int32(names.count)
        names.append(s)
        index[s] = i
        return i
    }
}

/// Builds the trie with an open-addressing hash table keyed by (parent, name).
struct Builder {
    let columns: Int
    let flameChart: Bool
    var name: [Int32] = [-1]
    var parent: [Int32] = [-1]
    var totals: [Int64]
    var selfs: [Int64]
    var lastChild: [Int32] = [-1]
    /// Children of each node as a list (newest first); a node with more than `listMax`
    /// children has them in the hash table as well, and is looked up there.
    var firstChild: [Int32] = [-1]
    var nextSibling: [Int32] = [-1]
    var childCount: [Int32] = [0]
    static let listMax: Int32 = 12
    var keys: [UInt64]
    var slots: [Int32]
    var mask: Int
    var used = 0
    var path: [Int32] = []
    /// The previous stack inserted by `insertSharing` and its nodes.
    var prevPath: [Int32] = []
    var prevNodes: [Int32] = []

    init(columns: Int, flameChart: Bool) {
        self.columns = columns
        self.flameChart = flameChart
        totals = [Int64](repeating: 0, count: columns)
        selfs = [Int64](repeating: 0, count: columns)
        keys = [UInt64](repeating: 0, count: 1024)
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    /// Room for about `nodes` nodes without regrowing the arrays.
    mutating func reserve(nodes: Int) {
        let n = Swift.min(nodes, 1 << 22) + 1
        name.reserveCapacity(n)
        parent.reserveCapacity(n)
        lastChild.reserveCapacity(n)
        firstChild.reserveCapacity(n)
        nextSibling.reserveCapacity(n)
        childCount.reserveCapacity(n)
        totals.reserveCapacity(n * columns)
        selfs.reserveCapacity(n * columns)
    }

    /// Mixes all 64 bits into the low ones (the table masks them): parents that differ only
    /// in high bits must not collide.
    @inline(__always) static func hash(_ k: UInt64) -> Int {
        var x = k ^ (k >> 33)
        x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        return Int(truncatingIfNeeded: x)
    }

    mutating func grow() {
        let newCap = (mask + 1) * 2
        var nk = [UInt64](repeating: 0, count: newCap)
        var ns = [Int32](repeating: -1, count: newCap)
        let m = newCap - 1
        for i in 0...mask where slots[i] >= 0 {
            var h = Builder.hash(keys[i]) & m
            while ns[h] >= 0 { h = (h + 1) & m }
            nk[h] = keys[i]
            ns[h] = slots[i]
        }
        keys = nk
        slots = ns
        mask = m
    }

    mutating func newNode(_ p: Int32, _ n: Int32) -> Int32 {
        let c = Int32(name.count)
        name.append(n)
        parent.append(p)
        lastChild.append(-1)
        firstChild.append(-1)
        nextSibling.append(firstChild[Int(p)])
        childCount.append(0)
        firstChild[Int(p)] = c
        childCount[Int(p)] += 1
        for _ in 0..<columns {
            totals.append(0)
            selfs.append(0)
        }
        lastChild[Int(p)] = c
        return c
    }

    @inline(__always) static func key(_ p: Int32, _ n: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: p)) << 32 | UInt64(UInt32(bitPattern: n))
    }

    /// Adds node `c` (child of `p` named `n`) to the hash table.
    mutating func tableInsert(_ p: Int32, _ n: Int32, _ c: Int32) {
        let k = Builder.key(p, n)
        var h = Builder.hash(k) & mask
        while slots[h] >= 0 { h = (h + 1) & mask }
        keys[h] = k
        slots[h] = c
        used += 1
        if used * 2 > mask { grow() }
    }

    @inline(__always) mutating func child(_ p: Int32, _ n: Int32) -> Int32 {
        if flameChart {
            let l = lastChild[Int(p)]
            if l >= 0 && name[Int(l)] == n { return l }
            return newNode(p, n)
        }
        let pi = Int(p)
        if childCount[pi] <= Builder.listMax {
            var c = firstChild[pi]
            while c >= 0 {
                if name[Int(c)] == n { return c }
                c = nextSibling[Int(c)]
            }
            let new = newNode(p, n)
            if childCount[pi] > Builder.listMax {
                // Too many to scan: from now on the table finds them.
                var c = firstChild[pi]
                while c >= 0 {
                    tableInsert(p, name[Int(c)], c)
                    c = nextSibling[Int(c)]
                }
            }
            return new
        }
        let k = Builder.key(p, n)
        var h = Builder.hash(k) & mask
        while true {
            let s = slots[h]
            if s < 0 { break }
            if keys[h] == k { return s }
            h = (h + 1) & mask
        }
        let c = newNode(p, n)
        keys[h] = k
        slots[h] = c
        used += 1
        if used * 2 > mask { grow() }
        return c
    }

    /// Adds one root-first stack.
    mutating func insert<C: Collection<Int32>>(_ stack: C, value v: Int64, column: Int) {
        if v == 0 { return }
        var cur: Int32 = 0
        totals[column] &+= v
        for n in stack {
            cur = child(cur, n)
            totals[Int(cur) * columns + column] &+= v
        }
        selfs[Int(cur) * columns + column] &+= v
    }

    mutating func add(
        _ p: Profile, sampleIndex si: Int, column: Int, options: CallTreeOptions, names: inout NameInterner
    ) {
        guard si >= 0 && si < p.sampleTypes.count else { return }
        let nodes = NodeTable(profile: p, granularity: options.granularity, inlines: options.inlines)
        let nameOf = nodes.names.map { names.intern($0) }
        let s = p.samples
        reserve(nodes: name.count + s.locations.count)
        prevPath.removeAll(keepingCapacity: true)
        prevNodes.removeAll(keepingCapacity: true)
        for i in 0..<s.count {
            let v = s.value(i, si)
            if v == 0 { continue }
            path.removeAll(keepingCapacity: true)
            // Locations are leaf first, frames in a location innermost first: walk both backwards.
            for k in s.locationRange(i).reversed() {
                let loc = Int(s.locations[k])
                guard loc >= 0 && loc + 1 < nodes.frameStart.count else { continue }
                var f = Int(nodes.frameStart[loc + 1]) - 1
                let start = Int(nodes.frameStart[loc])
                while f >= start {
                    path.append(nameOf[Int(nodes.frames[f])])
                    f -= 1
                }
            }
            if options.reverse { path.reverse() }
            insertSharing(value: v, column: column)
        }
    }

    /// `insert(path, …)`, reusing the nodes of the previous stack for the prefix `path`
    /// shares with it (a child is a function of its parent and name, so those are the same
    /// nodes; in flame chart mode the previous stack's nodes are each parent's last child).
    mutating func insertSharing(value v: Int64, column: Int) {
        if v == 0 { return }
        var common = 0
        let m = Swift.min(path.count, prevPath.count)
        while common < m && path[common] == prevPath[common] { common += 1 }
        prevNodes.removeSubrange(common...)
        var cur: Int32 = 0
        totals[column] &+= v
        for k in 0..<common {
            cur = prevNodes[k]
            totals[Int(cur) * columns + column] &+= v
        }
        for k in common..<path.count {
            cur = child(cur, path[k])
            totals[Int(cur) * columns + column] &+= v
            prevNodes.append(cur)
        }
        selfs[Int(cur) * columns + column] &+= v
        swap(&path, &prevPath)
    }

    /// Orders children and lays the nodes out in preorder.
    mutating func finish(names: [String], sort: Bool) -> CallTree {
        let n = name.count
        // The insertion-time links and the lookup table are done with: freed before the
        // tree's arrays are made (16 bytes a node; a million-node page must fit in 100 MiB).
        (lastChild, firstChild, nextSibling, self.childCount) = ([], [], [], [])
        (keys, slots) = ([], [])
        // Children lists (CSR) in creation order.
        var childCount = [Int32](repeating: 0, count: n + 1)
        for i in 1..<max(n, 1) { childCount[Int(parent[i]) + 1] += 1 }
        for i in 0..<n { childCount[i + 1] += childCount[i] }
        var kids = [Int32](repeating: 0, count: max(n - 1, 0))
        var fill = childCount
        for i in 1..<max(n, 1) {
            let p = Int(parent[i])
            kids[Int(fill[p])] = Int32(i)
            fill[p] += 1
        }
        if sort {
            var order = Array(0..<Int32(names.count))
            let keys = names.map { LosslessUTF8.bytes($0) + [0x3B] }
            order.sort { keys[Int($0)].lexicographicallyPrecedes(keys[Int($1)]) }
            var rank = [Int32](repeating: 0, count: names.count)
            for (r, k) in order.enumerated() { rank[Int(k)] = Int32(r) }
            kids.withUnsafeMutableBufferPointer { kb in
                for p in 0..<n {
                    let a = Int(childCount[p])
                    let b = Int(childCount[p + 1])
                    if b - a > 1 {
                        kb[a..<b].sort { rank[Int(name[Int($0)])] < rank[Int(name[Int($1)])] }
                    }
                }
            }
        }
        // Preorder with an explicit stack.
        var t = CallTree()
        t.names = names
        t.columns = columns
        t.name.reserveCapacity(n)
        t.depth.reserveCapacity(n)
        t.parent.reserveCapacity(n)
        t.totals.reserveCapacity(n * columns)
        t.selfs.reserveCapacity(n * columns)
        var newIndex = [Int32](repeating: 0, count: n)
        var stack: [(node: Int32, depth: Int32)] = [(0, 0)]
        while let (old, d) = stack.popLast() {
            let o = Int(old)
            newIndex[o] = Int32(t.name.count)
            t.name.append(name[o])
            t.depth.append(d)
            t.parent.append(o == 0 ? -1 : newIndex[Int(parent[o])])
            for c in 0..<columns {
                t.totals.append(totals[o * columns + c])
                t.selfs.append(selfs[o * columns + c])
            }
            var j = Int(childCount[o + 1]) - 1
            while j >= Int(childCount[o]) {
                stack.append((kids[j], d + 1))
                j -= 1
            }
        }
        t.size = [Int32](repeating: 1, count: n)
        var i = n - 1
        while i > 0 {
            t.size[Int(t.parent[i])] += t.size[i]
            i -= 1
        }
        return t
    }
}
