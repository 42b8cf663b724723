import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct EscapeDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Heap escapes new in CAND and gone from BASE, matched by file, function and expression (not line).",
        discussion: """
            Both inputs are `go build -gcflags=-m` logs (use -m -m on both for function names). An escape counts as unchanged when the same expression escapes in the same function of the same file, wherever the lines moved. With --profile (a profile of the candidate build) each new escape shows the allocation recorded at its line, and hot ones are marked.

            Exit status 0 (a report, not a gate); 2 on unreadable input.

            Examples:
              flamegate escape diff base-escape.txt cand-escape.txt
              flamegate escape diff --profile allocs.pb.gz --format json base.txt cand.txt
            """)

    @OptionGroup var options: EscapeFlags

    @Argument(help: ArgumentHelp("Base build log.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("Candidate build log.", valueName: "cand"))
    var cand: String

    func validate() throws {
        if base == "-" && cand == "-" { throw ValidationError("only one input can be stdin") }
    }

    func run() throws {
        var r = EscapeDiffRequest(base: base, cand: cand)
        (r.profile, r.hotFraction, r.format) = (options.profile, options.hotFraction, options.format)
        try writeOut(try EscapeText.diff(r, opener: .network))
    }
}
