import ArgumentParser
import FlamegateCore
import FlamegateRender
import FlamegateGate
import FlamegateCapture

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

struct Flamegate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flamegate",
        abstract: "Profiles into answers: pprof-exact reports, flame graphs, diffs and CI gates.",
        discussion: """
            Reads pprof profiles (Go's /debug/pprof output, gzip or raw protobuf, or any producer). pprof habits work: `flamegate -top -nodecount=40 cpu.pb.gz` is `flamegate top …`.

            Exit status: 0 ok, 1 gate failed or regression, 2 usage or input error.

            Environment: FLAMEGATE_MAX_INFLATE=SIZE (e.g. 512MB, 2GiB) caps how large a gzip input may decompress (default: 8 GiB or the machine's memory, if smaller); a gzip bomb stops there with an error.
            """,
        version: "0.1.0",
        subcommands: [
            TopCommand.self, TracesCommand.self, TreeCommand.self, PeekCommand.self, DiffCommand.self,
            BlameCommand.self, ExplainCommand.self, BenchCommand.self, EscapeCommand.self, InfoCommand.self,
            MergeCommand.self, CollapseCommand.self, ConvertCommand.self, FlameCommand.self, FetchCommand.self,
            GateCommand.self,
        ])
}

/// pprof spells reports as flags (`-top`, `-traces`); accept those as subcommands.
var args = Array(CommandLine.arguments.dropFirst())
let reportFlags = ["top": "top", "traces": "traces", "text": "top", "tree": "tree"]
// `-peek=REGEX` / `-peek REGEX`: the regex becomes peek's first argument.
if let i = args.firstIndex(where: { $0.hasPrefix("-peek") || $0.hasPrefix("--peek") }),
    !args.prefix(i).contains(where: { !$0.hasPrefix("-") })
{
    let a = args[i]
    args.remove(at: i)
    var regex: String? = nil
    if let eq = a.firstIndex(of: "=") {
        regex = String(a[a.index(after: eq)...])
    } else if i < args.count {
        regex = args.remove(at: i)
    }
    args.insert(contentsOf: ["peek"] + (regex.map { [$0] } ?? []), at: 0)
}
if let i = args.firstIndex(where: { a in
    let bare = a.drop(while: { $0 == "-" })
    return a.hasPrefix("-") && reportFlags[String(bare)] != nil
}), !args.prefix(i).contains(where: { reportFlags[$0] != nil || ["info", "merge"].contains($0) }) {
    let sub = reportFlags[String(args[i].drop(while: { $0 == "-" }))]!
    args.remove(at: i)
    args.insert(sub, at: 0)
}

signal(SIGPIPE, SIG_IGN)
do {
    var command = try Flamegate.parseAsRoot(args)
    try command.run()
} catch let e as InputError {
    writeErr("flamegate: \(e)\n")
    exit(2)
} catch let e as OutputError {
    writeErr("flamegate: \(e.message)\n")
    exit(2)
} catch {
    let code = Flamegate.exitCode(for: error)
    let message = Flamegate.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { writeOut(message + "\n") }
        exit(0)
    }
    writeErr(message.isEmpty ? "flamegate: \(error)\n" : "flamegate: \(message)\n")
    // Usage errors are 2 here, as the brief's convention says (ArgumentParser uses 64).
    exit(code == .validationFailure ? 2 : (code.rawValue == 0 ? 2 : (code.rawValue == 1 ? 1 : 2)))
}
