/// A parsed regular expression (Go's `regexp/syntax` tree, without capture numbers: the
/// engine answers only whether a pattern matches).
indirect enum RegexNode: Equatable, Sendable {
    case emptyMatch
    case noMatch
    /// A run of characters; `fold` under `(?i)`.
    case literal([UInt32], fold: Bool)
    /// A clean range list (`RegexClasses`).
    case charClass([UInt32])
    case anyChar
    case anyCharNotNL
    case beginLine
    case endLine
    case beginText
    case endText
    case wordBoundary
    case noWordBoundary
    case capture(RegexNode)
    case concat([RegexNode])
    case alternate([RegexNode])
    case star(RegexNode)
    case plus(RegexNode)
    case quest(RegexNode)
    /// `x{min,max}`; max -1 for `x{min,}`.
    case repeated(RegexNode, min: Int, max: Int)
}

/// A pattern Go's `regexp` would refuse, with Go's wording
/// ("error parsing regexp: missing closing ): `(`").
public struct RegexError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Go's `syntax.ErrorCode` texts.
    enum Code: String, Sendable {
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
        case large = "expression too large"
        /// Not Go's: a script Go 1.27 knows and Swift's tables do not (see `RegexClasses`).
        case unsupportedScript = "Unicode script not supported here (new in Unicode 17.0)"
    }
    let code: Code
    /// The offending part of the pattern.
    let expr: String

    /// Go's `*syntax.Error` text.
    public var description: String { "error parsing regexp: \(code.rawValue): `\(expr)`" }
}

/// Go's `regexp/syntax` parser with the `Perl` flags `regexp.Compile` uses: the same
/// syntax, the same errors (code and offending text), the same limits (repeat counts up to
/// 1000, nesting 1000 deep, programs of 3.3 M instructions). It works on the scalars of a
/// Swift string, so Go's "invalid UTF-8" cannot arise.
struct RegexParser {
    struct Flags: Equatable {
        var fold = false
        var dotNL = false
        var oneLine = true
        var nonGreedy = false
    }

    /// Parse-stack entries: parsed pieces with their tree height and compiled size
    /// (tracked for Go's limits), and the pseudo-entries `(` and `|`.
    enum Item {
        case node(RegexNode, height: Int, size: Int64)
        case leftParen(Flags, capture: Bool)
        case bar
    }

    static let maxHeight = 1000
    static let maxSize: Int64 = (128 << 20) / 40
    static let maxRunes = (128 << 20) / 4

    let s: [UInt32]
    var stack: [Item] = []
    var flags = Flags()
    var numRunes = 0

    /// Parses `pattern` as Go's `regexp.Compile` does.
    static func parse(_ pattern: String) throws(RegexError) -> RegexNode {
        var p = RegexParser(s: pattern.unicodeScalars.map(\.value))
        return try p.run()
    }

    func text(_ a: Int, _ b: Int) -> String {
        var v = String.UnicodeScalarView()
        for c in s[a..<min(b, s.count)] { v.append(Unicode.Scalar(c)!) }
        return String(v)
    }

    var whole: String { text(0, s.count) }

    func fail(_ code: RegexError.Code, _ a: Int, _ b: Int) -> RegexError {
        RegexError(code: code, expr: text(a, b))
    }

    mutating func run() throws(RegexError) -> RegexNode {
        var t = 0
        var lastRepeat: Int? = nil
        while t < s.count {
            var repeatStart: Int? = nil
            let c = s[t]
            switch c {
            case 0x28:  // (
                if t + 1 < s.count && s[t + 1] == 0x3F {
                    t = try parsePerlFlags(t)
                } else {
                    stack.append(.leftParen(flags, capture: true))
                    t += 1
                }
            case 0x7C:  // |
                try concat()
                if !swapBar() { stack.append(.bar) }
                t += 1
            case 0x29:  // )
                try parseRightParen()
                t += 1
            case 0x5E:  // ^
                try push(flags.oneLine ? .beginText : .beginLine)
                t += 1
            case 0x24:  // $
                try push(flags.oneLine ? .endText : .endLine)
                t += 1
            case 0x2E:  // .
                try push(flags.dotNL ? .anyChar : .anyCharNotNL)
                t += 1
            case 0x5B:  // [
                t = try parseClass(t)
            case 0x2A, 0x2B, 0x3F:  // * + ?
                let kind: RepeatKind = c == 0x2A ? .star : c == 0x2B ? .plus : .quest
                repeatStart = t
                t = try repeatOp(kind, before: t, after: t + 1, lastRepeat: lastRepeat)
            case 0x7B:  // {
                if let (lo, hi, after) = parseRepeat(t) {
                    if lo < 0 || lo > 1000 || hi > 1000 || (hi >= 0 && lo > hi) {
                        throw fail(.invalidRepeatSize, t, after)
                    }
                    repeatStart = t
                    t = try repeatOp(.counted(lo, hi), before: t, after: after, lastRepeat: lastRepeat)
                } else {
                    try literal(c)  // not a repeat: a literal {
                    t += 1
                }
            case 0x5C:  // backslash
                t = try parseBackslash(t)
            default:
                try literal(c)
                t += 1
            }
            lastRepeat = repeatStart
        }
        try concat()
        if swapBar() { stack.removeLast() }
        try alternate()
        guard stack.count == 1, case .node(let n, _, _) = stack[0] else {
            throw RegexError(code: .missingParen, expr: whole)
        }
        return n
    }

