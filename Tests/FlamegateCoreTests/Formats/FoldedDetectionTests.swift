import Testing

@testable import FlamegateCore

/// Folded stacks as flamegraph.pl reads them are detected as folded; nothing else is.
@Suite struct FoldedDetectionTests {
    static func detect(_ s: String) -> FormatDetector.Format? {
        Array(s.utf8).withUnsafeBytes { FormatDetector.detect($0) }
    }

    @Test func fractionalCountsAreFolded() {
        #expect(Self.detect("main;work 1.5\nmain;idle 2.25\n") == .folded)
        #expect(Self.detect("main;work 3.\n") == .folded)
        #expect(Self.detect("main;work 1.5 2.5\n") == .folded)
        // Not flamegraph.pl counts: no digit before the point, exponents, signs.
        #expect(Self.detect("main;work .5\n") == nil)
        #expect(Self.detect("main;work 1e3\n") == nil)
        #expect(Self.detect("main;work 1.2.3\n") == nil)
    }

    @Test func commentLinesDoNotMakePerf() {
        #expect(Self.detect("# made by a script\n#\nmain;work 10\n") == .folded)
        #expect(Self.detect("# counts in ms\nmain;work 0.5\n") == .folded)
        // perf script's header still says perf script, with or without samples after it.
        #expect(Self.detect("# ========\n# captured on: x\n# ========\n#\n") == .perfScript)
        #expect(
            Self.detect("# ========\n#\nprog 123 [000] 1.000: 250000 cpu-clock:\n\tffff main (/bin/prog)\n")
                == .perfScript)
        // Comments then prose is still not a profile.
        #expect(Self.detect("# notes\njust some text\n") == nil)
    }

    /// Strict: more than half of the lines must be `stack count`; a Go panic whose first
    /// line ends in a number is not folded (Tests/Fixtures/malformed/goroutine/no-goroutines.txt).
    @Test func mostLinesMustBeFolded() {
        #expect(Self.detect("panic: index out of range [3] with length 3\n\n[signal SIGSEGV: segv]\n") == nil)
        #expect(Self.detect("a;b 1\njunk\n") == nil)
        #expect(Self.detect("a;b 1\njunk\na;c 2\n") == .folded)
        // A line cut by the end of the head does not count against.
        #expect(Self.detect("a;b 1\na;c 2\na;d") == .folded)
    }
}
