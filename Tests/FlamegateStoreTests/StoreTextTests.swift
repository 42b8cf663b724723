import Foundation
import Testing

@testable import FlamegateStore

/// `store list`'s TIME column is computed, not formatted by Foundation per row: it must
/// say what ISO8601DateFormatter says.
@Suite struct StoreTextTests {
    @Test func timesAreWhatISO8601DateFormatterPrints() {
        let f = ISO8601DateFormatter()
        var g = SystemRandomNumberGenerator()
        var nanos: [Int64] = [
            1, 999_999_999, 1_000_000_000, 951_782_400_000_000_000 /* 2000-02-29 */, 4_107_542_399_999_999_999,
            1_796_601_600_123_456_789, 68_169_600_000_000_000 /* 1972-02-29 */, 86_399_000_000_000,
        ]
        for _ in 0..<2000 { nanos.append(Int64.random(in: 1...4_102_444_800_000_000_000, using: &g)) }
        for ns in nanos {
            let expected = f.string(from: Date(timeIntervalSince1970: TimeInterval(ns / 1_000_000_000)))
            #expect(StoreText.time(ns) == expected, "\(ns)")
        }
        #expect(StoreText.time(0) == "-")
    }
}
