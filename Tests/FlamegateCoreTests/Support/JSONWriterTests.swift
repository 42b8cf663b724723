import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `JSONWriter.quote` (every JSON report's strings): what it writes parses back to the
/// same string, on its fast path (nothing to escape) and its slow one alike.
@Suite struct JSONQuoteTests {
    static let strings = [
        "", "main.main", "runtime.mapassign_faststr", "a\"b", "back\\slash", "line\nbreak", "tab\there",
        "\u{1}\u{1f}", "\u{2028}sep\u{2029}", "é€😀", "<script>alert(1)</script>", "internal/runtime/maps.(*Map).grow",
    ]

    @Test(arguments: strings) func roundTrips(_ s: String) throws {
        let q = JSONWriter.quote(s)
        let back = try JSONSerialization.jsonObject(with: Data(("[" + q + "]").utf8)) as? [String]
        #expect(back == [s], "\(q)")
        #expect(!q.contains("\u{2028}") && !q.contains("\u{2029}"), "JavaScript line separators must be escaped")
    }
}
