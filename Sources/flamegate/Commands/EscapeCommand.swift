import ArgumentParser

/// `flamegate escape …`: Go escape analysis (`go build -gcflags=-m`).
struct EscapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escape",
        abstract:
            "Go escape analysis (`go build -gcflags=-m` output): heap escapes, their diff, joined with an allocation profile.",
        subcommands: [EscapeReportCommand.self, EscapeDiffCommand.self])
}
