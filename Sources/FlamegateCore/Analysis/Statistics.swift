#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// benchstat's statistics (`golang.org/x/perf/benchmath`, "assume nothing"): the median
/// with a distribution-free confidence interval, the two-sided Mann–Whitney U test, and
/// the geometric mean of centers. Nothing here traps on input: empty or non-finite samples
/// give `nil` or NaN, never a crash.
public enum Statistics {
    /// benchstat's default significance level.
    public static let defaultAlpha = 0.05
    /// benchstat's default confidence level for the interval around the median.
    public static let defaultConfidence = 0.95
    /// Below this many values on either side a comparison is reported as "too few samples"
    /// (the caller decides whether to test at all).
    public static let minimumSamples = 4

    /// Largest sample size for which the exact U distribution is used without ties
    /// (go-moremath's `MannWhitneyExactLimit`).
    public static let exactLimit = 50
    /// Largest sample size for which the exact U distribution is used with ties
    /// (go-moremath's `MannWhitneyTiesExactLimit`).
    public static let tiesExactLimit = 9

    // MARK: - Summaries

    /// The median (the mean of the two middle values for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        let s = values.sorted()
        return sortedMedian(s)
    }

    static func sortedMedian(_ s: [Double]) -> Double? {
        if s.isEmpty { return nil }
        let n = s.count
        if n % 2 == 1 { return s[n / 2] }
        return (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// The geometric mean; nil when empty or when any value is ≤ 0 or not finite
    /// (benchstat leaves such a geomean out).
    public static func geomean(_ values: [Double]) -> Double? {
        if values.isEmpty { return nil }
        var sum = 0.0
        for v in values {
            guard v > 0, v.isFinite else { return nil }
            sum += log(v)
        }
        return exp(sum / Double(values.count))
    }

    /// A sample's center and the confidence interval around it.
    public struct Summary: Sendable, Equatable {
        /// The median.
        public var center: Double
        /// Lower bound of the interval (−∞ when the sample is too small for the confidence).
        public var lo: Double
        /// Upper bound of the interval (+∞ when the sample is too small).
        public var hi: Double
        /// The interval's actual confidence (≥ the requested one).
        public var confidence: Double
        /// Number of values.
        public var n: Int

        /// A summary from its parts (tests and callers that already have the numbers).
        public init(center: Double, lo: Double, hi: Double, confidence: Double, n: Int) {
            self.center = center
            self.lo = lo
            self.hi = hi
            self.confidence = confidence
            self.n = n
        }

        /// The interval as a ± percentage of the center, as benchstat prints it:
        /// "3%", "∞" for an unbounded interval, "?" when the bounds' signs differ from the
        /// center's, "0%" when all are zero.
        public var spreadLabel: String {
            if lo.isInfinite || hi.isInfinite { return "∞" }
            if center.isNaN { return "?" }
            if sign(center) != sign(lo) || sign(center) != sign(hi) { return "?" }
            if center == 0 { return "0%" }
            let v = max(hi / center - 1, 1 - lo / center)
            return Units.cFormat("%.0f", 100 * v) + "%"
        }

        /// The largest relative distance of a bound from the center (0.03 for ±3%);
        /// infinite when unbounded, NaN when undefined.
        public var spread: Double {
            if lo.isInfinite || hi.isInfinite { return .infinity }
            if center == 0 { return lo == 0 && hi == 0 ? 0 : .nan }
            return max(hi / center - 1, 1 - lo / center)
        }
    }

    static func sign(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : 0) }

    /// Median and its distribution-free confidence interval (go-moremath's `QuantileCI`
    /// at q = 0.5: order statistics from the binomial distribution, exact up to n = 30 and a
    /// normal approximation with continuity correction above). nil for an empty sample.
    public static func summary(_ values: [Double], confidence: Double = defaultConfidence) -> Summary? {
        let s = values.sorted()
        guard let center = sortedMedian(s) else { return nil }
        let ci = medianCIOrders(n: s.count, confidence: confidence)
        let lo = ci.lo < 1 ? -Double.infinity : s[ci.lo - 1]
        let hi = ci.hi - 1 >= s.count ? Double.infinity : s[ci.hi - 1]
        return Summary(center: center, lo: lo, hi: hi, confidence: ci.confidence, n: s.count)
    }

    /// The 1-based order statistics bounding the median's confidence interval for a sample
    /// of `n` (0 or n+1 mean unbounded), and the interval's actual confidence.
    public static func medianCIOrders(n: Int, confidence: Double) -> (lo: Int, hi: Int, confidence: Double) {
        if n <= 0 { return (0, 1, 1) }
        if confidence >= 1 { return (0, n + 1, 1) }
        let q = 0.5
        var l: Int
        var r: Int
        var conf: Double
        if n <= 30 {
            let pmf = { (k: Int) -> Double in binomialPMF(n: n, p: q, k: k) }
            let x = Int((Double(n + 1) * q).rounded(.up)) - 1
            var accum = pmf(x)
            l = x
            r = x + 1
            var lp = pmf(l - 1)
            var rp = pmf(r)
            while accum < confidence && (lp > 0 || rp > 0) {
                if lp >= rp {
                    accum += lp
                    l -= 1
                    lp = pmf(l - 1)
                } else {
                    accum += rp
                    r += 1
                    rp = pmf(r)
                }
            }
            conf = accum
        } else {
            let mu = Double(n) * q
            let sigma = (Double(n) * q * (1 - q)).squareRoot()
            let alpha = (1 - confidence) / 2
            let l1 = mu + sigma * standardNormalQuantile(alpha)
            let r1 = 2 * mu - l1
            l = Int((l1 - 0.5).rounded(.down)) + 1
            r = Int((r1 - 0.5).rounded(.up)) + 1
            let cdf = { (l: Int, r: Int) -> Double in
                normalCDF((Double(r) - 0.5 - mu) / sigma) - normalCDF((Double(l) - 0.5 - mu) / sigma)
            }
            conf = cdf(l, r)
            let biased = cdf(l, r - 1)
            if biased >= confidence && biased < conf {
                conf = biased
                r -= 1
            }
            if l <= 0 && r >= n + 1 { conf = 1 }
        }
        return (max(l, 0), min(r, n + 1), conf)
    }

    static func binomialPMF(n: Int, p: Double, k: Int) -> Double {
        if k < 0 || k > n { return 0 }
        // log C(n,k) via lgamma keeps large n finite.
        let lc = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
        return exp(lc + Double(k) * log(p) + Double(n - k) * log(1 - p))
    }

    /// Φ(z), the standard normal CDF.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Φ⁻¹(p) by bisection on Φ (p in (0, 1)).
    static func standardNormalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        var lo = -40.0
        var hi = 40.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if normalCDF(mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 { break }
        }
        return (lo + hi) / 2
    }

    // MARK: - Mann–Whitney U test

    /// How a Mann–Whitney p-value was computed.
    public enum UMethod: String, Sendable {
        /// Exact U distribution, no ties (n ≤ `exactLimit` on both sides).
        case exact
        /// Exact U distribution conditional on the tie pattern (n ≤ `tiesExactLimit`).
        case exactTies = "exact-ties"
        /// Normal approximation with tie and continuity correction.
        case normal
        /// Every value on both sides is equal: the test is meaningless; p = 1.
        case allEqual = "all-equal"
    }

    /// The result of a two-sided Mann–Whitney U test.
    public struct MannWhitney: Sendable, Equatable {
        /// The smaller of the two U statistics (ties count ½).
        public var u: Double
        /// Two-sided p-value.
        public var p: Double
        /// Number of base values.
        public var n1: Int
        /// Number of candidate values.
        public var n2: Int
        /// How the p-value was computed.
        public var method: UMethod
    }

    /// The two-sided Mann–Whitney U test exactly as go-moremath's `MannWhitneyUTest`
    /// (used by benchstat): the exact distribution without ties for n ≤ 50, the exact
    /// distribution given the ties for n ≤ 9, otherwise the normal approximation with tie
    /// and continuity correction. nil when a sample is empty or contains NaN.
    public static func mannWhitney(_ x1: [Double], _ x2: [Double]) -> MannWhitney? {
        let n1 = x1.count
        let n2 = x2.count
        if n1 == 0 || n2 == 0 { return nil }
        if x1.contains(where: \.isNaN) || x2.contains(where: \.isNaN) { return nil }
        // Merge with labels; equal values form one tie group.
        var merged: [(Double, Bool)] = x1.map { ($0, true) } + x2.map { ($0, false) }
        merged.sort { $0.0 < $1.0 }
        let nTotal = n1 + n2
        var r1x2 = 0  // 2 × rank sum of sample 1 (midranks doubled are integers)
        var groups: [(size: Int, rank2: Int)] = []
        var hasTies = false
        var i = 0
        while i < nTotal {
            let start = i
            let v = merged[i].0
            var in1 = 0
            while i < nTotal && merged[i].0 == v {
                if merged[i].1 { in1 += 1 }
                i += 1
            }
            let size = i - start
            let rank2 = (start + 1) + i  // first rank + last rank
            r1x2 += rank2 * in1
            groups.append((size, rank2))
            if size > 1 { hasTies = true }
        }
        let mn = n1 * n2
        let own2 = r1x2 - n1 * (n1 + 1)  // 2·U of sample 1
        var u1x2 = own2
        var u2x2 = 2 * mn - u1x2
        if u2x2 < u1x2 { swap(&u1x2, &u2x2) }
        let u = Double(u1x2) / 2

        if groups.count == 1 {
            return MannWhitney(u: u, p: 1, n1: n1, n2: n2, method: .allEqual)
        }
        let exact =
            (!hasTies && n1 <= exactLimit && n2 <= exactLimit)
            || (hasTies && n1 <= tiesExactLimit && n2 <= tiesExactLimit)
        if exact {
            let method: UMethod = hasTies ? .exactTies : .exact
            if u1x2 == u2x2 { return MannWhitney(u: u, p: 1, n1: n1, n2: n2, method: method) }
            // Two-sided: twice the smaller tail of sample 1's own U. Without ties (and for
            // symmetric tie patterns) this is benchmath's 2·CDF(min U); for other tie patterns
            // the conditional distribution is not symmetric and the smaller tail is the
            // permutation test's answer.
            let tails = exactTails(groups: groups, n1: n1, n: nTotal, u2: own2)
            let p = min(1, 2 * min(tails.le, tails.ge))
            return MannWhitney(u: u, p: p, n1: n1, n2: n2, method: method)
        }
        var t = 0.0
        for g in groups { t += Double(g.size * g.size * g.size - g.size) }
        let nn = Double(nTotal)
        let mu = Double(mn) / 2
        let sigma = (Double(mn) * ((nn + 1) - t / (nn * (nn - 1))) / 12).squareRoot()
        if !(sigma > 0) { return MannWhitney(u: u, p: 1, n1: n1, n2: n2, method: .allEqual) }
        var numer = u - mu
        numer -= Double(sign(numer)) * 0.5
        let z = numer / sigma
        let c = normalCDF(z)
        let p = min(1, 2 * min(c, 1 - c))
        return MannWhitney(u: u, p: p, n1: n1, n2: n2, method: .normal)
    }

    /// P(2U ≤ u2) and P(2U ≥ u2) for sample 1's U, given n1 values among the tie groups (each
    /// group: size and doubled midrank), by counting rank assignments: a knapsack over the groups.
    static func exactTails(groups: [(size: Int, rank2: Int)], n1: Int, n: Int, u2: Int) -> (le: Double, ge: Double) {
        // 2·R1 ranges over [0, maxS]; counts[k * width + s] = ways to choose k of sample 1
        // so far with doubled rank sum s.
        var maxS = 0
        for g in groups { maxS += g.rank2 * min(g.size, n1) }
        maxS = min(maxS, 2 * n * n1)
        let width = maxS + 1
        var counts = [Double](repeating: 0, count: (n1 + 1) * width)
        counts[0] = 1
        var binom: [Double] = []
        for g in groups {
            // binomial coefficients C(size, j)
            binom = [1]
            if g.size > 0 {
                for j in 1...g.size { binom.append(binom[j - 1] * Double(g.size - j + 1) / Double(j)) }
            }
            var k = n1
            while k >= 1 {
                let row = k * width
                for j in 1...min(g.size, k) {
                    let shift = j * g.rank2
                    if shift > maxS { break }
                    let src = (k - j) * width
                    let c = binom[j]
                    var s = maxS
                    while s >= shift {
                        let v = counts[src + s - shift]
                        if v != 0 { counts[row + s] += v * c }
                        s -= 1
                    }
                }
                k -= 1
            }
        }
        let base = n1 * width
        var total = 0.0
        var below = 0.0
        var above = 0.0
        let limit = u2 + n1 * (n1 + 1)  // 2·R1 for 2·U = u2
        for s in 0..<width {
            let v = counts[base + s]
            total += v
            if s <= limit { below += v }
            if s >= limit { above += v }
        }
        return total > 0 ? (below / total, above / total) : (1, 1)
    }

    // MARK: - Comparison

    /// Base and candidate samples compared as benchstat does.
    public struct Comparison: Sendable, Equatable {
        /// The base sample's median and interval.
        public var base: Summary
        /// The candidate sample's median and interval.
        public var cand: Summary
        /// The U test; nil when a side is empty.
        public var test: MannWhitney?
        /// The p-value (1 when no test could be made).
        public var p: Double
        /// Significance level the p-value is held to.
        public var alpha: Double
        /// p ≤ alpha (benchstat prints "~" otherwise).
        public var significant: Bool
        /// Relative change of the centers, cand/base − 1 (NaN when base is 0 and cand is not).
        public var delta: Double
        /// Fewer than `minimumSamples` values on a side: the test has little power.
        public var tooFewSamples: Bool

        /// benchstat's delta column: "~" when not significant, else "+12.34%" / "-5.00%" /
        /// "0.00%", "?" when the base center is 0.
        public var deltaLabel: String {
            if !significant { return "~" }
            if base.center == cand.center { return "0.00%" }
            if base.center == 0 { return "?" }
            return Units.cFormat("%+.2f", (cand.center / base.center - 1) * 100) + "%"
        }

        /// benchstat's "(p=0.002 n=6)" / "(p=0.002 n=6+5)" note (p omitted when exactly 0).
        public var pLabel: String {
            var s = ""
            if p != 0 { s = "p=" + Units.cFormat("%0.3f", p) + " " }
            if base.n == cand.n { return "(" + s + "n=\(base.n))" }
            return "(" + s + "n=\(base.n)+\(cand.n))"
        }
    }

    /// Summaries of both samples, the U test and the verdict at `alpha`; nil when either
    /// sample is empty.
    public static func compare(
        base: [Double], cand: [Double], alpha: Double = defaultAlpha, confidence: Double = defaultConfidence
    ) -> Comparison? {
        guard let b = summary(base, confidence: confidence), let c = summary(cand, confidence: confidence) else {
            return nil
        }
        let t = mannWhitney(base, cand)
        let p = t?.p ?? 1
        let delta: Double
        if b.center == c.center {
            delta = 0
        } else if b.center == 0 {
            delta = .nan
        } else {
            delta = c.center / b.center - 1
        }
        return Comparison(
            base: b, cand: c, test: t, p: p, alpha: alpha, significant: !(p > alpha), delta: delta,
            tooFewSamples: base.count < minimumSamples || cand.count < minimumSamples)
    }
}
