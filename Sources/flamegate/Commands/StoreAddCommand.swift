import ArgumentParser
import FlamegateStore

struct StoreAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store profiles with labels (one transaction; identical content is stored once).",
        discussion: """
            Each file must read as a profile; its time, duration and sample types are recorded with the labels. Adding the same content with the same labels again stores nothing and names the existing id.

            Examples:
              flamegate store add --label branch=main --label commit=abc123 --label service=pay cpu.pb.gz allocs.pb.gz
            """)

    @OptionGroup var storeFlags: StoreFlags

    @Option(name: names("label"), help: ArgumentHelp("A label KEY=VALUE (repeatable).", valueName: "key=value"))
    var labels: [String] = []

    @Argument(help: ArgumentHelp("Profile files.", valueName: "profile"))
    var profiles: [String]

    func run() throws {
        try writeOut(try StoreCommands.add(store: storeFlags.store, paths: profiles, labels: labels))
    }
}
