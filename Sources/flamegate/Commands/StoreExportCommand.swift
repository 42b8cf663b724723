import ArgumentParser
import FlamegateStore

struct StoreExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored profile's bytes, exactly as added.")

    @OptionGroup var storeFlags: StoreFlags

    @Option(name: [.short, .long], help: "Output file; - for stdout.")
    var output: String

    @Argument(help: ArgumentHelp("An id from `store list`.", valueName: "id"))
    var id: String

    func run() throws {
        try writeFile(output, try StoreCommands.export(store: storeFlags.store, id: id))
    }
}
