import FlamegateCore

/// Horizontal layout of a call tree in value units: each frame's start and width. A frame's
/// self value is drawn before (left of) its children, as flamegraph.pl does.
///
/// A plain tree's widths are its inclusive values. A differential tree's width is
/// `max(scaled base, candidate, sum of the children's widths)`, so frames that exist only in
/// the base keep a visible width and children always fit inside their parent.
///
/// A two-count folded file (difffolded.pl's `stack base cand`) is laid out as flamegraph.pl
/// draws it (`twoCount`): widths are the candidate's, a frame's delta is its own (self)
/// delta, and colours saturate at the largest |self delta| (at least one count).
public struct FlameLayout: Sendable {
    /// The tree laid out; frames are its nodes, in preorder.
    public let tree: CallTree
    /// Left edge of each frame, in value units.
    public var start: [Double]
    /// Width of each frame, in value units.
    public var width: [Double]
    /// Factor applied to base values (candidate total / base total with `--normalize`, else 1).
    public var baseScale: Double
    /// Largest |inclusive delta| of any non-root frame (differential), for colour saturation;
    /// with `twoCount`, the largest |self delta| and at least `oneCount`.
    public var maxDelta: Double
    /// Laid out as flamegraph.pl lays out two-count folded input.
    public var twoCount = false

    /// Lays out `tree`; `normalize` scales a differential base to the candidate's total.
    /// Without `positions`, a plain (not differential) tree gets no `start` and `width`
    /// (both empty): the HTML page lays frames out in the browser from their values, and a
    /// million-frame tree would spend 32 MB on them.
    public init(_ tree: CallTree, normalize: Bool = false, positions: Bool = true) {
        self.tree = tree
        if !positions && !tree.isDifferential {
            (start, width, baseScale, maxDelta) = ([], [], 1, 0)
            return
        }
        let n = tree.count
        var width = [Double](repeating: 0, count: n)
        var scale = 1.0
        var maxDelta = 0.0
        if tree.isDifferential && n > 0 {
            let bt = tree.total(0, 0)
            let ct = tree.total(0, 1)
            if normalize && bt != 0 { scale = Double(ct) / Double(bt) }
            var childSum = [Double](repeating: 0, count: n)
            var i = n - 1
            while i >= 0 {
                let b = Double(tree.total(i, 0)) * scale
                let c = Double(tree.total(i, 1))
                let w = Swift.max(b, c, childSum[i])
                width[i] = w
                if i > 0 {
                    childSum[Int(tree.parent[i])] += w
                    maxDelta = Swift.max(maxDelta, abs(c - b))
                }
                i -= 1
            }
        } else {
            for i in 0..<n { width[i] = Double(tree.total(i, 0)) }
        }
        let start = Self.starts(tree, width)
        self.start = start
        self.width = width
        self.baseScale = scale
        self.maxDelta = maxDelta
    }

    /// Left edges for `width`: a frame's own (self) share comes first, then its children
    /// (flamegraph.pl's line sort puts `a;b N` before `a;b;c M`).
    static func starts(_ tree: CallTree, _ width: [Double]) -> [Double] {
        let n = tree.count
        var childSum = [Double](repeating: 0, count: n)
        for i in 1..<Swift.max(n, 1) { childSum[Int(tree.parent[i])] += width[i] }
        var start = [Double](repeating: 0, count: n)
        var cursor = [Double](repeating: 0, count: n)
        if n > 0 { cursor[0] = Swift.max(0, width[0] - childSum[0]) }
        for i in 1..<Swift.max(n, 1) {
            let p = Int(tree.parent[i])
            start[i] = cursor[p]
            cursor[p] += width[i]
            cursor[i] = start[i] + Swift.max(0, width[i] - childSum[i])
        }
        return start
    }

    /// Frame `i`'s base value, scaled.
    public func base(_ i: Int) -> Double { Double(tree.total(i, 0)) * baseScale }
    /// Frame `i`'s candidate (or only) value.
    public func candidate(_ i: Int) -> Int64 { tree.total(i, tree.columns - 1) }
    /// Candidate minus scaled base (with `twoCount`, of the frame's self values, as
    /// flamegraph.pl colours a frame by the delta of the line that ends at it).
    public func delta(_ i: Int) -> Double {
        if twoCount { return Double(tree.selfValue(i, tree.columns - 1)) - Double(tree.selfValue(i, 0)) * baseScale }
        return Double(candidate(i)) - base(i)
    }

    /// flamegraph.pl's layout of two-count folded input: widths are the candidate values
    /// (frames only in the base have none), colours follow each frame's self delta, saturated
    /// at the largest |self delta| but at least `oneCount` (flamegraph.pl's `$maxdelta = 1`;
    /// 10^k when the values are counts times 10^k).
    public init(twoCount tree: CallTree, oneCount: Double = 1) {
        guard tree.isDifferential else {
            self.init(tree)
            return
        }
        let width = (0..<tree.count).map { Double(tree.total($0, 1)) }
        self.init(tree: tree, start: Self.starts(tree, width), width: width, twoCount: true)
        var m = oneCount
        for i in 0..<tree.count { m = Swift.max(m, abs(delta(i))) }
        maxDelta = m
    }

    private init(tree: CallTree, start: [Double], width: [Double], twoCount: Bool) {
        self.tree = tree
        self.start = start
        self.width = width
        baseScale = 1
        maxDelta = 0
        self.twoCount = twoCount
    }
}
