import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

/// `flamegate escape …`: Go escape analysis (`go build -gcflags=-m`).
struct EscapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escape",
        abstract:
            "Go escape analysis (`go build -gcflags=-m` output): heap escapes, their diff, joined with an allocation profile.",
        subcommands: [EscapeReportCommand.self, EscapeDiffCommand.self])
}

struct EscapeOptions: ParsableArguments {
    @Option(
        name: names("profile"),
        help: "A Go allocs/heap profile: join each escape with the alloc_space/alloc_objects recorded at its file:line."
    )
    var profile: [String] = []

    @Option(
        name: names("hot-fraction"),
        help:
            "With --profile, an escape is hot when its line accounts for at least this fraction of alloc_space (default 0.01)."
    )
    var hotFraction: Double = 0.01

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    func validate() throws {
        if !(hotFraction >= 0 && hotFraction <= 1) { throw ValidationError("--hot-fraction must be between 0 and 1") }
    }

    /// The profile's allocations charged to lines of the build logs' files.
    func sites(_ logs: [EscapeReport]) throws -> AllocSites? {
        if profile.isEmpty { return nil }
        let p = try ProfileLoader.load(profile, opener: .network)
        var files: [String] = []
        for r in logs { for f in r.findings where !files.contains(f.file) { files.append(f.file) } }
        return try AllocSites(profile: p, source: profile.joined(separator: ", "), files: files)
    }
}

/// Shared rendering of findings.
enum EscapeText {
    static func kindLabel(_ f: EscapeFinding) -> String {
        if f.isMap { return "map" }
        if f.isSlice { return "slice" }
        return f.kind == .movedToHeap ? "moved" : "escape"
    }

    static func pad(_ s: String, _ w: Int) -> String {
        let n = s.count
        return n >= w ? s : s + String(repeating: " ", count: w - n)
    }

    static func lpad(_ s: String, _ w: Int) -> String {
        let n = s.count
        return n >= w ? s : String(repeating: " ", count: w - n) + s
    }

