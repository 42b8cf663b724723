/// A legacy reader's reason to refuse an input pprof also refuses: what was wrong, and the
/// line (text) or byte offset (binary) where.
struct LegacyFailure: Error {
    var message: String
    var line: Int? = nil
    var offset: Int? = nil

    /// `message` at 1-based `line`.
    static func at(_ line: Int, _ message: String) -> LegacyFailure { LegacyFailure(message: message, line: line) }
}

/// What one of pprof's legacy parsers makes of an input: a profile, or "not mine" with the
/// reason (pprof's `errUnrecognized`, after which it tries the next parser).
enum LegacyOutcome {
    case profile(LegacyProfile)
    case unrecognized(String)
}

/// Go's `bufio.Scanner` with `ScanLines` over a byte buffer, as pprof's legacy readers
/// read text: lines end at `\n`, one trailing `\r` is dropped, the last line needs no
/// newline, and a line of 64 KiB or more is an error (`bufio.Scanner: token too long`).
/// After the last line `text` is empty, as `Scanner.Text()` is.
struct LegacyLines {
    let bytes: [UInt8]
    private(set) var next = 0
    /// The current line (pprof's `s.Text()`).
    private(set) var text: ArraySlice<UInt8> = []
    /// 1-based number of the current line; 0 before the first.
    private(set) var number = 0
    /// Go's `bufio.MaxScanTokenSize`.
    static let maxLine = 64 * 1024

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Advances to the next line; false at the end. Throws for a line pprof cannot scan.
    mutating func scan() throws(LegacyFailure) -> Bool {
        guard next < bytes.count else {
            text = []
            return false
        }
        number += 1
        let start = next
        var end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        if end - start >= Self.maxLine {
            text = []
            throw .at(number, "a line of \(end - start) bytes; pprof reads lines of at most \(Self.maxLine - 1) bytes")
        }
        next = end < bytes.count ? end + 1 : end
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        text = bytes[start..<end]
        return true
    }
}

/// Go's string and number helpers as pprof's legacy readers use them.
enum GoText {
    static func isSpaceByte(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// The length of a Unicode space (`unicode.IsSpace`, beyond ASCII) ending at `end`, or 0.
    private static func unicodeSpaceBefore(_ s: ArraySlice<UInt8>, _ end: Int) -> Int {
        for n in [2, 3] where end - n >= s.startIndex {
            if isUnicodeSpace(s[(end - n)..<end]) { return n }
        }
        return 0
    }

    /// The length of a Unicode space starting at `start`, or 0.
    private static func unicodeSpaceAt(_ s: ArraySlice<UInt8>, _ start: Int) -> Int {
        for n in [2, 3] where start + n <= s.endIndex {
            if isUnicodeSpace(s[start..<(start + n)]) { return n }
        }
        return 0
    }

    /// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    private static func isUnicodeSpace(_ b: ArraySlice<UInt8>) -> Bool {
        let a = Array(b)
        if a.count == 2 { return a[0] == 0xC2 && (a[1] == 0x85 || a[1] == 0xA0) }
        if a == [0xE1, 0x9A, 0x80] || a == [0xE3, 0x80, 0x80] { return true }
        if a[0] == 0xE2 && a[1] == 0x80 {
            return (a[2] >= 0x80 && a[2] <= 0x8A) || a[2] == 0xA8 || a[2] == 0xA9 || a[2] == 0xAF
        }
        return a[0] == 0xE2 && a[1] == 0x81 && a[2] == 0x9F
    }

    /// `strings.TrimSpace`.
    static func trimSpace(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var a = s.startIndex
        var b = s.endIndex
        while a < b {
            if isSpaceByte(s[a]) {
                a += 1
            } else if s[a] >= 0x80, case let n = unicodeSpaceAt(s[a..<b], a), n > 0 {
                a += n
            } else {
                break
            }
        }
        while b > a {
            if isSpaceByte(s[b - 1]) {
                b -= 1
            } else if s[b - 1] >= 0x80, case let n = unicodeSpaceBefore(s[a..<b], b), n > 0 {
                b -= n
            } else {
                break
            }
        }
        return s[a..<b]
    }

    /// pprof's `isSpaceOrComment`: blank, or `#` after leading space.
    static func isSpaceOrComment(_ s: ArraySlice<UInt8>) -> Bool {
        let t = trimSpace(s)
        return t.isEmpty || t.first == UInt8(ascii: "#")
    }

    static func hasPrefix(_ s: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        s.starts(with: prefix.utf8)
    }

    static func contains(_ s: ArraySlice<UInt8>, _ needle: String) -> Bool { contains(s, Array(needle.utf8)) }

