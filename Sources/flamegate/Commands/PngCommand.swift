import ArgumentParser

struct PngCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "png",
        abstract: "The call graph as a PNG image, as `go tool pprof -png` (needs Graphviz's dot).",
        discussion: """
            The graph of `flamegate dot` (same options), laid out by Graphviz: `dot -Tpng`. Without Graphviz on PATH it stops with exit status 2 and says which package to install (apt-get install graphviz).

            Examples:
              flamegate png cpu.pb.gz -o cpu.png
              flamegate -png -call_tree -nodecount=40 cpu.pb.gz > tree.png
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var graph: CallGraphFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func run() throws { try graph.run(profiles, report: report, analysis: analysis, image: "png") }
}
