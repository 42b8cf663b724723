import FlamegateCore

/// `flamegate flame --format json` (and `serve`'s `/api/flame`): the laid-out tree as data for
/// scripts. Frames narrower than `--minwidth` are left out with their subtrees, exactly as the
/// SVG leaves them out (flamegraph.pl's rule: 0.1 px of a 1200 px image by default, so a frame
/// under ~1/11800 of the total), and `elided` says how many: an unfiltered 10 MB profile has
/// hundreds of thousands of invisible frames that would otherwise make a 70 MB document.
public enum FlameGraphJSON {
    /// The document, one line. Nodes are in preorder as parallel arrays (`name` indexes
    /// `names`; `depth` 0 is the root, "all"): a child follows its parent, subtrees are
    /// contiguous, and a node's `value` is its inclusive value, `self` its own.
    public static func render(_ layout: FlameLayout, options o: FlameGraphOptions) -> [UInt8] {
        let t = layout.tree
        let kept = FlameGraphSVG.kept(layout, options: o).frames
        // Names used by kept frames only, renumbered in first-use order.
        var nameIndex = [Int32](repeating: -1, count: t.names.count)
        var names: [String] = []
        for i in kept {
            let n = Int(t.name[Int(i)])
            if n >= 0 && n < nameIndex.count && nameIndex[n] < 0 {
                nameIndex[n] = Int32(names.count)
                names.append(t.names[n])
            }
        }
        let diff = t.isDifferential
        let last = t.columns - 1
        var j: [UInt8] = []
        j.reserveCapacity(kept.count * 24 + names.count * 40 + 512)
        var first = true
        func key(_ k: String) {
            if !first { j.append(0x2C) }
            first = false
            j.append(0x22)
            j.append(contentsOf: k.utf8)
            j.append(0x22)
            j.append(0x3A)
        }
        func str(_ k: String, _ v: String) {
            key(k)
            HTMLEscape.jsonString(v, into: &j)
        }
        func int(_ k: String, _ v: Int64) {
            key(k)
            FlameGraphHTML.appendInt(v, to: &j)
        }
        func ints(_ k: String, _ f: (Int) -> Int64) {
            key(k)
            j.append(0x5B)
            for (n, i) in kept.enumerated() {
                if n > 0 { j.append(0x2C) }
                FlameGraphHTML.appendInt(f(Int(i)), to: &j)
            }
            j.append(0x5D)
        }
        j.append(0x7B)
        str("title", o.resolvedTitle)
        str("subtitle", o.subtitle)
        str("sample_type", o.sampleType)
        str("unit", o.unit)
        key("differential")
        j.append(contentsOf: (diff ? "true" : "false").utf8)
        int("total", t.count > 0 ? t.total(0, last) : 0)
        if diff { int("base_total", t.count > 0 ? t.total(0, 0) : 0) }
        int("frames", Int64(t.count))
        int("elided", Int64(t.count - kept.count))
        key("min_width")
        j.append(contentsOf: Units.cFormat("%.6g", o.minWidth).utf8)
        str("min_width_unit", o.minWidthPercent ? "percent" : "pixels")
        int("width", Int64(o.width))
        key("names")
        j.append(0x5B)
        for (k, n) in names.enumerated() {
            if k > 0 { j.append(0x2C) }
            HTMLEscape.jsonString(n, into: &j)
        }
        j.append(0x5D)
        ints("name") { i in i == 0 ? -1 : Int64(nameIndex[Int(t.name[i])]) }
        ints("depth") { Int64(t.depth[$0]) }
        ints("value") { t.total($0, last) }
        ints("self") { t.selfValue($0, last) }
        if diff {
            ints("base") { t.total($0, 0) }
            ints("base_self") { t.selfValue($0, 0) }
        }
        j.append(0x7D)
        j.append(0x0A)
        return j
    }
}
