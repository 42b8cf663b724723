import ArgumentParser
import FlamegateCapture
import FlamegateCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge profiles (pprof's rules) and write one pprof file.",
        discussion: """
            Examples:
              flamegate merge cpu1.pb.gz cpu2.pb.gz -o cpu.pb.gz
            """)

    @Option(name: [.short, .long], help: "Output file (gzip pprof); - for stdout.")
    var output: String

    @Flag(name: .long, help: "Write uncompressed protobuf.")
    var raw = false

    @Argument(help: ArgumentHelp("Profile files.", valueName: "profile"))
    var profiles: [String]

    func run() throws {
        let p = try ProfileLoader.load(profiles, opener: .network)
        let source = profiles.joined(separator: ", ")
        try writeFile(output, try FormatRegistry.write(p, as: "pprof", options: .init(compress: !raw), source: source))
    }
}
