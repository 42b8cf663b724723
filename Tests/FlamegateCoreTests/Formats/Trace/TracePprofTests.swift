import FlamegateTestSupport
import Testing

@testable import FlamegateCore

/// `trace pprof` against `go tool trace -pprof=KIND` (Go 1.27) on the traces of
/// Fixtures/trace/make-traces.sh: the same stacks with the same contention counts and
/// delays. Compared as sets of (stack of function names and lines → values): the tool
/// writes its records in Go map order, and pprof 1.27 orders equal rows unstably.
@Suite struct TracePprofTests {
    static let modes = ["gc", "mutex", "chan", "http", "file", "tasks", "slowtask", "fasttask"]
    static let cases: [(String, TraceProfileKind)] = modes.flatMap { m in TraceProfileKind.allCases.map { (m, $0) } }

    /// Stack (leaf first, `function:line` per frame) → [count, delay], summed over equal stacks.
    static func table(_ p: Profile) -> [String: [Int64]] {
        var t: [String: [Int64]] = [:]
        for i in 0..<p.samples.count {
            let stack = p.samples.locationRange(i).map { li -> String in
                let loc = p.samples.locations[li]
                return p.lines(ofLocation: Int(loc)).map { "\(p.functionName($0.function)):\($0.line)" }.joined(separator: "|")
            }.joined(separator: ";")
            var v = t[stack] ?? [0, 0]
            v[0] += p.samples.value(i, 0)
            v[1] += p.samples.value(i, 1)
            t[stack] = v
        }
        return t
    }

    @Test(arguments: cases) func equalsGoToolTrace(mode: String, kind: TraceProfileKind) throws {
        try Self.compare("trace/go127-\(mode).trace", "trace/go127-\(mode).\(kind.rawValue).pb", kind)
    }

    /// The Go 1.19 traces (the format of Go 1.11–1.21) against Go 1.27's tool, which
    /// converts them to current events before profiling.
    static let oldModes = ["gc", "mutex", "chan", "http", "file", "tasks"]
    static let oldCases: [(String, TraceProfileKind)] = oldModes.flatMap { m in TraceProfileKind.allCases.map { (m, $0) } }

    @Test(arguments: oldCases) func oldFormatEqualsGoToolTrace(mode: String, kind: TraceProfileKind) throws {
        try Self.compare("trace/go1.19/\(mode).trace", "trace/go1.19/\(mode).\(kind.rawValue).pb", kind)
    }

    /// Go 1.11 and Go 1.21 traces from Go's own test data (the other encodings of the old
    /// format: 1.21 numbers every stop-the-world reason, 1.11 has no CPU samples).
    static let goTestdata = [
        "user_task_region_1_11_good", "stress_start_stop_1_11_good", "user_task_region_1_21_good",
        "stress_start_stop_1_21_good", "http_1_21_good",
    ]
    static let goTestdataCases: [(String, TraceProfileKind)] = goTestdata.flatMap { m in
        TraceProfileKind.allCases.map { (m, $0) }
    }

    @Test(arguments: goTestdataCases) func go111And121TracesEqualGoToolTrace(name: String, kind: TraceProfileKind) throws {
        try Self.compare("trace/go-testdata/\(name).trace", "trace/go-testdata/\(name).\(kind.rawValue).pb", kind)
    }

    static func compare(_ tracePath: String, _ referencePath: String, _ kind: TraceProfileKind) throws {
        let trace = try Fixtures.bytes(tracePath)
        let reference = try Fixtures.bytes(referencePath)
        let ours = try trace.withUnsafeBytes { try TracePprof.profile($0, kind: kind, source: tracePath) }
        let theirs = try reference.withUnsafeBytes { try PprofDecoder.decode(possiblyCompressed: $0) }
        #expect(ours.sampleTypes == theirs.sampleTypes)
        #expect(ours.periodType == theirs.periodType)
        let a = Self.table(ours)
        let b = Self.table(theirs)
        #expect(a.count == b.count)
        for (stack, v) in b where a[stack] != v {
            Issue.record("\(tracePath) \(kind): \(stack): ours \(a[stack] ?? []) go tool trace \(v)")
        }
        for (stack, v) in a where b[stack] == nil {
            Issue.record("\(tracePath) \(kind): extra stack \(stack) \(v)")
        }
        #expect(ours.totals() == theirs.totals())
    }
}
