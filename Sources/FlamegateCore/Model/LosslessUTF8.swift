#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Profile strings are bytes, not always UTF-8: `go tool pprof` keeps a name's invalid bytes
/// and prints them raw. Flamegate's names are Swift strings, so the readers decode bytes
/// losslessly (as Python's `surrogateescape` does) and every writer that emits bytes maps
/// them back, so `-top` prints pprof's bytes and `-proto` round-trips them exactly.
///
/// - Valid UTF-8 decodes as itself. Each byte Go's `utf8.DecodeRune` calls invalid (width 1)
///   becomes one scalar of a reserved private-use block, `U+10FF00 + byte` (bytes 0x80–0xFF:
///   U+10FF80–U+10FFFF), so a raw byte is one rune wide in tables, as in Go's tabwriter.
/// - A real U+10FF80–U+10FFFF in the input is decoded as its four bytes, each escaped: the
///   mapping stays a bijection (at the cost of width 4 for such a name, which Go counts as 1).
/// - Writers of text and protobuf call `bytes`/`append(_:to:)`; writers of formats that must
///   stay valid UTF-8 (JSON, SVG, HTML, XML, Markdown) call `replacingRawBytes` or test
///   `rawByte` per scalar, and show each raw byte as U+FFFD, as Go's `encoding/json` does.
public enum LosslessUTF8 {
    /// The reserved block's base: raw byte `b` is the scalar `base + b`.
    public static let base: UInt32 = 0x10FF00

    /// The raw byte a reserved scalar stands for, else nil.
    @inline(__always)
    public static func rawByte(_ u: Unicode.Scalar) -> UInt8? {
        u.value >= base + 0x80 ? UInt8(truncatingIfNeeded: u.value &- base) : nil
    }

    /// The reserved scalar for raw byte `b` (0x80–0xFF).
    @inline(__always)
    static func scalar(forRaw b: UInt8) -> Unicode.Scalar { Unicode.Scalar(base + UInt32(b))! }

    // MARK: decoding

    /// `bytes` as a String, losslessly. Pure ASCII and valid UTF-8 without the reserved
    /// block (nearly every name) take a fast path that only validates.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let n = bytes.count
        guard let p = bytes.baseAddress, n > 0 else { return "" }
        // ASCII prefix (every Go identifier and most paths), eight bytes at a time.
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        while i < n && p[i] < 0x80 { i += 1 }
        if i == n { return String(decoding: bytes, as: UTF8.self) }
        var clean = true
        var j = i
        while j < n {
            let w = sequenceLength(bytes, j)
            if w == 0 || (w == 4 && isReservedEncoding(bytes, j)) {
                clean = false
                break
            }
            j += w
        }
        if clean { return String(decoding: bytes, as: UTF8.self) }
        var s = String()
        s.reserveCapacity(n + 16)
        var run = 0  // start of the valid run not yet copied
        while j < n {
            let w = sequenceLength(bytes, j)
            if w != 0 && !(w == 4 && isReservedEncoding(bytes, j)) {
                j += w
                continue
            }
            s += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<j]), as: UTF8.self)
            for k in j..<(j + max(w, 1)) { s.unicodeScalars.append(scalar(forRaw: bytes[k])) }
            j += max(w, 1)
            run = j
        }
        s += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<n]), as: UTF8.self)
        return s
    }

    /// `decode` for any byte collection (an `ArraySlice`, `Array`, `Data` slice…).
    public static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let s = bytes.withContiguousStorageIfAvailable({ decode($0) }) { return s }
        return Array(bytes).withUnsafeBufferPointer { decode($0) }
    }

    /// `s` (already valid Unicode, e.g. from JSON) with any real U+10FF80–U+10FFFF taken as
    /// its four bytes, so that `bytes(reading(s))` is `s`'s UTF-8.
    public static func reading(_ s: String) -> String {
        guard s.utf8.contains(0xF4) else { return s }
        var s = s
        return s.withUTF8 { decode($0) }
    }

    /// The length of the valid UTF-8 sequence at `i` (Go's `utf8.DecodeRune` rules:
    /// no overlongs, no surrogates, nothing above U+10FFFF), or 0 when the byte is invalid.
    @inline(__always)
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = b.count
        let c = b[i]
        if c < 0x80 { return 1 }
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            k < n && b[k] >= lo && b[k] <= hi
        }
        switch c {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0
        case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }

    /// Whether the valid 4-byte sequence at `i` encodes U+10FF80–U+10FFFF (F4 8F BE/BF xx).
    @inline(__always)
    static func isReservedEncoding(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        b[i] == 0xF4 && b[i + 1] == 0x8F && b[i + 2] >= 0xBE
    }

    // MARK: encoding

    /// Whether `s` holds any raw byte (cheap: only 0xF4 can lead one).
    public static func hasRawBytes(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard var p = u.baseAddress else { return false }
            let end = p + u.count
            // memchr for the lead byte: a whole report is scanned before it is written.
            while p < end, let f = memchr(p, 0xF4, end - p) {
                let q = UnsafePointer(f.assumingMemoryBound(to: UInt8.self))
                if end - q >= 4 && q[1] == 0x8F && q[2] >= 0xBE { return true }
                p = q + 1
            }
            return false
        }
    }

    /// The original bytes of `s`.
    public static func bytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        append(s, to: &out)
        return out
    }

    /// Appends the original bytes of `s` to `out`: the one place raw bytes are written back.
    public static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            var start = 0
            var i = 0
            let n = u.count
            while i < n {
                // A reserved scalar is F4 8F BE/BF xx; copy what precedes it, then its byte.
                if u[i] == 0xF4 && i + 3 < n && u[i + 1] == 0x8F && u[i + 2] >= 0xBE {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
                    out.append((u[i + 2] & 0x01) << 6 | (u[i + 3] & 0x3F) | 0x80)
                    i += 4
                    start = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<n]))
        }
    }

    /// `s` with each raw byte as `replacement` (U+FFFD by default): for outputs that must be
    /// valid UTF-8 and have no way to carry a byte (SVG, HTML, XML, Markdown).
    public static func replacingRawBytes(_ s: String, with replacement: Unicode.Scalar = "\u{FFFD}") -> String {
        guard hasRawBytes(s) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(rawByte(u) == nil ? u : replacement) }
        return String(out)
    }

    // MARK: order

    /// `a < b` in the order of their original bytes (Go's string order, which pprof sorts by).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        var offset = 0
        var lastLead = 0  // start of the scalar holding `offset`: equal in both so far
        while true {
            guard let x = ia.next() else { return ib.next() != nil }
            guard let y = ib.next() else { return false }
            if x == y {
                if x & 0xC0 != 0x80 { lastLead = offset }
                offset += 1
                continue
            }
            let start = x & 0xC0 == 0x80 && y & 0xC0 == 0x80 ? lastLead : offset
            let ra = a.utf8.dropFirst(start)
            let rb = b.utf8.dropFirst(start)
            // No raw byte from `start` on: the UTF-8 order is the byte order.
            if !ra.contains(0xF4) && !rb.contains(0xF4) { return x < y }
            return bytes(a).lexicographicallyPrecedes(bytes(b))
        }
    }
}
