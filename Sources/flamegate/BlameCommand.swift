import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

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
        let sel = try analysis.select(profiles, sampleIndex: report.sampleIndex)
        var pattern: Pattern? = nil
        if let user {
            do { pattern = try Pattern(user, option: "user") } catch { throw ValidationError(error.message) }
        }
        let b = Blame(
            profile: sel.profile, sampleIndex: sel.sampleIndex, user: Blame.UserCode(pattern: pattern), total: sel.total
        )
        writeOut(
            AnalysisText.blame(
                b, sampleType: sel.profile.sampleTypes[sel.sampleIndex], format: report.format,
                limit: nodecount == 0 ? Int.max : nodecount))
    }
}

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
        if printRules {
            writeOut(FindingRules.defaultRulesYAML + "\n")
            return
        }
        var user: [FindingRule] = []
        if let rules {
            let bytes = try ProfileInput.readBytes(rules)
            user = try FindingRules.parse(String(decoding: bytes, as: UTF8.self), source: rules)
        }
        let all = FindingRules.combined(user: user)
        var findings: [Finding] = []
        for path in profiles {
            let p = try ProfileLoader.load([path], opener: .network)
            let si = try sampleIndex.map { name throws(InputError) in try ProfileLoader.sampleIndex(p, name, source: path) }
            findings += Findings.evaluate(p, rules: all, sampleIndex: si, source: path)
        }
        writeOut(AnalysisText.findings(findings, profiles: profiles, format: format))
    }
}

extension AnalysisText.FindingsFormat: ExpressibleByArgument {}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract:
            "Compare two profiles function by function: flat and cum in each, the change and the relative change.",
        discussion: """
            Rows are sorted by the size of the flat change (--cum: the cum change). --normalize scales the base to the candidate's total, so a function's share is compared rather than its absolute value. Filters apply to both profiles. For pprof's own comparison report use `flamegate top --diff-base BASE CANDIDATE`.

            Examples:
              flamegate diff before.pb.gz after.pb.gz
              flamegate diff --normalize --nodecount 10 before.pb.gz after.pb.gz
              flamegate diff -sample_index=alloc_space --format json allocs-old.pb.gz allocs-new.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("nodecount"), help: "Rows to show (default 30; 0 = all).")
    var nodecount: Int = 30

    @Flag(name: names("cum"), help: "Sort by the change in cum instead of flat.")
    var cum = false

    @Argument(help: "The base profile (before).")
    var base: String

    @Argument(help: "The candidate profile (after).")
    var candidate: String

    func run() throws {
        let b = try analysis.select([base], sampleIndex: report.sampleIndex)
        let bt = b.profile.sampleTypes[b.sampleIndex].type
        let c = try analysis.select([candidate], sampleIndex: report.sampleIndex ?? bt)
        let bu = b.profile.sampleTypes[b.sampleIndex].unit
        let cu = c.profile.sampleTypes[c.sampleIndex].unit
        if bu != cu {
            throw InputError(
                source: candidate, "unit \(cu) differs from the base's \(bu); pick matching --sample-index values")
        }
        let d = FunctionDiff(
            base: b.profile, baseIndex: b.sampleIndex, candidate: c.profile, candidateIndex: c.sampleIndex,
            options: analysis.tableOptions(), normalize: analysis.normalize, sortByCum: cum)
        writeOut(
            AnalysisText.diff(
                d, base: base, candidate: candidate, format: report.format, limit: nodecount == 0 ? Int.max : nodecount)
        )
    }
}
