import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct EscapeReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "List heap escapes (escapes to heap, moved to heap) by file:line and function; maps and slices marked.",
        discussion: """
            Reads the compiler's diagnostics: `go build -gcflags=-m ./... 2> build.txt` (or `-gcflags='-m -m'`, which also names the function of every escape and explains it). With plain -m the function column is empty where the compiler does not say.

            With --profile allocs.pb.gz each escape is joined with the alloc_space and alloc_objects that the profile records at its file:line (profile paths are absolute build paths; they are matched on their suffix), escapes are ordered by bytes, and those above --hot-fraction of the profile's alloc_space are marked HOT.

            Examples:
              go build -gcflags=-m ./cmd/server 2> escape.txt
              flamegate escape report escape.txt
              flamegate escape report --profile allocs.pb.gz escape.txt
            """)

    @OptionGroup var options: EscapeFlags

    @Flag(name: names("explain"), help: "Print -m -m's flow explanation under each escape.")
    var explain = false

    @Argument(help: ArgumentHelp("Build log with -gcflags=-m diagnostics; - for stdin.", valueName: "build-log"))
    var input: String

    func run() throws {
        var r = EscapeReportRequest(input: input)
        (r.profile, r.hotFraction, r.explain, r.format) = (
            options.profile, options.hotFraction, explain, options.format
        )
        try writeOut(try EscapeText.report(r, opener: .network))
    }
}
