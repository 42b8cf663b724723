import ArgumentParser
import FlamegateCapture
import FlamegateCore

/// `flamegate trace goroutines TRACE`.
struct TraceGoroutinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goroutines",
        abstract: "Goroutines grouped by start function: execution, scheduler wait, blocking, syscalls, GC assists.",
        discussion: """
            The figures of go tool trace's goroutine analysis (Go 1.27 internal/trace summary): a goroutine's start function is the outermost frame of the first stack seen for it; times are summed over its life inside the trace (to the trace's end when still alive):
              total       creation (or trace start) to end (or trace end)
              exec        running
              sched wait  runnable, plus a blocking syscall's time after its proc was taken away
              block       waiting, by reason (chan receive, select, sync, network, sleep…)
              syscall     in system calls
              GC assist   GC mark assists
            Groups are sorted by execution time, as go tool trace sorts them; each shows its block reasons and its slowest goroutines (by total).

            Example:
              flamegate trace goroutines trace.out
            """)

    @Option(name: names("slowest"), help: "How many of each group's slowest goroutines to list (default 3).")
    var slowest: Int = 3

    @Argument(help: ArgumentHelp("Go execution trace; - for stdin.", valueName: "trace"))
    var input: String

    func validate() throws {
        if slowest < 0 { throw ValidationError("--slowest must be ≥ 0") }
    }

    func run() throws {
        let g = try TraceInput.withTrace(input, opener: .network) { b, release throws(InputError) in
            try TraceGoroutines.compute(b, source: input, release: release)
        }
        try writeOut(g.text(slowest: slowest))
    }
}
