#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// benchstat's statistics (`golang.org/x/perf/benchmath`, "assume nothing", on
/// go-moremath): the median with a distribution-free confidence interval, the two-sided
/// Mann–Whitney U test, and the geometric mean. Each computes what go-moremath computes, in
/// the same floating-point steps where the printed digits could depend on them, so that
/// `flamegate bench compare` and benchstat print the same numbers for the same input
/// (Tests/FlamegateTests/BenchstatParityTests.swift checks this against benchstat's own
/// output). One deliberate difference, see `mannWhitney` and docs/benchstat.md. Nothing
/// here traps on input: empty or non-finite samples give `nil` or NaN, never a crash.
public enum Statistics {
    /// benchstat's default significance level.
    public static let defaultAlpha = 0.05
    /// benchstat's default confidence level for the interval around the median.
    public static let defaultConfidence = 0.95
    /// Below this many values on either side a comparison is reported as "too few samples"
    /// (the caller decides whether to test at all). With 4 per side the smallest possible
    /// two-sided p is 0.029, the first below 0.05.
    public static let minimumSamples = 4

    /// Largest sample size (per side) for which the exact U distribution is used when there
    /// are no ties (go-moremath's `MannWhitneyExactLimit`).
    public static let exactLimit = 50
    /// Largest sample size (per side) for which the exact U distribution given the ties is
    /// used (go-moremath's `MannWhitneyTiesExactLimit`); beyond, the normal approximation with
    /// tie correction.
    public static let tiesExactLimit = 25

    // MARK: - Summaries

