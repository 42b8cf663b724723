/// The regular expressions pprof's legacy readers decide with (headers, sample lines,
/// memory-map lines), matched over bytes with Go's RE2 semantics: leftmost-first
/// submatches, `\s` = `[\t\n\f\r ]`, `\d` = `[0-9]`, `\w` = `[0-9A-Za-z_]`, POSIX classes,
/// `^`/`\A` and `$`/`\z` at the ends of the text. The matcher backtracks over a compiled
/// program but never visits a (instruction, position) pair twice, as RE2's BitState does,
/// so a hostile line costs at most program size × line length steps.
///
/// Only the syntax those patterns use is supported: literals, escapes, classes, `.`,
/// groups `( )` and `(?: )`, greedy `*` `+` `?`, and `|`. A pattern outside it is a
/// programming error.
struct LegacyRegex: Sendable {
    /// A set of bytes, one bit each.
    struct ByteSet: Sendable {
        var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        func contains(_ b: UInt8) -> Bool {
            let word: UInt64
            switch b >> 6 {
            case 0: word = bits.0
            case 1: word = bits.1
            case 2: word = bits.2
            default: word = bits.3
            }
            return word & (1 << UInt64(b & 63)) != 0
        }

        mutating func insert(_ b: UInt8) {
            let m: UInt64 = 1 << UInt64(b & 63)
            switch b >> 6 {
            case 0: bits.0 |= m
            case 1: bits.1 |= m
            case 2: bits.2 |= m
            default: bits.3 |= m
            }
        }

        mutating func insert(_ lo: UInt8, _ hi: UInt8) {
            guard lo <= hi else { return }
            for b in lo...hi { insert(b) }
        }

        mutating func formUnion(_ o: ByteSet) {
            bits = (bits.0 | o.bits.0, bits.1 | o.bits.1, bits.2 | o.bits.2, bits.3 | o.bits.3)
        }

        var inverted: ByteSet {
            var s = ByteSet()
            s.bits = (~bits.0, ~bits.1, ~bits.2, ~bits.3)
            return s
        }

        static func of(_ chars: String) -> ByteSet {
            var s = ByteSet()
            for b in chars.utf8 { s.insert(b) }
            return s
        }

        /// RE2's `\s`: no `\v`.
        static let space = of("\t\n\u{0C}\r ")
        static let digit: ByteSet = {
            var s = ByteSet()
            s.insert(0x30, 0x39)
            return s
        }()
        static let word: ByteSet = {
            var s = digit
            s.insert(0x41, 0x5A)
            s.insert(0x61, 0x7A)
            s.insert(0x5F)
            return s
        }()
        static let xdigit: ByteSet = {
            var s = digit
            s.insert(0x41, 0x46)
            s.insert(0x61, 0x66)
            return s
        }()
        /// `.`: anything but a newline (bytes of one UTF-8 character match one by one).
        static let dot = of("\n").inverted
    }

    enum Inst: Sendable {
        case byte(ByteSet)
        /// Try the first target, then the second.
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case atStart
        case atEnd
        case match
    }

    let program: [Inst]
    /// Capturing groups (group 0, the whole match, not counted).
    let groups: Int

    /// Compiles `pattern`; it must stay within the supported syntax.
    init(_ pattern: String) {
        var c = Compiler(Array(pattern.utf8))
        c.emit(.save(0))
        c.alternation()
        precondition(c.i == c.p.count, "LegacyRegex: unsupported syntax at \(c.i) in \(pattern)")
        c.emit(.save(1))
        c.emit(.match)
        program = c.prog
        groups = c.groupCount
    }

    /// The submatches of a match: ranges of the text, nil for a group that took no part.
    struct Match {
        var slots: [Int]
        /// Group `k`'s range (0 = the whole match), nil when it did not participate.
        func range(_ k: Int) -> Range<Int>? {
            let a = slots[2 * k]
            let b = slots[2 * k + 1]
            return a < 0 || b < 0 ? nil : a..<b
        }
        /// Group `k` of the matched `text` (Go's submatch string): empty when it took no part.
        func text(_ k: Int, in text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            guard let r = range(k) else { return text[text.startIndex..<text.startIndex] }
            return text[(text.startIndex + r.lowerBound)..<(text.startIndex + r.upperBound)]
        }
    }

