import FlamegateCore

/// The engine's entry points for whole reports: read inputs, merge, analyse, render.
/// Front ends (the CLI, later the web UI) only parse flags and call these.
public enum Reports {
    /// Output formats of the text reports.
    public enum Format: String, CaseIterable, Sendable { case text, json }

    /// `tree` (every row with callers and callees) or `peek` (only rows matching `symbol`).
    public static func tree(
        _ sel: ProfileSelection, options: TableOptions, style: ReportStyle, symbol: String? = nil
    ) throws(InputError) -> String {
        var o = options
        o.sampleIndex = sel.sampleIndex
        let table = FunctionTable(profile: sel.profile, options: o, total: sel.total)
        let edges = table.edges(profile: sel.profile, sampleIndex: sel.sampleIndex, cutoff: table.edgeCutoff)
        var pattern: Pattern? = nil
        if let symbol {
            do { pattern = try Pattern(symbol, option: "peek") } catch {
                throw InputError(source: "peek", error.message)
            }
        }
        guard
            let text = PprofText.tree(
                sel.profile, table, edges: edges, sampleIndex: sel.sampleIndex, options: o, style: style,
                symbol: pattern,
                activeFilters: sel.activeFilters)
        else {
            throw InputError(source: "peek", "no matches found for regexp: \(symbol ?? "")")
        }
        return text
    }

    /// `-dot`: pprof's call graph of a selection as DOT text (`options`: granularity,
    /// node count and fractions; `callTree`: pprof's `-call_tree`).
    public static func dot(_ sel: ProfileSelection, options: TableOptions, callTree: Bool, style: ReportStyle)
        -> String
    {
        var o = options
        o.sampleIndex = sel.sampleIndex
        let g = CallGraph(profile: sel.profile, options: o, callTree: callTree, tagUnit: style.outputUnit)
        return CallGraphDot.render(
            g, profile: sel.profile, sampleIndex: sel.sampleIndex, total: sel.total, options: o, style: style,
            activeFilters: sel.activeFilters)
    }

    /// `top` over a selection.
    public static func top(_ sel: ProfileSelection, options: TableOptions, style: ReportStyle, format: Format) -> String
    {
        var o = options
        o.sampleIndex = sel.sampleIndex
        let table = FunctionTable(profile: sel.profile, options: o, total: sel.total)
        return top(
            sel.profile, table: table, options: o, style: style, format: format, activeFilters: sel.activeFilters)
    }

    /// `top`: pprof's flat/cum table.
    public static func top(_ p: Profile, options: TableOptions, style: ReportStyle, format: Format) -> String {
        top(p, table: FunctionTable(profile: p, options: options), options: options, style: style, format: format)
    }

    static func top(
        _ p: Profile, table: FunctionTable, options: TableOptions, style: ReportStyle, format: Format,
        activeFilters: [String] = []
    ) -> String {
        switch format {
        case .text:
            return PprofText.top(
                p, table, sampleIndex: options.sampleIndex, options: options, style: style, activeFilters: activeFilters
            )
        case .json:
            let st = p.sampleTypes[options.sampleIndex]
            var j = JSONWriter()
            j.beginObject()
            j.field("sample_type", st.type)
            j.field("unit", st.unit)
            j.field("total", table.total)
            j.field("shown", table.shownTotal)
            j.field("dropped_nodes", table.droppedNodes)
            j.field("nodes_before_limit", table.originalCount)
            j.beginArray("rows")
            var sum: Int64 = 0
            for r in table.rows {
                sum &+= r.flat
                j.beginObject()
                j.field("name", r.name)
                j.field("flat", r.flat)
                j.field("flat_percent", pct(r.flat, table.total))
                j.field("sum_percent", pct(sum, table.total))
                j.field("cum", r.cum)
                j.field("cum_percent", pct(r.cum, table.total))
                if !r.inlineLabel.isEmpty { j.field("inline", r.inlineLabel) }
                j.endObject()
            }
            j.endArray()
            j.endObject()
            return j.text + "\n"
        }
    }

