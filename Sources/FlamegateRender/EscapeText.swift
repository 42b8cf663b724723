import FlamegateCore

/// Text and JSON for `flamegate escape report` and `escape diff`.
public enum EscapeText {
    static func kindLabel(_ f: EscapeFinding) -> String {
        if f.isMap { return "map" }
        if f.isSlice { return "slice" }
        return f.kind == .movedToHeap ? "moved" : "escape"
    }

    /// One table row: position, function, kind, (heat cells with a profile,) expression;
    /// counts hot rows into `hot`.
    static func row(_ f: EscapeFinding, _ sites: AllocSites?, _ hotFraction: Double, hot: inout Int) -> [String] {
        var row = [f.position, f.function.isEmpty ? "-" : f.function, kindLabel(f)]
        if let sites {
            let cells = heatCells(f, sites, hotFraction)
            if cells[2] == "HOT" { hot += 1 }
            row += cells
        }
        row.append(f.expression)
        return row
    }

    static func heatCells(_ f: EscapeFinding, _ sites: AllocSites, _ hot: Double) -> [String] {
        guard let h = sites.heat(file: f.file, line: f.line) else { return ["-", "-", ""] }
        let pct =
            sites.totalSpace > 0 ? " (" + Units.percentage(h.space, of: sites.totalSpace).trimming() + ")" : ""
        return [
            Units.label(h.space, unit: "bytes") + pct, String(h.objects), sites.isHot(h, fraction: hot) ? "HOT" : "",
        ]
    }

    static func jsonFinding(_ j: inout JSONWriter, _ f: EscapeFinding, _ sites: AllocSites?, _ hot: Double) {
        j.beginObject()
        j.field("file", f.file)
        j.field("line", f.line)
        j.field("column", f.column)
        j.field("function", f.function)
        j.field("kind", f.kind.rawValue)
        j.field("expression", f.expression)
        j.field("map", f.isMap)
        j.field("slice", f.isSlice)
        if !f.explanation.isEmpty {
            j.field("explanation", f.explanation)
        }
        if let sites {
            if let h = sites.heat(file: f.file, line: f.line) {
                j.field(sites.spaceType.isEmpty ? "alloc_space" : sites.spaceType, h.space)
                j.field(sites.objectsType.isEmpty ? "alloc_objects" : sites.objectsType, h.objects)
            }
            j.field("hot", sites.isHot(sites.heat(file: f.file, line: f.line), fraction: hot))
        }
        j.endObject()
    }

