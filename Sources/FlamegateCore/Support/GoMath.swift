/// Go's arithmetic where pprof's output depends on it and Swift's differs: integer
/// absolute value and float-to-int conversion that wrap instead of trapping, and
/// `math.Log2` bit for bit (pprof orders call-graph nodes by entropy sums, and a last-bit
/// difference can reorder them).
public enum GoMath {
    /// Go's |v| on int64: `-v` for negative v, so |Int64.min| stays Int64.min.
    @inline(__always) public static func abs(_ v: Int64) -> Int64 { v < 0 ? 0 &- v : v }

    /// Go's `int64(d)` on amd64: truncation, with NaN and out-of-range values giving Int64.min.
    @inline(__always) public static func int64(_ d: Double) -> Int64 {
        if d.isNaN || d >= 9_223_372_036_854_775_807.0 || d < -9_223_372_036_854_775_808.0 { return .min }
        return Int64(d)
    }

    /// `math.Log2(x)` on amd64: the exponent split off, then `Log` of the fraction.
    public static func log2(_ x: Double) -> Double {
        if x.isNaN || x == .infinity { return x }
        if x < 0 { return .nan }
        if x == 0 { return -.infinity }
        let (frac, exp) = frexp(x)
        if frac == 0.5 { return Double(exp - 1) }
        return log(frac) * 1.4426950408889634073599246810018921374266 + Double(exp)
    }

    /// `math.Frexp` for finite non-zero x: (frac, exp) with frac in [0.5, 1).
    static func frexp(_ x: Double) -> (Double, Int) {
        var v = x
        var e = 0
        if v.magnitude < Double.leastNormalMagnitude {
            v *= Double(sign: .plus, exponent: 52, significand: 1)
            e = -52
        }
        let bits = v.bitPattern
        e += Int((bits >> 52) & 0x7ff) - 1022
        let f = Double(bitPattern: (bits & ~(UInt64(0x7ff) << 52)) | (UInt64(1022) << 52))
        return (f, e)
    }

    /// `math.Log` as Go's amd64 assembly computes it: the FDLIBM argument reduction and
    /// polynomial, in the same order of operations.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x == .infinity { return x }
        if x < 0 { return .nan }
        if x == 0 { return -.infinity }
        var (f1, ki) = frexp(x)
        if f1 <= 7.07106781186547524401e-01 {  // √2/2; the assembly adjusts at equality too
            f1 *= 2
            ki -= 1
        }
        let f = f1 - 1
        let k = Double(ki)
        let s = f / (2 + f)
        let s2 = s * s
        let s4 = s2 * s2
        let t1 =
            s2
            * (6.666666666666735130e-01 + s4
                * (2.857142874366239149e-01 + s4 * (1.818357216161805012e-01 + s4 * 1.479819860511658591e-01)))
        let t2 = s4 * (3.999999999940941908e-01 + s4 * (2.222219843214978396e-01 + s4 * 1.531383769920937332e-01))
        let r = t1 + t2
        let hfsq = 0.5 * f * f
        return k * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + k * 1.90821492927058770002e-10)) - f)
    }
}