    // MARK: The stack

    /// Pushes a piece, checking Go's limits (its `push` and `checkLimits`).
    mutating func push(_ node: RegexNode, height: Int = 1, size: Int64 = 1) throws(RegexError) {
        var node = node
        switch node {
        case .charClass(let r):
            numRunes += r.count
            if r.count == 2 && r[0] == r[1] { node = .literal([r[0]], fold: false) }
        case .literal(let r, _): numRunes += r.count
        default: break
        }
        if numRunes > Self.maxRunes || size > Self.maxSize { throw RegexError(code: .large, expr: whole) }
        if height > Self.maxHeight { throw RegexError(code: .nestingDepth, expr: whole) }
        stack.append(.node(node, height: height, size: max(1, size)))
    }

    mutating func literal(_ c: UInt32) throws(RegexError) {
        try push(.literal([c], fold: flags.fold && RegexClasses.folding.orbit(c) != nil))
    }

    /// The pieces above the topmost `(` or `|`, removed from the stack.
    mutating func popPieces() -> [(RegexNode, Int, Int64)] {
        var i = stack.count
        while i > 0, case .node = stack[i - 1] { i -= 1 }
        let out: [(RegexNode, Int, Int64)] = stack[i...].map {
            guard case .node(let n, let h, let z) = $0 else { fatalError("unreachable: only nodes above i") }
            return (n, h, z)
        }
        stack.removeSubrange(i...)
        return out
    }

    /// Replaces the pieces above the topmost `(` or `|` with their concatenation.
    mutating func concat() throws(RegexError) {
        let subs = popPieces()
        if subs.isEmpty { return try push(.emptyMatch) }
        if subs.count == 1 { return try push(subs[0].0, height: subs[0].1, size: subs[0].2) }
        var parts: [RegexNode] = []
        var height = 0
        var size: Int64 = 0
        for (n, h, z) in subs {
            size += z
            if case .concat(let inner) = n {
                parts += inner
                height = max(height, h - 1)
            } else {
                parts.append(n)
                height = max(height, h)
            }
        }
        // Adjacent literals with the same case flag become one (Go's maybeConcat).
        var merged: [RegexNode] = []
        for n in parts {
            if case .literal(let b, let fb) = n, case .literal(let a, let fa)? = merged.last, fa == fb {
                merged[merged.count - 1] = .literal(a + b, fold: fa)
            } else {
                merged.append(n)
            }
        }
        if merged.count == 1 { return try push(merged[0], height: 1, size: size) }
        try push(.concat(merged), height: height + 1, size: size)
    }

    /// Replaces the pieces above the topmost `(` with their alternation.
    mutating func alternate() throws(RegexError) {
        let subs = popPieces()
        if subs.isEmpty { return try push(.noMatch) }
        if subs.count == 1 { return try push(subs[0].0, height: subs[0].1, size: subs[0].2) }
        var parts: [RegexNode] = []
        var height = 0
        var size: Int64 = Int64(subs.count - 1)
        for (n, h, z) in subs {
            size += z
            if case .alternate(let inner) = n {
                parts += inner
                height = max(height, h - 1)
            } else {
                parts.append(n)
                height = max(height, h)
            }
        }
        try push(.alternate(parts), height: height + 1, size: size)
    }

    /// With a piece above a `|`, swaps them (alternatives collect below the one `|`).
    mutating func swapBar() -> Bool {
        let n = stack.count
        guard n >= 2, case .bar = stack[n - 2], case .node = stack[n - 1] else { return false }
        stack.swapAt(n - 1, n - 2)
        return true
    }