    /// `traces`: every sample's stack.
    public static func traces(
        _ p: Profile, sampleIndex: Int, style: ReportStyle, format: Format, total: Int64? = nil,
        granularity: Granularity = .functions, inlines: Bool = true
    ) -> String {
        switch format {
        case .text:
            return PprofText.traces(
                p, sampleIndex: sampleIndex, granularity: granularity, inlines: inlines, style: style, total: total)
        case .json:
            let nodes = NodeTable(profile: p, granularity: granularity, inlines: inlines)
            var j = JSONWriter()
            j.beginObject()
            j.field("sample_type", p.sampleTypes[sampleIndex].type)
            j.field("unit", p.sampleTypes[sampleIndex].unit)
            j.beginArray("samples")
            let s = p.samples
            for i in 0..<s.count {
                j.beginObject()
                j.field("value", s.value(i, sampleIndex))
                j.beginArray("labels")
                for k in s.labelRange(i) {
                    let l = s.labels[k]
                    j.beginObject()
                    j.field("key", p.strings[l.key])
                    if l.isString {
                        j.field("value", p.strings[l.str])
                    } else {
                        j.field("num", l.num)
                        if l.unit != 0 { j.field("unit", p.strings[l.unit]) }
                    }
                    j.endObject()
                }
                j.endArray()
                j.beginArray("stack")
                for k in s.locationRange(i) {
                    let loc = Int(s.locations[k])
                    for f in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                        j.value(nodes.names[Int(nodes.frames[f])])
                    }
                }
                j.endArray()
                j.endObject()
            }
            j.endArray()
            j.endObject()
            return j.text + "\n"
        }
    }

    /// `info`: what a profile holds.
    public static func info(_ p: Profile, source: String, style: ReportStyle, format: Format) -> String {
        let totals = p.totals()
        let defaultIndex = (try? p.sampleIndex(named: "")) ?? 0
        switch format {
        case .json:
            var j = JSONWriter()
            j.beginObject()
            j.field("source", source)
            j.beginArray("sample_types")
            for (i, st) in p.sampleTypes.enumerated() {
                j.beginObject()
                j.field("type", st.type)
                j.field("unit", st.unit)
                j.field("total", totals[i])
                j.field("default", i == defaultIndex)
                j.endObject()
            }
            j.endArray()
            if let pt = p.periodType {
                j.field("period_type", pt.type)
                j.field("period_unit", pt.unit)
            }
            j.field("period", p.period)
            j.field("time_nanos", p.timeNanos)
            j.field("duration_nanos", p.durationNanos)
            j.field("samples", p.samples.count)
            j.field("locations", p.locations.count)
            j.field("functions", p.functions.count)
            j.field("mappings", p.mappings.count)
            j.field("strings", p.strings.count)
            j.field("comments", p.comments)
            if !p.dropFrames.isEmpty { j.field("drop_frames", p.dropFrames) }
            if !p.keepFrames.isEmpty { j.field("keep_frames", p.keepFrames) }
            if !p.docURL.isEmpty { j.field("doc_url", p.docURL) }
            j.endObject()
            return j.text + "\n"
        case .text:
            let esc = { (s: String) in TextEscape.cell(s) }
            var out = "Source: \(esc(source))\n"
            if let m = p.mappings.first, m.file != 0 { out += "File: \(esc(PathClean.base(p.strings[m.file])))\n" }
            if let m = p.mappings.first, m.buildID != 0 { out += "Build ID: \(esc(p.strings[m.buildID]))\n" }
            for c in p.comments { out += "Comment: \(esc(c))\n" }
            if p.timeNanos != 0 { out += "Time: \(PprofText.formatTime(p.timeNanos, utc: style.utc))\n" }
            if p.durationNanos != 0 { out += "Duration: \(Units.label(p.durationNanos, unit: "nanoseconds"))\n" }
            if let pt = p.periodType, !(pt.type.isEmpty && pt.unit.isEmpty) {
                out += "Period: \(p.period) \(esc(pt.unit)) (\(esc(pt.type)))\n"
            } else if p.period != 0 {
                out += "Period: \(p.period)\n"
            }
            if !p.docURL.isEmpty { out += "Doc: \(esc(p.docURL))\n" }
            if !p.dropFrames.isEmpty { out += "Drop frames: \(esc(p.dropFrames))\n" }
            if !p.keepFrames.isEmpty { out += "Keep frames: \(esc(p.keepFrames))\n" }
            out += "Samples: \(p.samples.count)\n"
            out += "Locations: \(p.locations.count)\n"
            out += "Functions: \(p.functions.count)\n"
            out += "Mappings: \(p.mappings.count)\n"
            out += "Sample types (total):\n"
            for (i, st) in p.sampleTypes.enumerated() {
                let mark = i == defaultIndex ? "  [default]" : ""
                out +=
                    "  \(i): \(esc(st.type))/\(esc(st.unit))  \(Units.label(totals[i], unit: st.unit)) (\(totals[i]))\(mark)\n"
            }
            return out
        }
    }

    static func pct(_ v: Int64, _ total: Int64) -> Double {
        total == 0 ? 0 : Double(v) / Double(total) * 100
    }
}
