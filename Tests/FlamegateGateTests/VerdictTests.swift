import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateGate

/// The gate's comparisons and statistics: known answers, and scipy's p-values.
@Suite struct VerdictTests {
    static let g = Fixtures.path("gate")

    static func run(_ yaml: String, files: [String: String] = [:]) throws -> GateOutcome {
        let config = try GateRulesFile.parse(yaml, source: "gate.yml", directory: g)
        return try Gate.run(config)
    }

    /// `go test -bench` text with one value per run.
    static func benchText(_ name: String, _ unit: String, _ values: [Double]) -> String {
        var s = "goos: linux\npkg: example.com/x\n"
        for v in values { s += "Benchmark\(name)-8   \t 1000\t \(v) \(unit)\n" }
        return s + "PASS\n"
    }

    static let profileRules = """
        base: base.folded
        candidate: cand.folded
        rules:
        """

    static func profileRule(_ compare: String, _ threshold: Double, measure: String = "cum", extra: String = "")
        -> String
    {
        profileRules + """

              - name: map
                kind: profile
                frames: '^(runtime\\.map(access|assign)|internal/runtime/maps\\.)'
                measure: \(measure)
                compare: \(compare)
                threshold: \(threshold)
            \(extra)
            """
    }

    @Test func profileShareAndRelative() throws {
        let share = try Self.run(Self.profileRule("share", 25))
        let row = try #require(share.results.first?.rows.first)
        #expect(row.base == 20)
        #expect(row.cand == 50)
        #expect(row.change == 30)
        #expect(row.p == nil)
        #expect(row.note.contains("no test possible"))
        #expect(row.status == .fail)
        #expect(share.exitCode == 1)
        // Not beyond 30 pp.
        #expect(try Self.run(Self.profileRule("share", 30)).results[0].status == .pass)
        // Relative change of the share: 20% → 50% is +150%.
        let rel = try Self.run(Self.profileRule("relative", 100))
        #expect(rel.results[0].rows[0].change == 150)
        #expect(rel.results[0].status == .fail)
        #expect(try Self.run(Self.profileRule("relative", 150)).results[0].status == .pass)
    }

    @Test func profileFlatAbsoluteNewLimit() throws {
        // flat: mallocgc under mapassign is not a map leaf: 40%.
        let flat = try Self.run(Self.profileRule("share", 19, measure: "flat"))
        #expect(flat.results[0].rows[0].cand == 40)
        #expect(flat.results[0].rows[0].change == 20)
        #expect(flat.results[0].status == .fail)
        // absolute: raw values (samples) 20 → 50.
        let abs = try Self.run(Self.profileRule("absolute", 29))
        #expect(abs.results[0].rows[0].change == 30)
        #expect(abs.results[0].status == .fail)
        #expect(try Self.run(Self.profileRule("absolute", 30)).results[0].status == .pass)
        // new: one matching function only in the candidate.
        let new = try Self.run(Self.profileRule("new", 0))
        #expect(new.results[0].rows[0].change == 1)
        #expect(new.results[0].rows[0].details.first?.hasPrefix("internal/runtime/maps.(*table).grow") == true)
        #expect(new.results[0].status == .fail)
        #expect(try Self.run(Self.profileRule("new", 1)).results[0].status == .pass)
        // limit: the candidate's share against a fixed value, no base needed.
        let limit = try Self.run(Self.profileRule("limit", 45))
        #expect(limit.results[0].rows[0].change == 50)
        #expect(limit.results[0].status == .fail)
        // direction: decrease — growth never trips.
        let dec = try Self.run(Self.profileRule("share", 1, extra: "    direction: decrease"))
        #expect(dec.results[0].status == .pass)
        // Top contributing frames, largest growth first.
        let top = try #require(new.results.first?.contributors.first)
        #expect(top.name == "runtime.mapassign_faststr")
        #expect(top.baseShare == 20 && top.candShare == 50)
    }

    @Test func metricRules() throws {
        let yaml = """
            base: base.json
            candidate: cand.json
            rules:
              - name: p99
                kind: metric
                key: latency.p99_ms
                compare: relative
                threshold: 10
              - name: size
                kind: metric
                key: binary_bytes
                compare: absolute
                threshold: 20000
                severity: warn
                assume: exact
              - name: throughput
                kind: metric
                key: throughput
                compare: relative
                direction: decrease
                threshold: 10
                assume: exact
              - name: size single no assume
                kind: metric
                key: binary_bytes
                compare: absolute
                threshold: 1
                severity: warn
            """
        let o = try Self.run(yaml)
        let p99 = o.results[0].rows[0]
        #expect(p99.base == 10.1 && p99.cand == 12.7)
        // 5 vs 5 completely separated: exact p = 2/C(10,5) = 0.0079365…
        #expect(abs((p99.p ?? 1) - 0.0079365079365079361) < 1e-12)
        #expect(p99.status == .fail)
        #expect(o.results[1].rows[0].change == 30000)
        #expect(o.results[1].status == .warn)
        #expect(o.results[1].rows[0].note.contains("assume: exact"))
        #expect(abs((o.results[2].rows[0].change ?? 0) + 20) < 1e-9)
        #expect(o.results[2].status == .fail)
        #expect(o.results[3].status == .inconclusive)
        #expect(o.results[3].rows[0].note.contains("too few samples"))
    }

