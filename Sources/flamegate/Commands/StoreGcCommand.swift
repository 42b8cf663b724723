import ArgumentParser
import FlamegateStore

struct StoreGcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Keep the newest N profiles of each label set; remove the rest.")

    @OptionGroup var storeFlags: StoreFlags

    @Option(name: names("keep"), help: "How many profiles to keep per label set.")
    var keep: Int

    func run() throws {
        try writeOut(try StoreCommands.gc(store: storeFlags.store, keep: keep))
    }
}
