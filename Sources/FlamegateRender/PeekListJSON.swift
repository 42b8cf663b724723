import FlamegateCore

/// `peek` and `list` as JSON (`--format json`, and `serve`'s `/api/peek` and `/api/list`):
/// the same rows and lines as pprof's text, values raw in the sample type's unit.
extension Reports {
    /// `peek REGEX --format json`: each matching row with its callers and callees, in the
    /// text report's order (edges by |weight|, then caller name, then callee name).
    public static func peekJSON(_ sel: ProfileSelection, options: TableOptions, symbol: String) throws(InputError)
        -> String
    {
        var o = options
        o.sampleIndex = sel.sampleIndex
        let pattern: Pattern
        do { pattern = try Pattern(symbol, option: "peek") } catch { throw InputError(source: "peek", error.message) }
        let table = FunctionTable(profile: sel.profile, options: o, total: sel.total)
        let edges = table.edges(profile: sel.profile, sampleIndex: sel.sampleIndex, cutoff: table.edgeCutoff)
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
        let st = sel.profile.sampleTypes[sel.sampleIndex]
        var j = JSONWriter()
        j.beginObject()
        j.field("sample_type", st.type)
        j.field("unit", st.unit)
        j.field("total", table.total)
        j.field("regex", symbol)
        j.beginArray("rows")
        var matched = 0
        var sum: Int64 = 0
        for r in table.rows {
            guard pattern.matches(r.name) else { continue }
            matched += 1
            sum &+= r.flat  // as the text's sum%: over the matching rows
            j.beginObject()
            j.field("name", r.name)
            j.field("flat", r.flat)
            j.field("flat_percent", pct(r.flat, table.total))
            j.field("sum_percent", pct(sum, table.total))
            j.field("cum", r.cum)
            j.field("cum_percent", pct(r.cum, table.total))
            for (key, list, other) in [
                ("callers", sorted(ins[r.node] ?? []), true), ("callees", sorted(outs[r.node] ?? []), false),
            ] {
                j.beginArray(key)
                for e in list {
                    j.beginObject()
                    j.field("name", names[Int(other ? e.parent : e.child)])
                    j.field("value", e.weight)
                    j.field("percent", pct(e.weight, r.cum))
                    if e.inline { j.field("inline", true) }
                    j.endObject()
                }
                j.endArray()
            }
            j.endObject()
        }
        j.endArray()
        j.endObject()
        if matched == 0 { throw InputError(source: "peek", "no matches found for regexp: \(symbol)") }
        return j.text + "\n"
    }

    /// `list REGEX --format json`: each matching function's source lines with their flat and
    /// cum (routines whose source could not be read carry `error`; functions without any
    /// line information are listed in `no_source`).
    public static func listJSON(_ l: SourceListing, profile p: Profile, sampleIndex si: Int, total: Int64) -> String {
        let st = p.sampleTypes[si]
        var j = JSONWriter()
        j.beginObject()
        j.field("sample_type", st.type)
        j.field("unit", st.unit)
        j.field("total", total)
        j.beginArray("routines")
        for entry in l.order where !entry.noSource {
            for i in entry.routines {
                let r = l.routines[i]
                j.beginObject()
                j.field("name", r.name)
                j.field("file", r.file)
                j.field("flat", r.flat)
                j.field("cum", r.cum)
                j.field("cum_percent", pct(r.cum, total))
                if let e = r.error { j.field("error", e) }
                j.beginArray("lines")
                for line in r.lines {
                    j.beginObject()
                    j.field("line", line.number)
                    j.field("flat", line.flat)
                    j.field("cum", line.cum)
                    j.field("text", line.text)
                    j.endObject()
                }
                j.endArray()
                j.endObject()
            }
        }
        j.endArray()
        j.field("no_source", l.order.filter(\.noSource).map(\.name))
        j.endObject()
        return j.text + "\n"
    }
}
