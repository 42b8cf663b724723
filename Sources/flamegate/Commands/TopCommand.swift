import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Functions by flat (or cum) value, as `go tool pprof -top`.",
        discussion: """
            Reads pprof profiles (gzip or raw protobuf; `-` for stdin). Several profiles are merged first, as pprof does. The text output matches `go tool pprof -top` line for line: header, "Showing nodes accounting for …", columns flat flat% sum% cum cum%. Filters (--focus, --ignore, --hide, --show, --show-from, --prune-from, --tagfocus…) and comparisons (--diff-base, --base) have pprof's meanings.

            Examples:
              flamegate top cpu.pb.gz
              flamegate top -sample_index=alloc_space -nodecount=20 allocs.pb.gz
              flamegate top --focus 'main\\.payHandler' --hide '^runtime\\.' cpu.pb.gz
              flamegate top --diff-base before.pb.gz after.pb.gz
              flamegate top --cum --format json heap.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("nodecount"), help: "Show at most N rows (default: all).")
    var nodecount: Int?

    @Option(
        name: names("nodefraction"), help: "Drop rows whose cum is below this fraction of the total (default 0.005).")
    var nodefraction: Double = 0.005

    @Option(
        name: names("edgefraction"),
        help: "Ignore call edges below this fraction of the total when labelling inlined rows (default 0.001).")
    var edgefraction: Double = 0.001

    @Flag(name: names("cum"), help: "Sort by cumulative value instead of flat.")
    var cum = false

    @Flag(name: names("flat"), help: "Sort by flat value (the default).")
    var flat = false

    @Argument(help: ArgumentHelp("Profile files (pprof protobuf, gzip or not); - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
        if let nodecount, nodecount < 0 { throw ValidationError("-nodecount must be ≥ 0") }
    }

    func run() throws {
        var r = ProfileReportRequest(.top, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.table.nodeCount = nodecount ?? 0
        r.table.nodeFraction = nodefraction
        r.table.edgeFraction = edgefraction
        r.table.cumSort = cum
        r.table = analysis.trimmed(r.table)
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}

extension Granularity: ExpressibleByArgument {}
