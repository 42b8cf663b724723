import ArgumentParser
import FlamegateCore

struct CollapseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collapse",
        abstract: "Fold `perf script` output into folded stacks, byte for byte as stackcollapse-perf.pl.",
        discussion: """
            Reads the text of `perf script` (a file, a .gz file, or - for stdin) and writes one `root;...;leaf count` line per distinct stack, sorted byte-wise, exactly as Brendan Gregg's stackcollapse-perf.pl does with the same options. Counts are sums of the sample periods when perf printed them (nanoseconds for cpu-clock), else samples.

            Lines that are not perf script output are skipped, as the Perl script does, and counted in a warning on stderr. An empty input, binary data (a NUL byte in the first 64 KiB, e.g. perf.data itself), or text with no perf script sample header at all is an error (exit 2) instead of garbage or empty output. Input that has sample headers but yields no stack (for instance CRLF line ends, where no sample is ever closed) gives empty output and a warning.

            Examples:
              perf script | flamegate collapse - > out.folded
              flamegate collapse --kernel --tid perf.txt.gz
              flamegate collapse --demangle simplified swift-perf.txt
            """)

    @Flag(name: names("pid"), help: "Root frame is comm-PID.")
    var pid = false
    @Flag(name: names("tid"), help: "Root frame is comm-PID/TID (wins over --pid).")
    var tid = false
    @Flag(name: names("kernel"), help: "Annotate kernel frames with _[k].")
    var kernel = false
    @Flag(name: names("jit"), help: "Annotate JIT frames (/tmp/perf-N.map) with _[j].")
    var jit = false
    @Flag(name: names("all"), help: "Same as --kernel --jit.")
    var all = false
    @Flag(name: names("addrs"), help: "Unknown frames become [module <pc>].")
    var addrs = false
    @Option(name: names("event-filter"), help: "Keep only samples of this event (default: the first event seen).")
    var eventFilter: String?
    // stackcollapse-perf.pl's --inline/--context (addr2line) are not implemented: hidden
    // from help, and a clear error when given rather than "unknown option".
    @Flag(name: names("inline"), help: ArgumentHelp("Not supported.", visibility: .hidden))
    var inline = false
    @Flag(name: names("context"), help: ArgumentHelp("Not supported.", visibility: .hidden))
    var context = false
    @Flag(name: names("srcline"), help: "Input has source lines after frames (perf script -F+srcline).")
    var srcline = false
    @Option(
        name: names("demangle"),
        help:
            "Swift symbols: none (default, as the Perl script), full, or simplified (as `swift demangle --simplified`)."
    )
    var demangle: String = "none"

    @Argument(help: ArgumentHelp("perf script output file(s), .gz allowed; - for stdin.", valueName: "input"))
    var inputs: [String] = []

    func run() throws {
        if inline || context {
            throw InputError(source: "collapse", "--inline and --context (addr2line) are not supported yet")
        }
        guard let mode = DemangleMode(rawValue: demangle) else {
            throw InputError(source: "collapse", "--demangle must be none, full or simplified, not '\(demangle)'")
        }
        // ArgumentParser reads `--event-filter=` (empty) as taking the next argument.
        let emptyFilter = CommandLine.arguments.contains { a in
            let bare = a.drop(while: { $0 == "-" })
            return a.hasPrefix("-") && (bare == "event-filter=" || bare == "event_filter=")
        }
        if emptyFilter || eventFilter?.isEmpty == true {
            throw InputError(source: "collapse", "--event-filter needs an event name")
        }
        var o = PerfCollapseOptions()
        (o.pid, o.tid, o.kernel, o.jit) = (pid, tid, kernel || all, jit || all)
        (o.addrs, o.srcline, o.demangle) = (addrs, srcline, mode)
        o.eventFilter = eventFilter.map { Array($0.utf8) }
        let out = try PerfCollapse.run(inputs, options: o)
        warn(out.warnings)
        try writeFile("-", out.folded)
    }
}
