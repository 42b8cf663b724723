import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

@Suite struct UnitsTests {
    /// JSON numbers: the whole-number fast path of `%.6g` prints what the C library does.
    @Test func wholeNumbersMatchTheCLibrary() {
        var values: [Double] = [0, -0.0, 1, -1, 7, 42, 999_999, -999_999, 1e6, -1e6, 123_456, 1e7, 2.5, -0.5, 1e-7]
        for i in stride(from: -2000, through: 2000, by: 37) { values.append(Double(i) * 263) }
        for v in values {
            #expect(Units.cFormat("%.6g", v) == Units.vformat("%.6g", v), "\(v)")
        }
    }
}
