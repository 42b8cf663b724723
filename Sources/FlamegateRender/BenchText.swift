import FlamegateCore

/// benchstat's text and a JSON form of a benchmark comparison.
extension BenchCompare {
    /// benchstat-style text: configuration lines, then per unit a header with the two file
    /// names, rows `name  base ± spread  cand ± spread  delta (p=… n=…)`, and a geomean row.
    public static func renderText(_ tables: [BenchTable], base: GoBenchFile, cand: GoBenchFile, alpha: Double) -> String
    {
        var out = ""
        for key in ["goos", "goarch", "pkg", "cpu"] {
            let b = base.configValue(key)
            let c = cand.configValue(key)
            if let b, b == c || c == nil {
                out += "\(key): \(b)\n"
            } else if let c, b == nil {
                out += "\(key): \(c)\n"
            } else if let b, let c {
                out += "\(key): \(b) (base) / \(c) (cand)\n"
            }
        }
        let pkgs = Set(tables.flatMap { $0.rows.map(\.pkg) })
        let multiPkg = pkgs.count > 1
        var notes: [String] = []
        for (ti, t) in tables.enumerated() {
            if ti > 0 || !out.isEmpty { out += "\n" }
            var lines: [[String]] = []
            lines.append(["", displayName(base.source), displayName(cand.source), ""])
            lines.append(["", t.unit, t.unit, "vs base"])
            for r in t.rows {
                let name = multiPkg && !r.pkg.isEmpty ? r.pkg + "." + r.name : r.name
                let b = r.base.map { formatValue($0.center, unit: t.unit) + " ± " + $0.spreadLabel } ?? ""
                let c = r.cand.map { formatValue($0.center, unit: t.unit) + " ± " + $0.spreadLabel } ?? ""
                var d = ""
                if let cmp = r.comparison {
                    d = cmp.deltaLabel + " " + cmp.pLabel
                    if cmp.tooFewSamples && !cmp.significant {
                        let note =
                            "need ≥ \(Statistics.minimumSamples) samples per side to detect a difference at alpha \(trimmed(alpha))"
                        if !notes.contains(note) { notes.append(note) }
                    }
                } else if r.base == nil {
                    d = "(only in candidate)"
                } else {
                    d = "(only in base)"
                }
                lines.append([name, b, c, d])
            }
            if let g = t.geomean {
                let delta = t.geomeanDelta.map { Units.cFormat("%+.2f", $0 * 100) + "%" } ?? ""
                let mark = t.geomeanExcluded > 0 ? " (\(t.geomeanExcluded) left out)" : ""
                lines.append([
                    "geomean", formatValue(g.base, unit: t.unit), formatValue(g.cand, unit: t.unit), delta + mark,
                ])
            }
            // Header rows: columns split by " │ ", as benchstat draws them.
            out += TextTable.render(lines) { row, column in column == 3 ? nil : (row < 2 ? " │ " : "   ") }
        }
        for n in notes { out += "\n" + n + "\n" }
        return out
    }

    static func trimmed(_ d: Double) -> String {
        var s = Units.cFormat("%g", d)
        if s.isEmpty { s = "0" }
        return s
    }

    static func displayName(_ path: String) -> String {
        if path == "-" { return "stdin" }
        return String(path.split(separator: "/").last ?? Substring(path))
    }

    /// Machine-readable comparison: every table, row, summary and test.
    public static func renderJSON(_ tables: [BenchTable], base: GoBenchFile, cand: GoBenchFile, alpha: Double) -> String
    {
        var j = JSONWriter()
        j.beginObject()
        j.field("base", base.source)
        j.field("cand", cand.source)
        j.field("alpha", alpha)
        j.beginObject("config")
        for (k, v) in base.config where ["goos", "goarch", "pkg", "cpu"].contains(k) { j.field(k, v) }
        j.endObject()
        j.beginArray("tables")
        for t in tables {
            j.beginObject()
            j.field("unit", t.unit)
            j.beginArray("rows")
            for r in t.rows {
                j.beginObject()
                j.field("name", r.name)
                j.field("pkg", r.pkg)
                func summary(_ key: String, _ s: Statistics.Summary?) {
                    guard let s else { return }
                    j.beginObject(key)
                    j.field("median", s.center)
                    j.field("lo", s.lo)
                    j.field("hi", s.hi)
                    j.field("confidence", s.confidence)
                    j.field("n", s.n)
                    j.endObject()
                }
                summary("base", r.base)
                summary("cand", r.cand)
                if let c = r.comparison {
                    j.field("delta", c.delta)
                    j.field("p", c.p)
                    j.field("significant", c.significant)
                    j.field("too_few_samples", c.tooFewSamples)
                    if let t = c.test {
                        j.field("u", t.u)
                        j.field("method", t.method.rawValue)
                    }
                    j.field("label", c.deltaLabel)
                }
                j.endObject()
            }
            j.endArray()
            if let g = t.geomean {
                j.beginObject("geomean")
                j.field("base", g.base)
                j.field("cand", g.cand)
                j.field("delta", g.cand / g.base - 1)
                j.field("excluded", t.geomeanExcluded)
                j.endObject()
            }
            j.endObject()
        }
        j.endArray()
        j.endObject()
        return j.text + "\n"
    }

    /// `flamegate bench compare`: read both runs, compare, render.
    public static func report(_ r: BenchCompareRequest, opener: InputOpener = .files) throws(InputError)
        -> RenderedReport
    {
        let b = try GoBench.read(r.base, opener: opener)
        let c = try GoBench.read(r.cand, opener: opener)
        let warnings = b.warnings.map { "\(r.base): \($0) (skipped)" } + c.warnings.map { "\(r.cand): \($0) (skipped)" }
        let tables = compare(base: b, cand: c, alpha: r.alpha, confidence: r.confidence)
        switch r.format {
        case .text:
            return RenderedReport(text: renderText(tables, base: b, cand: c, alpha: r.alpha), warnings: warnings)
        case .json:
            return RenderedReport(text: renderJSON(tables, base: b, cand: c, alpha: r.alpha), warnings: warnings)
        }
    }
}

/// `flamegate bench compare`: two `go test -bench` runs, compared as benchstat does.
public struct BenchCompareRequest: Sendable {
    /// The base run; - for stdin.
    public var base: String
    /// The candidate run.
    public var cand: String
    /// Significance level of the U test.
    public var alpha = Statistics.defaultAlpha
    /// Confidence level of the interval around each median.
    public var confidence = Statistics.defaultConfidence
    /// text or json.
    public var format: Reports.Format = .text
    /// A comparison of `cand` with `base`.
    public init(base: String, cand: String) {
        self.base = base
        self.cand = cand
    }
}
