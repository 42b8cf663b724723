import ArgumentParser

struct SvgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svg",
        abstract: "The call graph as an SVG image, as `go tool pprof -svg` (needs Graphviz's dot).",
        discussion: """
            The graph of `flamegate dot` (same options), laid out by Graphviz: `dot -Tsvg`. Without Graphviz on PATH it stops with exit status 2 and says which package to install (apt-get install graphviz).

            Examples:
              flamegate svg cpu.pb.gz -o cpu.svg
              flamegate -svg -output=alloc.svg -sample_index=alloc_space allocs.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var graph: CallGraphFlags

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func run() throws { try graph.run(profiles, report: report, analysis: analysis, image: "svg") }
}
