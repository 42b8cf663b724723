// The regex engine behind every filter (`Pattern`): Go's RE2 syntax from patterns typed
// on command lines or written in profiles and rules files. Input: PATTERN NUL TEXT.
@testable import FlamegateCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let input = Array(bytes(data, size))
    let cut = input.firstIndex(of: 0) ?? input.count
    let pattern = String(decoding: input[..<cut], as: UTF8.self)
    let text = cut < input.count ? String(decoding: input[(cut + 1)...], as: UTF8.self) : ""
    let p: Pattern
    do throws(ProfileError) {
        p = try Pattern(pattern, option: "fuzz")
    } catch {
        require(error.message.hasPrefix("parsing fuzz regexp: error parsing regexp: "), "error text: \(error.message)")
        return 0
    }
    // The fast paths and the cached DFA agree with a fresh DFA that has neither.
    let m = p.matches(text)
    require(p.matches(text) == m, "a second answer differs (cached DFA)")
    var own = LazyDFA(p.matcher.tables)
    var t = text
    let plain = t.withUTF8 { own.run($0) }
    require(plain == m, "fast path says \(m), the DFA \(plain)")
    // Every text is matched by `(?s:.*)` around the pattern iff by the pattern itself.
    // (Not with \Q: an unterminated one would swallow the closing parenthesis.)
    if !pattern.contains("\\Q"), let wrapped = try? Pattern("(?s:.*)(?:" + pattern + ")", option: "fuzz") {
        require(wrapped.matches(text) == m, "unanchored search differs from an explicit .*")
    }
    return 0
}
