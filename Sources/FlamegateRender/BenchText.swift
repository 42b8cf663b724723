import FlamegateCore

/// benchstat's text and a JSON form of a benchmark comparison.
extension BenchCompare {
    /// benchstat-style text: configuration lines, then per unit a header with the two file
    /// names, rows `name  base ± spread  cand ± spread  delta (p=… n=…)` with benchstat's
    /// cells (each row in one scale, footnote marks), the geomean row, and the table's
    /// footnotes. The cells are benchstat's; the column layout is close to it, not byte-equal.
    public static func renderText(_ tables: [BenchTable], base: GoBenchFile, cand: GoBenchFile, alpha: Double) -> String
    {
        var out = ""
        for key in ["goos", "goarch", "pkg", "cpu"] {
            let b = base.configValue(key).map { TextEscape.cell($0) }
            let c = cand.configValue(key).map { TextEscape.cell($0) }
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
        let names = columnNames(base: base.source, cand: cand.source)
        for (ti, t) in tables.enumerated() {
            if ti > 0 { out += "\n" }
            out += renderTable(t, baseName: names.base, candName: names.cand, multiPkg: multiPkg)
        }
        return out
    }

    /// One table's cells, as benchstat fills them.
    struct TextRow {
        var name = ""
        var baseCenter = ""
        var baseSpread = ""
        var baseMarks = ""
        var candCenter = ""
        var candSpread = ""
        var candMarks = ""
        var delta = ""
        var pNote = ""
        var deltaMarks = ""
        /// The geomean row.
        var isSummary = false
    }

    static func renderTable(_ t: BenchTable, baseName: String, candName: String, multiPkg: Bool) -> String {
        var notes: [String] = []
        func marks(_ msgs: [String]) -> String {
            msgs.map { m -> String in
                if let i = notes.firstIndex(of: m) { return superscript(i + 1) }
                notes.append(m)
                return superscript(notes.count)
            }.joined(separator: " ")
        }
        var rows: [TextRow] = []
        for r in t.rows {
            var row = TextRow()
            row.name = multiPkg && !r.pkg.isEmpty ? r.pkg + "." + r.name : r.name
            let scaler = commonScale([r.base?.center, r.cand?.center].compactMap { $0 }, unit: t.unit)
            if let b = r.base {
                row.baseCenter = scaler.format(b.center)
                row.baseSpread = b.spreadLabel
                row.baseMarks = marks(r.baseNotes)
            }
            if let c = r.cand {
                row.candCenter = scaler.format(c.center)
                row.candSpread = c.spreadLabel
                row.candMarks = marks(r.candNotes)
            }
            if let cmp = r.comparison {
                row.delta = cmp.deltaLabel
                row.pNote = cmp.pLabel
                row.deltaMarks = marks(r.comparisonNotes)
            }
            rows.append(row)
        }
        if t.showsGeomean {
            var row = TextRow()
            row.name = "geomean"
            row.isSummary = true
            row.baseCenter = t.geomeanBase.map { formatValue($0, unit: t.unit) } ?? ""
            row.baseMarks = marks(t.geomeanBaseNotes)
            row.candCenter = t.geomeanCand.map { formatValue($0, unit: t.unit) } ?? ""
            row.delta = t.geomeanRatio.map { Units.cFormat("%+.2f", ($0 - 1) * 100) + "%" } ?? "?"
            row.deltaMarks = marks(t.geomeanCandNotes)
            rows.append(row)
        }
        func w(_ f: (TextRow) -> String) -> Int { rows.map { TextTable.width(f($0)) }.max() ?? 0 }
        let wName = w(\.name)
        let wBC = w(\.baseCenter)
        let wBS = w(\.baseSpread)
        let wBM = w(\.baseMarks)
        let wCC = w(\.candCenter)
        let wCS = w(\.candSpread)
        let wCM = w(\.candMarks)
        let wD = w(\.delta)
        let wP = w(\.pNote)
        let wDM = w(\.deltaMarks)
        func group(_ center: String, _ spread: String, _ marks: String, _ wc: Int, _ ws: Int, _ wm: Int) -> String {
            var s = TextTable.right(center, wc)
            s += spread.isEmpty ? String(repeating: " ", count: 3 + ws) : " ± " + TextTable.right(spread, ws)
            if wm > 0 { s += " " + TextTable.left(marks, wm) }
            return s
        }
        let baseWidth0 = wBC + 3 + wBS + (wBM > 0 ? 1 + wBM : 0)
        let baseWidth = max(baseWidth0, TextTable.width(baseName), TextTable.width(t.unit))
        let candCentersWidth = max(wCC + 3 + wCS + (wCM > 0 ? 1 + wCM : 0), TextTable.width(t.unit))
        let deltaWidth = max(2 + wD + 1 + wP + (wDM > 0 ? 1 + wDM : 0), 2 + TextTable.width("vs base"))
        let candWidth = max(candCentersWidth + deltaWidth, TextTable.width(candName))
        let candPad = candWidth - candCentersWidth - deltaWidth
        func centered(_ s: String, _ width: Int) -> String {
            let s = TextEscape.cell(s)
            let extra = max(0, width - TextTable.width(s))
            return String(repeating: " ", count: extra / 2) + s + String(repeating: " ", count: extra - extra / 2)
        }
        let indent = String(repeating: " ", count: wName)
        var out = indent + " │ " + centered(baseName, baseWidth) + " │ " + centered(candName, candWidth) + " │\n"
        out +=
            indent + " │ " + centered(t.unit, baseWidth) + " │ " + String(repeating: " ", count: candPad)
            + centered(t.unit, candCentersWidth) + TextTable.left("  vs base", deltaWidth) + " │\n"
        for r in rows {
            var line = TextTable.left(r.name, wName) + "   "
            line += String(repeating: " ", count: baseWidth - baseWidth0)
            line += group(r.baseCenter, r.baseSpread, r.baseMarks, wBC, wBS, wBM) + "   "
            line += String(repeating: " ", count: candPad)
            line += group(r.candCenter, r.candSpread, r.candMarks, wCC, wCS, wCM)
            line += String(repeating: " ", count: candCentersWidth - (wCC + 3 + wCS + (wCM > 0 ? 1 + wCM : 0)))
            // benchstat left-aligns the geomean row's "?" (no ratio) and right-aligns changes.
            line +=
                "  "
                + (r.isSummary && t.geomeanRatio == nil ? TextTable.left(r.delta, wD) : TextTable.right(r.delta, wD))
            line += " " + TextTable.left(r.pNote, wP)
            if wDM > 0 { line += " " + r.deltaMarks }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        for (i, n) in notes.enumerated() { out += superscript(i + 1) + " " + TextEscape.cell(n) + "\n" }
        return out
    }

    /// benchstat's footnote marks: ¹ ² … ¹⁰.
    static func superscript(_ i: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(i).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    static func trimmed(_ d: Double) -> String {
        var s = Units.cFormat("%g", d)
        if s.isEmpty { s = "0" }
        return s
    }

    /// The two column headers: the file names, or when they are the same (`a/bench.txt`
    /// and `b/bench.txt`) the shortest path suffixes that differ, as benchstat labels
    /// columns by the paths given; the same file twice is told apart by "(base)"/"(cand)".
    public static func columnNames(base: String, cand: String) -> (base: String, cand: String) {
        let b = displayName(base)
        let c = displayName(cand)
        if b != c { return (b, c) }
        let bp = base.split(separator: "/", omittingEmptySubsequences: false)
        let cp = cand.split(separator: "/", omittingEmptySubsequences: false)
        for n in 2...max(2, max(bp.count, cp.count)) {
            let bs = bp.suffix(n).joined(separator: "/")
            let cs = cp.suffix(n).joined(separator: "/")
            if bs != cs { return (bs, cs) }
        }
        return (b + " (base)", c + " (cand)")
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
        j.field("candidate", cand.source)
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
                summary("candidate", r.cand)
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
                    j.field("p_label", c.pLabel)
                }
                // benchstat's footnotes for this row, each once.
                var notes: [String] = []
                for n in r.baseNotes + r.candNotes + r.comparisonNotes where !notes.contains(n) { notes.append(n) }
                if !notes.isEmpty {
                    j.field("notes", notes)
                }
                j.endObject()
            }
            j.endArray()
            if t.showsGeomean {
                j.beginObject("geomean")
                if let b = t.geomeanBase { j.field("base", b) }
                if let c = t.geomeanCand { j.field("candidate", c) }
                if let r = t.geomeanRatio {
                    j.field("ratio", r)
                    j.field("delta", r - 1)
                }
                let notes = t.geomeanBaseNotes + t.geomeanCandNotes
                if !notes.isEmpty {
                    j.field("notes", notes)
                }
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
