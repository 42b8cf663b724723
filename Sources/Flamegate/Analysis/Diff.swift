/// pprof's comparisons: `-diff_base` (base negated, marked, merged: percentages relative
/// to the base) and `-base` (base subtracted), with `-normalize`.
public enum ProfileDiff {
    public enum Mode: Sendable {
        /// `-diff_base`: the base is marked `pprof::base=true` so totals come from it.
        case diffBase
        /// `-base`: plain subtraction (for cumulative profiles such as heap allocations).
        case subtract
    }

    /// Combines `candidate` and `base` as pprof's `fetchProfiles` does.
    public static func combine(candidate: Profile, base: Profile, mode: Mode, normalize: Bool) throws(ProfileError) -> Profile {
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
        var table = SampleTable(valueCount: old.valueCount)
        table.locations.reserveCapacity(old.locations.count)
        var vals = [Int64](repeating: 0, count: old.valueCount)
        for s in 0..<old.count {
            var keep = false
            for i in 0..<old.valueCount {
                var v = old.value(s, i)
                if ratios[i] != 1 {
                    v = int64Saturating((Double(v) * ratios[i]).rounded(.toNearestOrAwayFromZero))
                    keep = keep || v != 0
                }
                vals[i] = v
            }
            if keep {
                table.append(
                    locations: old.locations[old.locationRange(s)], values: vals,
                    labels: Array(old.labels[old.labelRange(s)]))
            }
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