    mutating func parseRightParen() throws(RegexError) {
        try concat()
        if swapBar() { stack.removeLast() }
        try alternate()
        let n = stack.count
        guard n >= 2, case .node(let node, let h, let z) = stack[n - 1],
            case .leftParen(let saved, let capture) = stack[n - 2]
        else { throw RegexError(code: .unexpectedParen, expr: whole) }
        stack.removeLast(2)
        flags = saved
        if capture {
            try push(.capture(node), height: h + 1, size: z + 2)
        } else {
            try push(node, height: h, size: z)
        }
    }

    // MARK: Repetition

    enum RepeatKind {
        case star, plus, quest
        case counted(Int, Int)
    }

    /// Applies a repetition operator to the top piece; returns where parsing goes on.
    mutating func repeatOp(_ kind: RepeatKind, before: Int, after: Int, lastRepeat: Int?) throws(RegexError) -> Int {
        var after = after
        if after < s.count && s[after] == 0x3F { after += 1 }  // non-greedy: the same answer
        if let lastRepeat { throw fail(.invalidRepeatOp, lastRepeat, after) }
        guard case .node(let sub, let h, let z)? = stack.last else {
            throw fail(.missingRepeatArgument, before, after)
        }
        stack.removeLast()
        let node: RegexNode
        var size: Int64
        switch kind {
        case .star:
            node = .star(sub)
            size = 2 + z
        case .plus:
            node = .plus(sub)
            size = 1 + z
        case .quest:
            node = .quest(sub)
            size = 1 + z
        case .counted(let lo, let hi):
            node = .repeated(sub, min: lo, max: hi)
            if hi == -1 {
                size = lo == 0 ? 2 + z : 1 + Int64(lo) * z
            } else {
                size = Int64(hi) * z + Int64(hi - lo)
            }
        }
        try push(node, height: h + 1, size: size)
        if case .counted(let lo, let hi) = kind, lo >= 2 || hi >= 2, !Self.repeatIsValid(node, 1000) {
            throw fail(.invalidRepeatSize, before, after)
        }
        return after
    }

