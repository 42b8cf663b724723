import ArgumentParser
import FlamegateCapture
import FlamegateCore

struct ProtoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proto",
        abstract: "The profile after filters and comparisons, as gzip pprof, as `go tool pprof -proto`.",
        discussion: """
            Examples:
              flamegate proto --focus 'main\\.' cpu.pb.gz -o focused.pb.gz
              flamegate -proto -output=merged.pb.gz cpu1.pb.gz cpu2.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("output", short: "o"), help: "Output file; - for stdout (the default).")
    var output: String = "-"

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        let out = try analysis.query(profiles, sampleIndex: report.sampleIndex).proto(opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeFile(output, out.bytes)
    }
}
