/// `flamegate collapse`: `perf script` text folded as stackcollapse-perf.pl folds it,
/// with the checks that turn garbage input into an error instead of empty output.
public enum PerfCollapse {
    /// Folded stacks (`root;...;leaf count` lines, sorted byte-wise) and the warnings to show.
    public struct Result: Sendable {
        /// The folded output.
        public var folded: [UInt8]
        /// Skipped lines, dropped events, no stacks.
        public var warnings: [String]
    }

    /// Folds `paths` (files, .gz, `-` for stdin; none means stdin) with `options`.
    public static func run(_ paths: [String], options o: PerfCollapseOptions) throws(InputError) -> Result {
        var c = PerfCollapser(options: o)
        let paths = paths.isEmpty ? ["-"] : paths
        var bytes = 0
        // One large regular file (also as stdin): two threads, each folding one half of it.
        if paths.count == 1, let (whole, n) = try PerfParallelCollapse.collapse(path: paths[0], options: o) {
            c = whole
            bytes = n
        } else {
            for path in paths {
                // Perl reads all files as one stream; a file's last line without `\n` is still a
                // line, so every file's end is final for its bytes.
                bytes += try PerfScriptReader.forEachChunk(path: path) { chunk, final in
                    c.feedLines(chunk, final: final)
                }
            }
        }
        let source = paths.joined(separator: ", ")
        if bytes == 0 { throw InputError(source: source, "empty input: expected perf script output") }
        if c.sawNulByte {
            throw InputError(
                source: source,
                "binary data (NUL bytes), not perf script text; run `perf script` on the perf.data first")
        }
        if c.eventLines == 0 {
            throw InputError(
                source: source,
                "no perf script samples found (no line like 'comm PID [CPU] TIME: PERIOD EVENT:'); is this `perf script` output?"
            )
        }
        var warnings: [String] = []
        if c.unrecognizedLines > 0 { warnings.append("warning: skipped \(c.unrecognizedLines) unrecognized line(s)") }
        if let rejected = c.firstRejectedEvent, let kept = c.keptEvent {
            warnings.append(
                "warning: kept only '\(String(decoding: kept, as: UTF8.self))' samples; others such as '\(String(decoding: rejected, as: UTF8.self))' were dropped (choose with --event-filter)"
            )
        }
        if c.stackCount == 0 {
            warnings.append("warning: no stacks collapsed (no sample ended by a blank line; CRLF line ends?)")
        }
        return Result(folded: c.folded(), warnings: warnings)
    }
}
