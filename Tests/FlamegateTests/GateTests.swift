import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `flamegate gate`: rules files, comparisons, statistics, exit statuses and report formats.
@Suite struct GateTests {
    // MARK: helpers

    /// A temporary folder holding `gate.yml` (and any other files).
    final class Dir {
        let path: String
        init(_ files: [String: String]) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("fg-gate-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var rules: String { path + "/gate.yml" }
    }

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

    // MARK: comparisons (known answers)

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

    // MARK: statistics against scipy's p-values

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
        let d = try Dir([
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
        let d = try Dir(f)
        let e = try #require(throws: InputError.self) { try Gate.run(try GateRulesFile.read(d.rules)) }
        #expect(e.description.contains("(severity: fail) cannot decide on BenchmarkMap-8: too few samples"))
        // As a warning it is undecided, and the headline says so.
        f["gate.yml"] = rules("    severity: warn")
        let dw = try Dir(f)
        var o = try Gate.run(try GateRulesFile.read(dw.rules))
        #expect(o.results[0].status == .inconclusive)
        #expect(o.headline == "INCONCLUSIVE")
        #expect(o.exitCode == 0)
        o.failOnInconclusive = true
        #expect(o.exitCode == 1)
        f["gate.yml"] = rules("    assume: exact")
        let d2 = try Dir(f)
        let o2 = try Gate.run(try GateRulesFile.read(d2.rules))
        #expect(o2.results[0].status == .fail)
        #expect(abs((o2.results[0].rows[0].change ?? 0) - (201.0 / 101 - 1) * 100) < 1e-9)
    }

    @Test func notSignificantDoesNotTrip() throws {
        // Interleaved samples: the medians differ by 8% but p = 0.699.
        let d = try Dir([
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

    // MARK: rules files

    static func parseError(_ yaml: String) -> String {
        do {
            _ = try GateRulesFile.parse(yaml, source: "gate.yml")
            return ""
        } catch { return error.description }
    }

    @Test func malformedRulesNameLineAndColumn() {
        let unknown = Self.parseError("rules:\n  - name: a\n    kind: bench\n    benchmark: X\n    treshold: 5\n")
        #expect(unknown.hasPrefix("gate.yml:5:5: unknown key \"treshold\""), "\(unknown)")
        let badRegex = Self.parseError(
            "rules:\n  - name: a\n    kind: profile\n    frames: '(unclosed'\n    threshold: 5\n")
        #expect(badRegex.hasPrefix("gate.yml:4:13:"), "\(badRegex)")
        let wrongType = Self.parseError("rules:\n  - name: a\n    kind: bench\n    benchmark: X\n    threshold: lots\n")
        #expect(wrongType == "gate.yml:5:16: threshold must be a number", "\(wrongType)")
        let wrongKind = Self.parseError("rules:\n  - name: a\n    kind: cpu\n")
        #expect(wrongKind.hasPrefix("gate.yml:3:11: kind must be one of"), "\(wrongKind)")
        let share = Self.parseError(
            "rules:\n  - name: a\n    kind: bench\n    benchmark: X\n    compare: share\n    threshold: 1\n")
        #expect(share.hasPrefix("gate.yml:5:14: compare: share does not apply to a bench rule"), "\(share)")
        let foreign = Self.parseError(
            "rules:\n  - name: a\n    kind: bench\n    benchmark: X\n    frames: x\n    threshold: 1\n")
        #expect(foreign.hasPrefix("gate.yml:5:13: key \"frames\" does not apply to a bench rule"), "\(foreign)")
        let noThreshold = Self.parseError("rules:\n  - name: a\n    kind: bench\n    benchmark: X\n")
        #expect(noThreshold.hasPrefix("gate.yml:2:5: rule \"a\" needs threshold"), "\(noThreshold)")
        let topUnknown = Self.parseError("rule:\n  - name: a\n")
        #expect(topUnknown.hasPrefix("gate.yml:1:1: unknown key \"rule\""), "\(topUnknown)")
        let dup = Self.parseError("rules:\n  - {name: a, kind: escape}\n  - {name: a, kind: escape}\n")
        #expect(dup.contains("appears twice"), "\(dup)")
        #expect(Self.parseError("rules: []\n").contains("no rules"))
    }

    @Test func pathsResolveAgainstTheRulesFolder() throws {
        let c = try GateRulesFile.parse(
            "base: [a.pb.gz, /abs/b.txt]\nrules:\n  - {name: a, kind: escape}\n", source: "x/gate.yml", directory: "x")
        #expect(c.base == ["x/a.pb.gz", "/abs/b.txt"])
        #expect(GateRulesFile.directory(of: "ci/gate.yml") == "ci")
        #expect(GateRulesFile.directory(of: "gate.yml") == "")
    }

    @Test func inputsAreSniffedByKind() throws {
        let cache = GateInputCache()
        #expect(try cache.kind(Fixtures.path("pprof/go1.27/cpu.pb.gz")) == .profile)
        #expect(try cache.kind(Fixtures.path("gate/base.folded")) == .profile)
        #expect(try cache.kind(Fixtures.path("gate/base.json")) == .metric)
        #expect(try cache.kind(Fixtures.path("bench/base.txt")) == .bench)
        #expect(try cache.kind(Fixtures.path("escape/base.m.txt")) == .escape)
        #expect(try cache.kind(Fixtures.path("escape/cand.mm.txt")) == .escape)
    }

    // MARK: CLI: exit statuses and outputs

    static let cliRules = """
        base: [base.folded, base.json]
        candidate: [cand.folded, cand.json]
        rules:
          - name: map share
            kind: profile
            frames: 'map'
            compare: share
            threshold: THRESHOLD
            severity: SEVERITY
          - name: p99
            kind: metric
            key: latency.p99_ms
            compare: relative
            threshold: 50
        """

    func cliDir(threshold: Double, severity: String) throws -> Dir {
        let g = Fixtures.path("gate")
        var files: [String: String] = [:]
        for f in ["base.folded", "cand.folded", "base.json", "cand.json"] {
            files[f] = try String(contentsOfFile: g + "/" + f, encoding: .utf8)
        }
        files["gate.yml"] = Self.cliRules.replacingOccurrences(of: "THRESHOLD", with: "\(threshold)")
            .replacingOccurrences(of: "SEVERITY", with: severity)
        return try Dir(files)
    }

    @Test func exitStatuses() throws {
        let fail = try cliDir(threshold: 10, severity: "fail")
        let r1 = try Fixtures.run(["gate", "--rules", fail.rules])
        #expect(r1.status == 1, "\(r1.stderr)")
        #expect(r1.stdout.hasPrefix("flamegate gate: FAIL"))
        #expect(r1.stderr.isEmpty, "\(r1.stderr)")
        let warn = try cliDir(threshold: 10, severity: "warn")
        let r2 = try Fixtures.run(["gate", "--rules", warn.rules])
        #expect(r2.status == 0)
        #expect(r2.stdout.hasPrefix("flamegate gate: PASS with 1 warning"))
        let pass = try cliDir(threshold: 40, severity: "fail")
        let r3 = try Fixtures.run(["gate", "--rules", pass.rules])
        #expect(r3.status == 0)
        #expect(r3.stdout.hasPrefix("flamegate gate: PASS"))
        // Missing baseline: 2, never a pass.
        try FileManager.default.removeItem(atPath: pass.path + "/base.folded")
        let r4 = try Fixtures.run(["gate", "--rules", pass.rules])
        #expect(r4.status == 2)
        #expect(r4.stderr.contains("base.folded"))
        // Corrupt baseline: 2.
        try Data([0x1f, 0x8b, 0x08, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: pass.path + "/base.folded"))
        let r5 = try Fixtures.run(["gate", "--rules", pass.rules])
        #expect(r5.status == 2)
        // No base input of the rule's kind at all: 2.
        let r6 = try Fixtures.run(["gate", "--rules", pass.rules, "--base", pass.path + "/base.json"])
        #expect(r6.status == 2)
        #expect(r6.stderr.contains("no profile input for the base"), "\(r6.stderr)")
        // Malformed rules: 2, naming line and column.
        try "rules:\n  - name: a\n    kind: metric\n    key: x\n    threshold: [1]\n".write(
            toFile: pass.rules, atomically: true, encoding: .utf8)
        let r7 = try Fixtures.run(["gate", "--rules", pass.rules])
        #expect(r7.status == 2)
        #expect(r7.stderr.contains("gate.yml:5:16: threshold must be a number"), "\(r7.stderr)")
        // Usage error: 2.
        let r8 = try Fixtures.run(["gate"])
        #expect(r8.status == 2)
    }

    @Test func cliOverridesInputs() throws {
        let d = try cliDir(threshold: 10, severity: "fail")
        // Candidate = base: nothing changed.
        let r = try Fixtures.run([
            "gate", "--rules", d.rules, "--candidate", d.path + "/base.folded", d.path + "/base.json",
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("change 0 pp"))
    }

    final class JUnitCollector: NSObject, XMLParserDelegate {
        var suites: [[String: String]] = []
        var cases: [(name: String, failed: Bool, skipped: Bool)] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "testsuite", "testsuites": suites.append(attributes)
            case "testcase": cases.append((attributes["name"] ?? "", false, false))
            case "failure": cases[cases.count - 1].failed = true
            case "skipped": cases[cases.count - 1].skipped = true
            default: break
            }
        }
    }

    @Test func reportFormats() throws {
        let d = try cliDir(threshold: 10, severity: "fail")
        let md = d.path + "/out.md"
        let js = d.path + "/out.json"
        let ju = d.path + "/out.xml"
        let r = try Fixtures.run(["gate", "--rules", d.rules, "--markdown", md, "--json", js, "--junit", ju, "--quiet"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)

        // JUnit: two testcases, one failure.
        let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: ju)))
        let c = JUnitCollector()
        parser.delegate = c
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(c.suites.first?["tests"] == "2")
        #expect(c.suites.first?["failures"] == "1")
        #expect(c.cases.map(\.name) == ["map share", "p99"])
        #expect(c.cases.map(\.failed) == [true, false])

        // Markdown: the verdict first, then a table with a row per rule.
        let m = try String(contentsOfFile: md, encoding: .utf8)
        let lines = m.split(separator: "\n").map(String.init)
        #expect(lines.first == "## ❌ flamegate gate: FAIL")
        let header = try #require(lines.firstIndex(of: "| rule | base | candidate | change | p | verdict |"))
        #expect(lines[header + 1] == "| --- | --- | --- | --- | --- | --- |")
        let rows = lines[(header + 2)...].prefix { $0.hasPrefix("| ") }
        #expect(rows.count == 2)
        let cells = rows.first!.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(
            cells == [
                "**map share** (profile, fail: share of total grows by more than 10 pp)", "20%", "50%", "+30 pp",
                "no test", "❌ fail",
            ])
        let p99 = rows.last!.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(p99[4] == "p=0.008")
        #expect(p99[5] == "✅ pass")
        #expect(m.contains("### map share: frames that changed most"))
        #expect(m.contains("| `runtime.mapassign_faststr` | 20% (20) | 50% (50) | +30 pp |"))

        // JSON.
        let obj = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: js))) as? [String: Any])
        #expect(obj["verdict"] as? String == "fail")
        #expect(obj["exit_code"] as? Int == 1)
        let rules = try #require(obj["rules"] as? [[String: Any]])
        #expect(rules.count == 2)
        let row = try #require((rules[1]["rows"] as? [[String: Any]])?.first)
        #expect(row["item"] as? String == "latency.p99_ms")
        #expect(abs((row["p"] as? Double ?? 0) - 0.00793651) < 1e-6)
        #expect(row["status"] as? String == "pass")
    }

    // MARK: the worked example

    @Test func exampleFailsOnTheRegressionAndPassesOnTheFix() throws {
        let ex = Fixtures.root + "/Examples/ci"
        let reg = try Fixtures.run(["gate", "--rules", ex + "/gate.yml"])
        #expect(reg.status == 1, "\(reg.stdout)\(reg.stderr)")
        #expect(reg.stdout.contains("FAIL  map work share"))
        #expect(reg.stdout.contains("WARN  mapassign benchmark"))
        let fix = try Fixtures.run([
            "gate", "--rules", ex + "/gate.yml", "--candidate", ex + "/captured/fix/cpu.pb.gz",
            ex + "/captured/fix/bench.txt",
        ])
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        #expect(fix.stdout.hasPrefix("flamegate gate: PASS"))
    }
}
