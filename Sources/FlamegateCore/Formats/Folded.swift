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
        let c = a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in m == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, m) }
        }
        return c != 0 ? c < 0 : a.count < b.count
    }

    /// `stack count\n` for every stack, sorted byte-wise by stack. With `fractionDigits` k the
    /// values are counts times 10^k and are written with their decimals (`1.5`, trailing zeros
    /// dropped), as they were read.
    public static func write(_ stacks: [[UInt8]: UInt64], fractionDigits: Int) -> [UInt8] {
        if fractionDigits == 0 { return write(stacks) }
        var scale: UInt64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let keys = stacks.keys.sorted(by: precedes)
        var out = [UInt8]()
        for k in keys {
            out.append(contentsOf: k)
            out.append(0x20)
            let v = stacks[k]!
            appendDecimal(v / scale, to: &out)
            var frac = v % scale
            if frac != 0 {
                out.append(0x2E)
                var digits = fractionDigits
                while frac % 10 == 0 {
                    frac /= 10
                    digits -= 1
                }
                var tmp = [UInt8]()
                appendDecimal(frac, to: &tmp)
                out.append(contentsOf: [UInt8](repeating: 0x30, count: digits - tmp.count))
                out.append(contentsOf: tmp)
            }
            out.append(0x0A)
        }
        return out
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
///
/// Frames are stored interned: `names` holds each distinct frame (by bytes) once and the
/// stacks are runs of name ids, so reading a large file makes one String per distinct name.
public struct FoldedFile: Sendable {
    /// 1 (`stack count`) or 2 (`stack base cand`).
    public var columns: Int
    /// Distinct frame names (distinct by their bytes in the file).
    var names: [String] = []
    /// Name ids of every stack, concatenated; stack `i` is `frames[stackStart[i] ..< stackStart[i + 1]]`.
    var frames: [Int32] = []
    var stackStart: [Int] = [0]
    /// `columns` values per stack, row-major, times 10^`fractionDigits`.
    public var values: [Int64] = []
    /// Decimals of the counts: values are the counts times 10^this (0 for whole counts).
    public var fractionDigits = 0
    /// Lines that were not `stack count` (flamegraph.pl's "Ignored N lines with invalid format").
    public var skippedLines = 0

    init(columns: Int) { self.columns = columns }

    /// Number of stacks.
    var stackCount: Int { stackStart.count - 1 }

    /// Stacks in file order (repeated stacks are kept; readers of the model sum them).
    public var stacks: [[String]] {
        get {
            var out: [[String]] = []
            out.reserveCapacity(stackCount)
            for i in 0..<stackCount { out.append(frames[stackStart[i]..<stackStart[i + 1]].map { names[Int($0)] }) }
            return out
        }
        set {
            // By bytes, as `read` interns: canonically equivalent names stay distinct here.
            var index: [[UInt8]: Int32] = [:]
            names = []
            frames = []
            stackStart = [0]
            for stack in newValue {
                for n in stack {
                    let key = Array(n.utf8)
                    if let id = index[key] {
                        frames.append(id)
                    } else {
                        let id = Int32(names.count)
                        names.append(n)
                        index[key] = id
                        frames.append(id)
                    }
                }
                stackStart.append(frames.count)
            }
        }
    }
}

/// Interns byte strings of one buffer (open addressing on a word-at-a-time hash).
struct ByteInterner {
    let base: UnsafeRawPointer
    var offsets: [Int] = []
    var lengths: [Int] = []
    var hashes: [UInt64] = []
    var slots: [Int32]
    var mask: Int

    init(base: UnsafeRawPointer) {
        self.base = base
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    @inline(__always) static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var k = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(k))
                i += 1
                k += 1
            }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// The id of `base[offset ..< offset + n]`, adding it when new.
    @inline(__always) mutating func intern(_ offset: Int, _ n: Int) -> Int32 {
        let p = base + offset
        let h = ByteInterner.hash(p, n)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[s]
            if id < 0 { break }
            let k = Int(id)
            if hashes[k] == h && lengths[k] == n && (n == 0 || memcmp(base + offsets[k], p, n) == 0) { return id }
            s = (s + 1) & mask
        }
        let id = Int32(offsets.count)
        offsets.append(offset)
        lengths.append(n)
        hashes.append(h)
        slots[s] = id
        if offsets.count * 2 > mask { grow() }
        return id
    }

    mutating func grow() {
        let cap = (mask + 1) * 2
        var ns = [Int32](repeating: -1, count: cap)
        let m = cap - 1
        for k in 0..<offsets.count {
            var s = Int(truncatingIfNeeded: hashes[k]) & m
            while ns[s] >= 0 { s = (s + 1) & m }
            ns[s] = Int32(k)
        }
        slots = ns
        mask = m
    }

    /// The interned byte strings as Strings (invalid UTF-8 kept as raw bytes), in id order.
    func strings() -> [String] {
        (0..<offsets.count).map { k in
            LosslessUTF8.decode(
                UnsafeBufferPointer(
                    start: (base + offsets[k]).assumingMemoryBound(to: UInt8.self), count: lengths[k]))
        }
    }
}

