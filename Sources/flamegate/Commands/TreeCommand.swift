import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct TreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Each function with its callers and callees, as `go tool pprof -tree`.",
        discussion: """
            Rows are sorted like `top`; above each row its callers, below it its callees, each with the value that flowed along that call and its share of the row's cum. Like pprof, shows the top 80 rows unless --nodecount says otherwise.

            Examples:
              flamegate tree cpu.pb.gz
              flamegate tree --nodecount 20 --focus 'main\\.' cpu.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("nodecount"), help: "Show at most N rows (default 80, as pprof).")
    var nodecount: Int = 80
    @Option(
        name: names("nodefraction"), help: "Drop rows whose cum is below this fraction of the total (default 0.005).")
    var nodefraction: Double = 0.005
    @Option(name: names("edgefraction"), help: "Drop calls below this fraction of the total (default 0.001).")
    var edgefraction: Double = 0.001
    @Flag(name: names("cum"), help: "Sort by cumulative value instead of flat.")
    var cum = false

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.tree, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.table.nodeCount = nodecount
        r.table.nodeFraction = nodefraction
        r.table.edgeFraction = edgefraction
        r.table.cumSort = cum
        r.table = analysis.trimmed(r.table)
        r.style = report.style
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
