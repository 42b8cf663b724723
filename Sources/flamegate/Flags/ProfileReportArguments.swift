import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

/// What pprof's plain reports (traces, tags, raw, comments) take: report and analysis
/// flags and the profiles; running one is building its request and one library call.
struct ProfileReportArguments: ParsableArguments {
    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    /// Runs report `kind` over the profiles and prints it (warnings on stderr).
    func run(_ kind: ProfileReportRequest.Kind) throws {
        var r = ProfileReportRequest(kind, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
