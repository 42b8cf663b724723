import ArgumentParser
import FlamegateRender
import FlamegateStore

struct StoreListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Stored profiles (all labels must match), oldest first.",
        discussion: """
            Examples:
              flamegate store list --label branch=main
              flamegate store list --format json
            """)

    @OptionGroup var storeFlags: StoreFlags

    @Option(name: names("label"), help: ArgumentHelp("Only profiles with label KEY=VALUE (repeatable).", valueName: "key=value"))
    var labels: [String] = []

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    func run() throws {
        try writeOut(try StoreCommands.list(store: storeFlags.store, labels: labels, json: format == .json))
    }
}
