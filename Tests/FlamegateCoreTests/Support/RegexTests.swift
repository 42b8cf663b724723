import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `Pattern` against Go's own `regexp`: every case in `Tests/Fixtures/regex/go-regexp.tsv`
/// (made by `Fixtures/regex/make.sh` from `Fixtures/regex/cases.txt` with Go 1.27) must get
/// Go's answer — match or not, or Go's exact error text.
@Suite struct RegexConformanceTests {
    struct Case {
        let line: Int
        let pattern: String
        let input: String
        let expected: String
    }

    /// The TSV's percent escapes (see Fixtures/regex/main.go).
    static func unescape(_ s: Substring) -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let cases: [Case] = {
        guard let text = try? Fixtures.read("regex/go-regexp.tsv") else { return [] }
        var out: [Case] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty && !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 3 else { continue }
            out.append(Case(line: n + 1, pattern: unescape(f[0]), input: unescape(f[1]), expected: unescape(f[2])))
        }
        return out
    }()

    /// Where this engine knowingly differs from Go (README, "Regular expressions"): Swift's
    /// script tables are Unicode 16.0, so the scripts 17.0 added are refused, and
    /// characters 17.0 added are in no script. Returns the answer expected instead of Go's.
    static func knownDifference(_ c: Case) -> String? {
        if c.pattern.contains("Sidetic") {
            return "error: parsing t regexp: error parsing regexp: Unicode script not supported here (new in Unicode 17.0): `\\p{Sidetic}`"
        }
        let scripts = ["Arabic", "Adlam", "Cherokee", "Greek", "Han", "Latin", "Common", "Inherited"]
        let new = c.input.unicodeScalars.contains { $0.properties.age.map { $0.major >= 17 } ?? false }
        if new && scripts.contains(where: { c.pattern.contains("{\($0)}") }) { return "any" }
        return nil
    }

    @Test func fixtureIsLoaded() {
        #expect(Self.cases.count > 5000)
        #expect(Self.cases.contains { $0.expected.hasPrefix("error: ") })
    }

    @Test func everyCaseAnswersAsGo() {
        var compiled: [String: Result<Pattern, ProfileError>] = [:]
        var failures: [String] = []
        for c in Self.cases {
            let r: Result<Pattern, ProfileError>
            if let done = compiled[c.pattern] {
                r = done
            } else {
                r = Result { () throws(ProfileError) in try Pattern(c.pattern, option: "t") }
                compiled[c.pattern] = r
            }
            let got: String
            switch r {
            case .success(let p): got = p.matches(c.input) ? "1" : "0"
            case .failure(let e): got = "error: " + e.message
            }
            var want = c.expected.hasPrefix("error: ") ? "error: parsing t regexp: " + c.expected.dropFirst(7) : c.expected
            if let known = Self.knownDifference(c) {
                if known == "any" { continue }
                want = known
            }
            if got != want {
                failures.append("line \(c.line): \(c.pattern.debugDescription) on \(c.input.debugDescription): want \(want), got \(got)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) differences:\n" + failures.prefix(40).joined(separator: "\n")))
    }
}

/// Patterns that make a backtracking engine run for hours finish at once: the engine is
/// linear in the text. (A bound on complexity, not a benchmark: 10,000 characters take
/// milliseconds; exponential backtracking would take longer than the universe.)
@Suite struct RegexComplexityTests {
    @Test(arguments: [
        "^(a+)+$", "(a*)*b", "(a|a)*c", "(a|aa)*$x", "^(a|a?)+$b", "(x+x+)+y", "(.*a){20}", "^(\\w+\\s?)*$!",
        "(?i)(a+)+$b", "((a*)*)*c", "(a{1,10}){1,10}b",
    ])
    func pathologicalPatternsAreFast(_ source: String) throws {
        let p = try Pattern(source, option: "t")
        let text = String(repeating: "a", count: 10_000)
        let start = Date()
        let m = p.matches(text)
        let long = p.matches(text + "!")
        #expect(Date().timeIntervalSince(start) < 1, "\(source) took \(Date().timeIntervalSince(start)) s")
        // And they still answer correctly.
        if source == "^(a+)+$" { #expect(m && !long) }
        if source == "(a*)*b" { #expect(!m && !long) }
    }

    /// A profile's own drop_frames used to be refused for nested repetition; now it is
    /// matched as pprof would, quickly (Fuzz/known-issues/drop-frames-redos.pb: `(a*)*b`
    /// against `aaaa…c`).
    @Test func nestedRepetitionFromAProfileIsMatched() throws {
        var p = try ProfileInput.readProfile(Fixtures.root + "/Fuzz/known-issues/drop-frames-redos.pb")
        #expect(p.dropFrames == "(a*)*b")
        let start = Date()
        try ProfileFilter.removeUninteresting(&p)
        #expect(Date().timeIntervalSince(start) < 1)
    }

    /// The cache of DFA states is bounded and rebuilt when it overflows; answers stay right.
    @Test func stateCacheOverflowKeepsAnswers() throws {
        // (a|b)*a(a|b){12}: the DFA needs 2^13 states to remember the last 13 characters.
        let p = try Pattern("a[ab]{12}$", option: "t")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let s = String((0..<200).map { _ in Bool.random(using: &rng) ? "a" : "b" })
            let want = Array(s)[s.count - 13] == "a"
            #expect(p.matches(s) == want, "\(s)")
        }
    }
}

/// The Unicode tables behind `\p{…}` and `(?i)` against Go 1.27's
/// (`Tests/Fixtures/regex/go-unicode.txt`, from `Fixtures/regex/make.sh -unicode`).
@Suite struct RegexUnicodeTests {
    static let lines: [[Substring]] = {
        guard let text = try? Fixtures.read("regex/go-unicode.txt") else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ") }
    }()