    @Test func escapeRules() throws {
        let e = Fixtures.path("escape")
        let yaml = """
            base: \(e)/base.mm.txt
            candidate: \(e)/cand.mm.txt
            rules:
              - name: new map escapes
                kind: escape
                escape: map
              - name: new escapes in render
                kind: escape
                function: '^renderInvoice$'
              - name: heap escapes count
                kind: escape
                compare: absolute
                threshold: 100
            """
        let o = try Self.run(yaml)
        #expect(o.results[0].rows[0].change == 1)
        #expect(o.results[0].rows[0].details == ["main.go:261:11 buildLineItemsRegress: make(map[string]int)"])
        #expect(o.results[0].status == .fail)
        // cand removes renderInvoice's fmt.Sprint(n) escape: nothing new there.
        #expect(o.results[1].status == .pass)
        #expect(o.results[2].status == .pass)
        #expect(o.results[2].rows[0].note.contains("no test needed"))
    }

    struct UCase: Sendable, CustomStringConvertible {
        var name: String
        var p: Double
        var x: [Double]
        var y: [Double]
        var description: String { name }
    }

    static let uCases: [UCase] = {
        guard let text = try? Fixtures.read("stats/mannwhitney.tsv") else { return [] }
        var out: [UCase] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("name\t") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9, let p = Double(f[5]) else { continue }
            let nums = { (s: String) in s.split(separator: ",").compactMap { Double($0) } }
            out.append(UCase(name: f[0], p: p, x: nums(f[7]), y: nums(f[8])))
        }
        return out
    }()

    @Test(arguments: uCases) func benchRuleUsesTheUTest(_ c: UCase) throws {
        let d = try TempDir([
            "base.txt": Self.benchText("Work", "ns/op", c.x), "cand.txt": Self.benchText("Work", "ns/op", c.y),
            "gate.yml": """
            base: base.txt
            candidate: cand.txt
            rules:
              - name: speed
                kind: bench
                benchmark: Work
                compare: relative
                threshold: 0
                severity: warn
            """,
        ])
        let o = try Gate.run(try GateRulesFile.read(d.rules))
        let row = try #require(o.results.first?.rows.first)
        let few = c.x.count < 4 || c.y.count < 4
        #expect(row.baseN == c.x.count && row.candN == c.y.count)
        #expect(row.base == Statistics.median(c.x) && row.cand == Statistics.median(c.y))
        #expect(abs((row.p ?? -1) - c.p) <= 1e-9 * max(1, c.p), "p \(row.p ?? -1) vs scipy \(c.p)")
        if few {
            #expect(row.status == .inconclusive)
            #expect(row.note.contains("too few samples"))
        } else {
            // Any growth exceeds the 0% threshold: the test decides whether it trips.
            #expect(row.exceeds == ((row.change ?? 0) > 0))
            #expect(row.status == ((c.p <= 0.05 && row.exceeds) ? .warn : .pass), "\(row.note)")
        }
    }

    @Test func tooFewSamplesAndAssumeExact() throws {
        let files = [
            "base.txt": Self.benchText("Map", "ns/op", [100, 101, 102]),
            "cand.txt": Self.benchText("Map", "ns/op", [200, 201, 202]),
        ]
        func rules(_ extra: String) -> String {
            """
            base: base.txt
            candidate: cand.txt
            rules:
              - name: speed
                kind: bench
                benchmark: Map
                compare: relative
                threshold: 10
            \(extra)
            """
        }
        var f = files
        // A fail rule that cannot decide is refused: it could never fail the gate.
        f["gate.yml"] = rules("")
        let d = try TempDir(f)
        let e = try #require(throws: InputError.self) { try Gate.run(try GateRulesFile.read(d.rules)) }
        #expect(e.description.contains("(severity: fail) cannot decide on BenchmarkMap-8: too few samples"))
        // As a warning it is undecided, and the headline says so.
        f["gate.yml"] = rules("    severity: warn")
        let dw = try TempDir(f)
        var o = try Gate.run(try GateRulesFile.read(dw.rules))
        #expect(o.results[0].status == .inconclusive)
        #expect(o.headline == "INCONCLUSIVE")
        #expect(o.exitCode == 0)
        o.failOnInconclusive = true
        #expect(o.exitCode == 1)
        f["gate.yml"] = rules("    assume: exact")
        let d2 = try TempDir(f)
        let o2 = try Gate.run(try GateRulesFile.read(d2.rules))
        #expect(o2.results[0].status == .fail)
        #expect(abs((o2.results[0].rows[0].change ?? 0) - (201.0 / 101 - 1) * 100) < 1e-9)
    }

    @Test func notSignificantDoesNotTrip() throws {
        // Interleaved samples: the medians differ by 8% but p = 0.699.
        let d = try TempDir([
            "base.txt": Self.benchText("X", "B/op", [1, 3, 5, 7, 9, 11]),
            "cand.txt": Self.benchText("X", "B/op", [2, 4, 6, 8, 10, 12]),
            "gate.yml": """
            base: base.txt
            candidate: cand.txt
            rules:
              - {name: bytes, kind: bench, benchmark: X, unit: B/op, compare: relative, threshold: 5}
            """,
        ])
        let o = try Gate.run(try GateRulesFile.read(d.rules))
        let row = o.results[0].rows[0]
        #expect(row.exceeds)
        #expect(!row.tripped)
        #expect(row.status == .pass)
        #expect(abs((row.p ?? 0) - 0.69913419913419916) < 1e-12)
    }
}
