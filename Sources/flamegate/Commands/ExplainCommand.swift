import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract:
            "Findings: known performance patterns in a profile, with the evidence and the next command to confirm each.",
        discussion: """
            Rules come from a documented YAML rule set (print it with --print-rules); --rules FILE adds your own rules in the same format (a rule with the same id replaces the built-in one). Each finding shows the share of the profile its frames account for, the widest matching frames, the user code they are charged to (as `flamegate blame` does), what the pattern usually means, and commands to confirm it. Exit status 0 whether or not anything was found.

            Examples:
              flamegate explain cpu.pb.gz
              flamegate explain --format markdown cpu.pb.gz allocs.pb.gz
              flamegate explain --rules team-findings.yml cpu.pb.gz
            """)

    @Option(name: names("rules"), help: "A YAML file of extra finding rules.")
    var rules: String?

    @Flag(name: names("print-rules"), help: "Print the built-in rules (YAML) and exit.")
    var printRules = false

    @Option(name: names("sample-index"), help: "Only this sample type (default: every sample type a rule applies to).")
    var sampleIndex: String?

    @Option(name: names("format"), help: "text, json or markdown.")
    var format: AnalysisText.FindingsFormat = .text

    @Argument(help: ArgumentHelp("Profiles; each is examined on its own.", valueName: "profile"))
    var profiles: [String] = []

    func validate() throws {
        if profiles.isEmpty && !printRules { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        if printRules { return try writeOut(FindingRules.defaultRulesYAML + "\n") }
        var r = FindingsRequest(profiles: profiles)
        r.rulesFile = rules
        r.sampleIndex = sampleIndex
        r.format = format
        try writeOut(try AnalysisText.explain(r, opener: .network))
    }
}

extension AnalysisText.FindingsFormat: ExpressibleByArgument {}
