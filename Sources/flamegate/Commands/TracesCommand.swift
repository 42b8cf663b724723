import ArgumentParser

struct TracesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "Every sample's call stack with its value and labels, as `go tool pprof -traces`.",
        discussion: """
            Examples:
              flamegate traces cpu.pb.gz
              flamegate traces -sample_index=alloc_space allocs.pb.gz
              flamegate traces --tagfocus handler=pay cpu.pb.gz
            """)

    @OptionGroup var arguments: ProfileReportArguments

    func run() throws { try arguments.run(.traces) }
}