    /// Go's `FindStringSubmatch`: the leftmost match (the first in priority order there),
    /// or nil. Positions are offsets into `text`.
    func firstMatch(_ text: ArraySlice<UInt8>) -> Match? {
        text.withUnsafeBufferPointer { firstMatch($0) }
    }

    /// Go's `MatchString`.
    func matches(_ text: ArraySlice<UInt8>) -> Bool { firstMatch(text) != nil }

    func firstMatch(_ s: UnsafeBufferPointer<UInt8>) -> Match? {
        let n = s.count
        let width = n + 1
        let (cells, overflow) = program.count.multipliedReportingOverflow(by: width)
        precondition(!overflow)
        var visited = [UInt64](repeating: 0, count: (cells + 63) / 64)
        var slots = [Int](repeating: -1, count: 2 * (groups + 1))
        // A job: continue at (pc, pos), or (when pc < 0) put slot -pc-1 back to pos.
        var stack: [(pc: Int, pos: Int)] = []
        let anchored: Bool = {
            if case .atStart = program[1] { return true }
            return false
        }()
        for start in 0...n {
            if anchored && start > 0 { break }
            stack.append((0, start))
            while let job = stack.popLast() {
                if job.pc < 0 {
                    slots[-job.pc - 1] = job.pos
                    continue
                }
                var pc = job.pc
                var pos = job.pos
                step: while true {
                    let cell = pc * width + pos
                    if visited[cell >> 6] & (1 << UInt64(cell & 63)) != 0 { break step }
                    visited[cell >> 6] |= 1 << UInt64(cell & 63)
                    switch program[pc] {
                    case .byte(let set):
                        guard pos < n, set.contains(s[pos]) else { break step }
                        pc += 1
                        pos += 1
                    case .split(let a, let b):
                        stack.append((b, pos))
                        pc = a
                    case .jump(let a):
                        pc = a
                    case .save(let k):
                        stack.append((-k - 1, slots[k]))
                        slots[k] = pos
                        pc += 1
                    case .atStart:
                        guard pos == 0 else { break step }
                        pc += 1
                    case .atEnd:
                        guard pos == n else { break step }
                        pc += 1
                    case .match:
                        return Match(slots: slots)
                    }
                }
            }
        }
        return nil
    }

    /// Recursive descent over the pattern, emitting Thompson-style instructions.
    struct Compiler {
        let p: [UInt8]
        var i = 0
        var prog: [Inst] = []
        var groupCount = 0

        init(_ p: [UInt8]) { self.p = p }

        mutating func emit(_ inst: Inst) { prog.append(inst) }

        var atEnd: Bool { i >= p.count }

        mutating func alternation() {
            let start = prog.count
            concatenation()
            guard !atEnd, p[i] == UInt8(ascii: "|") else { return }
            i += 1
            // split(first, second) in front of the first branch; the first jumps past the second.
            let first = Array(prog[start...])
            prog.removeSubrange(start...)
            emit(.split(start + 1, 0))
            shift(first, by: 1, appendingAt: start + 1)
            let jumpAt = prog.count
            emit(.jump(0))
            let second = prog.count
            alternation()
            prog[start] = .split(start + 1, second)
            prog[jumpAt] = .jump(prog.count)
        }

        /// Appends `insts` (compiled at `at - by`) with their targets moved by `by`.
        mutating func shift(_ insts: [Inst], by: Int, appendingAt at: Int) {
            for inst in insts {
                switch inst {
                case .split(let a, let b): emit(.split(a + by, b + by))
                case .jump(let a): emit(.jump(a + by))
                default: emit(inst)
                }
            }
        }

        mutating func concatenation() {
            while !atEnd && p[i] != UInt8(ascii: "|") && p[i] != UInt8(ascii: ")") {
                repetition()
            }
        }

        mutating func repetition() {
            let start = prog.count
            atom()
            guard !atEnd else { return }
            let q = p[i]
            guard q == UInt8(ascii: "*") || q == UInt8(ascii: "+") || q == UInt8(ascii: "?") else { return }
            i += 1
            precondition(atEnd || (p[i] != UInt8(ascii: "?") && p[i] != UInt8(ascii: "*") && p[i] != UInt8(ascii: "+")))
            let body = Array(prog[start...])
            prog.removeSubrange(start...)
            switch q {
            case UInt8(ascii: "*"):
                // L: split(L+1, out); body; jump L; out:
                emit(.split(start + 1, 0))
                shift(body, by: 1, appendingAt: start + 1)
                emit(.jump(start))
                prog[start] = .split(start + 1, prog.count)
            case UInt8(ascii: "+"):
                // L: body; split(L, out); out:
                shift(body, by: 0, appendingAt: start)
                emit(.split(start, prog.count + 1))
            default:
                // split(L+1, out); body; out:
                emit(.split(start + 1, 0))
                shift(body, by: 1, appendingAt: start + 1)
                prog[start] = .split(start + 1, prog.count)
            }
        }

