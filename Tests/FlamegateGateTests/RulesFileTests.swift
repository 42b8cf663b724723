import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateGate

/// Reading gate.yml: errors name the line and column; paths resolve against its folder.
@Suite struct RulesFileTests {
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

    /// libyaml's errors keep their position and problem on one line.
    @Test func yamlErrorsNameLineColumnAndProblem() throws {
        let g = try #require(throws: InputError.self) { _ = try GateRulesFile.parse("ok: 1\n\u{1}\n", source: "g.yml") }
        #expect(g.description == "g.yml:2:1: invalid YAML: control characters are not allowed (character 0x1)")
    }

    /// YAML's `.nan`/`.inf` (and Swift's `nan`) are numbers, so range checks name them
    /// instead of letting a NaN threshold silently never trip.
    @Test func specialFloatsAreRefused() throws {
        let rule = "rules:\n  - name: m\n    kind: profile\n    frames: x\n    threshold: "
        for t in [".nan", ".inf", "-.inf", "nan"] {
            let e = try #require(throws: InputError.self) { _ = try GateRulesFile.parse(rule + t, source: "g.yml") }
            #expect(e.description == "g.yml:5:16: threshold must be a finite number", "\(t): \(e.description)")
        }
        let metric = try YAMLValue.parse(#"{"p99": [1.0, .nan, 2.0]}"#, source: "m.json")
        var r = GateRule(name: "p99", kind: .metric, compare: .relative, threshold: 5)
        r.key = "p99"
        let e = try #require(throws: InputError.self) { _ = try Gate.metricValues(metric, key: "p99", rule: r) }
        #expect(e.description == "m.json:1:15: values of \"p99\" must be finite numbers")
    }

    /// A rules file's regexes are Go's RE2, matched in linear time: `(x+)+$`, which a
    /// backtracking engine could take hours on, is accepted; a bad one is refused where it
    /// is written, in Go's words.
    @Test func rulesRegexesAreRE2() throws {
        let gate = "rules:\n  - name: m\n    kind: profile\n    frames: '(x+)+$'\n    threshold: 5\n"
        _ = try GateRulesFile.parse(gate, source: "g.yml")
        let bad = "rules:\n  - name: m\n    kind: profile\n    frames: '(?=x)'\n    threshold: 5\n"
        let e = try #require(throws: InputError.self) { _ = try GateRulesFile.parse(bad, source: "g.yml") }
        #expect(
            e.description
                == "g.yml:4:13: parsing frames regexp: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
            "\(e)")
        // The CI example still loads.
        _ = try GateRulesFile.read(Fixtures.root + "/Examples/ci/gate.yml")
    }

    /// `Tests/Fixtures/malformed/gaterules/`: each a clean one-line error.
    @Test(arguments: Fixtures.malformed("gaterules"))
    func gaterules(_ path: String) throws {
        let text = String(decoding: try Fixtures.bytes(atPath: path), as: UTF8.self)
        let e = try #require(throws: InputError.self) { _ = try GateRulesFile.parse(text, source: path) }
        #expect(!e.description.contains("\n"), "not one line: \(e.description)")
        #expect(throws: InputError.self) { _ = try GateRulesFile.read(path) }
    }
}
