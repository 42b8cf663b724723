import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

struct TreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Each function with its callers and callees, as `go tool pprof -tree`.",
        discussion: """
            Rows are sorted like `top`; above each row its callers, below it its callees, each with the value that flowed along that call and its share of the row's cum. Like pprof, shows the top 80 rows unless --nodecount says otherwise.

            Examples:
              flamegate tree cpu.pb.gz
              flamegate tree --nodecount 20 --focus 'main\\.' cpu.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("nodecount"), help: "Show at most N rows (default 80, as pprof).")
    var nodecount: Int = 80
    @Option(
        name: names("nodefraction"), help: "Drop rows whose cum is below this fraction of the total (default 0.005).")
    var nodefraction: Double = 0.005
    @Option(name: names("edgefraction"), help: "Drop calls below this fraction of the total (default 0.001).")
    var edgefraction: Double = 0.001
    @Flag(name: names("cum"), help: "Sort by cumulative value instead of flat.")
    var cum = false

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        let sel = try analysis.select(profiles, sampleIndex: report.sampleIndex)
        var o = analysis.tableOptions()
        o.nodeCount = nodecount
        o.nodeFraction = nodefraction
        o.edgeFraction = edgefraction
        o.cumSort = cum
        writeOut(try Reports.tree(sel, options: o, style: report.style))
    }
}

struct PeekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peek",
        abstract: "Callers and callees of the functions matching a regex, as `go tool pprof -peek`.",
        discussion: """
            Unlike top and tree, nothing is trimmed: every caller and callee is listed.

            Examples:
              flamegate peek 'runtime\\.mallocgc$' allocs.pb.gz
              flamegate peek -sample_index=alloc_space 'main\\.payHandler' allocs.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Flag(name: names("cum"), help: "Sort by cumulative value instead of flat.")
    var cum = false

    @Argument(help: "Regex over row names (functions by default).")
    var regex: String

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        let sel = try analysis.select(profiles, sampleIndex: report.sampleIndex)
        var o = analysis.tableOptions()
        o.nodeCount = 0
        o.nodeFraction = 0
        o.edgeFraction = 0
        o.cumSort = cum
        writeOut(try Reports.tree(sel, options: o, style: report.style, symbol: regex))
    }
}