extension FoldedStacks {
    /// Most digits kept after a count's decimal point (further digits are rounded).
    public static let maxFractionDigits = 9

    /// Whether `line` (without `\n`) ends like a folded line: `… <count>`, the count being
    /// flamegraph.pl's `\d+(?:\.\d*)?` (trailing blanks and `\r` allowed).
    static func looksFolded(_ line: UnsafeRawBufferPointer) -> Bool {
        var e = line.count
        while e > 0 && (line[e - 1] == 0x0D || line[e - 1] == 0x20 || line[e - 1] == 0x09) { e -= 1 }
        return trailingCount(line, end: e).ok
    }

    /// A count as written: its integer digits and fraction digits (positions in the line).
    struct Count {
        var integer: Range<Int>
        var fraction: Range<Int>

        /// The value times 10^`digits`, nil when it does not fit in Int64.
        func scaled(_ l: UnsafeRawBufferPointer, digits: Int) -> Int64? {
            var v: Int64 = 0
            func push(_ d: Int64) -> Bool {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(d)
                v = s
                return !(o1 || o2)
            }
            for i in integer where !push(Int64(l[i] &- 0x30)) { return nil }
            var k = 0
            for i in fraction where k < digits {
                if !push(Int64(l[i] &- 0x30)) { return nil }
                k += 1
            }
            while k < digits {
                if !push(0) { return nil }
                k += 1
            }
            // Rounded half up at the first digit dropped.
            if fraction.count > digits, l[fraction.lowerBound + digits] >= 0x35 {
                let (s, o) = v.addingReportingOverflow(1)
                if o { return nil }
                v = s
            }
            return v
        }
    }

    /// The trailing count of `l[0..<end]` as flamegraph.pl matches it
    /// (`^(.*)\s+?(\d+(?:\.\d*)?)$`), and where its one separating whitespace byte is.
    static func trailingCount(_ l: UnsafeRawBufferPointer, end: Int) -> (count: Count?, start: Int, ok: Bool) {
        var d = end
        while d > 0 && PerlFrameNaming.isDigit(l[d - 1]) { d -= 1 }
        var count = Count(integer: d..<end, fraction: end..<end)
        if d > 0 && l[d - 1] == 0x2E {  // `1.5` or `1.`
            let dot = d - 1
            var i = dot
            while i > 0 && PerlFrameNaming.isDigit(l[i - 1]) { i -= 1 }
            guard i < dot else { return (nil, d, false) }
            count = Count(integer: i..<dot, fraction: d..<end)
            d = i
        }
        guard d < end, d > 0, PerlFrameNaming.isSpace(l[d - 1]) else { return (nil, d, false) }
        // One separator only (flamegraph.pl's `\s+?`): a frame may end with a space.
        return (count, d - 1, true)
    }

