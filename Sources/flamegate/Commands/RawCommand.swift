import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct RawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw",
        abstract: "The profile itself — samples, locations, mappings — as `go tool pprof -raw` prints it.",
        discussion: """
            Sample values with their location ids and labels, then every location (address, mapping, inlined lines with function, file, line, column and start line), then the mappings. Filters apply first, as in pprof.

            Examples:
              flamegate raw heap.pb.gz
              flamegate -raw -focus=main cpu.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.raw, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
