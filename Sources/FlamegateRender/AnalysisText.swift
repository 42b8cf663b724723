import FlamegateCore

/// Text, JSON and Markdown for blame, explain and diff.
public enum AnalysisText {
    static func unitFor(_ maxValue: Int64, _ unit: String) -> String {
        let u = Units.scale(absSat(maxValue), from: unit, to: "minimum").1
        return u.isEmpty ? unit : u
    }

    static func signed(_ v: Int64, _ unit: String, _ out: String) -> String {
        let s = Units.scaledLabel(v, from: unit, to: out)
        return v > 0 ? "+" + s : s
    }

    static func pct(_ p: Double?) -> String {
        guard let p else { return "new" }
        return (p > 0 ? "+" : "") + Units.cFormat("%.1f", p) + "%"
    }

    // MARK: blame

    /// `flamegate blame`'s report; `limit` caps the text tables (JSON lists every row).
    public static func blame(_ b: Blame, sampleType st: ValueType, format: Reports.Format, limit: Int) -> String {
        let out = unitFor(b.total, st.unit)
        func f(_ v: Int64) -> String { Units.scaledLabel(v, from: st.unit, to: out) }
        switch format {
        case .json:
            var j = JSONWriter()
            j.beginObject()
            j.field("sample_type", st.type)
            j.field("unit", st.unit)
            j.field("total", b.total)
            j.field("runtime_total", b.runtimeTotal)
            j.beginArray("per_user")
            for u in b.perUser {
                j.beginObject()
                j.field("user", u.name)
                j.field("value", u.value)
                j.endObject()
            }
            j.endArray()
            j.beginArray("rows")
            for r in b.rows {
                j.beginObject()
                j.field("user", r.user)
                j.field("entry", r.entry)
                j.field("value", r.value)
                j.endObject()
            }
            j.endArray()
            j.endObject()
            return j.text + "\n"
        case .text:
            let esc = { (s: String) in TextEscape.cell(s) }
            var s = "Type: \(esc(st.type))\n"
            s +=
                "Runtime and system work: \(f(b.runtimeTotal)), \(Units.percentage(b.runtimeTotal, of: b.total).trimming()) of \(f(b.total)) total\n"
            s += "\nCharged to user code:\n"
            s += TextTable.right("work", 10) + " " + TextTable.right("work", 5) + "%  user frame\n"
            for u in b.perUser.prefix(limit) {
                s +=
                    TextTable.right(f(u.value), 10) + " " + Units.percentage(u.value, of: b.total) + "  " + esc(u.name)
                    + "\n"
            }
            s += "\nBy user frame and the runtime/system function it called:\n"
            s += TextTable.right("work", 10) + " " + TextTable.right("work", 5) + "%  user frame  →  runtime entry\n"
            for r in b.rows.prefix(limit) {
                s +=
                    TextTable.right(f(r.value), 10) + " " + Units.percentage(r.value, of: b.total) + "  " + esc(r.user)
                    + "  →  " + esc(r.entry) + "\n"
            }
            return s
        }
    }

    // MARK: explain

    /// Output formats of `flamegate explain`.
    public enum FindingsFormat: String, CaseIterable, Sendable { case text, json, markdown }

    /// `flamegate explain`'s report; `{profile}` in check commands becomes the finding's input (or `profiles`).
    public static func findings(_ fs: [Finding], profiles: [String], format: FindingsFormat) -> String {
        func checks(_ f: Finding) -> [String] {
            let arg = f.source.isEmpty ? profiles.joined(separator: " ") : f.source
            return f.rule.check.map { $0.replacingAll("{profile}", with: arg) }
        }
        switch format {
        case .json:
            var j = JSONWriter()
            j.beginObject()
            j.beginArray("findings")
            for f in fs {
                j.beginObject()
                j.field("profile", f.source)
                j.field("id", f.rule.id)
                j.field("title", f.rule.title)
                j.field("sample_type", f.sampleType.type)
                j.field("unit", f.sampleType.unit)
                j.field("value", f.value)
                j.field("total", f.total)
                j.field("share_percent", f.share)
                j.field("min_share_percent", f.rule.minShare)
                j.beginArray("frames")
                for fr in f.frames {
                    j.beginObject()
                    j.field("name", fr.name)
                    j.field("cum", fr.cum)
                    j.endObject()
                }
                j.endArray()
                j.beginArray("charged_to")
                for c in f.chargedTo {
                    j.beginObject()
                    j.field("name", c.name)
                    j.field("value", c.value)
                    j.endObject()
                }
                j.endArray()
                j.field("meaning", f.rule.meaning)
                j.field("check", checks(f))
                j.endObject()
            }
            j.endArray()
            j.endObject()
            return j.text + "\n"
        case .text, .markdown:
            let md = format == .markdown
            // Names and rule texts: Markdown-escaped in Markdown, terminal-escaped in text.
            let t = { (s: String) in md ? Markdown.text(s) : TextEscape.cell(s) }
            if fs.isEmpty {
                return md ? "No findings.\n" : "No findings: no rule's frames reach its threshold in this profile.\n"
            }
            var s = ""
            var lastSource: String? = nil
            for f in fs {
                if profiles.count > 1 && f.source != lastSource {
                    s += md ? "## \(t(f.source))\n\n" : "== \(t(f.source))\n\n"
                    lastSource = f.source
                }
                let u = unitFor(f.total, f.sampleType.unit)
                func v(_ x: Int64) -> String { Units.scaledLabel(x, from: f.sampleType.unit, to: u) }
                let share = Units.cFormat("%.1f", f.share)
                let head =
                    "\(t(f.rule.id)): \(t(f.rule.title)) — \(share)% of \(t(f.sampleType.type)) (\(v(f.value)) of \(v(f.total)); threshold \(Units.cFormat("%g", f.rule.minShare))%)"
                s += md ? "### \(head)\n\n" : "● \(head)\n"
                s +=
                    md
                    ? "**Evidence** — widest matching frames (cum):\n\n"
                    : "  Evidence — widest matching frames (cum):\n"
                for fr in f.frames {
                    s +=
                        md
                        ? "- \(Markdown.code(fr.name)) \(v(fr.cum))\n"
                        : "    \(TextTable.right(v(fr.cum), 10))  \(t(fr.name))\n"
                }
                if !f.chargedTo.isEmpty {
                    s += md ? "\n**Charged to** (nearest user code):\n\n" : "  Charged to (nearest user code):\n"
                    for c in f.chargedTo {
                        s +=
                            md
                            ? "- \(Markdown.code(c.name)) \(v(c.value))\n"
                            : "    \(TextTable.right(v(c.value), 10))  \(t(c.name))\n"
                    }
                }
                let meaning = f.rule.meaning.split(separator: "\n").map { String($0).trimming(" ") }.joined(
                    separator: " ")
                s +=
                    md
                    ? "\n**What it usually means:** \(t(meaning))\n\n" : "  What it usually means:\n    \(t(meaning))\n"
                if !f.rule.check.isEmpty {
                    s += md ? "**To confirm:**\n\n" : "  To confirm:\n"
                    // An indented code block in Markdown: one line each, raw bytes as U+FFFD.
                    for c in checks(f) {
                        let line = TextEscape.cell(md ? LosslessUTF8.replacingRawBytes(c) : c)
                        s += md ? "    \(line)\n" : "    $ \(line)\n"
                    }
                }
                s += "\n"
            }
            return s
        }
    }

