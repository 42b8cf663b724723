import FlamegateTestSupport
import Testing

@testable import FlamegateCore

/// `trace goroutines` and `trace diff` on the fixture traces, whose programs say what to expect.
@Suite struct TraceGoroutinesTests {
    static func goroutines(_ mode: String) throws -> TraceGoroutines {
        let bytes = try Fixtures.bytes("trace/go127-\(mode).trace")
        return try bytes.withUnsafeBytes { try TraceGoroutines.compute($0, source: mode) }
    }

    static func stats(_ mode: String) throws -> TraceStats {
        let bytes = try Fixtures.bytes("trace/go127-\(mode).trace")
        return try bytes.withUnsafeBytes { try TraceStats.compute($0, source: mode) }
    }

    @Test func groupsByStartFunction() throws {
        let m = try Self.goroutines("mutex")
        let workers = m.groups.first { $0.name == "main.mutexContention.func1" }
        #expect(workers?.count == 8)
        #expect((workers?.exec ?? 0) > 0)
        #expect((workers?.blockByReason["sync"] ?? 0) > 0)
        let t = try Self.goroutines("tasks")
        let requests = t.groups.first { $0.name == "main.tasks.func1" }
        #expect(requests?.count == 200)
        #expect((requests?.blockByReason["sleep"] ?? 0) > 0)
        let f = try Self.goroutines("file")
        #expect(f.groups.contains { $0.syscall + $0.syscallBlock > 0 })
        // Sorted by execution time, as go tool trace sorts its table.
        for t in [m, t, f] { #expect(zip(t.groups, t.groups.dropFirst()).allSatisfy { $0.exec >= $1.exec }) }
        #expect(t.text().contains("main.tasks.func1"))
    }

    /// Every moment of a goroutine's life is in exactly one state: the parts add up to
    /// its total (a syscall still blocked at the end aside, which the tool counts twice).
    @Test(arguments: TracePprofTests.modes) func partsAddUpToTotal(mode: String) throws {
        for g in try Self.goroutines(mode).groups.flatMap(\.goroutines) {
            let parts = g.exec &+ g.schedWait &+ g.block &+ g.syscall &+ g.syscallBlock
            #expect(parts == g.total || g.syscallBlock > 0, "\(mode) g\(g.id) \(g.name): parts \(parts) total \(g.total)")
        }
    }

    /// Every figure of go tool trace's goroutine analysis pages (Go 1.27's web UI, saved by
    /// Fixtures/trace/make-goroutines.sh as `go127-MODE.goroutines.tsv`), goroutine by
    /// goroutine: its group (start function), total, execution, block time by reason,
    /// scheduler wait, syscall, unknown time and the special ranges — to the nanosecond.
    /// (Old-format traces too: `go1.19/MODE`, as Go 1.27's tool converts them.)
    @Test(arguments: TracePprofTests.modes.map { "go127-\($0)" } + TracePprofTests.oldModes.map { "go1.19/\($0)" })
    func matchesGoToolTraceGoroutinePages(mode: String) throws {
        let bytes = try Fixtures.bytes("trace/\(mode).trace")
        let analysis = try bytes.withUnsafeBytes { try TraceGoroutines.compute($0, source: mode) }
        var ours: [String: TraceGoroutines.Goroutine] = [:]
        for g in analysis.groups.flatMap(\.goroutines) { ours[String(g.id)] = g }
        var checked = 0
        for line in try Fixtures.read("trace/\(mode).goroutines.tsv").split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, let want = Int64(f[3]) else {
                Issue.record("bad line \(line)")
                continue
            }
            guard let g = ours[f[0]] else {
                Issue.record("\(mode): goroutine \(f[0]) (\(f[1])) is not in our analysis")
                continue
            }
            #expect(g.name == f[1], "\(mode) g\(f[0]): group \(g.name) vs the tool's \(f[1])")
            let column = f[2]
            let got: Int64
            switch column {
            case "Total": got = g.total
            case "Execution time": got = g.exec
            case "Sched wait time": got = g.schedWait
            case "Syscall execution time": got = g.syscall
            case "Unknown time":
                let known = g.exec &+ g.schedWait &+ g.syscall &+ g.syscallBlock &+ g.block
                got = known < g.total ? g.total &- known : 0
            case "Block time (syscall)": got = g.syscallBlock &+ (g.blockByReason["syscall"] ?? 0)
            default:
                if column.hasPrefix("Block time ("), column.hasSuffix(")") {
                    got = g.blockByReason[String(column.dropFirst("Block time (".count).dropLast())] ?? 0
                } else {
                    got = g.rangeTime[column] ?? 0
                }
            }
            #expect(got == want, "\(mode) g\(f[0]) \(f[1]): \(column) \(got) vs the tool's \(want)")
            checked += 1
        }
        #expect(checked > 30)
    }

    @Test func diffShowsTheRegression() throws {
        let d = TraceDiff.compare(base: [try Self.stats("fasttask")], cand: [try Self.stats("slowtask")])
        let p99 = d.rows.first { $0.name == "task request p99" }
        #expect(p99 != nil && p99!.cand[0] > 3 * p99!.base[0])
        #expect(d.text().contains("task request p99"))
        // Repeated runs per side: the U test decides.
        let fast = [try Self.stats("fasttask"), try Self.stats("tasks")]
        let slow = try Self.stats("slowtask")
        let r = TraceDiff.compare(base: fast + fast, cand: [slow, slow, slow, slow])
        let row = r.rows.first { $0.name == "task request p99" }
        #expect(row?.comparison?.significant == true)
        let same = TraceDiff.compare(base: fast + fast, cand: fast + fast)
        #expect(same.rows.first { $0.name == "task request p99" }?.comparison?.significant == false)
    }
}