    /// Heap escapes ordered by position (file, line, column), or by heat first with a profile.
    static func ordered(_ fs: [EscapeFinding], _ sites: AllocSites?) -> [EscapeFinding] {
        let byPos = fs.sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            return a.expression < b.expression
        }
        guard let sites else { return byPos }
        let heat = byPos.map { sites.heat(file: $0.file, line: $0.line)?.space ?? -1 }
        let idx = Array(byPos.indices).sorted { heat[$0] != heat[$1] ? heat[$0] > heat[$1] : $0 < $1 }
        return idx.map { byPos[$0] }
    }

    /// The profile's allocations charged to lines of the build logs' files.
    static func sites(_ profile: [String], _ logs: [EscapeReport], opener: InputOpener) throws(InputError)
        -> AllocSites?
    {
        if profile.isEmpty { return nil }
        let p = try ProfileLoader.load(profile, opener: opener)
        var files: [String] = []
        for r in logs { for f in r.findings where !files.contains(f.file) { files.append(f.file) } }
        return try AllocSites(profile: p, source: profile.joined(separator: ", "), files: files)
    }

    /// `escape report`: heap escapes by position, or by heat with a profile.
    public static func report(_ r: EscapeReportRequest, opener: InputOpener = .files) throws(InputError) -> String {
        let log = try GoEscape.read(r.input, opener: opener)
        let sites = try sites(r.profile, [log], opener: opener)
        let heap = ordered(log.heapEscapes, sites)
        if r.format == .json {
            var j = JSONWriter()
            j.beginObject()
            j.field("source", r.input)
            j.field("verbose", log.verbose)
            if let sites {
                j.field("profile_total_space", sites.totalSpace)
                j.field("profile_total_objects", sites.totalObjects)
            }
            j.beginArray("escapes")
            for f in heap { jsonFinding(&j, f, sites, r.hotFraction) }
            j.endArray()
            j.endObject()
            return j.text + "\n"
        }
        var rows: [[String]] = []
        var header = ["POSITION", "FUNCTION", "KIND"]
        if sites != nil { header += ["ALLOC_SPACE", "ALLOC_OBJECTS", "HOT"] }
        header.append("EXPRESSION")
        rows.append(header)
        var hot = 0
        rows += heap.map { row($0, sites, r.hotFraction, hot: &hot) }
        var out = TextTable.render(rows)
        if r.explain {
            let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
            out = ""
            for (i, l) in lines.enumerated() where i < heap.count + 1 {
                out += l + "\n"
                if i > 0 { for e in heap[i - 1].explanation { out += "    " + TextEscape.cell(e) + "\n" } }
            }
        }
        let maps = heap.filter(\.isMap).count
        let slices = heap.filter(\.isSlice).count
        out += "\n\(heap.count) heap escapes (\(maps) maps, \(slices) slices)"
        if sites != nil {
            out +=
                ", \(hot) hot (≥ \(Units.cFormat("%g", r.hotFraction * 100))% of \(TextEscape.cell(sites?.spaceType ?? "alloc_space")))"
        }
        if !log.verbose { out += "; build with -gcflags='-m -m' to name every function" }
        return out + "\n"
    }

    /// `escape diff`: escapes new in the candidate and gone from the base.
    public static func diff(_ r: EscapeDiffRequest, opener: InputOpener = .files) throws(InputError) -> String {
        let b = try GoEscape.read(r.base, opener: opener)
        let c = try GoEscape.read(r.cand, opener: opener)
        let sites = try sites(r.profile, [b, c], opener: opener)
        let d = EscapeDiff.compare(base: b, cand: c)
        let added = ordered(d.added, sites)
        let removed = ordered(d.removed, nil)
        if r.format == .json {
            var j = JSONWriter()
            j.beginObject()
            j.field("base", r.base)
            j.field("candidate", r.cand)
            j.beginArray("added")
            for f in added { jsonFinding(&j, f, sites, r.hotFraction) }
            j.endArray()
            j.beginArray("removed")
            for f in removed { jsonFinding(&j, f, nil, r.hotFraction) }
            j.endArray()
            j.field("unchanged", d.unchanged)
            j.endObject()
            return j.text + "\n"
        }
        var out = ""
        var hot = 0
        out += "new heap escapes: \(added.count)\n"
        if !added.isEmpty {
            out += TextTable.render(added.map { ["+"] + row($0, sites, r.hotFraction, hot: &hot) })
        }
        out += "removed heap escapes: \(removed.count)\n"
        if !removed.isEmpty {
            var none = 0
            out += TextTable.render(removed.map { ["-"] + row($0, nil, 0, hot: &none) })
        }
        out += "unchanged: \(d.unchanged)\n"
        if sites != nil { out += "hot new escapes: \(hot)\n" }
        if !b.verbose || !c.verbose {
            out += "note: plain -m logs name no function; escapes are matched by file and expression only\n"
        }
        return out
    }
}

/// `flamegate escape report`: one build log's heap escapes, optionally joined with a profile.
public struct EscapeReportRequest: Sendable {
    /// The `-gcflags=-m` build log; - for stdin.
    public var input: String
    /// Allocation profiles to join with each escape's file:line.
    public var profile: [String] = []
    /// An escape is hot when its line has at least this fraction of alloc_space.
    public var hotFraction = 0.01
    /// Print -m -m's flow explanation under each escape.
    public var explain = false
    /// text or json.
    public var format: Reports.Format = .text
    /// A report of `input`.
    public init(input: String) { self.input = input }
}

/// `flamegate escape diff`: escapes added and removed between two build logs.
public struct EscapeDiffRequest: Sendable {
    /// The base build log.
    public var base: String
    /// The candidate build log.
    public var cand: String
    /// Allocation profiles of the candidate build.
    public var profile: [String] = []
    /// An escape is hot when its line has at least this fraction of alloc_space.
    public var hotFraction = 0.01
    /// text or json.
    public var format: Reports.Format = .text
    /// A comparison of `cand` with `base`.
    public init(base: String, cand: String) {
        self.base = base
        self.cand = cand
    }
}
