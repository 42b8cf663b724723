import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a profile (pprof, perf script, folded stacks) to pprof, folded stacks or speedscope JSON.",
        discussion: """
            The input format is recognised from its bytes (gzip allowed; - for stdin). perf script output is collapsed as stackcollapse-perf.pl does (process name as root frame), with Swift names demangled (--demangle simplified by default).

            --to pprof writes a gzip pprof profile; --to folded writes `root;...;leaf count` lines (sorted byte-wise) of one sample type (--sample-index, default the profile's default); --to speedscope writes speedscope's JSON file format, one sampled profile per sample type (or only --sample-index).

            Examples:
              flamegate convert perf.txt --to pprof -o cpu.pb.gz
              flamegate convert cpu.pb.gz --to folded -o - | flamegraph.pl > cpu.svg
              flamegate convert stacks.folded --to speedscope -o profile.speedscope.json
            """)

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case pprof, folded, speedscope
    }

    @Option(name: names("to"), help: "Output format: pprof, folded or speedscope.")
    var to: Target

    @Option(name: [.short, .long], help: "Output file; - for stdout.")
    var output: String

    @Option(name: names("sample-index"), help: "Sample type for folded (and speedscope) output: a name or an index.")
    var sampleIndex: String?

    @Option(name: names("demangle"), help: "Swift names in perf script input: none, full or simplified (default).")
    var demangle: String = "simplified"

    @Argument(help: ArgumentHelp("Input profile; - for stdin.", valueName: "input"))
    var input: String

    func run() throws {
        guard let mode = DemangleMode(rawValue: demangle) else {
            throw InputError(source: "convert", "--demangle must be none, full or simplified, not '\(demangle)'")
        }
        let p = try ProfileInput.readAny(input, demangle: mode, opener: .network)
        let bytes: [UInt8]
        switch to {
        case .pprof:
            bytes = PprofEncoder.encodeGzip(p)
        case .folded:
            let si = try ProfileLoader.sampleIndex(p, sampleIndex, source: input)
            bytes = FoldedStacks.write(StackProfile.folded(p, sampleIndex: si))
        case .speedscope:
            let si = try sampleIndex.map { name throws(InputError) in try ProfileLoader.sampleIndex(p, name, source: input) }
            let name = input == "-" ? "stdin" : String(input.split(separator: "/").last ?? Substring(input))
            bytes = Speedscope.encode(p, name: name, sampleIndex: si)
        }
        try writeFile(output, bytes)
    }
}
