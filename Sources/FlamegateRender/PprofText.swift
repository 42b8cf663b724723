import FlamegateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Report settings shared by pprof-style text reports.
public struct ReportStyle: Sendable {
    /// pprof's `-unit`: "minimum" (default: pick per report), "auto", or a unit name.
    public var outputUnit = "minimum"
    /// pprof's `-divide_by`.
    public var divideBy = 1.0
    /// Time zone for the `Time:` header: false = the process's local zone (as pprof), true = UTC.
    public var utc = false
    /// pprof's defaults: unit "minimum", no divisor, local time.
    public init() {}
}

/// Text reports exactly as `go tool pprof` prints them (`-top`, `-traces`). Names go through
/// `TextEscape.cell` (control characters escaped, raw bytes kept): pprof prints them raw.
public enum PprofText {
    /// The header lines pprof prints above every report (`ProfileLabels`).
    public static func profileLabels(
        _ p: Profile, sampleIndex si: Int, total: Int64, format: (Int64) -> String, style: ReportStyle
    ) -> [String] {
        var label: [String] = []
        let esc = { (s: String) in TextEscape.cell(s) }
        if let m = p.mappings.first {
            if m.file != 0 { label.append("File: " + esc(PathClean.base(p.strings[m.file]))) }
            if m.buildID != 0 { label.append("Build ID: " + esc(p.strings[m.buildID])) }
        }
        for c in p.comments where !c.hasPrefix("#") { label.append(esc(c)) }
        let st = p.sampleTypes[si]
        if !st.type.isEmpty { label.append("Type: " + esc(st.type)) }
        if !p.docURL.isEmpty { label.append("Doc: " + esc(p.docURL)) }
        if p.timeNanos != 0 { label.append("Time: " + formatTime(p.timeNanos, utc: style.utc)) }
        if p.durationNanos != 0 {
            let duration = Units.label(p.durationNanos, unit: "nanoseconds")
            let (totalNanos, totalUnit) = Units.scale(total, from: st.unit, to: "nanoseconds")
            var ratio = ""
            if totalUnit == "ns" && totalNanos != 0 {
                ratio = "(" + Units.percentage(int64Saturating(totalNanos), of: p.durationNanos) + ")"
            }
            label.append("Duration: \(duration), Total samples = \(format(total)) \(ratio)")
        }
        return label
    }

