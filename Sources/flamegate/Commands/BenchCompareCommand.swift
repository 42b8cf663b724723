import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct BenchCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two `go test -bench -benchmem -count N` outputs, benchstat-style.",
        discussion: """
            One table per unit (sec/op, B/op, allocs/op, B/s and custom units from b.ReportMetric such as p99-ns, shown as p99-sec as benchstat does): each benchmark's median ± the 95% confidence interval of the median (as a percentage), for the base and the candidate, then the change of the medians with the Mann–Whitney U test's p-value and the sample sizes — or `~` when the change is not significant at --alpha (benchstat's rule: p > alpha). A geomean row ends each table of more than one benchmark (as benchstat; see docs/benchstat.md for the one deliberate difference). Run each benchmark at least 4–6 times (-count 6): with fewer the test cannot detect any change.

            This is a report, not a gate: the exit status is 0 whatever changed (2 on unreadable input).

            Examples:
              go test -bench . -benchmem -count 6 > base.txt   # on the base commit
              go test -bench . -benchmem -count 6 > cand.txt   # on the candidate
              flamegate bench compare base.txt cand.txt
              flamegate bench compare --alpha 0.01 --format json base.txt cand.txt
            """)

    @Option(name: names("alpha"), help: "Significance level of the U test (default 0.05).")
    var alpha: Double = Statistics.defaultAlpha

    @Option(name: names("confidence"), help: "Confidence level of the interval around each median (default 0.95).")
    var confidence: Double = Statistics.defaultConfidence

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    @Argument(help: ArgumentHelp("Base run (`go test -bench` output); - for stdin.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("Candidate run.", valueName: "cand"))
    var cand: String

    func validate() throws {
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1") }
        if !(confidence > 0 && confidence < 1) { throw ValidationError("--confidence must be between 0 and 1") }
        if base == "-" && cand == "-" { throw ValidationError("only one input can be stdin") }
    }

    func run() throws {
        var r = BenchCompareRequest(base: base, cand: cand)
        (r.alpha, r.confidence, r.format) = (alpha, confidence, format)
        let out = try BenchCompare.report(r, opener: .network)
        warn(out.warnings)
        try writeOut(out.text)
    }
}
