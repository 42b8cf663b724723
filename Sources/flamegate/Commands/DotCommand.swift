import ArgumentParser

struct DotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dot",
        abstract: "The call graph in Graphviz's DOT language, as `go tool pprof -dot`.",
        discussion: """
            A box per function (or file, line, address with --files, --lines, --addresses): its name, flat and cum, the font growing with flat and the colour with cum (red; green for a decrease in comparisons); arrows for calls, thicker when heavier, dotted when they skip nodes left out. Labels show as small boxes beside a node. Like pprof, at most 80 nodes (--nodecount), chosen so that entry and leaf nodes and nodes where the calls branch come first. --call_tree draws a node per call path. The text is pprof's own, byte for byte; `flamegate svg` and `flamegate png` lay it out with Graphviz.

            Examples:
              flamegate dot cpu.pb.gz -o cpu.dot
              flamegate -dot -nodecount=30 -focus='main\\.' cpu.pb.gz > cpu.dot
              flamegate dot --diff-base before.pb.gz after.pb.gz | dot -Tsvg > diff.svg
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var graph: CallGraphFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func run() throws { try graph.run(profiles, report: report, analysis: analysis) }
}