    /// Reads folded stacks as flamegraph.pl does. The first stack line decides between one
    /// count and two (difffolded's `stack base cand`); in a two-count file a one-count line
    /// has the same base and candidate (flamegraph.pl draws it with no delta). Counts may
    /// have decimals (`1.5`): values are then stored times 10^`fractionDigits`.
    ///
    /// Lines that are not `stack count` are skipped and counted in `skippedLines`
    /// (flamegraph.pl's "Ignored N lines with invalid format"); blank lines and `#` comment
    /// lines are skipped and not counted; a trailing `\r` or blanks are ignored. Throws only
    /// when no line is a stack, or a count does not fit in 64 bits.
    public static func read(_ bytes: UnsafeRawBufferPointer, source: String) throws(InputError) -> FoldedFile {
        var file = FoldedFile(columns: 0)
        var lineNo = 0
        var failure: InputError? = nil
        var offset = 0
        if bytes.isEmpty {
            throw InputError(source: source, "no folded stacks found (expected 'frame;frame;... count' lines)")
        }
        var interner = ByteInterner(base: bytes.baseAddress!)
        var prevStack: UnsafeRawPointer? = nil
        var prevLength = 0
        var prevEnds: [Int] = []  // end offsets of the previous stack's frames
        var prevFirst = 0  // index in `frames` of the previous stack's first frame
        var firstSkipped: (line: Int, offset: Int)? = nil
        PerfScriptReader.forEachLine(in: bytes) { line in
            lineNo += 1
            let lineStart = offset
            offset += line.count + 1
            if failure != nil { return }
            var end = line.count
            while end > 0 && (line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
            if end == 0 || line[0] == 0x23 { return }  // blank, or a `#` comment
            let last = trailingCount(line, end: end)
            guard last.ok, let c2 = last.count else {
                file.skippedLines += 1
                if firstSkipped == nil { firstSkipped = (lineNo, lineStart) }
                return
            }
            var stackEnd = last.start
            var counts = [c2]
            if file.columns != 1 {
                let prev = trailingCount(line, end: last.start)
                if prev.ok, let c1 = prev.count {
                    counts = [c1, c2]
                    stackEnd = prev.start
                } else if file.columns == 2 {
                    counts = [c2, c2]
                }
            }
            if file.columns == 0 { file.columns = counts.count }
            // More decimals than so far: rescale what was read.
            var digits = file.fractionDigits
            for c in counts { digits = Swift.max(digits, Swift.min(c.fraction.count, maxFractionDigits)) }
            if digits > file.fractionDigits {
                var m: Int64 = 1
                for _ in file.fractionDigits..<digits { m *= 10 }
                for i in file.values.indices {
                    let (v, o) = file.values[i].multipliedReportingOverflow(by: m)
                    if o {
                        failure = InputError(source: source, offset: lineStart, "line \(lineNo): count is too large")
                        return
                    }
                    file.values[i] = v
                }
                file.fractionDigits = digits
            }
            var vals: [Int64] = []
            for c in counts {
                guard let v = c.scaled(line, digits: digits) else {
                    failure = InputError(source: source, offset: lineStart, "line \(lineNo): count is too large")
                    return
                }
                vals.append(v)
            }
            if stackEnd == 0 {
                // flamegraph.pl's `(.*)` may be empty: the count goes to the root only.
                prevStack = nil
                prevEnds.removeAll()
                file.stackStart.append(file.frames.count)
                file.values.append(contentsOf: vals)
                return
            }
            // Frames: a frame that ends (at its `;`) inside the prefix this stack shares with
            // the previous one is the previous stack's frame (folded files are usually sorted).
            let p = line.baseAddress!
            var common = 0
            if let prev = prevStack {
                let m = Swift.min(prevLength, stackEnd)
                while common + 8 <= m
                    && p.loadUnaligned(fromByteOffset: common, as: UInt64.self)
                        == prev.loadUnaligned(fromByteOffset: common, as: UInt64.self)
                {
                    common += 8
                }
                while common < m
                    && p.load(fromByteOffset: common, as: UInt8.self)
                        == prev.load(fromByteOffset: common, as: UInt8.self)
                {
                    common += 1
                }
            }
            var reused = 0
            while reused < prevEnds.count && prevEnds[reused] < common { reused += 1 }
            var pos = 0
            if reused > 0 {
                for k in prevFirst..<(prevFirst + reused) { file.frames.append(file.frames[k]) }
                pos = prevEnds[reused - 1] + 1
            }
            prevEnds.removeSubrange(reused...)
            let first = file.frames.count - reused
            let lineOffset = bytes.baseAddress!.distance(to: p)
            while true {
                let rest = stackEnd - pos
                let semi = rest > 0 ? memchr(p + pos, 0x3B, rest) : nil
                let end = semi.map { p.distance(to: UnsafeRawPointer($0)) } ?? stackEnd
                file.frames.append(interner.intern(lineOffset + pos, end - pos))
                prevEnds.append(end)
                if semi == nil { break }
                pos = end + 1
            }
            prevFirst = first
            prevStack = p
            prevLength = stackEnd
            file.stackStart.append(file.frames.count)
            file.values.append(contentsOf: vals)
        }
        if let failure { throw failure }
        file.names = interner.strings()
        if file.columns == 0 {
            if let firstSkipped {
                throw InputError(
                    source: source, offset: firstSkipped.offset,
                    "line \(firstSkipped.line): no folded stacks found (ignored \(file.skippedLines) line(s) with "
                        + "invalid format; expected 'frame;frame;... count')")
            }
            throw InputError(source: source, "no folded stacks found (expected 'frame;frame;... count' lines)")
        }
        return file
    }
}
