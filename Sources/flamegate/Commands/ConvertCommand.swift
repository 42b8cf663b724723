import ArgumentParser
import FlamegateCapture
import FlamegateCore

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract:
            "Convert a profile (pprof, perf script, folded stacks, speedscope) to pprof, folded stacks or speedscope JSON.",
        discussion: """
            The input format is recognised from its bytes (gzip allowed; - for stdin). perf script output is collapsed as stackcollapse-perf.pl does (process name as root frame), with Swift names demangled (--demangle simplified by default).

            --to pprof writes a gzip pprof profile; --to folded writes `root;...;leaf count` lines (sorted byte-wise) of one sample type (--sample-index, default the profile's default), and names that type and unit on stderr; --to speedscope writes speedscope's JSON file format, one sampled profile per sample type (or only --sample-index).

            Examples:
              flamegate convert perf.txt --to pprof -o cpu.pb.gz
              flamegate convert cpu.pb.gz --to folded -o - | flamegraph.pl > cpu.svg
              flamegate convert stacks.folded --to speedscope -o profile.speedscope.json
            """)

    @Option(name: names("to"), help: "Output format: pprof, folded or speedscope (the registry's writable formats).")
    var to: String

    @Option(name: [.short, .long], help: "Output file; - for stdout.")
    var output: String

    @Option(name: names("sample-index"), help: "Sample type for folded (and speedscope) output: a name or an index.")
    var sampleIndex: String?

    @Option(name: names("demangle"), help: "Swift names in perf script input: none, full or simplified (default).")
    var demangle: String = "simplified"

    @Argument(help: ArgumentHelp("Input profile; - for stdin.", valueName: "input"))
    var input: String

    func validate() throws {
        if FormatRegistry.profileFormat(named: to)?.canWrite != true {
            throw ValidationError("--to must be one of \(FormatRegistry.writableNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        guard let mode = DemangleMode(rawValue: demangle) else {
            throw InputError(source: "convert", "--demangle must be none, full or simplified, not '\(demangle)'")
        }
        let p = try ProfileInput.readAny(input, demangle: mode, opener: .network)
        let name = input == "-" ? "stdin" : String(input.split(separator: "/").last ?? Substring(input))
        let options = ProfileWriteOptions(sampleIndex: sampleIndex, name: name)
        try writeFile(output, try FormatRegistry.write(p, as: to, options: options, source: input))
        if let note = try FormatRegistry.writeNote(p, as: to, options: options, source: input) {
            writeErr("flamegate: \(note)\n")
        }
    }
}