    /// Whether `needle` occurs in `s` (`strings.Contains`), without copying either.
    static func contains(_ s: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        return s.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                guard h.count >= n.count else { return false }
                var i = 0
                while i + n.count <= h.count {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// Text of a field, lossless: invalid UTF-8 keeps its bytes, printed back as pprof prints them.
    static func string(_ s: ArraySlice<UInt8>) -> String { LosslessUTF8.decode(s) }

    /// `strconv.ParseUint(s, base, 64)` (base 0: Go's prefixes `0x`, `0o`, `0b`, a leading
    /// `0` for octal, and `_` between digits); nil for what Go rejects, overflow included.
    static func parseUint(_ s: ArraySlice<UInt8>, base: Int) -> UInt64? {
        if s.isEmpty { return nil }
        var digits = s
        var b = base
        let base0 = base == 0
        if base0 {
            b = 10
            if s.first == UInt8(ascii: "0") {
                let second = s.count >= 3 ? s[s.startIndex + 1] | 0x20 : 0
                switch second {
                case UInt8(ascii: "b"):
                    b = 2
                    digits = s.dropFirst(2)
                case UInt8(ascii: "o"):
                    b = 8
                    digits = s.dropFirst(2)
                case UInt8(ascii: "x"):
                    b = 16
                    digits = s.dropFirst(2)
                default:
                    b = 8
                    digits = s.dropFirst(1)
                }
            }
        }
        var n: UInt64 = 0
        var underscores = false
        for c in digits {
            let d: UInt8
            switch c {
            case UInt8(ascii: "_") where base0:
                underscores = true
                continue
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x5A, 0x61...0x7A: d = (c | 0x20) - 0x61 + 10
            default: return nil
            }
            if Int(d) >= b { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: UInt64(b))
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            n = a
        }
        if underscores && !underscoreOK(s) { return nil }
        return n
    }

    /// Go's rule for `_` in a base-0 number: only between digits (a base prefix counts).
    private static func underscoreOK(_ s: ArraySlice<UInt8>) -> Bool {
        var saw = UInt8(ascii: "^")
        var t = Array(s)
        if let f = t.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { t.removeFirst() }
        var i = 0
        var hex = false
        if t.count >= 2 && t[0] == UInt8(ascii: "0") && "box".utf8.contains(t[1] | 0x20) {
            i = 2
            saw = UInt8(ascii: "0")
            hex = t[1] | 0x20 == UInt8(ascii: "x")
        }
        while i < t.count {
            let c = t[i]
            i += 1
            if (c >= 0x30 && c <= 0x39) || (hex && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) {
                saw = UInt8(ascii: "0")
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = c
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }

    /// `strconv.ParseInt(s, base, 64)`: an optional sign, then `parseUint`'s digits.
    static func parseInt(_ s: ArraySlice<UInt8>, base: Int) -> Int64? {
        guard let f = s.first else { return nil }
        var neg = false
        var rest = s
        if f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            neg = f == UInt8(ascii: "-")
            rest = s.dropFirst()
        }
        guard let u = parseUint(rest, base: base) else { return nil }
        if !neg { return u <= UInt64(Int64.max) ? Int64(u) : nil }
        if u > UInt64(Int64.max) + 1 { return nil }
        return u == UInt64(Int64.max) + 1 ? Int64.min : -Int64(u)
    }

    /// pprof's `parseHexAddresses`: every `0x[0-9a-f]+` in `s`, leftmost first; nil when
    /// one does not fit in 64 bits (the text of that one in `bad`).
    static func hexAddresses(_ s: ArraySlice<UInt8>, bad: inout String) -> [UInt64]? {
        var out: [UInt64] = []
        var i = s.startIndex
        func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }
        while i + 2 < s.endIndex {
            if s[i] == UInt8(ascii: "0") && s[i + 1] == UInt8(ascii: "x") && isHex(s[i + 2]) {
                var j = i + 2
                while j < s.endIndex && isHex(s[j]) { j += 1 }
                guard let v = parseUint(s[(i + 2)..<j], base: 16) else {
                    bad = string(s[i..<j])
                    return nil
                }
                out.append(v)
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// Go's `int64(f)` on amd64 (CVTTSD2SQ): truncation, and the "integer indefinite"
    /// value `math.MinInt64` for NaN and anything out of range, where Swift would trap.
    static func int64(_ f: Double) -> Int64 {
        guard f.isFinite, f >= -9_223_372_036_854_775_808.0, f < 9_223_372_036_854_775_808.0 else { return Int64.min }
        return Int64(f)
    }

    /// Go's `filepath.Base` on Linux.
    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        if p == "/" { return "/" }
        if let slash = p.lastIndex(of: "/") { p = p[p.index(after: slash)...] }
        return p.isEmpty ? "/" : String(p)
    }
}
