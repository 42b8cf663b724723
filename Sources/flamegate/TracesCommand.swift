import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

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
        let sel = try analysis.select(profiles, sampleIndex: report.sampleIndex)
        writeOut(
            Reports.traces(
                sel.profile, sampleIndex: sel.sampleIndex, style: report.style, format: report.format, total: sel.total,
                granularity: analysis.effectiveGranularity, inlines: !analysis.noinlines))
    }
}
