import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

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
        let paths = try analysis.resolve([base, candidate])
        var r = FunctionDiffRequest(base: paths[0], candidate: paths[1])
        r.query = try analysis.query([], sampleIndex: report.sampleIndex)
        r.table = analysis.tableOptions()
        r.sortByCum = cum
        r.limit = nodecount
        r.format = report.format
        let out = try AnalysisText.diff(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
