import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateGate

/// Examples/ci/workflow.yml runs as is (issue 18 §7): valid YAML, no placeholders, Swift
/// installed, the comment allowed, the flame diff uploaded.
@Suite struct ExampleWorkflowTests {
    @Test func workflowRunsAsIs() throws {
        let path = Fixtures.root + "/Examples/ci/workflow.yml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let doc = try YAMLValue.parse(text, source: path)
        let top = Dictionary(try doc.mapping(what: "the workflow"), uniquingKeysWith: { a, _ in a })
        let permissions = Dictionary(
            try #require(top["permissions"]).mapping(what: "permissions"), uniquingKeysWith: { a, _ in a })
        #expect(try permissions["pull-requests"]?.string(what: "pull-requests") == "write")
        for placeholder in ["OWNER", "TODO", "<your"] { #expect(!text.contains(placeholder), "\(placeholder)") }
        #expect(text.contains("swift-actions/setup-swift"))
        #expect(text.contains("actions/cache"))
        #expect(text.contains("--flame-diff flame-diff.html"))
        #expect(text.contains("flame-diff.html\n"))  // uploaded with the reports
        #expect(text.contains("--edit-last"))
        // The rules it names exist and parse.
        #expect(!(try GateRulesFile.read(Fixtures.root + "/Examples/ci/gate.yml")).rules.isEmpty)
    }
}