    // MARK: diff

    /// `flamegate diff`'s per-function table; `limit` caps the text rows (JSON lists every row).
    public static func diff(_ d: FunctionDiff, base: String, candidate: String, format: Reports.Format, limit: Int)
        -> String
    {
        let unit = d.sampleType.unit
        let out = unitFor(max(absSat(d.baseTotal), absSat(d.candTotal)), unit)
        func f(_ v: Int64) -> String { Units.scaledLabel(v, from: unit, to: out) }
        switch format {
        case .json:
            var j = JSONWriter()
            j.beginObject()
            j.field("base", base)
            j.field("candidate", candidate)
            j.field("sample_type", d.sampleType.type)
            j.field("unit", unit)
            j.field("base_total", d.baseTotal)
            j.field("candidate_total", d.candTotal)
            j.field("base_scale", d.baseScale)
            j.beginArray("rows")
            for r in d.rows {
                j.beginObject()
                j.field("name", r.name)
                j.field("base_flat", r.baseFlat)
                j.field("candidate_flat", r.candFlat)
                j.field("delta_flat", r.deltaFlat)
                if let p = FunctionDiff.percent(r.baseFlat, r.candFlat) { j.field("delta_flat_percent", p) }
                j.field("base_cum", r.baseCum)
                j.field("candidate_cum", r.candCum)
                j.field("delta_cum", r.deltaCum)
                if let p = FunctionDiff.percent(r.baseCum, r.candCum) { j.field("delta_cum_percent", p) }
                j.endObject()
            }
            j.endArray()
            j.endObject()
            return j.text + "\n"
        case .text:
            let esc = { (s: String) in TextEscape.cell(s) }
            var s = "Base: \(esc(base))\nCandidate: \(esc(candidate))\nType: \(esc(d.sampleType.type))\n"
            if d.baseScale != 1 {
                s += "Base normalised by ×\(Units.cFormat("%.4g", d.baseScale)) to the candidate's total\n"
            }
            s +=
                "Total: \(f(d.baseTotal)) → \(f(d.candTotal)) (\(signed(d.candTotal &- d.baseTotal, unit, out)), \(pct(FunctionDiff.percent(d.baseTotal, d.candTotal))))\n"
            s +=
                TextTable.right("flat base", 10) + " " + TextTable.right("cand", 10) + " "
                + TextTable.right("delta", 10)
                + " "
                + TextTable.right("delta%", 8) + " | " + TextTable.right("cum base", 10) + " "
                + TextTable.right("cand", 10)
                + " "
                + TextTable.right("delta", 10) + " " + TextTable.right("delta%", 8) + "  name\n"
            for r in d.rows.prefix(limit) {
                s += TextTable.right(f(r.baseFlat), 10) + " " + TextTable.right(f(r.candFlat), 10) + " "
                s +=
                    TextTable.right(signed(r.deltaFlat, unit, out), 10) + " "
                    + TextTable.right(pct(FunctionDiff.percent(r.baseFlat, r.candFlat)), 8) + " | "
                s += TextTable.right(f(r.baseCum), 10) + " " + TextTable.right(f(r.candCum), 10) + " "
                s +=
                    TextTable.right(signed(r.deltaCum, unit, out), 10) + " "
                    + TextTable.right(pct(FunctionDiff.percent(r.baseCum, r.candCum)), 8)
                s += "  " + esc(r.name) + "\n"
            }
            if d.rows.count > limit { s += "(\(d.rows.count - limit) more rows; --nodecount 0 shows all)\n" }
            return s
        }
    }
}

extension String {
    func replacingAll(_ a: String, with b: String) -> String {
        guard !a.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of s: String) -> Range<Substring.Index>? {
        guard !s.isEmpty, let first = s.first else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i] == first && self[i...].hasPrefix(s) { return i..<index(i, offsetBy: s.count) }
            i = index(after: i)
        }
        return nil
    }
}
