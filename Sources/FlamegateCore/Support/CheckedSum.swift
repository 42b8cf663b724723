/// Sums of sample values that refuse to wrap. Two samples of 2^63−1 ns used to wrap the
/// int64 total into "3ns", and the gate then passed a 50 % frame as −93 %: an overflow is
/// an input error (exit 2), never a wrapped number.
public enum CheckedSum {
    /// `a + b`, or an error naming `what` when the sum leaves the int64 range.
    @inlinable
    public static func add(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(ProfileError) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        if o { throw overflow(what()) }
        return s
    }

    /// `d` as an int64, or an error naming `what` when it is outside the range (a value
    /// scaled to a finer unit can leave it: saturating would print a wrong number).
    public static func int64(_ d: Double, _ what: @autoclosure () -> String) throws(ProfileError) -> Int64 {
        guard d.isFinite, d >= -9.223372036854775807e18, d < 9.223372036854775807e18 else {
            throw ProfileError("\(what()) leave the int64 range when converted; the numbers cannot be represented exactly")
        }
        return Int64(d)
    }

    /// The error for a sum of `what` past the int64 range.
    public static func overflow(_ what: String) -> ProfileError {
        ProfileError("\(what) add up past the int64 limit (9223372036854775807); the numbers cannot be summed exactly")
    }
}

extension Profile {
    /// Sum of |value| per sample type, refusing a sum past `Int64.max`. Every flat, cum,
    /// total, merge and diff is a sum over a subset of these magnitudes, so once this
    /// holds none of them can wrap (and no value is `Int64.min`, whose negation would).
    public func checkedMagnitudeTotals() throws(ProfileError) -> [Int64] {
        let n = sampleTypes.count
        if n == 0 { return [] }
        var t = [UInt64](repeating: 0, count: n)
        var bad = -1
        samples.values.withUnsafeBufferPointer { v in
            var i = 0
            while i < v.count {
                for k in 0..<n {
                    let (s, o) = t[k].addingReportingOverflow(v[i + k].magnitude)
                    if o || s > UInt64(Int64.max) {
                        bad = k
                        return
                    }
                    t[k] = s
                }
                i += n
            }
        }
        if bad >= 0 { throw CheckedSum.overflow("sample values of type \(sampleTypes[bad].type)") }
        return t.map { Int64($0) }
    }

    /// Refuses profiles whose magnitudes, summed together per sample type (as a merge or
    /// a comparison of them does), leave the int64 range.
    public static func checkCombinedMagnitudes(_ ps: [Profile]) throws(ProfileError) {
        guard let n = ps.first?.sampleTypes.count else { return }
        var sum = [Int64](repeating: 0, count: n)
        for p in ps {
            let t = try p.checkedMagnitudeTotals()
            for k in 0..<min(n, t.count) {
                sum[k] = try CheckedSum.add(sum[k], t[k], "sample values of type \(p.sampleTypes[k].type) across the profiles")
            }
        }
    }
}
