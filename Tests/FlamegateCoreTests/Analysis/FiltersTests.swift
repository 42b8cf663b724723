import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// A profile's own drop_frames regex is untrusted: nested repetition is refused rather
/// than left to backtrack for hours (Fuzz/known-issues/drop-frames-redos.pb).
@Suite struct RegexLimitTests {
    @Test func nestedRepetitionIsDetected() {
        for bad in ["(a*)*b", "(a+)+", "((ab)*c)*", "(x+)+$", "(a|b*)*", "(a{1,3})+", "(a|a)*b"] {
            #expect(Pattern.hasNestedRepetition(bad), "\(bad)")
        }
        for ok in [
            "malloc|newImpl|operator new", "runtime\\..*", "^(a|b)$", "(ab)?c", "[(*+)]+", "\\(a*\\)*", "(?:foo)bar",
        ] {
            #expect(!Pattern.hasNestedRepetition(ok), "\(ok)")
        }
    }
}
