/// pprof's comparisons: `-diff_base` (base negated, marked, merged: percentages relative
/// to the base) and `-base` (base subtracted), with `-normalize`.
public enum ProfileDiff {
    /// Which pprof comparison flag `combine` reproduces.
    public enum Mode: Sendable {
        /// `-diff_base`: the base is marked `pprof::base=true` so totals come from it.
        case diffBase
        /// `-base`: plain subtraction (for cumulative profiles such as heap allocations).
        case subtract
    }

    /// Combines `candidate` and `base` as pprof's `fetchProfiles` does.
    public static func combine(candidate: Profile, base: Profile, mode: Mode, normalize: Bool) throws(ProfileError)
        -> Profile
    {
        var p = candidate
        var b = base
        if mode == .diffBase { setLabel(&b, key: "pprof::base", value: "true") }
        if normalize { try self.normalize(&p, to: b) }
        scale(&b, ratios: [Double](repeating: -1, count: b.sampleTypes.count))
        return try ProfileMerge.merge([p, b])
    }

    /// pprof's `Profile.Normalize`: scales `p` so each sample type's total equals the base's.
    public static func normalize(_ p: inout Profile, to base: Profile) throws(ProfileError) {
        try ProfileMerge.compatible(p, base)
        let bt = base.totals()
        let st = p.totals()
        var ratios = [Double](repeating: 0, count: st.count)
        for i in st.indices where st[i] != 0 { ratios[i] = Double(bt[i]) / Double(st[i]) }
        scale(&p, ratios: ratios)
    }

    /// pprof's `ScaleN`: each value times its ratio, rounded half away from zero; samples
    /// left with no non-zero scaled value are dropped. All-ones ratios change nothing.
    public static func scale(_ p: inout Profile, ratios: [Double]) {
        if ratios.allSatisfy({ $0 == 1 }) { return }
        let old = p.samples
        let vc = old.valueCount
        var values = old.values
        var keep = [Bool](repeating: false, count: old.count)
        var dropped = 0
        for s in 0..<old.count {
            var k = false
            for i in 0..<vc where ratios[i] != 1 {
                let v = int64Saturating((Double(values[s * vc + i]) * ratios[i]).rounded(.toNearestOrAwayFromZero))
                values[s * vc + i] = v
                k = k || v != 0
            }
            keep[s] = k
            if !k { dropped += 1 }
        }
        if dropped == 0 {
            p.samples.values = values  // the common case: nothing dropped, scale in place
            return
        }
        var table = SampleTable(valueCount: vc)
        table.locations.reserveCapacity(old.locations.count)
        for s in 0..<old.count where keep[s] {
            table.append(
                locations: old.locations[old.locationRange(s)], values: values[s * vc..<(s + 1) * vc],
                labels: Array(old.labels[old.labelRange(s)]))
        }
        p.samples = table
    }

    /// pprof's `SetLabel`: every sample gets exactly `key=value` for this key.
    public static func setLabel(_ p: inout Profile, key: String, value: String) {
        let k = p.strings.intern(key)
        let v = p.strings.intern(value)
        let old = p.samples
        var labels: [Label] = []
        var offsets: [Int] = [0]
        for s in 0..<old.count {
            for l in old.labels[old.labelRange(s)] where !(l.key == k && l.isString) { labels.append(l) }
            labels.append(Label(key: k, str: v))
            offsets.append(labels.count)
        }
        p.samples.labels = labels
        p.samples.labelOffsets = offsets
    }
}
