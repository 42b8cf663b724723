/// pprof's `ShortenFunctionName`, the name a call-graph node shows: the package path
/// goes (`net/http.(*conn).serve` → `http.(*conn).serve`), a major-version element goes
/// (`…/v2.F`), Java packages and arguments go, C++ namespaces before the class go.
///
/// pprof does this with four regular expressions; they are matched here by hand, with
/// Go's regexp semantics (leftmost-first, `\w` ASCII, `.` not matching a newline).
public enum ShortFunctionName {
    /// The shortened name.
    public static func of(_ name: String) -> String {
        var s = Array(name.utf8)
        let anonymous = Array("(anonymous namespace)::".utf8)
        if s.starts(with: anonymous) { s.removeFirst(anonymous.count) }
        dropMajorVersion(&s)
        for match in [goName, javaName, cppName] {
            if let r = match(s) { return String(decoding: s[r], as: UTF8.self) }
        }
        return String(decoding: s, as: UTF8.self)
    }

    static func isWord(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
    static func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static let newline: UInt8 = 10, dot: UInt8 = 46, slash: UInt8 = 47, colon: UInt8 = 58

    /// `^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$` → `$1$2`: the first `/vN` (N ≥ 2) followed
    /// by `.` or `/` goes; the whole name must be one line.
    static func dropMajorVersion(_ s: inout [UInt8]) {
        if s.contains(newline) { return }
        var i = 0
        while i + 2 < s.count {
            defer { i += 1 }
            guard s[i] == slash && s[i + 1] == 118 else { continue }  // "/v"
            let p = i + 2
            var e = p
            while e < s.count && isDigit(s[e]) { e += 1 }
            let n = e - p
            let ok = (n == 1 && s[p] >= 50) || (n >= 2 && s[p] != 48)
            guard ok, e < s.count, s[e] == dot || s[e] == slash else { continue }
            s.removeSubrange(i..<e)
            return
        }
    }

    /// `^(?:[\w\-\.]+\/)+([^.]+\..+)`: after the longest run of `segment/` prefixes that
    /// leaves a `x.y` behind, the rest of the line.
    static func goName(_ s: [UInt8]) -> Range<Int>? {
        var starts: [Int] = []  // positions after each slash of the prefix
        var i = 0
        while true {
            var j = i
            while j < s.count && (isWord(s[j]) || s[j] == 45 || s[j] == dot) { j += 1 }
            guard j > i, j < s.count, s[j] == slash else { break }
            starts.append(j + 1)
            i = j + 1
        }
        for p in starts.reversed() {
            guard let q = s[p...].firstIndex(of: dot), q > p, q + 1 < s.count, s[q + 1] != newline else { continue }
            let end = s[(q + 1)...].firstIndex(of: newline) ?? s.count
            return p..<end
        }
        return nil
    }

    /// `^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)`:
    /// `Class.method` after lower-case package elements, before `(` or the end.
    static func javaName(_ s: [UInt8]) -> Range<Int>? {
        func isMember(_ c: UInt8) -> Bool { isWord(c) || c == 36 }
        var p = 0
        while p < s.count && isLower(s[p]) {
            var j = p + 1
            while j < s.count && isWord(s[j]) { j += 1 }
            guard j < s.count && s[j] == dot else { break }
            p = j + 1
        }
        guard p < s.count, isUpper(s[p]) else { return nil }
        var r = p + 1
        while r < s.count && isMember(s[r]) { r += 1 }
        guard r < s.count, s[r] == dot else { return nil }
        func ends(_ m: Int) -> Bool { m == s.count || s[m] == 40 }
        let m0 = r + 1
        let initName = Array("<init>".utf8)
        if s[m0...].starts(with: initName), ends(m0 + initName.count) { return p..<(m0 + initName.count) }
        guard m0 < s.count, isLower(s[m0]) else { return nil }
        var m = m0 + 1
        while m < s.count && isMember(s[m]) { m += 1 }
        return ends(m) ? p..<m : nil
    }

    /// `^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)`: `Class::method` (with
    /// template arguments) after namespace elements.
    static func cppName(_ s: [UInt8]) -> Range<Int>? {
        func isStart(_ c: UInt8) -> Bool { isLower(c) || isUpper(c) || c == 95 }
        /// The end of `[_a-zA-Z]\w*::` at `i`, if there.
        func element(_ i: Int) -> Int? {
            guard i < s.count, isStart(s[i]) else { return nil }
            var j = i + 1
            while j < s.count && isWord(s[j]) { j += 1 }
            guard j + 1 < s.count, s[j] == colon, s[j + 1] == colon else { return nil }
            return j + 2
        }
        var starts: [Int] = []
        var i = 0
        while let next = element(i) {
            starts.append(next)
            i = next
        }
        for p in starts.reversed() {
            var j = p
            while j < s.count && s[j] == 95 { j += 1 }
            guard j < s.count, isUpper(s[j]) else { continue }
            j += 1
            while j < s.count && isWord(s[j]) { j += 1 }
            guard j + 1 < s.count, s[j] == colon, s[j + 1] == colon else { continue }
            j += 2
            if j < s.count && s[j] == 126 { j += 1 }  // ~
            guard j < s.count, isStart(s[j]) else { continue }
            j += 1
            while j < s.count && isWord(s[j]) { j += 1 }
            if j < s.count && s[j] == 60 {  // <…> up to the last > on the line
                let lineEnd = s[(j + 1)...].firstIndex(of: newline) ?? s.count
                if let close = s[(j + 1)..<lineEnd].lastIndex(of: 62) { j = close + 1 }
            }
            return p..<j
        }
        return nil
    }
}
