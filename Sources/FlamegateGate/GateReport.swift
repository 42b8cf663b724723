import FlamegateCore
import FlamegateRender

/// Renders a gate outcome as text, Markdown (a PR comment), JSON and JUnit XML.
public enum GateReport {
    static func verdictWord(_ s: GateRow.Status) -> String {
        switch s {
        case .pass: return "PASS"
        case .warn: return "WARN"
        case .fail: return "FAIL"
        case .inconclusive: return "INCONCLUSIVE"
        }
    }

    static func emoji(_ s: GateRow.Status) -> String {
        switch s {
        case .pass: return "✅"
        case .warn: return "⚠️"
        case .fail: return "❌"
        case .inconclusive: return "❔"
        }
    }

    /// "fail if share grows by more than 15 pp" and the like.
    public static func describe(_ r: GateRule) -> String {
        let grow = r.direction == .increase
        let t = fmtNum(r.threshold)
        switch r.compare {
        case .relative: return "\(grow ? "grows" : "drops") by more than \(t)%"
        case .absolute:
            return "\(grow ? "grows" : "drops") by more than \(t)\(r.changeUnit.isEmpty ? "" : " " + r.changeUnit)"
        case .share: return "share of total \(grow ? "grows" : "drops") by more than \(t) pp"
        case .new: return "more than \(t) new"
        case .limit:
            return "candidate \(grow ? "above" : "below") \(t)\(r.changeUnit.isEmpty ? "" : " " + r.changeUnit)"
        }
    }

    /// What the rule measures: "cum of /regex/ in cpu", "ns/op of /Map/"…
    public static func subject(_ r: GateRule) -> String {
        switch r.kind {
        case .profile:
            return "\(r.measure.rawValue) of /\(r.frames?.source ?? "")/" + (r.sampleType.map { " in \($0)" } ?? "")
        case .bench: return "\(r.unit) of /\(r.benchmark?.source ?? "")/"
        case .escape:
            var s = "\(r.escapeKind.rawValue) escapes"
            if let f = r.file { s += " in files /\(f.source)/" }
            if let f = r.function { s += " in functions /\(f.source)/" }
            return s
        case .metric: return "\(r.key ?? "")"
        case .trace: return (r.traceMeasure?.rawValue ?? "") + (r.task.map { " of task \($0)" } ?? "")
        }
    }

    /// A value of the measured quantity with its unit.
    static func value(_ v: Double?, _ res: GateResult) -> String {
        guard let v else { return "–" }
        let r = res.rule
        switch r.kind {
        case .profile:
            if r.compare == .absolute { return Units.label(Int64(v), unit: unitOf(res.valueUnit)) }
            if r.compare == .new { return fmtNum(v) + " frames" }
            return fmtNum(v) + "%"
        case .bench: return fmtNum(v) + " " + r.unit
        case .escape: return fmtNum(v)
        case .metric: return fmtNum(v)
        case .trace: return r.traceMeasure == .gcCount ? fmtNum(v) : Units.label(Int64(v), unit: "nanoseconds")
        }
    }

    static func unitOf(_ sampleType: String) -> String {
        guard let slash = sampleType.lastIndex(of: "/") else { return "" }
        return String(sampleType[sampleType.index(after: slash)...])
    }

    static func change(_ row: GateRow, _ res: GateResult, ci: Bool = true) -> String {
        guard let c = row.change else { return "–" }
        let r = res.rule
        var s: String
        func signed(_ x: Double) -> String { (x > 0 ? "+" : "") + fmtNum(x) }
        switch r.compare {
        case .relative: s = signed(c) + "%"
        case .share: s = signed(c) + " pp"
        case .new: s = fmtNum(c) + " new"
        case .limit: return value(c, res) + " (limit " + fmtNum(r.threshold) + ")"
        case .absolute:
            if r.kind == .profile {
                s = (c > 0 ? "+" : "") + Units.label(Int64(c), unit: unitOf(res.valueUnit))
            } else {
                s = signed(c) + (r.changeUnit.isEmpty ? "" : " " + r.changeUnit)
            }
        }
        if ci, let lo = row.changeLo, let hi = row.changeHi {
            let suffix = r.compare == .relative ? "%" : ""
            s += " [" + signed(lo) + suffix + ", " + signed(hi) + suffix + "]"
        }
        return s
    }

