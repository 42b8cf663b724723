import ArgumentParser
import FlamegateCore
import FlamegateGate

/// `flamegate gate`: pass or fail a change on rules over profiles, benchmarks, escape
/// analysis and metrics.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Pass or fail a change: YAML rules over profiles, Go benchmarks, escape analysis and JSON metrics.",
        discussion: """
            Compares the base (e.g. main) with the candidate (the PR) rule by rule and exits 0 (pass; warnings allowed), 1 (a rule with severity: fail tripped) or 2 (usage or input error: a bad rules file, a missing or unreadable input, a missing baseline — never a pass).

            Rules file (YAML; paths are relative to its folder; --base/--candidate replace the top-level base:/candidate:):

              base: [base/cpu.pb.gz, base/bench.txt]   # a path or a list
              candidate: [cand/cpu.pb.gz, cand/bench.txt]
              alpha: 0.05                              # U-test level
              rules:
                - name: map work                       # unique
                  kind: profile                        # profile | bench | escape | metric
                  frames: '^(runtime\\.map(access|assign)|internal/runtime/maps\\.)'
                  measure: cum                         # flat | cum (default cum)
                  sample_type: cpu                     # default: the default
                  compare: share                       # see below
                  threshold: 15
                  severity: fail                       # fail (default) | warn
                - name: mapassign speed
                  kind: bench
                  benchmark: 'Mapassign'               # regex on the printed name
                  unit: ns/op                          # B/op, allocs/op, p99-ns…
                  compare: limit
                  threshold: 800
                  severity: warn

            Kinds and their keys: profile (frames, measure, sample_type), bench (benchmark, unit), escape (file, function regexes; escape: heap|escapes|moved-to-heap|map|slice; profile: allocs profiles and hot: percent — only new escapes whose line allocates ≥ hot% count), metric (key: a key or dotted path of a JSON object whose values are numbers or lists of numbers). Every rule may also have direction (increase, the default: growth is bad; decrease for throughput-like measures), assume: exact, and its own base:/candidate: paths. Top-level inputs are routed to rules by content: pprof/perf/folded → profile, `go test -bench` output → bench, -gcflags=-m logs → escape, JSON objects → metric.

            Several files per side are repeated runs. Comparisons (threshold in brackets): relative — % change of the medians [percent]; absolute — change of the medians [the unit; profiles: the sample type's unit]; share — change of the share of the profile total [percentage points; profile only; relative on profiles also compares shares]; new — items in the candidate not in the base [a count, default 0]: profile functions matching frames, benchmarks, heap escapes (matched by file, function and expression); limit — the candidate's median against a fixed value [the unit; profile: share in percent], no base needed.

            Deciding: a rule trips when its change is beyond the threshold in the bad direction and, where a test is possible, significant. With several values per side (repeated runs: several files, or go test -count N) the Mann–Whitney U test decides as benchstat does (p ≤ alpha); reports show medians, the change with an interval built from the medians' 95% intervals, and p. With fewer than 4 values on a side the rule says "too few samples" and does not decide (exit 0) unless it has assume: exact. With one profile per side the normalized shares are compared directly and the report says that no test was possible. Escape counts, new items and limits are exact and need no test.

            Outputs: text on stdout; --markdown FILE (a PR comment: verdict, a table of rules with base, candidate, change, p and verdict, top contributing frames of profile rules); --json FILE; --junit FILE (one testcase per rule; fail = failure, too few samples = skipped). - writes to stdout.

            Examples:
              flamegate gate --rules gate.yml
              flamegate gate --rules gate.yml --base main/cpu.pb.gz main/bench.txt --candidate pr/cpu.pb.gz pr/bench.txt --markdown comment.md --junit gate.xml
            """)

    @Option(name: names("rules"), help: ArgumentHelp("The rules file (YAML).", valueName: "file"))
    var rules: String

    @Option(
        name: names("base"), parsing: .upToNextOption,
        help: ArgumentHelp("Base inputs (replace the file's top-level base:).", valueName: "path"))
    var base: [String] = []

    @Option(
        name: names("candidate", "cand"), parsing: .upToNextOption,
        help: ArgumentHelp("Candidate inputs (replace the file's top-level candidate:).", valueName: "path"))
    var candidate: [String] = []

    @Option(name: names("alpha"), help: "Significance level of the U test (overrides the file's alpha:).")
    var alpha: Double?

    @Option(name: names("markdown"), help: ArgumentHelp("Write a Markdown report (a PR comment).", valueName: "file"))
    var markdown: String?

    @Option(
        name: names("flame-diff"),
        help: ArgumentHelp(
            "Write a differential flame graph (HTML) of the cause; --markdown links it.", valueName: "file"))
    var flameDiff: String?

    @Option(name: names("json"), help: ArgumentHelp("Write a JSON report.", valueName: "file"))
    var json: String?

    @Option(name: names("junit"), help: ArgumentHelp("Write a JUnit XML report.", valueName: "file"))
    var junit: String?

    @Flag(name: names("fail-on-inconclusive"), help: "Exit 1 when a rule could not decide (too few runs).")
    var failOnInconclusive = false

    @Flag(name: names("quiet"), help: "No text report on stdout (the exit status and files only).")
    var quiet = false

    func validate() throws {
        if let alpha, !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1") }
    }

    func run() throws {
        let outcome = try Gate.run(
            GateRequest(
                rules: rules, alpha: alpha, base: base.isEmpty ? nil : base,
                candidate: candidate.isEmpty ? nil : candidate,
                failOnInconclusive: failOnInconclusive))
        if let flameDiff, let graph = try GateReport.flameDiff(outcome) { try writeFile(flameDiff, graph) }
        if let markdown { try writeFile(markdown, Array(GateReport.markdown(outcome, flameDiff: flameDiff).utf8)) }
        if let json { try writeFile(json, Array(GateReport.json(outcome).utf8)) }
        if let junit { try writeFile(junit, Array(GateReport.junit(outcome).utf8)) }
        if !quiet { try writeOut(GateReport.text(outcome)) }
        // 1 when a fail rule tripped; the reports are written first.
        if outcome.exitCode != 0 { throw ExitStatus.Regression() }
    }
}
