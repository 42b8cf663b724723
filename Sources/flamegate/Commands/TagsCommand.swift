import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "The value per label key and label value, as `go tool pprof -tags`.",
        discussion: """
            For each label key (Go's pprof.Do labels, numeric labels such as bytes), the total of the samples carrying it and the value per label value, as shares of the report total. Filters (--tagfocus, --tagshow, --focus…) apply first.

            Examples:
              flamegate tags cpu.pb.gz
              flamegate -tags -tagshow=handler cpu.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.tags, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
