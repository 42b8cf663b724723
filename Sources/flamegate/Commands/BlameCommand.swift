import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct BlameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blame",
        abstract:
            "Charge runtime and system work (mallocgc, mapassign, memmove, libc…) to the user code that caused it.",
        discussion: """
            For every sample whose innermost frame is runtime, standard-library or system code, the value is charged to the nearest calling frame that is user code, and listed by that user frame and by the runtime function it called. User code is, by default, anything that is not Go's runtime or standard library (package paths whose first element has no dot, except main), not a system library (libc, ld.so, libstdc++, libswiftCore, Foundation, the kernel…). --user REGEX replaces that rule.

            Examples:
              flamegate blame cpu.pb.gz
              flamegate blame -sample_index=alloc_space allocs.pb.gz
              flamegate blame --user '^(main|github\\.com/acme)' --focus 'runtime\\.mallocgc' cpu.pb.gz
              flamegate flame --blame cpu.pb.gz -o blamed.svg
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("user"), help: "Regex for user code (replaces the default rule).")
    var user: String?

    @Option(name: names("nodecount"), help: "Rows per table (default 20; 0 = all).")
    var nodecount: Int = 20

    @Argument(
        help: ArgumentHelp("Profiles (pprof, perf script, folded); several are merged first.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = BlameRequest(query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.user = user
        r.limit = nodecount
        r.format = report.format
        let out = try AnalysisText.blame(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