    /// Go's `time.Format("2006-01-02 15:04:05 MST")` in the local (or UTC) zone.
    public static func formatTime(_ nanos: Int64, utc: Bool) -> String {
        var (tmv, _) = brokenDown(nanos, utc: utc)
        // gmtime's zone name is "GMT"; Go prints "UTC".
        return timeText(utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z", &tmv)
    }

    /// `nanos` since the epoch as calendar time in the local zone (or UTC), and the
    /// nanoseconds within its second.
    static func brokenDown(_ nanos: Int64, utc: Bool) -> (tm, Int64) {
        var secs = time_t(nanos / 1_000_000_000)
        var frac = nanos % 1_000_000_000
        if frac < 0 {
            secs -= 1
            frac += 1_000_000_000
        }
        var tmv = tm()
        if utc { gmtime_r(&secs, &tmv) } else { localtime_r(&secs, &tmv) }
        return (tmv, frac)
    }

    /// C's strftime into a String.
    static func timeText(_ format: String, _ tmv: inout tm) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        let n = strftime(&buf, 64, format, &tmv)
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A value formatter for a report: scaled to `unit` with pprof's rounding.
    public static func formatter(sampleUnit: String, outputUnit: String, divideBy: Double) -> (Int64) -> String {
        let ratio = 1 / divideBy
        return { v in
            var v = v
            if ratio > 0 && ratio != 1 { v = int64Saturating(Double(v) * ratio) }
            return Units.scaledLabel(v, from: sampleUnit, to: outputUnit)
        }
    }

    /// pprof's `selectOutputUnit`: one unit for the whole report, fine enough for the
    /// smallest value (scaled down to 0.01) and matching the total when close.
    public static func selectOutputUnit(_ table: FunctionTable, sampleUnit: String, style: ReportStyle) -> String {
        selectOutputUnit(table.rows.map { ($0.flat, $0.cum) }, total: table.total, sampleUnit: sampleUnit, style: style)
    }

    /// `selectOutputUnit` over the (flat, cum) values of a report's rows or graph nodes.
    public static func selectOutputUnit(
        _ values: [(flat: Int64, cum: Int64)], total: Int64, sampleUnit: String, style: ReportStyle
    ) -> String {
        guard style.outputUnit == "minimum", !values.isEmpty else { return style.outputUnit }
        var minValue: Int64 = 0
        for r in values {
            var m = absSat(r.flat)
            if m == 0 { m = absSat(r.cum) }
            if m > 0 && (minValue == 0 || m < minValue) { minValue = m }
        }
        var maxValue = total
        if minValue == 0 { minValue = maxValue }
        let ratio = 1 / style.divideBy
        if ratio > 0 && ratio != 1 {
            minValue = int64Saturating(Double(minValue) * ratio)
            maxValue = int64Saturating(Double(maxValue) * ratio)
        }
        let minUnit = Units.scale(minValue, from: sampleUnit, to: "minimum").1
        let maxUnit = Units.scale(maxValue, from: sampleUnit, to: "minimum").1
        var unit = minUnit
        if minUnit != maxUnit && minValue &* 100 < maxValue {
            unit = Units.scale(100 &* minValue, from: sampleUnit, to: "minimum").1
        }
        return unit.isEmpty ? sampleUnit : unit
    }

    /// `go tool pprof -top`.
    public static func top(
        _ p: Profile, _ table: FunctionTable, sampleIndex si: Int, options: TableOptions, style: ReportStyle,
        activeFilters: [String] = []
    ) -> String {
        let unit = p.sampleTypes[si].unit
        let outUnit = selectOutputUnit(table, sampleUnit: unit, style: style)
        let fmt = formatter(sampleUnit: unit, outputUnit: outUnit, divideBy: style.divideBy)
        let lines = reportLabels(
            p, table, sampleIndex: si, options: options, style: style, format: fmt, activeFilters: activeFilters)
        var out = lines.joined(separator: "\n") + "\n"
        out +=
            TextTable.right("flat", 10) + " " + TextTable.right("flat", 5) + "% " + TextTable.right("sum", 5) + "% "
            + TextTable.right("cum", 10) + " " + TextTable.right("cum", 5)
            + "%\n"
        var flatSum: Int64 = 0
        for r in table.rows {
            flatSum &+= r.flat
            out += TextTable.right(fmt(r.flat), 10) + " " + Units.percentage(r.flat, of: table.total) + " "
            out += Units.percentage(flatSum, of: table.total) + " " + TextTable.right(fmt(r.cum), 10) + " "
            out += Units.percentage(r.cum, of: table.total) + "  " + TextEscape.cell(r.name)
            out += r.inlineLabel.isEmpty ? "\n" : " " + r.inlineLabel + "\n"
        }
        return out
    }

    /// The header lines of graph reports (pprof's `reportLabels`).
    static func reportLabels(
        _ p: Profile, _ table: FunctionTable, sampleIndex si: Int, options: TableOptions, style: ReportStyle,
        format fmt: (Int64) -> String, activeFilters: [String]
    ) -> [String] {
        var c = GraphCounts(shown: table.shownTotal, nodes: table.rows.count, original: table.originalCount)
        c.droppedNodes = table.droppedNodes
        return reportLabels(
            p, sampleIndex: si, total: table.total, counts: c, options: options, style: style, format: fmt,
            activeFilters: activeFilters)
    }

    /// What a graph report's header says about trimming.
    struct GraphCounts {
        /// Sum of flat over the nodes shown.
        var shown: Int64
        /// Nodes shown.
        var nodes: Int
        /// Nodes before the node count limit.
        var original: Int
        var droppedNodes = 0
        var droppedEdges = 0
    }

    /// pprof's `reportLabels`: profile labels, active filters, what is shown and dropped;
    /// `fullHeaders` (graphs) adds the line pointing to how to read the graph.
    static func reportLabels(
        _ p: Profile, sampleIndex si: Int, total: Int64, counts c: GraphCounts, options: TableOptions,
        style: ReportStyle, format fmt: (Int64) -> String, activeFilters: [String], fullHeaders: Bool = false
    ) -> [String] {
        var lines = profileLabels(p, sampleIndex: si, total: total, format: fmt, style: style)
        if !activeFilters.isEmpty {
            lines.append("Active filters:")
            for f in activeFilters {
                let scalars = Array(TextEscape.cell(f).unicodeScalars)
                lines.append(
                    "   "
                        + (scalars.count > 80
                            ? String(String.UnicodeScalarView(scalars[0..<80])) + "…" : TextEscape.cell(f)))
            }
        }
        lines.append(
            "Showing nodes accounting for \(fmt(c.shown)), \(Units.percentage(c.shown, of: total).trimming()) of \(fmt(total)) total"
        )
        if total != 0 {
            func dropped(_ n: Int, _ what: String, _ measure: String, _ fraction: Double) -> String {
                let cut = absSat(int64Saturating(Double(total) * fraction))
                return "Dropped \(n) \(what)\(n > 1 ? "s" : "") (\(measure) <= \(fmt(cut)))"
            }
            if c.droppedNodes > 0 { lines.append(dropped(c.droppedNodes, "node", "cum", options.nodeFraction)) }
            if c.droppedEdges > 0 { lines.append(dropped(c.droppedEdges, "edge", "freq", options.edgeFraction)) }
            if c.nodes > 0 && c.nodes < c.original {
                lines.append("Showing top \(c.nodes) nodes out of \(c.original)")
            }
        }
        if fullHeaders { lines.append("\nSee https://git.io/JfYMW for how to read the graph") }
        return lines
    }

    /// `go tool pprof -tree`, and `-peek=REGEX` when `symbol` is set: each row with its
    /// callers above and callees below. Returns nil when `symbol` matches no row.
    public static func tree(
        _ p: Profile, _ table: FunctionTable, edges: [FunctionTable.Edge], sampleIndex si: Int, options: TableOptions,
        style: ReportStyle, symbol: Pattern? = nil, activeFilters: [String] = []
    ) -> String? {
        let separator = "----------------------------------------------------------+-------------\n"
        let legend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n"
        let unit = p.sampleTypes[si].unit
        let outUnit = selectOutputUnit(table, sampleUnit: unit, style: style)
        let fmt = formatter(sampleUnit: unit, outputUnit: outUnit, divideBy: style.divideBy)
        let names = table.nodes.names
        var ins: [Int32: [FunctionTable.Edge]] = [:]
        var outs: [Int32: [FunctionTable.Edge]] = [:]
        for e in edges {
            ins[e.child, default: []].append(e)
            outs[e.parent, default: []].append(e)
        }
        func sorted(_ list: [FunctionTable.Edge]) -> [FunctionTable.Edge] {
            list.sorted { a, b in
                if a.weight != b.weight { return absSat(a.weight) > absSat(b.weight) }
                let (sa, sb) = (names[Int(a.parent)], names[Int(b.parent)])
                if sa != sb { return LosslessUTF8.precedes(sa, sb) }
                return LosslessUTF8.precedes(names[Int(a.child)], names[Int(b.child)])
            }
        }
        var out =
            reportLabels(
                p, table, sampleIndex: si, options: options, style: style, format: fmt, activeFilters: activeFilters
            )
            .joined(separator: "\n") + "\n"
        out += separator + legend
        var flatSum: Int64 = 0
        var matched = 0
        for r in table.rows {
            if let symbol, !symbol.matches(r.name) { continue }
            matched += 1
            out += separator
            for e in sorted(ins[r.node] ?? []) {
                out += TextTable.right(fmt(e.weight), 50) + " " + Units.percentage(e.weight, of: r.cum) + " |   "
                out += TextEscape.cell(names[Int(e.parent)]) + (e.inline ? " (inline)" : "") + "\n"
            }
            flatSum &+= r.flat
            out += TextTable.right(fmt(r.flat), 10) + " " + Units.percentage(r.flat, of: table.total) + " "
            out += Units.percentage(flatSum, of: table.total) + " " + TextTable.right(fmt(r.cum), 10) + " "
            out += Units.percentage(r.cum, of: table.total) + "                | " + TextEscape.cell(r.name) + "\n"
            for e in sorted(outs[r.node] ?? []) {
                out += TextTable.right(fmt(e.weight), 50) + " " + Units.percentage(e.weight, of: r.cum) + " |   "
                out += TextEscape.cell(names[Int(e.child)]) + (e.inline ? " (inline)" : "") + "\n"
            }
        }
        if !table.rows.isEmpty { out += separator }
        if symbol != nil && matched == 0 { return nil }
        return out
    }

    /// `go tool pprof -traces`: every sample's stack with its labels.
    public static func traces(
        _ p: Profile, sampleIndex si: Int, granularity: Granularity = .functions, inlines: Bool = true,
        style: ReportStyle, total: Int64? = nil
    ) -> String {
        let unit = p.sampleTypes[si].unit
        let fmt = formatter(sampleUnit: unit, outputUnit: style.outputUnit, divideBy: style.divideBy)
        let total = total ?? FunctionTable.reportTotal(p, si)
        let nodes = NodeTable(profile: p, granularity: granularity, inlines: inlines)
        let numUnits = p.numLabelUnits()
        var out =
            profileLabels(p, sampleIndex: si, total: total, format: fmt, style: style).joined(separator: "\n") + "\n"
        let separator = "-----------+-------------------------------------------------------\n"
        let s = p.samples
        let str = p.strings
        for i in 0..<s.count {
            let range = s.locationRange(i)
            var frames: [(Int32, Bool)] = []
            for k in range {
                let loc = Int(s.locations[k])
                let a = Int(nodes.frameStart[loc])
                let b = Int(nodes.frameStart[loc + 1])
                for j in a..<b { frames.append((nodes.frames[j], j != b - 1)) }
            }
            if frames.isEmpty { continue }
            out += separator
            var stringLabels: [String: [String]] = [:]
            var keyOrder: [String] = []
            var numLabels: [String: [Int64]] = [:]
            var numOrder: [String] = []
            for j in s.labelRange(i) {
                let l = s.labels[j]
                let key = str[l.key]  // escaped where printed (TextTable.right)
                if l.isString {
                    if stringLabels[key] == nil { keyOrder.append(key) }
                    stringLabels[key, default: []].append(TextEscape.cell(str[l.str]))
                } else {
                    if numLabels[key] == nil { numOrder.append(key) }
                    numLabels[key, default: []].append(l.num)
                }
            }
            let sl = keyOrder.map { TextTable.right($0, 10) + ":  " + stringLabels[$0]!.joined(separator: " ") + "\n" }
            out += sl.sorted { LosslessUTF8.precedes($0, $1) }.joined()
            let nl = numOrder.map { k in
                TextTable.right(k, 10) + ":  "
                    + TextEscape.cell(
                        numLabels[k]!.map { Units.label($0, unit: numUnits[k] ?? k) }.joined(separator: " "))
                    + "\n"
            }
            out += nl.sorted { LosslessUTF8.precedes($0, $1) }.joined()
            let v = s.value(i, si)
            for (n, (node, inline)) in frames.enumerated() {
                out +=
                    TextTable.right(n == 0 ? fmt(v) : "", 10) + "   " + TextEscape.cell(nodes.names[Int(node)])
                    + (inline ? " (inline)" : "") + "\n"
            }
        }
        out += separator
        return out
    }

    /// `go tool pprof -tags`: for each label key, the samples' value per label value, as
    /// shares of the report total; numeric labels scaled to their unit.
    public static func tags(_ p: Profile, sampleIndex si: Int, style: ReportStyle, total: Int64) -> String {
        let fmt = formatter(sampleUnit: p.sampleTypes[si].unit, outputUnit: style.outputUnit, divideBy: style.divideBy)
        let numUnits = p.numLabelUnits()
        let s = p.samples
        let str = p.strings
        var byKey: [String: [String: Int64]] = [:]
        var keyTotal: [String: Int64] = [:]
        for i in 0..<s.count {
            let v = s.value(i, si)
            for j in s.labelRange(i) {
                let l = s.labels[j]
                let key = str[l.key]
                let value =
                    l.isString
                    ? str[l.str] : Units.scaledLabel(l.num, from: numUnits[key] ?? key, to: style.outputUnit)
                byKey[key, default: [:]][value, default: 0] &+= v
                keyTotal[key, default: 0] &+= v
            }
        }
        // pprof's SortTags: by |value| descending, then by name (keys all weigh 0: by name).
        func sorted(_ m: [String: Int64]) -> [(String, Int64)] {
            m.sorted { a, b in
                abs(a.value) != abs(b.value)
                    ? abs(a.value) > abs(b.value) : LosslessUTF8.precedes(a.key, b.key)
            }.map { ($0.key, $0.value) }
        }
        var lines: [[String]] = []
        for key in byKey.keys.sorted(by: { LosslessUTF8.precedes($0, $1) }) {
            let t = keyTotal[key] ?? 0
            if total > 0 {
                lines.append(["\(key):", " Total \(fmt(t)) of \(fmt(total)) (\(Units.percentage(t, of: total)))"])
            } else {
                lines.append(["\(key):", " Total \(fmt(t)) of \(fmt(total))"])
            }
            for (name, v) in sorted(byKey[key] ?? [:]) {
                lines.append(
                    total > 0
                        ? [" ", "\(fmt(v)) (\(Units.percentage(v, of: total))):", " " + name]
                        : [" ", "\(fmt(v)):", " " + name])
            }
            lines.append([""])
        }
        return TextTable.tabwriter(lines, padding: 1, alignRight: true)
    }

    /// `go tool pprof -list`: "Total:", then per function and file a ROUTINE header, its
    /// flat and cum, and the source lines with their values ("." for none).
    public static func list(
        _ l: SourceListing, profile p: Profile, sampleIndex si: Int, style: ReportStyle, total: Int64
    ) -> String {
        let fmt = formatter(sampleUnit: p.sampleTypes[si].unit, outputUnit: style.outputUnit, divideBy: style.divideBy)
        func dot(_ v: Int64) -> String { v == 0 ? "." : fmt(v) }
        var out = "Total: \(fmt(total))\n"
        for entry in l.order {
            if entry.noSource {
                out += "No source information for \(TextEscape.cell(entry.name))\n"
                continue
            }
            for i in entry.routines {
                let r = l.routines[i]
                out += "ROUTINE ======================== \(TextEscape.cell(r.name)) in \(TextEscape.cell(r.file))\n"
                out +=
                    TextTable.right(fmt(r.flat), 10) + " " + TextTable.right(fmt(r.cum), 10) + " (flat, cum) "
                    + Units.percentage(r.cum, of: total) + " of Total\n"
                if let e = r.error {
                    out += " Error: \(TextEscape.cell(e))\n"
                    continue
                }
                for line in r.lines {
                    out +=
                        TextTable.right(dot(line.flat), 10) + " " + TextTable.right(dot(line.cum), 10) + " "
                        + TextTable.right(String(line.number), 6) + ":" + TextEscape.cell(line.text, keepTabs: true)
                        + "\n"
                }
            }
        }
        return out
    }
}
