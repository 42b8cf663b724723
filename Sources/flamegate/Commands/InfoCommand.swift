import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "What a profile holds: sample types and totals, period, time, counts.",
        discussion: """
            Examples:
              flamegate info heap.pb.gz
              flamegate info --format json cpu.pb.gz
            """)

    @Flag(name: names("utc"), help: "Print times in UTC.")
    var utc = false

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    @Argument(help: ArgumentHelp("Profile file; - for stdin.", valueName: "profile"))
    var profile: String

    func run() throws {
        var style = ReportStyle()
        style.utc = utc
        try writeOut(try Reports.info(profile, style: style, format: format, opener: .network))
    }
}
