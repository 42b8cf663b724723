import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// LegacyRegex against Go's regexp (RE2) on pprof's legacy patterns: 640 lines mutated
/// from real ones, with Go's own submatch positions (Tests/Fixtures/legacy/regex-cases.tsv,
/// written by Fixtures/legacy/regexcases/main.go).
@Suite struct LegacyRegexTests {
    static let patterns: [String: LegacyRegex] = [
        "countStart": LegacyCountReader.header, "count": LegacyCountReader.sample,
        "heapHeader": LegacyHeapReader.header, "growthHeader": LegacyHeapReader.growthHeader,
        "heapSample": LegacyHeapReader.sample, "contentionSample": LegacyContentionReader.sample,
        "threadzStart": LegacyThreadzReader.start, "threadStart": LegacyThreadzReader.thread,
        "procMaps": LegacyMemoryMap.procMaps, "briefMaps": LegacyMemoryMap.briefMaps,
        "logPrefix": LegacyMemoryMap.logPrefix, "javaAttribute": LegacyJavaReader.attribute,
        "javaSample": LegacyJavaReader.sample, "javaSymbol": LegacyJavaReader.symbol,
        "javaFileLine": LegacyJavaReader.fileLine, "javaPath": LegacyJavaReader.path,
    ]

    static func unhex(_ s: Substring) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    @Test func matchesGoRegexp() throws {
        let text = try Fixtures.read("legacy/regex-cases.tsv")
        var checked = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            let re = try #require(Self.patterns[String(f[0])], "no pattern \(f[0])")
            let input = Self.unhex(f[1])
            let got: String
            if let m = re.firstMatch(input[...]) {
                got = (0...re.groups).map { k in m.range(k).map { "\($0.lowerBound):\($0.upperBound)" } ?? "-1:-1" }
                    .joined(separator: ",")
            } else {
                got = "nil"
            }
            #expect(got == String(f[2]), "\(f[0]) on \(String(decoding: input, as: UTF8.self).debugDescription)")
            checked += 1
        }
        #expect(checked >= 600)
        #expect(Set(text.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }) == Set(Self.patterns.keys))
    }

    @Test func aHostileLineStaysLinear() {
        // Two unbounded hex runs and optional parts: a backtracking matcher without
        // memory would take quadratic (or worse) time on 60 KB of hex digits.
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 60_000)
        let start = ContinuousClock.now
        #expect(LegacyMemoryMap.procMaps.firstMatch(line[...]) == nil)
        #expect(LegacyContentionReader.sample.firstMatch([UInt8](repeating: 0x31, count: 60_000)[...]) == nil)
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func goNumbers() {
        func i(_ s: String, _ base: Int) -> Int64? { GoText.parseInt(Array(s.utf8)[...], base: base) }
        #expect(i("010", 0) == 8)  // a leading 0 is octal, as in Go
        #expect(i("09", 0) == nil)
        #expect(i("0x1f", 0) == 31)
        #expect(i("1_000", 0) == 1000)
        #expect(i("1__0", 0) == nil)
        #expect(i("_1", 0) == nil)
        #expect(i("1_000", 10) == nil)
        #expect(i("-9223372036854775808", 10) == Int64.min)
        #expect(i("9223372036854775808", 10) == nil)
        #expect(i("+5", 10) == 5)
        #expect(i("", 10) == nil)
        #expect(GoText.parseUint(Array("ffffffffffffffff".utf8)[...], base: 16) == UInt64.max)
        #expect(GoText.parseUint(Array("10000000000000000".utf8)[...], base: 16) == nil)
        #expect(GoText.int64(.nan) == Int64.min)
        #expect(GoText.int64(1e30) == Int64.min)
        #expect(GoText.int64(-2.9) == -2)
        var bad = ""
        #expect(GoText.hexAddresses(Array(" 0x0x12 0xAB 0x1f".utf8)[...], bad: &bad) == [0, 0x1f])
        #expect(GoText.hexAddresses(Array("0x1ffffffffffffffff".utf8)[...], bad: &bad) == nil)
        #expect(Array(GoText.trimSpace(Array("\u{A0} a b\u{3000}\t".utf8)[...])) == Array("a b".utf8))
        #expect(GoText.base("/lib/x.so") == "x.so" && GoText.base("") == "." && GoText.base("a/") == "a")
    }
}
