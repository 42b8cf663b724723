import ArgumentParser
import Flamegate

struct TracesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "Every sample's call stack with its value and labels, as `go tool pprof -traces`.",
        discussion: """
            Examples:
              flamegate traces cpu.pb.gz
              flamegate traces -sample_index=alloc_space allocs.pb.gz
            """)

    @OptionGroup var report: ReportFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        let p = try Reports.load(profiles)
        let si = try Reports.sampleIndex(p, report.sampleIndex, source: profiles.joined(separator: ", "))
        writeOut(Reports.traces(p, sampleIndex: si, style: report.style, format: report.format))
    }
}
