#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Folded stacks (`frame;frame;frame count` lines), the format of Brendan Gregg's
/// stackcollapse scripts and flamegraph.pl.
public enum FoldedStacks {
    /// Byte-wise comparison, as Perl's default `sort` (no locale): a prefix sorts first.
    @inline(__always)
    public static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let m = min(a.count, b.count)
        let c = a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in m == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, m) } }
        return c != 0 ? c < 0 : a.count < b.count
    }

    /// `stack count\n` for every stack, sorted byte-wise by stack.
    public static func write(_ stacks: [[UInt8]: UInt64]) -> [UInt8] {
        let keys = stacks.keys.sorted(by: precedes)
        var out = [UInt8]()
        out.reserveCapacity(keys.reduce(0) { $0 + $1.count + 12 })
        for k in keys {
            out.append(contentsOf: k)
            out.append(0x20)
            appendDecimal(stacks[k]!, to: &out)
            out.append(0x0A)
        }
        return out
    }

    static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v == 0 {
            out.append(0x30)
            return
        }
        var digits: (UInt64, Int) = (v, 0)
        var tmp = [UInt8](repeating: 0, count: 20)
        while digits.0 > 0 {
            tmp[19 - digits.1] = UInt8(digits.0 % 10) + 0x30
            digits.0 /= 10
            digits.1 += 1
        }
        out.append(contentsOf: tmp[(20 - digits.1)...])
    }
}

extension FoldedStacks {
    /// Folded output of stacks kept in one arena (`starts`/`lengths` index it).
    static func write(arena: [UInt8], starts: [Int], lengths: [Int], counts: [UInt64]) -> [UInt8] {
        var order = Array(starts.indices)
        arena.withUnsafeBytes { a in
            let base = a.baseAddress
            order.sort { x, y in
                let lx = lengths[x]
                let ly = lengths[y]
                let m = min(lx, ly)
                let c = m == 0 ? 0 : memcmp(base! + starts[x], base! + starts[y], m)
                return c != 0 ? c < 0 : lx < ly
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(arena.count + starts.count * 12)
        for e in order {
            out.append(contentsOf: arena[starts[e]..<(starts[e] + lengths[e])])
            out.append(0x20)
            appendDecimal(counts[e], to: &out)
            out.append(0x0A)
        }
        return out
    }
}

/// Folded stacks read from text: `stack count` lines, or `stack base cand` lines as
/// difffolded.pl writes them. Frames are root first.
public struct FoldedFile: Sendable {
    /// 1 (`stack count`) or 2 (`stack base cand`).
    public var columns: Int
    /// Stacks in file order (repeated stacks are kept; readers of the model sum them).
    public var stacks: [[String]] = []
    /// `columns` values per stack, row-major.
    public var values: [Int64] = []
}

extension FoldedStacks {
    /// Whether `line` (without `\n`) ends like a folded line: `… <digits>`.
    static func looksFolded(_ line: UnsafeRawBufferPointer) -> Bool {
        var e = line.count
        while e > 0 && (line[e - 1] == 0x0D || line[e - 1] == 0x20 || line[e - 1] == 0x09) { e -= 1 }
        var d = e
        while d > 0 && PerlFrameNaming.isDigit(line[d - 1]) { d -= 1 }
        return d < e && d > 0 && (line[d - 1] == 0x20 || line[d - 1] == 0x09)
    }

    /// The trailing integer of `l[0..<end]`, and where its separating whitespace starts.
    static func trailingCount(_ l: UnsafeRawBufferPointer, end: Int) -> (value: Int64?, start: Int, ok: Bool) {
        var d = end
        while d > 0 && PerlFrameNaming.isDigit(l[d - 1]) { d -= 1 }
        guard d < end, d > 0, l[d - 1] == 0x20 || l[d - 1] == 0x09 else { return (nil, d, false) }
        var v: Int64 = 0
        for i in d..<end {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(l[i] &- 0x30))
            if o1 || o2 { return (nil, d, true) }
            v = s
        }
        // One separator only (flamegraph.pl's `\s+?`): a frame may end with a space.
        return (v, d - 1, true)
    }

    /// Reads folded stacks. The first stack line decides between one count and two
    /// (difffolded's `stack base cand`); every other line must have the same shape.
    /// Blank lines are skipped; a trailing `\r` is ignored.
    public static func read(_ bytes: UnsafeRawBufferPointer, source: String) throws(InputError) -> FoldedFile {
        var file = FoldedFile(columns: 0)
        var lineNo = 0
        var failure: InputError? = nil
        var offset = 0
        PerfScriptReader.forEachLine(in: bytes) { line in
            lineNo += 1
            let lineStart = offset
            offset += line.count + 1
            if failure != nil { return }
            var end = line.count
            while end > 0 && (line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
            if end == 0 { return }
            func fail(_ what: String) {
                failure = InputError(source: source, offset: lineStart, "line \(lineNo): \(what)")
            }
            let last = trailingCount(line, end: end)
            guard last.ok else {
                fail("expected 'frame;frame;... count' (a stack, a space, an integer count)")
                return
            }
            guard let v2 = last.value else {
                fail("count is too large")
                return
            }
            var stackEnd = last.start
            var vals: [Int64] = [v2]
            if file.columns != 1 {
                let prev = trailingCount(line, end: last.start)
                if prev.ok, let v1 = prev.value, prev.start > 0 {
                    vals = [v1, v2]
                    stackEnd = prev.start
                } else if file.columns == 2 {
                    fail("expected 'stack base cand' (two counts, as the first line has)")
                    return
                }
            }
            if file.columns == 0 { file.columns = vals.count }
            if stackEnd == 0 {
                fail("expected a stack before the count")
                return
            }
            let stack = UnsafeRawBufferPointer(rebasing: line[0..<stackEnd])
            file.stacks.append(stack.split(separator: 0x3B, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            })
            file.values.append(contentsOf: vals)
        }
        if let failure { throw failure }
        if file.columns == 0 { throw InputError(source: source, "no folded stacks found (expected 'frame;frame;... count' lines)") }
        return file
    }
}
