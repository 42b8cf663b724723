import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct TracesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "Every sample's call stack with its value and labels, as `go tool pprof -traces`.",
        discussion: """
            Examples:
              flamegate traces cpu.pb.gz
              flamegate traces -sample_index=alloc_space allocs.pb.gz
              flamegate traces --tagfocus handler=pay cpu.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.traces, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
