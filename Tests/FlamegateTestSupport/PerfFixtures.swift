import FlamegateCore

/// Folding the perf fixtures through the library, for tests that compare other paths with it.
public enum PerfFixtures {
    /// `Tests/Fixtures/perf/<input>` folded line by line with the given demangling.
    public static func collapse(
        _ input: String, _ mode: DemangleMode, _ configure: (inout PerfCollapseOptions) -> Void = { _ in }
    ) throws -> String {
        var o = PerfCollapseOptions()
        o.demangle = mode
        configure(&o)
        var c = PerfCollapser(options: o)
        try PerfScriptReader.forEachLine(path: Fixtures.path("perf/" + input)) { c.feed($0) }
        return String(decoding: c.folded(), as: UTF8.self)
    }
}
