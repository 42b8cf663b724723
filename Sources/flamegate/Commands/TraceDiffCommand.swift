import ArgumentParser
import FlamegateCapture
import FlamegateCore

/// `flamegate trace diff BASE CAND` (or several of each with --base/--candidate).
struct TraceDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the trace stats of two builds: pauses, GC, scheduler latency, blocking, tasks.",
        discussion: """
            The figures of `trace stats` (same definitions) side by side with their change. With several traces per side (repeated runs: --base a.trace --base b.trace … --candidate …) each row shows the medians, and the change only where the Mann–Whitney U test over the per-trace figures is significant (p ≤ --alpha), as `bench compare` does; "~" otherwise.

            Examples:
              flamegate trace diff old.trace new.trace
              flamegate trace diff --base old1.trace --base old2.trace --base old3.trace --base old4.trace --candidate new1.trace …
            """)

    @Option(name: names("base"), help: "A base trace (repeat for repeated runs).")
    var base: [String] = []

    @Option(name: names("candidate"), help: "A candidate trace (repeat for repeated runs).")
    var candidate: [String] = []

    @Option(name: names("alpha"), help: "Significance level of the U test (default 0.05).")
    var alpha: Double = Statistics.defaultAlpha

    @Argument(help: ArgumentHelp("BASE CAND, when not given with --base/--candidate.", valueName: "trace"))
    var traces: [String] = []

    func validate() throws {
        if traces.count != 0 && traces.count != 2 { throw ValidationError("give BASE CAND, or --base and --candidate") }
        if traces.isEmpty && (base.isEmpty || candidate.isEmpty) {
            throw ValidationError("give BASE CAND, or at least one --base and one --candidate")
        }
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1") }
    }

    func run() throws {
        func stats(_ paths: [String]) throws -> [TraceStats] {
            try paths.map { p in
                try TraceInput.withTrace(p, opener: .network) { b, release throws(InputError) in
                    try TraceStats.compute(b, source: p, release: release)
                }
            }
        }
        let b = try stats(base + (traces.count == 2 ? [traces[0]] : []))
        let c = try stats(candidate + (traces.count == 2 ? [traces[1]] : []))
        try writeOut(TraceDiff.compare(base: b, cand: c, alpha: alpha).text())
    }
}
