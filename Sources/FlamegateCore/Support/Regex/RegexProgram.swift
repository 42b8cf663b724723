/// A parsed regex compiled to a Thompson NFA: instructions that consume one character
/// from a set, split, test an empty-width assertion, or accept. Repetitions are expanded
/// (`x{2,4}` → `xx(x(x)?)?`); greedy and non-greedy forms compile alike, since only
/// "does it match" is asked. Also holds what the matcher's fast paths need: the literal
/// strings every match contains, and whether matches can only start at the text's start.
struct RegexProgram: Sendable {
    enum Op: UInt8, Sendable {
        /// Consume a character in `sets[x]`, go to `y`.
        case set
        /// Go to `x` and to `y`.
        case split
        /// Go to `y` when the assertions in the bit set `x` hold here.
        case assert
        case match
        case fail
    }

    /// Assertion bits (`Op.assert`'s `x`).
    enum Assertion {
        static let beginLine: UInt8 = 1
        static let endLine: UInt8 = 2
        static let beginText: UInt8 = 4
        static let endText: UInt8 = 8
        static let wordBoundary: UInt8 = 16
        static let noWordBoundary: UInt8 = 32
    }

    var op: [Op] = []
    var x: [Int32] = []
    var y: [Int32] = []
    /// The character sets the `set` instructions consume (clean range lists).
    var sets: [[UInt32]] = []
    var start: Int32 = 0
    /// Every match begins at the start of the text (`^foo` without `(?m)`, `\Afoo`).
    var anchoredStart = false
    var setIndex: [[UInt32]: Int32] = [:]

    init(_ root: RegexNode) {
        let accept = emit(.match, 0, 0)
        start = compile(root, accept)
        anchoredStart = Self.anchoredStart(root)
        setIndex = [:]
    }

    mutating func emit(_ o: Op, _ a: Int32, _ b: Int32) -> Int32 {
        op.append(o)
        x.append(a)
        y.append(b)
        return Int32(op.count - 1)
    }

    mutating func emitSet(_ set: [UInt32], _ next: Int32) -> Int32 {
        if set.isEmpty { return emit(.fail, 0, 0) }
        let k: Int32
        if let existing = setIndex[set] {
            k = existing
        } else {
            k = Int32(sets.count)
            sets.append(set)
            setIndex[set] = k
        }
        return emit(.set, k, next)
    }

    /// Compiles `n` so that it continues at `next`; returns its entry.
    mutating func compile(_ n: RegexNode, _ next: Int32) -> Int32 {
        switch n {
        case .emptyMatch: return next
        case .noMatch: return emit(.fail, 0, 0)
        case .literal(let runes, let fold):
            var t = next
            for c in runes.reversed() {
                t = emitSet(fold ? (RegexClasses.folding.orbit(c).map(Self.ranges) ?? [c, c]) : [c, c], t)
            }
            return t
        case .charClass(let set): return emitSet(set, next)
        case .anyChar: return emitSet([0, RegexClasses.maxRune], next)
        case .anyCharNotNL: return emitSet([0, 0x09, 0x0B, RegexClasses.maxRune], next)
        case .beginLine: return emit(.assert, Int32(Assertion.beginLine), next)
        case .endLine: return emit(.assert, Int32(Assertion.endLine), next)
        case .beginText: return emit(.assert, Int32(Assertion.beginText), next)
        case .endText: return emit(.assert, Int32(Assertion.endText), next)
        case .wordBoundary: return emit(.assert, Int32(Assertion.wordBoundary), next)
        case .noWordBoundary: return emit(.assert, Int32(Assertion.noWordBoundary), next)
        case .capture(let sub): return compile(sub, next)
        case .concat(let subs):
            var t = next
            for sub in subs.reversed() { t = compile(sub, t) }
            return t
        case .alternate(let subs):
            var t = compile(subs[subs.count - 1], next)
            for sub in subs.dropLast().reversed() { t = emit(.split, compile(sub, next), t) }
            return t
        case .star(let sub): return loop(sub, next, atLeastOnce: false)
        case .plus(let sub): return loop(sub, next, atLeastOnce: true)
        case .quest(let sub): return emit(.split, compile(sub, next), next)
        case .repeated(let sub, let lo, let hi):
            var t = next
            if hi < 0 {
                if lo == 0 { return loop(sub, next, atLeastOnce: false) }
                t = loop(sub, next, atLeastOnce: true)
                for _ in 1..<lo { t = compile(sub, t) }
                return t
            }
            for _ in 0..<(hi - lo) { t = emit(.split, compile(sub, t), next) }
            for _ in 0..<lo { t = compile(sub, t) }
            return t
        }
    }

