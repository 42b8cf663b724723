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
    /// `columns` values per stack, row-major.
    public var values: [Int64] = []

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

    /// The interned byte strings as Strings (invalid UTF-8 repaired), in id order.
    func strings() -> [String] {
        (0..<offsets.count).map { k in
            String(decoding: UnsafeRawBufferPointer(start: base + offsets[k], count: lengths[k]), as: UTF8.self)
        }
    }
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
        if bytes.isEmpty {
            throw InputError(source: source, "no folded stacks found (expected 'frame;frame;... count' lines)")
        }
        var interner = ByteInterner(base: bytes.baseAddress!)
        var prevStack: UnsafeRawPointer? = nil
        var prevLength = 0
        var prevEnds: [Int] = []  // end offsets of the previous stack's frames
        var prevFirst = 0  // index in `frames` of the previous stack's first frame
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
            throw InputError(source: source, "no folded stacks found (expected 'frame;frame;... count' lines)")
        }
        return file
    }
}
