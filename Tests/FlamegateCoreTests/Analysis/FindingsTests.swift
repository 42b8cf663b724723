import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// explain's findings (built-in and user rules) on the regress/fixed Go service profiles,
/// and rules files that must be refused with their line and column.
@Suite struct FindingsTests {
    static func profile(_ rel: String) throws -> Profile { try ProfileLoader.load([Fixtures.path("pprof/" + rel)]) }

    @Test(arguments: ["go1.27", "go1.19"])
    func mapFindingFiresOnTheRegressionOnly(_ set: String) throws {
        let rules = FindingRules.builtIn()
        let regress = Findings.evaluate(try Self.profile("\(set)/cpu.pb.gz"), rules: rules)
        let map = try #require(regress.first { $0.rule.id == "map-churn" })
        #expect(map.share >= map.rule.minShare)
        #expect(map.chargedTo.first?.name == "main.buildLineItemsRegress")
        #expect(!map.frames.isEmpty)
        if set == "go1.27" {
            let fixed = Findings.evaluate(try Self.profile("go1.27-fixed/cpu.pb.gz"), rules: rules)
            #expect(!fixed.contains { $0.rule.id == "map-churn" })
        }
    }

    @Test func builtInRulesParseAndCoverTheIssueList() {
        let ids = Set(FindingRules.builtIn().map(\.id))
        for id in [
            "map-churn", "gc-pressure", "scheduler-churn", "network-wait", "json-reflection", "lock-contention",
            "async-preemption", "syscalls",
        ] {
            #expect(ids.contains(id), "missing rule \(id)")
        }
    }

    @Test func userRulesExtendAndReplace() throws {
        let yaml = """
            rules:
              - id: gc-pressure
                title: Replaced
                frames: 'runtime\\.mallocgc'
                min_share: 1
              - id: sorting
                frames: '^sort\\.'
                min_share: 2
                meaning: Sorting on the hot path.
            """
        let user = try FindingRules.parse(yaml, source: "team.yml")
        let all = FindingRules.combined(user: user)
        #expect(all.filter { $0.id == "gc-pressure" }.map(\.title) == ["Replaced"])
        let found = Findings.evaluate(try Self.profile("go1.27/cpu.pb.gz"), rules: all)
        #expect(found.contains { $0.rule.id == "sorting" })
    }

    @Test func malformedRulesNameTheLineAndColumn() {
        func error(_ yaml: String) -> String {
            do {
                _ = try FindingRules.parse(yaml, source: "r.yml")
                return ""
            } catch { return error.description }
        }
        #expect(
            error("rules:\n  - id: a\n    frmes: x\n    min_share: 1\n").hasPrefix("r.yml:3:5: unknown key \"frmes\""))
        #expect(error("rules:\n  - id: a\n    frames: '('\n    min_share: 1\n").hasPrefix("r.yml:3:13:"))
        #expect(error("rules:\n  - id: a\n    frames: x\n    min_share: lots\n").contains("min_share must be a number"))
        #expect(error("rules: [\n").contains("invalid YAML"))
    }

    /// YAML's `.nan`/`.inf` (and Swift's `nan`) are numbers, so range checks name them
    /// instead of letting a NaN share silently never trip.
    @Test func specialFloatsAreRefused() throws {
        let share = "rules:\n  - id: x\n    frames: y\n    min_share: "
        for m in [".nan", "150", "-1"] {
            let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(share + m, source: "f.yml") }
            #expect(e.description == "f.yml:4:16: min_share must be a percentage between 0 and 100", "\(m)")
        }
    }

    /// A rules file's regexes are Go's RE2, matched in linear time: `(a|b)*c` is accepted
    /// (no longer refused as a backtracking hazard); a bad one is refused in Go's words.
    @Test func rulesRegexesAreRE2() throws {
        let finding = "rules:\n  - id: x\n    frames: y\n    under: '(a|b)*c'\n    min_share: 5\n"
        _ = try FindingRules.parse(finding, source: "f.yml")
        let bad = "rules:\n  - id: x\n    frames: y\n    under: 'a**'\n    min_share: 5\n"
        let f = try #require(throws: InputError.self) { _ = try FindingRules.parse(bad, source: "f.yml") }
        #expect(
            f.description == "f.yml:4:12: parsing under regexp: error parsing regexp: invalid nested repetition operator: `**`",
            "\(f)")
        // The shipped rules still load.
        _ = try FindingRules.parse(FindingRules.defaultRulesYAML, source: "builtin")
    }

    /// `Tests/Fixtures/malformed/rules/`: each a clean one-line error.
    @Test(arguments: Fixtures.malformed("rules"))
    func rules(_ path: String) throws {
        let text = String(decoding: try Fixtures.bytes(atPath: path), as: UTF8.self)
        let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(text, source: path) }
        #expect(!e.description.contains("\n"), "not one line: \(e.description)")
    }
}
