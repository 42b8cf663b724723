import ArgumentParser

struct CommentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comments",
        abstract: "The profile's free-form comments, one per line, as `go tool pprof -comments`.",
        discussion: """
            Examples:
              flamegate comments cpu.pb.gz
              flamegate -comments cpu.pb.gz
            """)

    @OptionGroup var arguments: ProfileReportArguments

    func run() throws { try arguments.run(.comments) }
}
