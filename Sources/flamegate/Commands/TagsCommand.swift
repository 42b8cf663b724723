import ArgumentParser

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "The value per label key and label value, as `go tool pprof -tags`.",
        discussion: """
            For each label key (Go's pprof.Do labels, numeric labels such as bytes), the total of the samples carrying it and the value per label value, as shares of the report total. Filters (--tagfocus, --tagshow, --focus…) apply first.

            Examples:
              flamegate tags cpu.pb.gz
              flamegate -tags -tagshow=handler cpu.pb.gz
            """)

    @OptionGroup var arguments: ProfileReportArguments

    func run() throws { try arguments.run(.tags) }
}
