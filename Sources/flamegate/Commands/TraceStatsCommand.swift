import ArgumentParser
import FlamegateCapture
import FlamegateCore

/// `flamegate trace stats TRACE [--format json]`.
struct TraceStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Pauses, GC, scheduler latency, blocking and task latency distributions of a Go execution trace.",
        discussion: """
            Definitions (events as go tool trace reads them; durations are exact event times, in ns):
              duration          from the trace's first event to its end
              stop-the-world    every completed `stop-the-world (REASON)` range, all reasons (GC phases, start trace, profile reads…); by reason below
              GC cycles         GC mark phases that begin inside the trace; mark phase = time with a mark phase in progress; assists = GC mark assist time; % of CPU = GC P-time over GOMAXPROCS × time: GC pauses × GOMAXPROCS, background mark workers and mark assists while running (as the runtime's /cpu/classes/gc/total)
              sched latency     every runnable → running span that starts inside the trace (first runs included)
              block REASON      spans waiting for sync (sync, sync.(*Cond).Wait…), channel (chan send/receive), select, network, sleep — entered inside the trace; syscall = time in system calls
              goroutines        created inside the trace; most alive at once
              task/region TYPE  every user task (region) of runtime/trace that begins and ends inside the trace
            Percentiles are nearest-rank: the value at rank ⌈p/100 × n⌉ of the n sorted durations.

            JSON keys: duration_ns; stw.{count,total_ns,p50_ns,p90_ns,p99_ns,max_ns,by_reason: [{reason, count, …}]}; gc.{count,mark_total_ns,mark_wall_fraction,assist_total_ns,cpu_fraction}; sched_latency.*; block.<sync|channel|select|network|syscall|sleep>.*; goroutines.{created,peak}; tasks.<type>.*; regions.<type>.* (see docs/json.md).

            Examples:
              flamegate trace stats trace.out
              flamegate trace stats trace.out --format json | jq .stw.p99_ns
            """)

    @Option(name: names("format"), help: "text (default) or json.")
    var format: String = "text"

    @Argument(help: ArgumentHelp("Go execution trace; - for stdin.", valueName: "trace"))
    var input: String

    func validate() throws {
        if format != "text" && format != "json" { throw ValidationError("--format must be text or json") }
    }

    func run() throws {
        let s = try TraceInput.withTrace(input, opener: .network) { b, release throws(InputError) in
            try TraceStats.compute(b, source: input, release: release)
        }
        try writeOut(format == "json" ? s.json() : s.text())
    }
}
