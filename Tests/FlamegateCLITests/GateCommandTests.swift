import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `flamegate gate` through the CLI: exit statuses, input overrides, report formats, the CI example.
@Suite struct GateCommandTests {
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

    func cliDir(threshold: Double, severity: String) throws -> TempDir {
        let g = Fixtures.path("gate")
        var files: [String: String] = [:]
        for f in ["base.folded", "cand.folded", "base.json", "cand.json"] {
            files[f] = try String(contentsOfFile: g + "/" + f, encoding: .utf8)
        }
        files["gate.yml"] = Self.cliRules.replacingOccurrences(of: "THRESHOLD", with: "\(threshold)")
            .replacingOccurrences(of: "SEVERITY", with: severity)
        return try TempDir(files)
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
