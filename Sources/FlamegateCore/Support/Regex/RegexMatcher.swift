import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Answers "does the pattern match anywhere in this text" (Go's `MatchString`) in time
/// linear in the text: a lazily built DFA over the NFA of `RegexProgram`, with its states
/// cached across calls (filters ask once per distinct function name), and literal fast
/// paths on the UTF-8 bytes before it.
final class RegexMatcher: Sendable {
    let tables: RegexTables
    let fast: FastPath
    let dfa: Mutex<LazyDFA>

    /// Checks on the bytes that answer alone or rule a text out before the DFA runs.
    enum FastPath: Sendable {
        case none
        /// Matches exactly when one of these occurs.
        case exact([[UInt8]])
        /// Cannot match unless one of these occurs.
        case required([[UInt8]])
        /// `^lit`: the text must start with it; `whole`: `^lit$`, `prefixOnly`: `^lit`.
        case prefix([UInt8], whole: Bool, prefixOnly: Bool)
    }

    init(_ root: RegexNode) {
        let program = RegexProgram(root)
        tables = RegexTables(program)
        func bytes(_ r: [UInt32]) -> [UInt8] {
            var v = String.UnicodeScalarView()
            for c in r { v.append(Unicode.Scalar(c) ?? "\u{FFFD}") }
            return Array(String(v).utf8)
        }
        // A surrogate in a literal (`\x{D800}`) can never occur in a Swift string.
        let valid = { (r: [UInt32]) in r.allSatisfy { Unicode.Scalar($0) != nil } }
        if let (lit, rest) = RegexProgram.anchoredLiteral(root), valid(lit) {
            fast = .prefix(bytes(lit), whole: rest == .endOfText, prefixOnly: rest == .nothing)
        } else if let lits = RegexProgram.exactLiterals(root), lits.allSatisfy(valid) {
            fast = .exact(lits.map(bytes))
        } else if let lits = RegexProgram.requiredLiterals(root), lits.allSatisfy(valid) {
            fast = .required(lits.map(bytes))
        } else {
            fast = .none
        }
        dfa = Mutex(LazyDFA(tables))
    }

    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches($0) }
    }

    func matches(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        switch fast {
        case .none: break
        case .exact(let lits): return lits.contains { Self.find($0, in: buf) }
        case .required(let lits): if !lits.contains(where: { Self.find($0, in: buf) }) { return false }
        case .prefix(let lit, let whole, let prefixOnly):
            guard buf.count >= lit.count, lit.withUnsafeBufferPointer({ l in
                l.isEmpty || memcmp(buf.baseAddress!, l.baseAddress!, l.count) == 0
            }) else { return false }
            if prefixOnly { return true }
            if whole { return buf.count == lit.count }
        }
        // A second thread finding the cache busy uses a DFA of its own, uncached.
        if let r = dfa.withLockIfAvailable({ $0.run(buf) }) { return r }
        var own = LazyDFA(tables)
        return own.run(buf)
    }

    /// Whether `needle` occurs in `hay` (memchr for its first byte, then memcmp).
    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
        return needle.withUnsafeBufferPointer { n in
            var i = 0
            let last = hay.count - n.count
            while i <= last {
                guard let p = memchr(base + i, Int32(first), last - i + 1) else { return false }
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }
}

/// The program and its character classes: ranges of code points that every set, `\n`
/// and the word characters treat alike, so that the DFA steps on a class, not a character.
final class RegexTables: Sendable {
    let program: RegexProgram
    /// Class k covers `bounds[k] ..< bounds[k+1]` (the last one up to U+10FFFF).
    let bounds: [UInt32]
    let ascii: [Int32]
    /// Per class: 1 = it is `\n`, 2 = word character (ASCII `\w`).
    let kind: [UInt8]
    let count: Int

    init(_ p: RegexProgram) {
        program = p
        var b: Set<UInt32> = [0, 0x0A, 0x0B, 0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B]
        for set in p.sets {
            var i = 0
            while i < set.count {
                b.insert(set[i])
                if set[i + 1] < RegexClasses.maxRune { b.insert(set[i + 1] + 1) }
                i += 2
            }
        }
        bounds = b.sorted()
        count = bounds.count
        var kinds: [UInt8] = []
        for lo in bounds {
            var k: UInt8 = lo == 0x0A ? 1 : 0
            if RegexClasses.contains(RegexClasses.word, lo) { k |= 2 }
            kinds.append(k)
        }
        kind = kinds
        var a = [Int32](repeating: 0, count: 128)
        var k = 0
        for c in 0..<128 {
            while k + 1 < bounds.count && bounds[k + 1] <= UInt32(c) { k += 1 }
            a[c] = Int32(k)
        }
        ascii = a
    }

    /// The class of a character (binary search; ASCII goes through `ascii`).
    func classOf(_ c: UInt32) -> Int {
        var lo = 0
        var hi = bounds.count
        while hi - lo > 1 {
            let m = (lo + hi) / 2
            if bounds[m] <= c { lo = m } else { hi = m }
        }
        return lo
    }
}

/// The lazily built DFA. A state is the set of NFA instructions waiting at a position
/// (before their empty-width steps are followed) plus what the previous character was (text
/// start, `\n`, word character), which with the next character's class decides `^ $ \b`.
/// A transition is computed the first time it is taken: one closure over the program,
/// so a text costs at most (its length × the program's size) even when nothing is cached.
/// The cache is dropped when it outgrows its budget.
struct LazyDFA: ~Copyable {
    let t: RegexTables
    static let unknown: Int32 = -1
    static let matched: Int32 = -2
    static let dead: Int32 = -3

    // Previous-character flags.
    static let atStart: UInt8 = 1
    static let afterNL: UInt8 = 2
    static let afterWord: UInt8 = 4

