import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// benchstat's statistics against scipy (Tests/Fixtures/stats/mannwhitney.tsv, made by
/// Fixtures/stats/make-mannwhitney.py) and hand-checked values.
@Suite struct StatisticsTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var method: String
        var scipy: String
        var p: Double
        var u: Double
        var x: [Double]
        var y: [Double]
        var description: String { name }
    }

    static let cases: [Case] = {
        guard let text = try? Fixtures.read("stats/mannwhitney.tsv") else { return [] }
        var out: [Case] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("name\t") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9, let p = Double(f[5]), let u = Double(f[6]) else { continue }
            let nums = { (s: String) in s.split(separator: ",").compactMap { Double($0) } }
            out.append(Case(name: f[0], method: f[1], scipy: f[2], p: p, u: u, x: nums(f[7]), y: nums(f[8])))
        }
        return out
    }()

    @Test func fixtureIsComplete() {
        #expect(Self.cases.count >= 15)
        #expect(Set(Self.cases.map(\.method)) == ["exact", "exact-ties", "normal", "all-equal"])
    }

    @Test(arguments: cases) func mannWhitneyMatchesScipy(_ c: Case) throws {
        let r = try #require(Statistics.mannWhitney(c.x, c.y))
        #expect(r.method.rawValue == c.method)
        #expect(r.u == c.u)
        #expect(abs(r.p - c.p) <= 1e-9 * max(1, c.p), "p \(r.p) vs scipy \(c.p)")
        // Symmetric in its arguments.
        let s = try #require(Statistics.mannWhitney(c.y, c.x))
        #expect(abs(s.p - r.p) <= 1e-12)
    }

    @Test func minimumPValuesAsBenchmath() throws {
        // benchmath's uTestMinP table: two maximally separated samples of n.
        let expected: [Int: Double] = [
            1: 1, 2: 0.3333333333333333, 3: 0.1, 4: 0.02857142857142857, 5: 0.007936507936507936,
            6: 0.0021645021645021645, 9: 4.113533525298231e-05,
        ]
        for (n, p) in expected {
            let x: [Double] = (0..<n).map { -Double($0) - 1 }
            let y: [Double] = (0..<n).map { Double($0) + 1 }
            let r = try #require(Statistics.mannWhitney(x, y))
            #expect(abs(r.p - p) < 1e-12, "n=\(n)")
        }
    }

    @Test func emptyAndNaN() {
        #expect(Statistics.mannWhitney([], [1]) == nil)
        #expect(Statistics.mannWhitney([.nan, 1], [1, 2]) == nil)
        #expect(Statistics.median([]) == nil)
        #expect(Statistics.summary([]) == nil)
        #expect(Statistics.compare(base: [], cand: [1]) == nil)
    }

    @Test func medians() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([19432, 20310, 20699, 23751, 26039, 28524].shuffled()) == 22225)
        #expect(Statistics.median([5]) == 5)
    }

    @Test func geomean() throws {
        #expect(try abs(#require(Statistics.geomean([1, 4, 16])) - 4) < 1e-12)
        #expect(Statistics.geomean([1, 0]) == nil)
        #expect(Statistics.geomean([]) == nil)
    }

    @Test func medianConfidenceIntervalAsQuantileCI() throws {
        // n = 6 at 95%: binomial(6, 1/2) needs orders 1…6 (62/64 = 0.96875).
        let o6 = Statistics.medianCIOrders(n: 6, confidence: 0.95)
        #expect(o6.lo == 1 && o6.hi == 6)
        #expect(abs(o6.confidence - 62.0 / 64) < 1e-12)
        let s = try #require(Statistics.summary([10, 12, 11, 13, 9, 14]))
        #expect(s.center == 11.5 && s.lo == 9 && s.hi == 14)
        #expect(s.spreadLabel == "22%")  // max(14/11.5-1, 1-9/11.5) = 0.2174
        // n = 5: orders 1…5 hold 30/32 < 95%; the left-biased step adds order 0 (−∞), so
        // the interval is (−∞, x5] and benchstat prints ∞.
        let s5 = try #require(Statistics.summary([1, 2, 3, 4, 5]))
        #expect(s5.lo == -.infinity && s5.hi == 5)
        #expect(s5.spreadLabel == "∞")
        // n = 10: orders 2…9 (binomial sum 1012/1024 ≥ 0.95 after left-biased growth).
        let o10 = Statistics.medianCIOrders(n: 10, confidence: 0.95)
        #expect(o10.lo == 2 && o10.hi == 9)
        // Large n uses the normal approximation and stays inside the sample.
        let o100 = Statistics.medianCIOrders(n: 100, confidence: 0.95)
        #expect(o100.lo > 30 && o100.lo < 50 && o100.hi > 50 && o100.hi < 70)
        #expect(Statistics.summary([0, 0, 0, 0, 0, 0])?.spreadLabel == "0%")
    }

    @Test func compareFlagsAndLabels() throws {
        let base = [100.0, 101, 102, 103, 104, 105]
        let cand = [90.0, 91, 92, 93, 94, 95]
        let c = try #require(Statistics.compare(base: base, cand: cand))
        #expect(c.significant)
        #expect(!c.tooFewSamples)
        #expect(c.deltaLabel == "-9.76%")  // medians 102.5 → 92.5
        #expect(c.pLabel == "(p=0.002 n=6)")
        let few = try #require(Statistics.compare(base: [1, 2, 3], cand: [4, 5, 6]))
        #expect(few.tooFewSamples)
        #expect(!few.significant)
        #expect(few.deltaLabel == "~")
        #expect(few.pLabel == "(p=0.100 n=3)")
        let uneven = try #require(Statistics.compare(base: [1, 2, 3, 4], cand: [1, 2, 3, 4, 5]))
        #expect(uneven.pLabel.hasSuffix("n=4+5)"))
        let strict = try #require(Statistics.compare(base: base, cand: cand, alpha: 0.001))
        #expect(!strict.significant)
        let same = try #require(Statistics.compare(base: [4, 4, 4, 4], cand: [4, 4, 4, 4]))
        #expect(same.test?.method == .allEqual && same.p == 1 && same.deltaLabel == "~")
    }

    @Test func largeExactSampleIsFast() throws {
        // 50 + 50 without ties takes the exact path (knapsack over 100 ranks).
        let x = (0..<50).map { Double($0) * 2 }
        let y = (0..<50).map { Double($0) * 2 + 1 }
        let r = try #require(Statistics.mannWhitney(x, y))
        #expect(r.method == .exact)
        #expect(r.p > 0.5)
    }
}
