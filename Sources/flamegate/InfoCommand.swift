import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

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
        let p = try ProfileInput.readAny(profile, opener: .network)
        var style = ReportStyle()
        style.utc = utc
        writeOut(Reports.info(p, source: profile, style: style, format: format))
    }
}
