import ArgumentParser
import FlamegateCapture
import FlamegateCore

/// `flamegate trace pprof --kind KIND TRACE -o OUT`.
struct TracePprofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pprof",
        abstract: "Write the profile `go tool trace -pprof=KIND` writes (sched, sync, net or syscall).",
        discussion: """
            Each profile has the sample types contentions/count and delay/nanoseconds, per stack:
              sched    time from runnable to running, charged to the stack at which the goroutine became runnable (its creator's, unblocker's or its own preemption point)
              sync     time blocked on channels, select and sync (block reasons containing chan, sync or select), charged to the blocking stack
              net      time blocked on the network (reason "network"), charged to the blocking stack
              syscall  time in system calls, charged to the stack that made the call
            As go tool trace counts them, a span counts only for its part within the goroutine's life from its first start: waits that end with a goroutine's first run count 0 and are left out.

            Examples:
              flamegate trace pprof --kind sched trace.out -o sched.pb.gz
              flamegate top --kind sync trace.out
            """)

    @Option(name: names("kind"), help: "sched, sync, net or syscall.")
    var kind: String

    @Option(name: [.short, .long], help: "Output file (gzip pprof); - for stdout.")
    var output: String

    @Argument(help: ArgumentHelp("Go execution trace; - for stdin.", valueName: "trace"))
    var input: String

    func validate() throws {
        if TraceProfileKind(rawValue: kind) == nil { throw ValidationError("--kind must be sched, sync, net or syscall") }
    }

    func run() throws {
        let p = try TraceInput.profile(input, kind: TraceProfileKind(rawValue: kind) ?? .sched, opener: .network)
        try writeFile(output, PprofEncoder.encodeGzip(p))
    }
}
