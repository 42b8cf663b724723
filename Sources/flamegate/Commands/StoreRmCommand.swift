import ArgumentParser
import FlamegateStore

struct StoreRmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove stored profiles by id (all or none: an unknown id removes nothing).")

    @OptionGroup var storeFlags: StoreFlags

    @Argument(help: ArgumentHelp("Ids from `store list`.", valueName: "id"))
    var ids: [String]

    func run() throws {
        try writeOut(try StoreCommands.remove(store: storeFlags.store, ids: ids))
    }
}