    static func pText(_ row: GateRow) -> String {
        guard let p = row.p else { return "–" }
        return "p=" + Units.cFormat("%.3f", p)
    }

    static func summaryLine(_ o: GateOutcome) -> String {
        let c = o.count
        var parts: [String] = []
        if c.fail > 0 { parts.append("\(c.fail) failed") }
        if c.warn > 0 { parts.append("\(c.warn) warning\(c.warn == 1 ? "" : "s")") }
        if c.inconclusive > 0 { parts.append("\(c.inconclusive) inconclusive") }
        parts.append("\(c.pass) passed")
        return parts.joined(separator: ", ")
            + " (\(o.results.count) rule\(o.results.count == 1 ? "" : "s"), α=\(fmtNum(o.alpha)))"
    }

    // MARK: Text

    /// The terminal report: the verdict and counts, then each rule with its rows and notes.
    /// Names (rules, frames, benchmarks, notes) go through `TextEscape.cell`.
    public static func text(_ o: GateOutcome) -> String {
        let esc = { (s: String) in TextEscape.cell(s) }
        var out = "flamegate gate: \(o.headline) — \(summaryLine(o))\n"
        for res in o.results {
            let r = res.rule
            out +=
                "\n\(TextTable.left(verdictWord(res.status), 5)) \(esc(r.name)) [\(r.kind.rawValue), \(r.severity.rawValue)]: \(esc(subject(r))) \(esc(describe(r)))\n"
            for row in res.rows {
                var line = "      "
                if !row.item.isEmpty { line += esc(row.item) + ": " }
                if r.compare == .limit {
                    line += "candidate \(value(row.cand, res))"
                    if row.candN > 1 { line += " (median of \(row.candN))" }
                } else {
                    line +=
                        "base \(value(row.base, res))  candidate \(value(row.cand, res))  change \(change(row, res))"
                    if row.p != nil { line += "  " + pText(row) }
                }
                if row.baseN > 1 || row.candN > 1, r.compare != .new, r.compare != .limit {
                    line += "  n=\(row.baseN)+\(row.candN)"
                }
                line += "  → \(row.status.rawValue)"
                out += line + "\n"
                if !row.note.isEmpty { out += "        \(esc(row.note))\n" }
                for d in row.details.prefix(20) { out += "        + \(esc(d))\n" }
                if row.details.count > 20 { out += "        … \(row.details.count - 20) more\n" }
            }
            if !res.contributors.isEmpty && r.compare != .new {
                out += "      top frames (share of \(esc(res.valueUnit)), base → candidate):\n"
                for f in res.contributors {
                    out +=
                        "        \(TextTable.left(fmtNum(f.baseShare) + "% → " + fmtNum(f.candShare) + "%", 18)) \(TextTable.left(signedPP(f.delta), 10)) \(esc(f.name))\n"
                }
            }
            for n in res.notes { out += "      note: \(esc(n))\n" }
        }
        return out
    }

    static func signedPP(_ x: Double) -> String { (x > 0 ? "+" : "") + fmtNum(x) + " pp" }

    // MARK: Markdown

    static func cell(_ s: String) -> String { Markdown.cell(s) }