        mutating func atom() {
            let c = p[i]
            i += 1
            switch c {
            case UInt8(ascii: "("):
                var capture = true
                if i + 1 < p.count && p[i] == UInt8(ascii: "?") && p[i + 1] == UInt8(ascii: ":") {
                    capture = false
                    i += 2
                }
                var k = 0
                if capture {
                    groupCount += 1
                    k = groupCount
                    emit(.save(2 * k))
                }
                alternation()
                precondition(!atEnd && p[i] == UInt8(ascii: ")"), "LegacyRegex: unclosed group")
                i += 1
                if capture { emit(.save(2 * k + 1)) }
            case UInt8(ascii: "["):
                emit(.byte(bracket()))
            case UInt8(ascii: "."):
                emit(.byte(.dot))
            case UInt8(ascii: "^"):
                emit(.atStart)
            case UInt8(ascii: "$"):
                emit(.atEnd)
            case UInt8(ascii: "\\"):
                let e = p[i]
                i += 1
                switch e {
                case UInt8(ascii: "A"): emit(.atStart)
                case UInt8(ascii: "z"): emit(.atEnd)
                default: emit(.byte(escape(e)))
                }
            default:
                var s = ByteSet()
                s.insert(c)
                emit(.byte(s))
            }
        }

        func escape(_ e: UInt8) -> ByteSet {
            switch e {
            case UInt8(ascii: "s"): return .space
            case UInt8(ascii: "S"): return ByteSet.space.inverted
            case UInt8(ascii: "d"): return .digit
            case UInt8(ascii: "D"): return ByteSet.digit.inverted
            case UInt8(ascii: "w"): return .word
            case UInt8(ascii: "W"): return ByteSet.word.inverted
            default:
                precondition(!(e >= 0x30 && e <= 0x39) && !(e >= 0x41 && e <= 0x5A) && !(e >= 0x61 && e <= 0x7A))
                var s = ByteSet()
                s.insert(e)
                return s
            }
        }

        mutating func bracket() -> ByteSet {
            var set = ByteSet()
            var negate = false
            if i < p.count && p[i] == UInt8(ascii: "^") {
                negate = true
                i += 1
            }
            var first = true
            while i < p.count && (p[i] != UInt8(ascii: "]") || first) {
                first = false
                if p[i] == UInt8(ascii: "["), i + 1 < p.count, p[i + 1] == UInt8(ascii: ":") {
                    let rest = p[(i + 2)...]
                    let end = rest.firstIndex(of: UInt8(ascii: ":"))!
                    let name = String(decoding: p[(i + 2)..<end], as: UTF8.self)
                    switch name {
                    case "xdigit": set.formUnion(.xdigit)
                    case "digit": set.formUnion(.digit)
                    default: preconditionFailure("LegacyRegex: class [:\(name):]")
                    }
                    i = end + 2  // past ":]"
                    continue
                }
                var lo: ByteSet
                var single: UInt8? = nil
                if p[i] == UInt8(ascii: "\\") {
                    lo = escape(p[i + 1])
                    let e = p[i + 1]
                    if !"sSdDwW".utf8.contains(e) { single = e }
                    i += 2
                } else {
                    single = p[i]
                    lo = ByteSet()
                    lo.insert(p[i])
                    i += 1
                }
                if let a = single, i + 1 < p.count, p[i] == UInt8(ascii: "-"), p[i + 1] != UInt8(ascii: "]") {
                    var b = p[i + 1]
                    i += 2
                    if b == UInt8(ascii: "\\") {
                        b = p[i]
                        i += 1
                    }
                    set.insert(a, b)
                } else {
                    set.formUnion(lo)
                }
            }
            precondition(i < p.count, "LegacyRegex: unclosed class")
            i += 1
            return negate ? set.inverted : set
        }
    }
}
