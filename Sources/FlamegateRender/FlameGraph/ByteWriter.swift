import FlamegateCore
/// The decimal digits of `v`, handed to `body` from scratch space on the stack: both flame
/// graph writers print numbers this way rather than make a String per number.
@inline(__always) func withDecimalDigits<R>(_ v: UInt64, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch (UInt64.max has 20 digits)
    return withUnsafeMutableBytes(of: &tmp) { t in
        var n = 0
        var x = v
        repeat {
            n += 1
            t[24 - n] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
            x /= 10
        } while x > 0
        return body(UnsafeRawBufferPointer(rebasing: t[(24 - n)...]))
    }
}

/// A growable byte buffer for the flame graph writers: appends are a bounds check and a copy.
/// Owns its memory; `take` hands the bytes over and frees it.
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Whether `base` is ours to free (false while writing into a caller's buffer).
    private var owned: Bool

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 256)
        base = .allocate(capacity: self.capacity)
        owned = true
    }

    /// Writes into `buffer` until it is full, then into memory of its own.
    init(external buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? .allocate(capacity: 1)
        capacity = buffer.baseAddress == nil ? 1 : buffer.count
        owned = buffer.baseAddress == nil
    }

    /// Whether every byte is still in the caller's buffer.
    var isExternal: Bool { !owned }

    deinit { if owned { base.deallocate() } }

    @inline(never) mutating func grow(_ need: Int) {
        var c = Swift.max(capacity, 256)
        while c < need { c = c > Int.max / 2 ? need : c * 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        nb.update(from: base, count: count)
        if owned { base.deallocate() }
        base = nb
        capacity = c
        owned = true
    }

    @inline(__always) mutating func reserve(_ n: Int) {
        if n > capacity - count { grow(count + n) }
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) mutating func bytes(_ p: UnsafeRawPointer, _ n: Int) {
        if n <= 0 { return }
        reserve(n)
        (base + count).update(from: p.assumingMemoryBound(to: UInt8.self), count: n)
        count += n
    }

    @inline(__always) mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { b in if let p = b.baseAddress { bytes(p, b.count) } }
    }

    mutating func append(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { b in if let p = b.baseAddress { bytes(p, b.count) } }
    }

    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { b in if let p = b.baseAddress { bytes(p, b.count) } }
    }

    /// Text escaped as `HTMLEscape.text` does.
    mutating func escaped(_ s: String) { append(HTMLEscape.text(s)) }

    /// Decimal digits of `v`.
    mutating func int(_ v: Int64) {
        if v < 0 { byte(0x2D) }
        unsigned(v.magnitude)
    }

    mutating func unsigned(_ v: UInt64) {
        withDecimalDigits(v) { d in bytes(d.baseAddress!, d.count) }
    }

    /// `1,234,567` (flamegraph.pl's commify).
    mutating func commas(_ v: Int64) {
        if v < 0 { byte(0x2D) }
        var tmp: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch
        var n = 0
        var x = v.magnitude
        var d = 0
        withUnsafeMutableBytes(of: &tmp) { t in
            repeat {
                if d > 0 && d % 3 == 0 {
                    n += 1
                    t[32 - n] = 0x2C
                }
                n += 1
                t[32 - n] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
                x /= 10
                d += 1
            } while x > 0
            bytes(t.baseAddress! + (32 - n), n)
        }
    }

    /// `Units.fixed(v, decimals: 1 or 2)` as digits: the rounded magnitude in units of the
    /// last decimal, the sign, and the printed value read back (what `Double(String)` of the
    /// text gives); nil where `Units.cFormat` falls back to printf.
    @inline(__always) static func fixedFast(_ v: Double, _ digits: Int) -> (m: UInt64, neg: Bool, value: Double)? {
        let scale = digits == 1 ? 10.0 : 100.0
        guard v.isFinite else { return nil }
        let x = v * scale
        guard abs(x) < 1e9 else { return nil }
        let r = x.rounded(.toNearestOrEven)
        if abs(abs(x - r) - 0.5) < 1e-6 { return nil }
        let q = abs(r) / scale
        let neg = v.sign == .minus
        return (UInt64(abs(r)), neg, neg ? -q : q)
    }

    /// The value `%0.Nf` prints for `v`, read back.
    static func fixedValue(_ v: Double, _ digits: Int) -> Double {
        if let f = fixedFast(v, digits) { return f.value }
        return Double(Units.cFormat(digits == 1 ? "%0.1f" : "%0.2f", v)) ?? 0
    }

    /// `%0.Nf` (N = 1 or 2) exactly as `Units.cFormat` prints it; returns the printed value
    /// read back.
    @discardableResult
    mutating func fixed(_ v: Double, _ digits: Int) -> Double {
        guard let f = ByteWriter.fixedFast(v, digits) else {
            let s = Units.cFormat(digits == 1 ? "%0.1f" : "%0.2f", v)
            append(s)
            return Double(s) ?? 0
        }
        let m = f.m
        if f.neg { byte(0x2D) }
        unsigned(m / (digits == 1 ? 10 : 100))
        reserve(3)
        base[count] = 0x2E
        if digits == 1 {
            base[count + 1] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
            count += 2
        } else {
            base[count + 1] = UInt8(truncatingIfNeeded: (m / 10) % 10) &+ 0x30
            base[count + 2] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
            count += 3
        }
        return f.value
    }

    /// `p[0..<n]` (valid UTF-8) escaped as `HTMLEscape.text` escapes it.
    mutating func escaped(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var run = 0  // start of the bytes not yet copied
        var i = 0
        while i < n {
            let b = p[i]
            if b > 0x3E && b != 0xEF || (b >= 0x20 && b != 0x26 && b != 0x3C && b != 0x3E && b != 0x22 && b != 0x27) {
                i += 1
                continue
            }
            if b == 0x09 || b == 0x0A || b == 0x0D {
                i += 1
                continue
            }
            bytes(p + run, i - run)
            switch b {
            case 0x26: append("&amp;")
            case 0x3C: append("&lt;")
            case 0x3E: append("&gt;")
            case 0x22: append("&quot;")
            case 0x27: append("&#39;")
            case 0xEF:
                if i + 2 < n && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF) {
                    append("\u{FFFD}")
                    i += 2
                } else {
                    byte(b)
                }
            default: append("\u{FFFD}")  // other control characters
            }
            i += 1
            run = i
        }
        bytes(p + run, n - run)
    }

    /// Perl's default number printing, as `FlameGraphSVG.num`.
    mutating func num(_ d: Double) {
        if d == d.rounded() && abs(d) < 1e15 {
            int(Int64(d))
            return
        }
        let h = d * 2
        if h == h.rounded() && abs(d) < 1e14 {
            // n + 0.5: `%.15g` prints every digit, then ".5".
            if d.sign == .minus { byte(0x2D) }
            unsigned(UInt64(abs(d).rounded(.towardZero)))
            byte(0x2E)
            byte(0x35)
            return
        }
        append(Units.cFormat("%.15g", d))
    }

    /// Bytes of `s` escaped as `HTMLEscape.text`, for repeated use.
    static func escapedBytes(_ s: String) -> [UInt8] { Array(HTMLEscape.text(s).utf8) }

    /// Hands the bytes over as a String.
    consuming func takeString() -> String {
        let n = count
        let p = base
        return String(unsafeUninitializedCapacity: n) { b in
            if n > 0 { b.baseAddress!.update(from: p, count: n) }
            return n
        }
    }

    /// Hands the bytes over as an array.
    consuming func takeBytes() -> [UInt8] {
        let n = count
        let p = base
        return [UInt8](unsafeUninitializedCapacity: n) { b, c in
            if n > 0 { b.baseAddress!.update(from: p, count: n) }
            c = n
        }
    }
}
