import FlamegateCore

/// `bisect`'s report: the first profile after the change, the values before and after,
/// and how sure the split is.
public enum BisectText {
    static func fmt(_ v: Double, _ r: BisectRequest.Measure) -> String {
        r == .share ? Units.cFormat("%.2f%%", v) : Units.cFormat("%.6g", v)
    }

    static func labels(_ p: StoredProfile) -> String { p.labels.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    /// "sure" when the U test rejects equality at 0.05, else what is missing.
    static func verdict(_ r: BisectResult) -> String {
        guard let t = r.test else { return "not sure: one side has a single profile (no test possible)" }
        return t.p <= Statistics.defaultAlpha
            ? Units.cFormat("sure: Mann–Whitney U test p = %.3g", t.p) + " (≤ 0.05)"
            : Units.cFormat("not sure: Mann–Whitney U test p = %.3g", t.p) + " (> 0.05)"
    }

    public static func render(_ req: BisectRequest, _ r: BisectResult) -> String {
        let first = r.profiles[r.changeIndex]
        let lastBefore = r.profiles[r.changeIndex - 1]
        let b = Array(r.values[..<r.changeIndex]), a = Array(r.values[r.changeIndex...])
        if req.json {
            var w = JSONWriter()
            w.beginObject()
            w.field("selector", req.selector)
            w.field("frames", req.frames)
            w.field("measure", req.measure.rawValue)
            w.field("sample_type", r.sampleType)
            w.field("ordered_by", r.orderedBy)
            w.field("profiles", r.profiles.count)
            w.beginObject("first_after")
            w.field("id", first.id)
            w.field("commit", first.label("commit") ?? "")
            w.beginObject("labels")
            for l in first.labels { w.field(l.key, l.value) }
            w.endObject()
            w.endObject()
            w.field("last_before_id", lastBefore.id)
            w.field("before_median", r.before)
            w.field("after_median", r.after)
            w.field("before_count", b.count)
            w.field("after_count", a.count)
            if let t = r.test {
                w.field("p", t.p)
                w.field("sure", t.p <= Statistics.defaultAlpha)
            } else {
                w.field("sure", false)
            }
            w.beginArray("series")
            for (p, v) in zip(r.profiles, r.values) {
                w.beginObject()
                w.field("id", p.id)
                w.field("commit", p.label("commit") ?? "")
                w.field("value", v)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            return w.text + "\n"
        }
        var out = "bisect \(req.selector): \(r.profiles.count) profiles ordered by \(r.orderedBy), \(req.measure.rawValue) of /\(req.frames)/ in \(r.sampleType)\n"
        out += "first profile after the change: id \(first.id)"
        if let c = first.label("commit") { out += " commit \(c)" }
        out += "  [\(labels(first))]\n"
        out += "last profile before it:         id \(lastBefore.id)"
        if let c = lastBefore.label("commit") { out += " commit \(lastBefore.label("commit") ?? c)" }
        out += "\n"
        out += "before: median \(fmt(r.before, req.measure)) over \(b.count) profile\(b.count == 1 ? "" : "s") (\(fmt(b.min()!, req.measure)) to \(fmt(b.max()!, req.measure)))\n"
        out += "after:  median \(fmt(r.after, req.measure)) over \(a.count) profile\(a.count == 1 ? "" : "s") (\(fmt(a.min()!, req.measure)) to \(fmt(a.max()!, req.measure)))\n"
        out += verdict(r) + "\n"
        return out
    }
}

extension Bisect {
    /// `flamegate bisect`: run and render.
    public static func report(_ r: BisectRequest) throws(InputError) -> String {
        BisectText.render(r, try run(r))
    }
}