    /// Whether nested counted repetitions stay within `n` copies of the innermost piece.
    static func repeatIsValid(_ node: RegexNode, _ n: Int) -> Bool {
        var n = n
        switch node {
        case .repeated(let sub, let lo, let hi):
            let m = hi < 0 ? lo : hi
            if hi == 0 { return true }
            if m > n { return false }
            if m > 0 { n /= m }
            return repeatIsValid(sub, n)
        case .capture(let sub), .star(let sub), .plus(let sub), .quest(let sub):
            return repeatIsValid(sub, n)
        case .concat(let subs), .alternate(let subs):
            return subs.allSatisfy { repeatIsValid($0, n) }
        default:
            return true
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at `t`: (min, max, index after `}`); min -1 when a
    /// number is too big. Nil when the text is not a repeat (then `{` is a literal).
    func parseRepeat(_ t: Int) -> (Int, Int, Int)? {
        var i = t + 1
        guard let (lo, a) = parseInt(i) else { return nil }
        i = a
        var min = lo
        let max: Int
        guard i < s.count else { return nil }
        if s[i] != 0x2C {
            max = min
        } else {
            i += 1
            guard i < s.count else { return nil }
            if s[i] == 0x7D {
                max = -1
            } else {
                guard let (hi, b) = parseInt(i) else { return nil }
                i = b
                max = hi
                if hi < 0 { min = -1 }
            }
        }
        guard i < s.count, s[i] == 0x7D else { return nil }
        return (min, max, i + 1)
    }

    /// A decimal number without leading zeros; -1 when 10^8 or more.
    func parseInt(_ t: Int) -> (Int, Int)? {
        func digit(_ k: Int) -> Bool { k < s.count && s[k] >= 0x30 && s[k] <= 0x39 }
        guard digit(t) else { return nil }
        if s[t] == 0x30 && digit(t + 1) { return nil }
        var i = t
        var n = 0
        while digit(i) {
            if n >= 100_000_000 {
                n = -1
            } else if n >= 0 {
                n = n * 10 + Int(s[i] - 0x30)
            }
            i += 1
        }
        return (n, i)
    }

    // MARK: Groups and flags

    /// `(?…`: a named group, a flag change `(?i)` or a group with flags `(?i:`.
    mutating func parsePerlFlags(_ t: Int) throws(RegexError) -> Int {
        let left = s.count - t
        let startsWithP = left > 4 && s[t + 2] == 0x50 && s[t + 3] == 0x3C  // (?P<
        let startsWithName = left > 3 && s[t + 2] == 0x3C  // (?<
        if startsWithP || startsWithName {
            let nameStart = t + (startsWithP ? 4 : 3)
            guard let end = s[t...].firstIndex(of: 0x3E) else { throw fail(.invalidNamedCapture, t, s.count) }
            let name = s[nameStart..<end]
            if name.isEmpty || !name.allSatisfy({ $0 == 0x5F || isAlnum($0) }) {
                throw fail(.invalidNamedCapture, t, end + 1)
            }
            stack.append(.leftParen(flags, capture: true))
            return end + 1
        }
        var i = t + 2
        var f = flags
        var negative = false
        var sawFlag = false
        loop: while i < s.count {
            let c = s[i]
            i += 1
            switch c {
            case 0x69:  // i
                f.fold = !negative
                sawFlag = true
            case 0x6D:  // m
                f.oneLine = negative
                sawFlag = true
            case 0x73:  // s
                f.dotNL = !negative
                sawFlag = true
            case 0x55:  // U
                f.nonGreedy = !negative
                sawFlag = true
            case 0x2D:  // -
                if negative { break loop }
                negative = true
                sawFlag = false
            case 0x3A, 0x29:  // : )
                if negative && !sawFlag { break loop }
                if c == 0x3A { stack.append(.leftParen(flags, capture: false)) }
                flags = f
                return i
            default:
                break loop
            }
        }
        throw fail(.invalidPerlOp, t, i)
    }

    func isAlnum(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    // MARK: Escapes

    mutating func parseBackslash(_ t: Int) throws(RegexError) -> Int {
        if t + 1 < s.count {
            switch s[t + 1] {
            case 0x41:  // \A
                try push(.beginText)
                return t + 2
            case 0x62:  // \b
                try push(.wordBoundary)
                return t + 2
            case 0x42:  // \B
                try push(.noWordBoundary)
                return t + 2
            case 0x43:  // \C (any byte): not supported
                throw fail(.invalidEscape, t, t + 2)
            case 0x51:  // \Q…\E
                var j = t + 2
                while j < s.count && !(s[j] == 0x5C && j + 1 < s.count && s[j + 1] == 0x45) { j += 1 }
                for c in s[(t + 2)..<j] { try literal(c) }
                return min(j + 2, s.count)
            case 0x7A:  // \z
                try push(.endText)
                return t + 2
            default: break
            }
        }
        if let (set, next) = try parseUnicodeClass(t) {
            try push(.charClass(set))
            return next
        }
        if let (set, next) = perlClass(t) {
            try push(.charClass(RegexClasses.clean(set)))
            return next
        }
        let (c, next) = try parseEscape(t)
        try literal(c)
        return next
    }

    /// One escaped character at `t` (the backslash): octal, hex, C escapes, punctuation.
    func parseEscape(_ t: Int) throws(RegexError) -> (UInt32, Int) {
        var i = t + 1
        guard i < s.count else { throw RegexError(code: .trailingBackslash, expr: "") }
        let c = s[i]
        i += 1
        func octal(_ k: Int) -> Bool { k < s.count && s[k] >= 0x30 && s[k] <= 0x37 }
        switch c {
        case 0x30...0x37:
            // \1…\7 alone would be a backreference: not supported.
            if c != 0x30 && !octal(i) { break }
            var r = c - 0x30
            for _ in 1..<3 where octal(i) {
                r = r * 8 + s[i] - 0x30
                i += 1
            }
            return (r, i)
        case 0x78:  // x
            guard i < s.count else { break }
            let c1 = s[i]
            i += 1
            if c1 == 0x7B {
                var n = 0
                var r: UInt32 = 0
                while true {
                    guard i < s.count else { throw fail(.invalidEscape, t, i) }
                    let d = s[i]
                    i += 1
                    if d == 0x7D { break }
                    guard let v = Self.unhex(d) else { throw fail(.invalidEscape, t, i) }
                    r = r * 16 + v
                    if r > RegexClasses.maxRune { throw fail(.invalidEscape, t, i) }
                    n += 1
                }
                if n == 0 { break }
                return (r, i)
            }
            let x = Self.unhex(c1)
            var y: UInt32? = nil
            if i < s.count {
                y = Self.unhex(s[i])
                i += 1
            }
            guard let x, let y else { break }
            return (x * 16 + y, i)
        case 0x61: return (0x07, i)  // \a
        case 0x66: return (0x0C, i)  // \f
        case 0x6E: return (0x0A, i)  // \n
        case 0x72: return (0x0D, i)  // \r
        case 0x74: return (0x09, i)  // \t
        case 0x76: return (0x0B, i)  // \v
        default:
            // Escaped ASCII punctuation (and space, controls) stands for itself.
            if c < 0x80 && !isAlnum(c) { return (c, i) }
        }
        throw fail(.invalidEscape, t, i)
    }

    static func unhex(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// `\d` and friends at `t`, fold-aware: (the set, unclean; index after).
    func perlClass(_ t: Int) -> ([UInt32], Int)? {
        guard t + 1 < s.count, s[t] == 0x5C, let u = Unicode.Scalar(s[t + 1]),
            let g = RegexClasses.perl(Character(u))
        else { return nil }
        return (group(g.set, negated: g.negated), t + 2)
    }

    /// A Perl or POSIX class, folded under `(?i)` before it is negated (Go's appendGroup).
    func group(_ set: [UInt32], negated: Bool) -> [UInt32] {
        let base = flags.fold ? RegexClasses.folded(set) : set
        return negated ? RegexClasses.negate(base) : base
    }

    /// `\pN`, `\p{Name}`, `\PN`, `\P{^Name}` at `t`; nil when `t` is no `\p`/`\P`.
    func parseUnicodeClass(_ t: Int) throws(RegexError) -> ([UInt32], Int)? {
        guard t + 1 < s.count, s[t] == 0x5C, s[t + 1] == 0x70 || s[t + 1] == 0x50 else { return nil }
        var negated = s[t + 1] == 0x50
        var nameRange: Range<Int>
        let next: Int
        if t + 2 < s.count && s[t + 2] == 0x7B {
            guard let end = s[t...].firstIndex(of: 0x7D) else { throw fail(.invalidCharRange, t, s.count) }
            nameRange = (t + 3)..<end
            next = end + 1
        } else {
            next = min(t + 3, s.count)
            nameRange = (t + 2)..<next
        }
        if !nameRange.isEmpty && s[nameRange.lowerBound] == 0x5E {  // \p{^Greek}
            negated.toggle()
            nameRange = (nameRange.lowerBound + 1)..<nameRange.upperBound
        }
        switch RegexClasses.unicodeClass(text(nameRange.lowerBound, nameRange.upperBound)) {
        case nil:
            throw fail(.invalidCharRange, t, next)
        case .unsupportedScript?:
            throw fail(.unsupportedScript, t, next)
        case .set(var set, let inverted)?:
            if inverted { negated.toggle() }
            if flags.fold { set = RegexClasses.folded(set) }
            return (negated ? RegexClasses.negate(set) : set, next)
        }
    }

    // MARK: Character classes

    /// `[…]` at `t`: pushes the class and returns the index after `]`.
    mutating func parseClass(_ start: Int) throws(RegexError) -> Int {
        var t = start + 1
        var negated = false
        if t < s.count && s[t] == 0x5E {
            negated = true
            t += 1
        }
        var set: [UInt32] = []
        var first = true  // ] is a literal as the first character
        while t >= s.count || s[t] != 0x5D || first {
            first = false
            // [:alpha:]
            if s.count - t > 2 && s[t] == 0x5B && s[t + 1] == 0x3A,
                let colon = Self.find([0x3A, 0x5D], in: s, from: t + 2)
            {
                let name = text(t, colon + 2)
                guard let g = RegexClasses.posix(text(t + 2, colon)) else {
                    throw RegexError(code: .invalidCharRange, expr: name)
                }
                set += group(g.set, negated: g.negated)
                t = colon + 2
                continue
            }
            if let (u, next) = try parseUnicodeClass(t) {
                set += u
                t = next
                continue
            }
            if let (p, next) = perlClass(t) {
                set += p
                t = next
                continue
            }
            let rangeStart = t
            let lo: UInt32
            (lo, t) = try classChar(t, start)
            var hi = lo
            if s.count - t >= 2 && s[t] == 0x2D && s[t + 1] != 0x5D {
                (hi, t) = try classChar(t + 1, start)
                if hi < lo { throw fail(.invalidCharRange, rangeStart, t) }
            }
            if flags.fold {
                RegexClasses.appendFolded(&set, lo, hi)
            } else {
                set += [lo, hi]
            }
        }
        set = RegexClasses.clean(set)
        try push(.charClass(negated ? RegexClasses.negate(set) : set))
        return t + 1
    }

    func classChar(_ t: Int, _ classStart: Int) throws(RegexError) -> (UInt32, Int) {
        guard t < s.count else { throw fail(.missingBracket, classStart, s.count) }
        if s[t] == 0x5C { return try parseEscape(t) }
        return (s[t], t + 1)
    }

    static func find(_ needle: [UInt32], in s: [UInt32], from: Int) -> Int? {
        var i = from
        while i + needle.count <= s.count {
            if s[i] == needle[0] && s[i + 1] == needle[1] { return i }
            i += 1
        }
        return nil
    }
}
