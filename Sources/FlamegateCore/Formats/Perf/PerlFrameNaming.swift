/// The line matchers and frame naming rules of `stackcollapse-perf.pl`, as described in
/// `Fixtures/perf/NAMING.md`. Everything works on bytes; character classes are ASCII-only
/// (`\s` = space, \t, \n, \r, \f, \v; `\d` = 0-9; `\w` = A-Za-z0-9_).
public enum PerlFrameNaming {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isWord(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20) &- 0x61 < 26 || b == 0x5F
    }
    @inline(__always) static func isLowerHex(_ b: UInt8) -> Bool { isDigit(b) || b &- 0x61 < 6 }

    /// `^(\S.+?)\s+(\d+)\/*(\d+)*\s+` (§3.1).
    struct EventMatch {
        var commEnd: Int
        var g2: Range<Int>
        var g3: Range<Int>?
    }

    static func matchEvent(_ l: UnsafeRawBufferPointer) -> EventMatch? {
        let n = l.count
        guard n >= 3, !isSpace(l[0]) else { return nil }
        var e = 2
        while e < n {
            // Only the first position of a whitespace run can succeed where an earlier one failed.
            if isSpace(l[e]) && (e == 2 || !isSpace(l[e - 1])) {
                var w = e
                while w < n && isSpace(l[w]) { w += 1 }
                if w < n && isDigit(l[w]) {
                    var d = w
                    while d < n && isDigit(l[d]) { d += 1 }
                    if d < n {
                        if isSpace(l[d]) { return EventMatch(commEnd: e, g2: w..<d, g3: nil) }
                        if l[d] == 0x2F {
                            var s = d
                            while s < n && l[s] == 0x2F { s += 1 }
                            var t = s
                            while t < n && isDigit(l[t]) { t += 1 }
                            if t < n && isSpace(l[t]) {
                                return EventMatch(commEnd: e, g2: w..<d, g3: t > s ? s..<t : nil)
                            }
                        }
                    }
                }
            }
            e += 1
        }
        return nil
    }

    /// `:\s*(\d+)*\s+(\S+):\s*$` (§3.2): the period digits (if any) and the event name.
    static func matchPeriodEvent(_ l: UnsafeRawBufferPointer) -> (period: Range<Int>?, event: Range<Int>)? {
        var k = l.count
        while k > 0 && isSpace(l[k - 1]) { k -= 1 }
        guard k > 0, l[k - 1] == 0x3A else { return nil }
        k -= 1  // the final colon
        var j = k
        while j > 0 && !isSpace(l[j - 1]) { j -= 1 }
        guard j < k, j > 0 else { return nil }
        var p = j
        while p > 0 && isSpace(l[p - 1]) { p -= 1 }  // \s+ (at least one, as l[j-1] is space)
        let digitsEnd = p
        while p > 0 && isDigit(l[p - 1]) { p -= 1 }
        let digits = p..<digitsEnd
        while p > 0 && isSpace(l[p - 1]) { p -= 1 }
        guard p > 0, l[p - 1] == 0x3A else { return nil }
        return (digits.isEmpty ? nil : digits, j..<k)
    }

    /// `^\s*(\w+)\s*(.+) \((.*)\)` (§4.2).
    struct FrameMatch {
        var pc: Range<Int>
        var raw: Range<Int>
        var mod: Range<Int>
    }

    static func matchFrame(_ l: UnsafeRawBufferPointer) -> FrameMatch? {
        let n = l.count
        var a = 0
        while a < n && isSpace(l[a]) { a += 1 }
        var b = a
        while b < n && isWord(l[b]) { b += 1 }
        guard b > a else { return nil }
        var lastParen = n - 1
        while lastParen > b && l[lastParen] != 0x29 { lastParen -= 1 }
        guard lastParen > b else { return nil }
        // Right-most " (" at r with r + 2 <= lastParen.
        var r = lastParen - 2
        while r >= b && !(l[r] == 0x20 && l[r + 1] == 0x28) { r -= 1 }
        guard r >= b else { return nil }
        var w = b
        while w < n && isSpace(l[w]) { w += 1 }
        let mod = (r + 2)..<lastParen
        if r >= w + 1 { return FrameMatch(pc: a..<b, raw: w..<r, mod: mod) }
        if r >= b + 1 { return FrameMatch(pc: a..<b, raw: (r - 1)..<r, mod: mod) }
        // r == b: the raw name has to take the pc's last character.
        if r - 1 >= a + 1 { return FrameMatch(pc: a..<(r - 1), raw: (r - 1)..<r, mod: mod) }
        return nil
    }

    /// End of `raw` after removing one trailing `\+0x[\da-f]+$` (§4.3 step 2).
    static func stripOffset(_ l: UnsafeRawBufferPointer, _ raw: Range<Int>) -> Int {
        var h = raw.upperBound
        while h > raw.lowerBound && isLowerHex(l[h - 1]) { h -= 1 }
        if h < raw.upperBound && h - 3 >= raw.lowerBound && l[h - 1] == 0x78 && l[h - 2] == 0x30 && l[h - 3] == 0x2B {
            return h - 3
        }
        return raw.upperBound
    }

    static func contains(_ s: UnsafeRawBufferPointer, _ range: Range<Int>, _ needle: StaticString) -> Bool {
        find(s, range, needle) != nil
    }

    static func find(_ s: UnsafeRawBufferPointer, _ range: Range<Int>, _ needle: StaticString) -> Int? {
        let m = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        if range.count < m { return nil }
        var i = range.lowerBound
        let last = range.upperBound - m
        outer: while i <= last {
            for k in 0..<m where s[i + k] != p[k] {
                i += 1
                continue outer
            }
            return i
        }
        return nil
    }

    static func bytesContain(_ s: [UInt8], _ needle: StaticString) -> Bool {
        s.withUnsafeBytes { contains($0, 0..<$0.count, needle) }
    }

    /// Module test for `_[k]`: `(^\[|vmlinux$)` and no `unknown` (§4.6).
    static func isKernelModule(_ l: UnsafeRawBufferPointer, _ mod: Range<Int>) -> Bool {
        let starts = !mod.isEmpty && l[mod.lowerBound] == 0x5B
        let ends = mod.count >= 7 && find(l, (mod.upperBound - 7)..<mod.upperBound, "vmlinux") != nil
        return (starts || ends) && !contains(l, mod, "unknown")
    }

    /// Module test for `_[j]`: `/tmp/perf-\d+\.map` anywhere (§4.6).
    static func isJitModule(_ l: UnsafeRawBufferPointer, _ mod: Range<Int>) -> Bool {
        var from = mod.lowerBound
        while let i = find(l, from..<mod.upperBound, "/tmp/perf-") {
            var d = i + 10
            while d < mod.upperBound && isDigit(l[d]) { d += 1 }
            if d > i + 10 && d + 4 <= mod.upperBound && l[d] == 0x2E && l[d + 1] == 0x6D && l[d + 2] == 0x61
                && l[d + 3] == 0x70
            {
                return true
            }
            from = i + 1
        }
        return false
    }

    /// What the frame-line options change in naming.
    struct PieceContext {
        var addrs: Bool
        var java: Bool
        var kernel: Bool
        var jit: Bool
    }

    /// Names one `->` piece (§4.4–§4.6) into `s` (cleared first). `isUnknown` is the sticky
    /// "[unknown] in module [unknown]" mark of §4.4.
    static func namePiece(
        _ l: UnsafeRawBufferPointer, piece: Range<Int>, index: Int, pc: Range<Int>, mod: Range<Int>,
        _ c: PieceContext, isUnknown: inout Bool, into s: inout [UInt8]
    ) {
        s.removeAll(keepingCapacity: true)
        if piece.count == 9 && find(l, piece, "[unknown]") != nil {
            s.append(0x5B)
            if mod.count == 9 && find(l, mod, "[unknown]") != nil {
                s.append(contentsOf: "unknown".utf8)
                isUnknown = true
            } else {
                var start = mod.upperBound
                while start > mod.lowerBound && l[start - 1] != 0x2F { start -= 1 }
                s.append(contentsOf: UnsafeRawBufferPointer(rebasing: l[start..<mod.upperBound]))
            }
            if c.addrs {
                s.append(0x20)
                s.append(0x3C)
                s.append(contentsOf: UnsafeRawBufferPointer(rebasing: l[pc]))
                s.append(0x3E)
            }
            s.append(0x5D)
        } else {
            s.append(contentsOf: UnsafeRawBufferPointer(rebasing: l[piece]))
        }
        s.withUnsafeMutableBytes { m in
            for i in 0..<m.count where m[i] == 0x3B { m[i] = 0x3A }
        }
        // Argument cut unless `\.\(.*\)\.` matches.
        let cut: Int? = s.withUnsafeBytes { b in
            let all = 0..<b.count
            if let i = find(b, all, ".(") {
                var j = b.count - 2
                while j >= i + 2 && !(b[j] == 0x29 && b[j + 1] == 0x2E) { j -= 1 }
                if j >= i + 2 { return nil }
            }
            var p = 0
            while p < b.count {
                if b[p] == 0x28 && !(p + 21 <= b.count && find(b, (p + 1)..<(p + 21), "anonymous namespace)") != nil) {
                    return p
                }
                p += 1
            }
            return nil
        }
        if let cut { s.removeSubrange(cut...) }
        s.removeAll(where: { $0 == 0x22 || $0 == 0x27 })
        if c.java && s.first == 0x4C && s.contains(0x2F) { s.removeFirst() }
        if index > 0 {
            if !bytesContain(s, "_[i]") { s.append(contentsOf: "_[i]".utf8) }
        } else if c.kernel && isKernelModule(l, mod) {
            s.append(contentsOf: "_[k]".utf8)
        } else if c.jit && isJitModule(l, mod) {
            if !bytesContain(s, "_[j]") { s.append(contentsOf: "_[j]".utf8) }
        }
    }

    /// `--srcline` suffix from a source line (§4.7): drop `\[.*?\]`, trim, and if
    /// anything is left append `:` and it.
    static func appendSrcline(_ line: UnsafeRawBufferPointer, to s: inout [UInt8]) {
        var t = [UInt8]()
        t.reserveCapacity(line.count)
        var i = 0
        let n = line.count
        while i < n {
            if line[i] == 0x5B {
                var j = i + 1
                while j < n && line[j] != 0x5D { j += 1 }
                if j < n {
                    i = j + 1
                    continue
                }
                t.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[i..<n]))
                break
            }
            t.append(line[i])
            i += 1
        }
        var a = 0
        var z = t.count
        while a < z && isSpace(t[a]) { a += 1 }
        while z > a && isSpace(t[z - 1]) { z -= 1 }
        if z > a {
            s.append(0x3A)
            s.append(contentsOf: t[a..<z])
        }
    }
}
