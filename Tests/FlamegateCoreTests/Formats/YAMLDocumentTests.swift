import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Reading YAML (rules files): bounded nesting, one-line errors with line and column.
@Suite struct YAMLDocumentTests {
    /// YAML nesting beyond `YAMLValue.maxDepth` is refused before Yams recurses into it;
    /// ordinary rules files are far below it.
    @Test func yamlNestingIsBounded() throws {
        let deep = "rules: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(deep, source: "deep.yml") }
        #expect(e.description == "deep.yml:1: nested more than \(YAMLValue.maxDepth) levels deep (not a rules file)")
        let nested = "rules: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: InputError.self) { _ = try FindingRules.parse(nested, source: "ok.yml") }  // a list, not rules
        #expect(YAMLValue.tooDeep(nested) == nil)
        #expect(YAMLValue.tooDeep(FindingRules.defaultRulesYAML) == nil)
        #expect(!FindingRules.builtIn().isEmpty)
    }

    /// libyaml's errors keep their position and problem on one line (Yams' own text spans
    /// several lines, of which the first names neither).
    @Test func yamlErrorsNameLineColumnAndProblem() throws {
        let path = Fixtures.path("malformed/rules/invalid-yaml.yml")
        let text = String(decoding: try Fixtures.bytes(atPath: path), as: UTF8.self)
        let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(text, source: path) }
        #expect(
            e.description
                == "\(path):3:9: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 2:9)")
    }
}