    /// Rows aligned in columns; the last column is not padded.
    static func table(_ rows: [[String]], right: Set<Int> = []) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                if i > 0 { line += "  " }
                if i == r.count - 1 && !right.contains(i) {
                    line += c
                } else {
                    line += right.contains(i) ? lpad(c, widths[i]) : pad(c, widths[i])
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    static func heatCells(_ f: EscapeFinding, _ sites: AllocSites, _ hot: Double) -> [String] {
        guard let h = sites.heat(file: f.file, line: f.line) else { return ["-", "-", ""] }
        let pct =
            sites.totalSpace > 0 ? " (" + Units.percentage(h.space, of: sites.totalSpace).trimmingSpaces() + ")" : ""
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
            j.beginArray("explanation")
            for e in f.explanation { j.value(e) }
            j.endArray()
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
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

struct EscapeReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "List heap escapes (escapes to heap, moved to heap) by file:line and function; maps and slices marked.",
        discussion: """
            Reads the compiler's diagnostics: `go build -gcflags=-m ./... 2> build.txt` (or `-gcflags='-m -m'`, which also names the function of every escape and explains it). With plain -m the function column is empty where the compiler does not say.

            With --profile allocs.pb.gz each escape is joined with the alloc_space and alloc_objects that the profile records at its file:line (profile paths are absolute build paths; they are matched on their suffix), escapes are ordered by bytes, and those above --hot-fraction of the profile's alloc_space are marked HOT.

            Examples:
              go build -gcflags=-m ./cmd/server 2> escape.txt
              flamegate escape report escape.txt
              flamegate escape report --profile allocs.pb.gz escape.txt
            """)

    @OptionGroup var options: EscapeOptions

    @Flag(name: names("explain"), help: "Print -m -m's flow explanation under each escape.")
    var explain = false

    @Argument(help: ArgumentHelp("Build log with -gcflags=-m diagnostics; - for stdin.", valueName: "build-log"))
    var input: String

    func run() throws {
        let r = try GoEscape.read(input)
        let sites = try options.sites([r])
        let heap = EscapeText.ordered(r.heapEscapes, sites)
        if options.format == .json {
            var j = JSONWriter()
            j.beginObject()
            j.field("source", input)
            j.field("verbose", r.verbose)
            if let sites {
                j.field("profile_total_space", sites.totalSpace)
                j.field("profile_total_objects", sites.totalObjects)
            }
            j.beginArray("escapes")
            for f in heap { EscapeText.jsonFinding(&j, f, sites, options.hotFraction) }
            j.endArray()
            j.endObject()
            writeOut(j.text + "\n")
            return
        }
        var rows: [[String]] = []
        var header = ["POSITION", "FUNCTION", "KIND"]
        if sites != nil { header += ["ALLOC_SPACE", "ALLOC_OBJECTS", "HOT"] }
        header.append("EXPRESSION")
        rows.append(header)
        var hot = 0
        for f in heap {
            var row = [f.position, f.function.isEmpty ? "-" : f.function, EscapeText.kindLabel(f)]
            if let sites {
                let cells = EscapeText.heatCells(f, sites, options.hotFraction)
                if cells[2] == "HOT" { hot += 1 }
                row += cells
            }
            row.append(f.expression)
            rows.append(row)
        }
        var out = EscapeText.table(rows)
        if explain {
            let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
            out = ""
            for (i, l) in lines.enumerated() where i < heap.count + 1 {
                out += l + "\n"
                if i > 0 { for e in heap[i - 1].explanation { out += "    " + e + "\n" } }
            }
        }
        let maps = heap.filter(\.isMap).count
        let slices = heap.filter(\.isSlice).count
        out += "\n\(heap.count) heap escapes (\(maps) maps, \(slices) slices)"
        if sites != nil {
            out +=
                ", \(hot) hot (≥ \(Units.cFormat("%g", options.hotFraction * 100))% of \(sites?.spaceType ?? "alloc_space"))"
        }
        if !r.verbose { out += "; build with -gcflags='-m -m' to name every function" }
        writeOut(out + "\n")
    }
}

struct EscapeDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Heap escapes new in CAND and gone from BASE, matched by file, function and expression (not line).",
        discussion: """
            Both inputs are `go build -gcflags=-m` logs (use -m -m on both for function names). An escape counts as unchanged when the same expression escapes in the same function of the same file, wherever the lines moved. With --profile (a profile of the candidate build) each new escape shows the allocation recorded at its line, and hot ones are marked.

            Exit status 0 (a report, not a gate); 2 on unreadable input.

            Examples:
              flamegate escape diff base-escape.txt cand-escape.txt
              flamegate escape diff --profile allocs.pb.gz --format json base.txt cand.txt
            """)

    @OptionGroup var options: EscapeOptions

    @Argument(help: ArgumentHelp("Base build log.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("Candidate build log.", valueName: "cand"))
    var cand: String

    func validate() throws {
        if base == "-" && cand == "-" { throw ValidationError("only one input can be stdin") }
    }

    func run() throws {
        let b = try GoEscape.read(base)
        let c = try GoEscape.read(cand)
        let sites = try options.sites([b, c])
        let d = EscapeDiff.compare(base: b, cand: c)
        let added = EscapeText.ordered(d.added, sites)
        let removed = EscapeText.ordered(d.removed, nil)
        if options.format == .json {
            var j = JSONWriter()
            j.beginObject()
            j.field("base", base)
            j.field("cand", cand)
            j.beginArray("added")
            for f in added { EscapeText.jsonFinding(&j, f, sites, options.hotFraction) }
            j.endArray()
            j.beginArray("removed")
            for f in removed { EscapeText.jsonFinding(&j, f, nil, options.hotFraction) }
            j.endArray()
            j.field("unchanged", d.unchanged)
            j.endObject()
            writeOut(j.text + "\n")
            return
        }
        var out = ""
        var hot = 0
        out += "new heap escapes: \(added.count)\n"
        if !added.isEmpty {
            var rows: [[String]] = []
            for f in added {
                var row = ["+", f.position, f.function.isEmpty ? "-" : f.function, EscapeText.kindLabel(f)]
                if let sites {
                    let cells = EscapeText.heatCells(f, sites, options.hotFraction)
                    if cells[2] == "HOT" { hot += 1 }
                    row += cells
                }
                row.append(f.expression)
                rows.append(row)
            }
            out += EscapeText.table(rows)
        }
        out += "removed heap escapes: \(removed.count)\n"
        if !removed.isEmpty {
            out += EscapeText.table(
                removed.map {
                    [
                        "-", $0.position, $0.function.isEmpty ? "-" : $0.function, EscapeText.kindLabel($0),
                        $0.expression,
                    ]
                })
        }
        out += "unchanged: \(d.unchanged)\n"
        if sites != nil { out += "hot new escapes: \(hot)\n" }
        if !b.verbose || !c.verbose {
            out += "note: plain -m logs name no function; escapes are matched by file and expression only\n"
        }
        writeOut(out)
    }
}
