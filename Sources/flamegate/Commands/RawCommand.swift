import ArgumentParser

struct RawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw",
        abstract: "The profile itself — samples, locations, mappings — as `go tool pprof -raw` prints it.",
        discussion: """
            Sample values with their location ids and labels, then every location (address, mapping, inlined lines with function, file, line, column and start line), then the mappings. Filters apply first, as in pprof.

            Examples:
              flamegate raw heap.pb.gz
              flamegate -raw -focus=main cpu.pb.gz
            """)

    @OptionGroup var arguments: ProfileReportArguments

    func run() throws { try arguments.run(.raw) }
}
