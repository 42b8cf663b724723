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