    struct Key: Hashable {
        let pcs: [Int32]
        let prev: UInt8
    }

    var trans: [Int32] = []
    var keys: [Key] = []
    var endResult: [Int8] = []
    var index: [Key: Int32] = [:]
    var initial: Int32 = -1
    var resets = 0
    let maxStates: Int

    var mark: [UInt32]
    var gen: UInt32 = 0
    var work: [Int32] = []
    var consuming: [Int32] = []

    init(_ t: RegexTables) {
        self.t = t
        mark = [UInt32](repeating: 0, count: t.program.op.count)
        // About 8 MB of transitions at most.
        maxStates = max(16, min(10_000, 2_000_000 / t.count))
    }

    mutating func reset() {
        trans.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        endResult.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        initial = -1
        resets += 1
    }

    mutating func state(_ pcs: [Int32], _ prev: UInt8) -> Int32 {
        let key = Key(pcs: pcs, prev: prev)
        if let s = index[key] { return s }
        if keys.count >= maxStates { reset() }
        let s = Int32(keys.count)
        keys.append(key)
        endResult.append(-1)
        trans.append(contentsOf: repeatElement(Self.unknown, count: t.count))
        index[key] = s
        return s
    }

    mutating func nextGen() {
        gen &+= 1
        if gen == 0 {
            for i in mark.indices { mark[i] = 0 }
            gen = 1
        }
    }

    /// Follows splits and the assertions in `ctx` from `pcs`; collects the consuming
    /// instructions reached in `consuming`; true when the accepting one is reached.
    mutating func closure(_ pcs: [Int32], _ ctx: UInt8) -> Bool {
        nextGen()
        consuming.removeAll(keepingCapacity: true)
        work.removeAll(keepingCapacity: true)
        work.append(contentsOf: pcs.reversed())
        let p = t.program
        while let pc = work.popLast() {
            let i = Int(pc)
            if mark[i] == gen { continue }
            mark[i] = gen
            switch p.op[i] {
            case .set: consuming.append(pc)
            case .split:
                work.append(p.y[i])
                work.append(p.x[i])
            case .assert: if UInt8(p.x[i]) & ctx != 0 { work.append(p.y[i]) }
            case .match: return true
            case .fail: break
            }
        }
        return false
    }

    /// The assertions that hold between a character with flags `prev` and one of class `k`
    /// (nil: the end of the text).
    func context(_ prev: UInt8, _ k: Int?) -> UInt8 {
        typealias A = RegexProgram.Assertion
        var ctx: UInt8 = 0
        if prev & Self.atStart != 0 { ctx |= A.beginText | A.beginLine }
        if prev & Self.afterNL != 0 { ctx |= A.beginLine }
        let nextWord: Bool
        if let k {
            if t.kind[k] & 1 != 0 { ctx |= A.endLine }
            nextWord = t.kind[k] & 2 != 0
        } else {
            ctx |= A.endLine | A.endText
            nextWord = false
        }
        ctx |= (prev & Self.afterWord != 0) != nextWord ? A.wordBoundary : A.noWordBoundary
        return ctx
    }

    mutating func step(_ s: Int32, _ k: Int) -> Int32 {
        let key = keys[Int(s)]
        let p = t.program
        var result: Int32
        if closure(key.pcs, context(key.prev, k)) {
            result = Self.matched
        } else {
            let c = t.bounds[k]
            nextGen()
            var next: [Int32] = []
            for pc in consuming {
                let i = Int(pc)
                let to = p.y[i]
                if mark[Int(to)] != gen && RegexClasses.contains(p.sets[Int(p.x[i])], c) {
                    mark[Int(to)] = gen
                    next.append(to)
                }
            }
            // Unanchored: a match may start at every position.
            if !p.anchoredStart && mark[Int(p.start)] != gen { next.append(p.start) }
            if next.isEmpty {
                result = Self.dead
            } else {
                next.sort()
                let prev: UInt8 = (t.kind[k] & 1 != 0 ? Self.afterNL : 0) | (t.kind[k] & 2 != 0 ? Self.afterWord : 0)
                let before = resets
                result = state(next, prev)
                if resets != before { return result }  // `s` is gone with the old cache
            }
        }
        trans[Int(s) * t.count + k] = result
        return result
    }

    mutating func endMatches(_ s: Int32) -> Bool {
        let r = endResult[Int(s)]
        if r >= 0 { return r == 1 }
        let key = keys[Int(s)]
        let m = closure(key.pcs, context(key.prev, nil))
        endResult[Int(s)] = m ? 1 : 0
        return m
    }

    mutating func run(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        if initial < 0 { initial = state([t.program.start], Self.atStart) }
        var s = initial
        var i = 0
        let n = buf.count
        let nc = t.count
        while i < n {
            let b = buf[i]
            let k: Int
            if b < 0x80 {
                k = Int(t.ascii[Int(b)])
                i += 1
            } else {
                k = t.classOf(Self.decode(buf, &i))
            }
            var next = trans[Int(s) * nc + k]
            if next < 0 {
                if next == Self.unknown { next = step(s, k) }
                if next == Self.matched { return true }
                if next == Self.dead { return false }
            }
            s = next
        }
        return endMatches(s)
    }

    /// The scalar of the multi-byte sequence at `i` (valid UTF-8, as Swift strings are);
    /// advances `i` past it.
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32 {
        let b = UInt32(buf[i])
        let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        guard i + len <= buf.count else {
            i += 1
            return 0xFFFD
        }
        var c = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
        for j in 1..<len { c = c << 6 | (UInt32(buf[i + j]) & 0x3F) }
        i += len
        return c
    }
}
