import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct CommentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comments",
        abstract: "The profile's free-form comments, one per line, as `go tool pprof -comments`.",
        discussion: """
            Examples:
              flamegate comments cpu.pb.gz
              flamegate -comments cpu.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.comments, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
