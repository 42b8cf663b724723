import ArgumentParser
import FlamegateRender
import FlamegateStore

struct BisectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Find the stored profile where the frames' share jumped (commit order, else time).",
        discussion: """
            Orders the profiles SELECTOR matches by their commit_seq label (an integer, e.g. `git rev-list --count HEAD`) when all have one, else by time; measures the frames in each; splits the series where two flat segments fit best; prints the first profile after the split (id, commit, labels), the medians before and after, and a Mann–Whitney U test of the two sides.

            Examples:
              flamegate bisect store:branch=main,service=pay --frames '^(runtime\\.map|internal/runtime/maps\\.)'
              flamegate bisect store:branch=main,last=50 --frames 'encoding/json' --measure flat --sample-index cpu --format json
            """)

    @OptionGroup var storeFlags: StoreFlags

    @Argument(help: ArgumentHelp("Which stored profiles (store:KEY=VALUE,…).", valueName: "selector"))
    var selector: String

    @Option(name: names("frames"), help: ArgumentHelp("Functions to measure (regex).", valueName: "regex"))
    var frames: String

    @Option(name: names("measure"), help: "flat, cum, or share (cum as % of the total; default).")
    var measure: String = "share"

    @Option(name: names("sample-index"), help: ArgumentHelp("Sample type to measure.", valueName: "name"))
    var sampleIndex: String?

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    func run() throws {
        guard let m = BisectRequest.Measure(rawValue: measure) else {
            throw ValidationError("--measure \(measure): expected flat, cum or share")
        }
        var r = BisectRequest(selector: selector, frames: frames)
        (r.measure, r.sampleIndex, r.store, r.json) = (m, sampleIndex, storeFlags.store, format == .json)
        try writeOut(try Bisect.report(r))
    }
}
