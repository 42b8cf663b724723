import ArgumentParser
import FlamegateRender

/// Flags `escape report` and `escape diff` share.
struct EscapeFlags: ParsableArguments {
    @Option(
        name: names("profile"),
        help: "A Go allocs/heap profile: join each escape with the alloc_space/alloc_objects recorded at its file:line."
    )
    var profile: [String] = []

    @Option(
        name: names("hot-fraction"),
        help:
            "With --profile, an escape is hot when its line accounts for at least this fraction of alloc_space (default 0.01)."
    )
    var hotFraction: Double = 0.01

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    func validate() throws {
        if !(hotFraction >= 0 && hotFraction <= 1) { throw ValidationError("--hot-fraction must be between 0 and 1") }
    }
}
