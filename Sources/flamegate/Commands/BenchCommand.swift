import ArgumentParser

/// `flamegate bench …`: Go benchmark results.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Go benchmark results (`go test -bench` output): compare two runs as benchstat does.",
        subcommands: [BenchCompareCommand.self])
}
