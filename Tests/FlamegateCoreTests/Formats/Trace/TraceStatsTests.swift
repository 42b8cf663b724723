import FlamegateTestSupport
import Testing

@testable import FlamegateCore

/// `trace stats` against go tool trace's own event dump: the stop-the-world ranges, GC
/// mark phases and tasks that Fixtures/trace/make-traces.sh (parsed_ranges) paired with
/// awk from `go tool trace -d=parsed` — the same durations, so the same percentiles.
@Suite struct TraceStatsTests {
    struct Ranges {
        var stw: [String: [Int64]] = [:]
        var gc = 0
        var tasks: [String: [Int64]] = [:]
    }

    static func ranges(_ mode: String, set: String = "go127-") throws -> Ranges {
        var r = Ranges()
        for line in try Fixtures.read("trace/\(set)\(mode).ranges.txt").split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(separator: " ")
            let ns = Int64(words.last!)!
            let name = words.dropFirst().dropLast().joined(separator: " ")
            switch words[0] {
            case "stw": r.stw[name, default: []].append(ns)
            case "gc": r.gc += 1
            case "task": r.tasks[name, default: []].append(ns)
            default: Issue.record("unexpected line \(line)")
            }
        }
        return r
    }

    static func stats(_ mode: String, set: String = "go127-") throws -> TraceStats {
        let bytes = try Fixtures.bytes("trace/\(set)\(mode).trace")
        return try bytes.withUnsafeBytes { try TraceStats.compute($0, source: mode) }
    }

    @Test(arguments: TracePprofTests.modes) func matchesGoToolTraceEvents(mode: String) throws {
        try Self.matchRanges(mode, set: "go127-")
    }

    /// The Go 1.19 traces: pauses, GC cycles and tasks as Go 1.27's reader converts them.
    @Test(arguments: TracePprofTests.oldModes) func oldFormatMatchesGoToolTraceEvents(mode: String) throws {
        try Self.matchRanges(mode, set: "go1.19/")
    }

    @Test(arguments: TracePprofTests.goTestdata) func go111And121TracesMatchGoToolTraceEvents(name: String) throws {
        try Self.matchRanges(name, set: "go-testdata/")
    }

    @Test func oldGCTraceHasPausesAndCycles() throws {
        let s = try Self.stats("gc", set: "go1.19/")
        #expect(s.gcCount >= 3)
        #expect(s.stwByReason["GC sweep termination"]?.count == s.gcCount)
        #expect(s.stwByReason["GC mark termination"]?.count == s.gcCount)
        let t = try Self.stats("tasks", set: "go1.19/")
        #expect(t.tasks["request"]?.count == 200)
        #expect(t.regions["parse"]?.count == 200 && t.regions["work"]?.count == 200)
        #expect((try Self.stats("http", set: "go1.19/").block["network"]?.count ?? 0) > 0)
        #expect((try Self.stats("mutex", set: "go1.19/").block["sync"]?.count ?? 0) > 0)
    }

    static func matchRanges(_ mode: String, set: String) throws {
        let s = try Self.stats(mode, set: set)
        let r = try Self.ranges(mode, set: set)
        // Reasons as the dump names the ranges: "stop-the-world (REASON)".
        let ours = Dictionary(uniqueKeysWithValues: s.stwByReason.map { ("stop-the-world (\($0.key))", $0.value.values) })
        #expect(ours == r.stw.mapValues { $0.sorted() })
        #expect(s.stw.count == r.stw.values.map(\.count).reduce(0, +))
        #expect(s.stw.values == r.stw.values.flatMap { $0 }.sorted())
        #expect(s.gcCount == r.gc)
        #expect(s.tasks.mapValues(\.values) == r.tasks.mapValues { $0.sorted() })
        #expect(s.durationNs > 0)
    }

    /// The GC's share of the CPU, against Fixtures/trace/gc-cpu.awk's count from go tool
    /// trace's own parse (`go127-MODE.gccpu.txt`): the same P-time, so the same ratio.
    @Test(arguments: TracePprofTests.modes.map { "go127-\($0)" } + TracePprofTests.oldModes.map { "go1.19/\($0)" })
    func gcCPUFractionMatchesGoToolTraceEvents(mode: String) throws {
        let line = try Fixtures.read("trace/\(mode).gccpu.txt").split(separator: "\n").first { !$0.hasPrefix("#") }
        let expected = try #require(line.flatMap { Double($0.split(separator: " ").last!) })
        let bytes = try Fixtures.bytes("trace/\(mode).trace")
        let s = try bytes.withUnsafeBytes { try TraceStats.compute($0, source: mode) }
        #expect(abs(s.gcCPUFraction - expected) < 1e-9, "\(mode): \(s.gcCPUFraction) vs \(expected)")
        if mode == "go127-gc" { #expect(s.gcCPUFraction > 0.2) }  // the map churn keeps the GC busy
    }

    @Test func gcTraceHasPausesAndCycles() throws {
        let s = try Self.stats("gc")
        #expect(s.gcCount >= 3)
        #expect(s.stw.count >= 2 * s.gcCount)
        #expect(s.stwByReason["GC sweep termination"] != nil)
        #expect(s.stwByReason["GC mark termination"] != nil)
    }

    @Test func nearestRank() {
        let d = TraceDistribution([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])
        #expect(d.percentile(50) == 5)  // rank ⌈0.5 × 10⌉ = 5
        #expect(d.percentile(90) == 9)
        #expect(d.percentile(99) == 10)  // rank ⌈9.9⌉ = 10
        #expect(d.max == 10 && d.total == 55 && d.count == 10)
        let one = TraceDistribution([7])
        #expect(one.percentile(1) == 7 && one.percentile(50) == 7 && one.percentile(99) == 7)
        #expect(TraceDistribution([]).percentile(99) == 0)
        let hundred = TraceDistribution((1...100).map { Int64($0) })
        #expect(hundred.percentile(99) == 99 && hundred.percentile(50) == 50)
    }

    @Test func blockingAndLatencyByKind() throws {
        #expect((try Self.stats("mutex").block["sync"]?.count ?? 0) > 0)
        #expect((try Self.stats("chan").block["select"]?.count ?? 0) > 0)
        #expect((try Self.stats("http").block["network"]?.count ?? 0) > 0)
        #expect((try Self.stats("file").block["syscall"]?.count ?? 0) > 0)
        #expect((try Self.stats("tasks").block["sleep"]?.count ?? 0) > 0)
        #expect((try Self.stats("mutex").schedLatency.count) > 0)
        let t = try Self.stats("tasks")
        #expect(t.tasks["request"]?.count == 200)
        #expect(t.regions["parse"]?.count == 200 && t.regions["work"]?.count == 200)
        #expect(t.goroutinesCreated >= 200)
        // The slow build's p99 request is far above the fast one's (30 ms sleeps vs 0.3 ms).
        let slow = try Self.stats("slowtask").tasks["request"]!.percentile(99)
        let fast = try Self.stats("fasttask").tasks["request"]!.percentile(99)
        #expect(slow > 3 * fast)
    }
}