    /// A PR comment: the verdict first, then one table row per rule (and per benchmark),
    /// then the top contributing frames of each profile rule. Every name is escaped
    /// (`Markdown.text` or `.code`): a frame, benchmark or rule name can't add a heading,
    /// break a code span or a table row, or carry HTML.
    public static func markdown(_ o: GateOutcome, flameDiff: String? = nil) -> String {
        let text = { (s: String) in Markdown.text(s) }
        var out = "## \(emoji(o.verdict)) flamegate gate: \(o.headline)\n\n"
        out += summaryLine(o) + "\n\n"
        out += Markdown.header(["rule", "base", "candidate", "change", "p", "verdict"])
        for res in o.results {
            let r = res.rule
            let name = "**\(text(r.name))** (\(r.kind.rawValue), \(r.severity.rawValue): \(text(describe(r))))"
            if res.rows.isEmpty {
                out += "| \(cell(name)) | – | – | – | – | \(emoji(res.status)) \(res.status.rawValue) |\n"
            }
            for row in res.rows {
                let label = row.item.isEmpty ? name : name + " " + Markdown.code(row.item)
                let p = row.p != nil ? pText(row) : (row.status == .inconclusive ? "too few samples" : "no test")
                out +=
                    "| \(cell(label)) | \(cell(value(row.base, res))) | \(cell(value(row.cand, res))) | \(cell(change(row, res))) | \(cell(p)) | \(emoji(row.status)) \(row.status.rawValue) |\n"
            }
        }
        var notes: [String] = []
        for res in o.results {
            for row in res.rows where !row.note.isEmpty {
                notes.append(
                    "**\(text(res.rule.name))**" + (row.item.isEmpty ? "" : " " + Markdown.code(row.item)) + ": "
                        + text(row.note))
            }
            for n in res.notes { notes.append("**\(text(res.rule.name))**: " + text(n)) }
        }
        if !notes.isEmpty {
            out += "\n"
            for n in notes { out += "- " + n + "\n" }
        }
        for res in o.results where res.rule.kind == .profile && !res.contributors.isEmpty && res.rule.compare != .new {
            out += "\n### \(text(res.rule.name)): frames that changed most\n\n"
            out += Markdown.header(["frame", "base", "candidate", "change"])
            let unit = text(unitOf(res.valueUnit))
            for f in res.contributors {
                let b = "\(fmtNum(f.baseShare))% (\(Units.label(f.baseValue, unit: unit)))"
                let c = "\(fmtNum(f.candShare))% (\(Units.label(f.candValue, unit: unit)))"
                out += Markdown.row([cell(Markdown.code(f.name)), cell(b), cell(c), signedPP(f.delta)])
            }
        }
        if let flameDiff {
            out +=
                "\nDifferential flame graph (red grew, blue shrank): \(Markdown.link(flameDiff, to: flameDiff))\n"
        }
        for res in o.results {
            for row in res.rows where !row.details.isEmpty {
                out += "\n### \(text(res.rule.name)): new\n\n"
                for d in row.details.prefix(50) { out += "- " + Markdown.code(d) + "\n" }
            }
        }
        return out
    }

    // MARK: JSON

    /// The machine-readable report: verdict, exit code and every rule's rows, with snake_case keys.
    public static func json(_ o: GateOutcome) -> String {
        var j = JSONWriter()
        j.beginObject()
        j.field("verdict", o.verdict.rawValue)
        j.field("headline", o.headline)
        j.field("exit_code", Int(o.exitCode))
        j.field("alpha", o.alpha)
        j.field("rules_file", o.source)
        j.beginArray("rules")
        for res in o.results {
            let r = res.rule
            j.beginObject()
            j.field("name", r.name)
            j.field("kind", r.kind.rawValue)
            j.field("severity", r.severity.rawValue)
            j.field("compare", r.compare.rawValue)
            j.field("threshold", r.threshold)
            j.field("direction", r.direction.rawValue)
            j.field("assume_exact", r.assumeExact)
            j.field("subject", subject(r))
            j.field("unit", res.valueUnit)
            j.field("status", res.status.rawValue)
            j.field("base_inputs", res.baseInputs)
            j.field("candidate_inputs", res.candInputs)
            j.beginArray("rows")
            for row in res.rows {
                j.beginObject()
                j.field("item", row.item)
                j.field("base", row.base ?? .nan)
                j.field("candidate", row.cand ?? .nan)
                j.field("n_base", row.baseN)
                j.field("n_candidate", row.candN)
                j.field("change", row.change ?? .nan)
                j.field("change_lo", row.changeLo ?? .nan)
                j.field("change_hi", row.changeHi ?? .nan)
                j.field("p", row.p ?? .nan)
                if let m = row.method { j.field("method", m) }
                j.field("exceeds", row.exceeds)
                j.field("tripped", row.tripped)
                j.field("status", row.status.rawValue)
                j.field("note", row.note)
                j.field("details", row.details)
                j.endObject()
            }
            j.endArray()
            j.beginArray("contributors")
            for f in res.contributors {
                j.beginObject()
                j.field("name", f.name)
                j.field("base_share", f.baseShare)
                j.field("candidate_share", f.candShare)
                j.field("base_value", f.baseValue)
                j.field("candidate_value", f.candValue)
                j.endObject()
            }
            j.endArray()
            j.field("notes", res.notes)
            j.endObject()
        }
        j.endArray()
        j.endObject()
        return j.text + "\n"
    }

