import ArgumentParser

/// `flamegate trace …`: Go execution traces (runtime/trace, /debug/pprof/trace, go test -trace).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Go execution traces: the profiles `go tool trace -pprof` derives, as files and reports.",
        discussion: """
            Reads the trace format of Go 1.22 and later (headers `go 1.22 trace` … `go 1.26 trace`; Go 1.27 writes `go 1.26 trace`). Traces of Go 1.11–1.21 (headers `go 1.11 trace`, `go 1.19 trace`, `go 1.21 trace`) are read too, interpreted as Go 1.27's go tool trace interprets them (converted to current events). A truncated or malformed trace is refused with the byte offset (go tool trace would keep the generations before the damage).

            The reports (top, flame, tree, …) also read a trace directly: `flamegate top --kind sched trace.out`.
            """,
        subcommands: [TracePprofCommand.self, TraceStatsCommand.self, TraceGoroutinesCommand.self, TraceDiffCommand.self])
}