    /// The median as go-moremath's `Sample.Quantile(0.5)` computes it (R8 interpolation:
    /// the mean of the two middle values for an even count, up to rounding); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        let s = values.sorted()
        return sortedMedian(s)
    }

    static func sortedMedian(_ s: [Double]) -> Double? {
        if s.isEmpty { return nil }
        // Hyndman & Fan's R8 at q = 1/2, step for step as go-moremath: h = 1/3 + q(N + 1/3).
        let h = 1 / 3.0 + 0.5 * (Double(s.count) + 1 / 3.0)
        let whole = h.rounded(.towardZero)
        let frac = h - whole
        let k = Int(whole)
        if k <= 0 { return s[0] }
        if k >= s.count { return s[s.count - 1] }
        return s[k - 1] + frac * (s[k] - s[k - 1])
    }

    /// The geometric mean as go-moremath's `GeoMean` (a running mean of the logarithms);
    /// nil when empty or when any value is ≤ 0 or not finite (benchstat prints no geomean then).
    public static func geomean(_ values: [Double]) -> Double? {
        if values.isEmpty { return nil }
        var m = 0.0
        for (i, v) in values.enumerated() {
            guard v > 0, v.isFinite else { return nil }
            m += (log(v) - m) / Double(i + 1)
        }
        return exp(m)
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

        /// Unbounded interval: benchstat footnotes it ("need >= 6 samples for confidence
        /// interval at level 0.95").
        public var isUnbounded: Bool { lo.isInfinite || hi.isInfinite }
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
            // Grow [l, r) around the mode of Binomial(n, 1/2), taking the likelier side
            // (the left on a tie), until it holds the confidence.
            let pmf = { (k: Int) -> Double in binomialPMF(n: n, p: q, k: k) }
            let x = Int((Double(n + 1) * q).rounded(.up) - 1)
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
            let l1 = normalQuantile(alpha, mu: mu, sigma: sigma)
            let r1 = 2 * mu - l1
            l = Int(((l1 - 0.5).rounded(.down) + 0.5).rounded(.down)) + 1
            r = Int(((r1 - 0.5).rounded(.up) + 0.5).rounded(.down)) + 1
            let cdf = { (l: Int, r: Int) -> Double in
                normalCDF(Double(r) - 0.5, mu: mu, sigma: sigma) - normalCDF(Double(l) - 0.5, mu: mu, sigma: sigma)
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

    /// The smallest sample for which the median's interval at `confidence` is bounded, as
    /// benchmath words it: (">=", 6) at 0.95, (">", 50) when even 50 values are not enough.
    public static func samplesForInterval(confidence: Double) -> (op: String, n: Int) {
        for n in 2...50 {
            let ci = medianCIOrders(n: n, confidence: confidence)
            if 0 < ci.lo && ci.hi <= n { return (">=", n) }
        }
        return (">", 50)
    }

    /// The smallest equal sample size per side whose most extreme split reaches `alpha`
    /// (benchmath's table of minimal U-test p-values, n = 1…9): (">=", 4) at 0.05,
    /// (">", 9) when no n up to 9 does.
    public static func samplesToDetect(alpha: Double) -> (op: String, n: Int) {
        for n in 1...9 where minimumP(n: n) <= alpha { return (">=", n) }
        return (">", 9)
    }

    /// The smallest two-sided exact p for n values on each side: 2 / C(2n, n).
    public static func minimumP(n: Int) -> Double { 2 / choose(2 * n, n) }

    static func binomialPMF(n: Int, p: Double, k: Int) -> Double {
        if k < 0 || k > n { return 0 }
        return choose(n, k) * pow(p, Double(k)) * pow(1 - p, Double(n - k))
    }

    /// The binomial coefficient as go-moremath's `mathx.Choose`: exact integer arithmetic
    /// up to n = 20, exp(lgamma…) beyond.
    static func choose(_ n: Int, _ k: Int) -> Double {
        if k == 0 || k == n { return 1 }
        if k < 0 || n < k { return 0 }
        if n <= 20 {
            var numer: Int64 = 1
            for v in Int64(n - (k - 1))...Int64(n) { numer *= v }
            var denom: Int64 = 1
            if k > 1 { for v in 2...Int64(k) { denom *= v } }
            return Double(numer / denom)
        }
        return exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)))
    }

    /// Φ(z), the standard normal CDF.
    public static func normalCDF(_ z: Double) -> Double { normalCDF(z, mu: 0, sigma: 1) }

    static func normalCDF(_ x: Double, mu: Double, sigma: Double) -> Double {
        erfc(-(x - mu) / (sigma * 2.0.squareRoot())) / 2
    }

    /// The normal quantile by Acklam's rational approximation refined by one Halley step
    /// (what go-moremath's `NormalDist.InvCDF` uses; the order statistics of large-sample
    /// intervals depend on its last digits).
    static func normalQuantile(_ p: Double, mu: Double, sigma: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [
            7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00,
        ]
        let pLow = 0.02425
        let pHigh = 1 - pLow
        var x: Double
        if p < pLow || pHigh < p {
            let q = (-2 * log(p < pLow ? p : 1 - p)).squareRoot()
            var num = c[0] * q + c[1]
            num = num * q + c[2]
            num = num * q + c[3]
            num = num * q + c[4]
            num = num * q + c[5]
            var den = d[0] * q + d[1]
            den = den * q + d[2]
            den = den * q + d[3]
            den = den * q + 1
            x = p < pLow ? num / den : -num / den
        } else {
            let q = p - 0.5
            let r = q * q
            var num = a[0] * r + a[1]
            num = num * r + a[2]
            num = num * r + a[3]
            num = num * r + a[4]
            num = num * r + a[5]
            var den = b[0] * r + b[1]
            den = den * r + b[2]
            den = den * r + b[3]
            den = den * r + b[4]
            den = den * r + 1
            x = num * q / den
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x = x - u / (1 + x * u / 2)
        return x * sigma + mu
    }

    // MARK: - Mann–Whitney U test

    /// How a Mann–Whitney p-value was computed.
    public enum UMethod: String, Sendable {
        /// Exact U distribution, no ties (n ≤ `exactLimit` on both sides).
        case exact
        /// Exact U distribution given the tie pattern (n ≤ `tiesExactLimit` on both sides).
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
        /// The U statistic of the first sample (benchstat's U1; u = min(u1, n1·n2 − u1)).
        public var u1: Double = 0
        /// Some values are equal (within or across the samples).
        public var hasTies = false
    }

    /// The two-sided Mann–Whitney U test as go-moremath's `MannWhitneyUTest` (benchstat's):
    /// the exact distribution without ties for n ≤ 50 per side, the exact distribution given
    /// the ties for n ≤ 25 per side, otherwise the normal approximation with tie and
    /// continuity correction; p = 1 when U1 = U2 or every value is equal. nil when a sample
    /// is empty or contains NaN.
    ///
    /// One deliberate difference: with ties, the exact distribution of U1 need not be
    /// symmetric, and when x1 lies above x2 (U1 > U2) go-moremath evaluates P(U1 ≤ U2) — the
    /// other tail — and, with two distinct values, miscounts below the support (it can print
    /// p=0). Here that case takes P(U1 ≥ observed U1), the tail the data are in: twice it is
    /// the permutation test's two-sided p, and what benchstat prints with the two files
    /// swapped. Everywhere else the p-values are benchstat's.
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
        let u1x2 = r1x2 - n1 * (n1 + 1)  // 2·U1
        let u2x2 = 2 * mn - u1x2
        let u1 = Double(u1x2) / 2
        let u = Double(min(u1x2, u2x2)) / 2
        func result(_ p: Double, _ m: UMethod) -> MannWhitney {
            MannWhitney(u: u, p: p, n1: n1, n2: n2, method: m, u1: u1, hasTies: hasTies)
        }

        if groups.count == 1 { return result(1, .allEqual) }
        if !hasTies && n1 <= exactLimit && n2 <= exactLimit {
            if u1x2 == u2x2 { return result(1, .exact) }
            return result(exactCDF(n1: n1, n2: n2, u: min(u1x2, u2x2) / 2) * 2, .exact)
        }
        if hasTies && n1 <= tiesExactLimit && n2 <= tiesExactLimit {
            if u1x2 == u2x2 { return result(1, .exactTies) }
            let tails = exactTails(groups: groups, n1: n1, n: nTotal, u2: u1x2)
            // U1 < U2: benchstat's P(U1 ≤ observed)·2. U1 > U2: the upper tail (see above).
            let p = u1x2 < u2x2 ? tails.le * 2 : tails.ge * 2
            return result(min(1, p), .exactTies)
        }
        var t = 0.0
        for g in groups { t += Double(g.size * g.size * g.size - g.size) }
        let nn = Double(nTotal)
        let mu = Double(mn) / 2
        let sigma = (Double(mn) * ((nn + 1) - t / (nn * (nn - 1))) / 12).squareRoot()
        if !(sigma > 0) { return result(1, .allEqual) }
        var numer = u1 - mu
        numer -= Double(sign(numer)) * 0.5
        let z = numer / sigma
        let c = normalCDF(z)
        return result(2 * min(c, 1 - c), .normal)
    }

    /// P(U ≤ u) for the U statistic of n1 against n2 values without ties, by Mann and
    /// Whitney's recurrence on probabilities: p(n, m; u) = (n·p(n−1, m; u−m) + m·p(n, m−1; u))
    /// / (n + m). Called with u below the mean (the two-sided test's smaller U).
    static func exactCDF(n1: Int, n2: Int, u: Int) -> Double {
        if u < 0 { return 0 }
        if u >= n1 * n2 { return 1 }
        let small = min(n1, n2)
        let large = max(n1, n2)
        let w = u + 1
        // rows[n][v] = P(U = v) for n values against the current m (rows are updated in place
        // as m grows; row n < m still holds m−1's values while it is being rewritten).
        var rows = [Double](repeating: 0, count: (small + 1) * w)
        for m in 0...large {
            rows[0] = 1
            let nlim = min(small, m)
            if nlim < 1 { continue }
            for n in 1...nlim {
                let left = (n - 1) * w
                let right = (n <= m - 1 ? n : m - 1) * w
                let out = n * w
                let ulim = min(u, n * m)
                let nm = Double(n + m)
                var v = ulim
                while v >= 0 {
                    let l = v - m >= 0 ? Double(n) * rows[left + v - m] : 0
                    let r = Double(m) * rows[right + v]
                    rows[out + v] = (l + r) / nm
                    v -= 1
                }
            }
        }
        var p = 0.0
        for v in 0...u { p += rows[small * w + v] }
        return p
    }

    /// P(2U ≤ u2) and P(2U ≥ u2) for sample 1's U, given n1 values among the tie groups (each
    /// group: size and doubled midrank), by counting rank assignments exactly: a knapsack over
    /// the groups (the counts stay below 2^53 for n ≤ 25 per side, so they are exact).
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

        /// benchmath's warnings about the test, worded as benchstat prints them: "all samples
        /// are equal", or — for a p above alpha with both sides below the size that could
        /// reach alpha — "need >= 4 samples to detect a difference at alpha level 0.05".
        public var notes: [String] {
            if test?.method == .allEqual { return ["all samples are equal"] }
            if p > alpha {
                let need = Statistics.samplesToDetect(alpha: alpha)
                if base.n < need.n && cand.n < need.n {
                    return ["need \(need.op) \(need.n) samples to detect a difference at alpha level \(alpha)"]
                }
            }
            return []
        }
    }

    /// benchmath's warning for a summary whose interval is unbounded ("need >= 6 samples for
    /// confidence interval at level 0.95"); empty otherwise.
    public static func summaryNotes(_ s: Summary, confidence: Double) -> [String] {
        guard s.isUnbounded else { return [] }
        let need = samplesForInterval(confidence: confidence)
        return ["need \(need.op) \(need.n) samples for confidence interval at level \(confidence)"]
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