    static func ranges(_ fields: ArraySlice<Substring>) -> [UInt32] {
        fields.flatMap { r -> [UInt32] in
            let ab = r.split(separator: "-")
            return [UInt32(ab[0], radix: 16)!, UInt32(ab[1], radix: 16)!]
        }
    }

    @Test func caseFoldingOrbitsAreGos() {
        let go = Self.lines.filter { $0.first == "fold" }.map { $0.dropFirst().map { UInt32($0, radix: 16)! } }
        #expect(go.count > 1400)
        var ours: Set<[UInt32]> = []
        for o in RegexClasses.folding.orbits { ours.insert(o) }
        let goSet = Set(go)
        #expect(ours.subtracting(goSet).isEmpty, "not Go's: \(ours.subtracting(goSet).prefix(10))")
        #expect(goSet.subtracting(ours).isEmpty, "missing: \(goSet.subtracting(ours).prefix(10))")
    }

    @Test func categoriesAreGos() {
        let cats = Self.lines.filter { $0.first == "cat" }
        #expect(cats.count == 38)
        for c in cats {
            let name = String(c[1])
            guard case .set(let set, false)? = RegexClasses.unicodeClass(name) else {
                Issue.record("\(name) unknown")
                continue
            }
            #expect(set == Self.ranges(c.dropFirst(2)), "\(name)")
        }
    }

    /// Scripts come from Swift's Regex tables (Unicode 16.0): equal to Go's but for the
    /// characters Unicode 17.0 added. A sample, as each script takes a scan of Unicode.
    @Test func scriptsAreGosUpToUnicode16() {
        let scripts = Self.lines.filter { $0.first == "script" }
        #expect(scripts.count == RegexClasses.goScripts.count)
        #expect(Set(scripts.map { String($0[1]) }) == Set(RegexClasses.goScripts))
        for s in scripts where ["Greek", "Latin", "Han", "Common", "Inherited", "Cyrillic", "Old_Italic", "Arabic"].contains(String(s[1])) {
            let name = String(s[1])
            guard case .set(let set, false)? = RegexClasses.unicodeClass(name) else {
                Issue.record("\(name) unknown")
                continue
            }
            let go = Self.ranges(s.dropFirst(2))
            var missing: [UInt32] = []
            var i = 0
            while i < go.count {
                for c in go[i]...go[i + 1] where !RegexClasses.contains(set, c) {
                    if let age = Unicode.Scalar(c)?.properties.age, age.major < 17 { missing.append(c) }
                }
                i += 2
            }
            #expect(missing.isEmpty, "\(name): \(missing.prefix(10).map { String($0, radix: 16) })")
            i = 0
            var extra: [UInt32] = []
            while i < set.count {
                for c in set[i]...set[i + 1] where !RegexClasses.contains(go, c) { extra.append(c) }
                i += 2
            }
            #expect(extra.isEmpty, "\(name): \(extra.prefix(10).map { String($0, radix: 16) })")
        }
        for name in RegexClasses.unsupportedScripts {
            guard case .unsupportedScript? = RegexClasses.unicodeClass(name) else {
                Issue.record("\(name) should be reported unsupported")
                continue
            }
        }
    }
}