    // MARK: JUnit

    /// XML text and attribute values, escaped as the SVG/HTML writers escape them.
    static func xml(_ s: String) -> String { HTMLEscape.text(s) }

    /// JUnit XML: one testcase per rule; a tripped `fail` rule is a <failure>, an
    /// inconclusive rule is <skipped>, a tripped `warn` rule passes with its message in
    /// <system-out>.
    public static func junit(_ o: GateOutcome) -> String {
        let c = o.count
        let attrs = "tests=\"\(o.results.count)\" failures=\"\(c.fail)\" errors=\"0\" skipped=\"\(c.inconclusive)\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"flamegate gate\" \(attrs)>\n"
        out += "  <testsuite name=\"\(xml(o.source.isEmpty ? "flamegate gate" : o.source))\" \(attrs)>\n"
        for res in o.results {
            let r = res.rule
            out += "    <testcase classname=\"flamegate.gate.\(r.kind.rawValue)\" name=\"\(xml(r.name))\">\n"
            let detail = res.rows.map { row -> String in
                var s = (row.item.isEmpty ? "" : row.item + ": ")
                s +=
                    r.compare == .limit
                    ? "candidate \(value(row.cand, res))"
                    : "base \(value(row.base, res)), candidate \(value(row.cand, res)), change \(change(row, res))"
                if row.p != nil { s += ", " + pText(row) }
                s += " — " + row.note
                for d in row.details { s += "\n  + " + d }
                return s
            }.joined(separator: "\n")
            let message = "\(subject(r)) \(describe(r))"
            switch res.status {
            case .fail:
                out += "      <failure type=\"fail\" message=\"\(xml(message))\">\(xml(detail))</failure>\n"
            case .inconclusive:
                out += "      <skipped message=\"\(xml("too few samples: " + message))\"/>\n"
            case .warn:
                out += "      <system-out>\(xml("WARNING: " + message + "\n" + detail))</system-out>\n"
            case .pass:
                out += "      <system-out>\(xml(detail))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}

extension GateReport {
    /// The profile rule whose cause a differential flame graph shows: the first that
    /// tripped, else the first profile rule.
    static func causeRule(_ o: GateOutcome) -> GateResult? {
        let profiles = o.results.filter { $0.rule.kind == .profile && !$0.baseInputs.isEmpty }
        return profiles.first { $0.status == .fail || $0.status == .warn } ?? profiles.first
    }

    /// A differential flame graph (HTML) of that rule's candidate against its base, in its
    /// sample type, the base scaled to the candidate's total; nil without a profile rule.
    public static func flameDiff(_ o: GateOutcome, opener: InputOpener = .files) throws(InputError) -> [UInt8]? {
        guard let res = causeRule(o) else { return nil }
        var r = FlameGraphRequest(inputs: res.candInputs)
        r.diffBase = res.baseInputs
        r.sampleIndex = res.rule.sampleType
        r.graph.normalize = true
        r.graph.title = "flamegate gate: \(res.rule.name) (\(res.status.rawValue))"
        r.format = .html
        return try FlameGraph.render(r, opener: opener).bytes
    }
}