    /// `sub*` or `sub+`: a split that loops back through `sub`.
    mutating func loop(_ sub: RegexNode, _ next: Int32, atLeastOnce: Bool) -> Int32 {
        let l = emit(.split, 0, next)
        let body = compile(sub, l)
        x[Int(l)] = body
        return atLeastOnce ? body : l
    }

    /// A sorted character list as a range list.
    static func ranges(_ chars: [UInt32]) -> [UInt32] {
        RegexClasses.clean(chars.flatMap { [$0, $0] })
    }

    // MARK: Analysis for the fast paths

    /// Whether every match must begin at the start of the text.
    static func anchoredStart(_ n: RegexNode) -> Bool {
        switch n {
        case .beginText: return true
        case .concat(let subs): return subs.first.map(anchoredStart) ?? false
        case .alternate(let subs): return subs.allSatisfy(anchoredStart)
        case .capture(let sub), .plus(let sub): return anchoredStart(sub)
        case .repeated(let sub, let lo, _): return lo >= 1 && anchoredStart(sub)
        default: return false
        }
    }

    static let maxLiterals = 16

    /// Strings such that the pattern matches exactly when the text contains one of them
    /// (a case-sensitive literal, or an alternation of them); nil otherwise.
    static func exactLiterals(_ n: RegexNode) -> [[UInt32]]? {
        switch n {
        case .emptyMatch: return [[]]
        case .literal(let r, false): return [r]
        case .charClass(let set):
            // A small class is an alternation of single characters ([ab], a|b).
            var out: [[UInt32]] = []
            var i = 0
            while i < set.count {
                guard set[i + 1] - set[i] < UInt32(maxLiterals), out.count <= maxLiterals else { return nil }
                for c in set[i]...set[i + 1] { out.append([c]) }
                i += 2
            }
            return out.count <= maxLiterals ? out : nil
        case .capture(let sub): return exactLiterals(sub)
        case .alternate(let subs):
            var out: [[UInt32]] = []
            for sub in subs {
                guard let l = exactLiterals(sub) else { return nil }
                out += l
            }
            return out.count <= maxLiterals ? out : nil
        case .concat(let subs):
            var out: [[UInt32]] = [[]]
            for sub in subs {
                guard let l = exactLiterals(sub), out.count * l.count <= maxLiterals else { return nil }
                out = out.flatMap { a in l.map { a + $0 } }
            }
            return out
        default: return nil
        }
    }

    /// Strings of which every match contains at least one (nil: no such list known).
    static func requiredLiterals(_ n: RegexNode) -> [[UInt32]]? {
        let found: [[UInt32]]?
        switch n {
        case .literal(let r, false): found = [r]
        case .capture(let sub), .plus(let sub): found = requiredLiterals(sub)
        case .repeated(let sub, let lo, _): found = lo >= 1 ? requiredLiterals(sub) : nil
        case .alternate(let subs):
            var out: [[UInt32]] = []
            for sub in subs {
                guard let l = requiredLiterals(sub) else { return nil }
                out += l
            }
            found = out.count <= maxLiterals ? out : nil
        case .concat(let subs):
            // The child whose shortest string is longest filters best.
            var best: [[UInt32]]? = nil
            for sub in subs {
                guard let l = requiredLiterals(sub) ?? exactLiterals(sub) else { continue }
                if l.contains(where: \.isEmpty) { continue }
                if best == nil || l.map(\.count).min()! > best!.map(\.count).min()! { best = l }
            }
            found = best
        default: found = exactLiterals(n)
        }
        guard let found, !found.isEmpty, !found.contains(where: \.isEmpty) else { return nil }
        return found
    }

    /// `^literal…` (without `(?m)`): the literal every match starts the text with, and
    /// whether the pattern is exactly `^literal` or `^literal$`.
    static func anchoredLiteral(_ n: RegexNode) -> (prefix: [UInt32], rest: AnchoredRest)? {
        guard case .concat(let subs) = n, subs.count >= 2, subs[0] == .beginText,
            case .literal(let lit, false) = subs[1]
        else { return nil }
        if subs.count == 2 { return (lit, .nothing) }
        if subs.count == 3 && subs[2] == .endText { return (lit, .endOfText) }
        return (lit, .more)
    }

    enum AnchoredRest { case nothing, endOfText, more }
}
