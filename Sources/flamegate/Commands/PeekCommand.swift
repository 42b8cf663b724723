import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct PeekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peek",
        abstract: "Callers and callees of the functions matching a regex, as `go tool pprof -peek`.",
        discussion: """
            Unlike top and tree, nothing is trimmed: every caller and callee is listed.

            Examples:
              flamegate peek 'runtime\\.mallocgc$' allocs.pb.gz
              flamegate peek -sample_index=alloc_space 'main\\.payHandler' allocs.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Flag(name: names("cum"), help: "Sort by cumulative value instead of flat.")
    var cum = false

    @Argument(help: "Regex over row names (functions by default).")
    var regex: String

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.peek(regex), query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.table.nodeCount = 0
        r.table.nodeFraction = 0
        r.table.edgeFraction = 0
        r.table.cumSort = cum
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
