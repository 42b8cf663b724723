#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Tells pprof protobuf, `perf script` text and folded stacks apart by their bytes (after
/// gzip is inflated); the registry's formats sniff with it.
public enum FormatDetector {
    /// The byte-level formats `detect` tells apart (raw values are display names).
    public enum Format: String, Sendable {
        case pprof
        case perfScript = "perf script"
        case folded
    }

    /// The format of (already inflated) bytes, or nil when none fits.
    public static func detect(_ bytes: UnsafeRawBufferPointer) -> Format? {
        if bytes.isEmpty { return nil }
        let head = FormatRegistry.head(bytes)
        return isText(head) ? stackText(head) : .pprof
    }

    /// Whether the head of an input is text: text never has NUL bytes; a pprof profile
    /// almost always does (varint zeros, empty strings).
    static func isText(_ head: UnsafeRawBufferPointer) -> Bool {
        let n = head.count
        var text = true
        var control = 0
        for b in head {
            if b == 0 {
                text = false
                break
            }
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { control += 1 }
        }
        if text && control * 100 > n { text = false }
        return text && n > 0
    }

    /// perf script or folded stacks: the first meaningful line decides. `#` lines are
    /// skipped (perf script's header, comments in a folded file); after them a line that
    /// reads as a perf event is perf script, and a file of `#` lines only is perf script.
    /// Folded must be clear: more than half of the meaningful lines of the head look like
    /// `stack count` (the reader skips the others, as flamegraph.pl does), so a panic
    /// message that happens to end in a number is not a profile.
    static func stackText(_ head: UnsafeRawBufferPointer) -> Format? {
        var result: Format? = nil
        var seen = 0
        var comments = false
        var folded = 0
        var other = 0
        let end = head.baseAddress.map { $0 + head.count }
        let unterminated = head.last != 0x0A
        PerfScriptReader.forEachLine(in: head) { line in
            if seen > 200 || (result != nil && result != .folded) { return }
            var e = line.count
            while e > 0 && PerlFrameNaming.isSpace(line[e - 1]) { e -= 1 }
            if e == 0 { return }
            if line[0] == 0x23 {  // '#': perf script header, or a comment in folded stacks
                if result == nil { comments = true }
                return
            }
            seen += 1
            if result == .folded {
                // The head may end inside a line: that line is not counted.
                if unterminated, let b = line.baseAddress, b + line.count == end { return }
                if FoldedStacks.looksFolded(line) { folded += 1 } else { other += 1 }
                return
            }
            let event = PerlFrameNaming.matchEvent(line) != nil
            if event && (comments || !FoldedStacks.looksFolded(line)) {
                result = .perfScript
            } else if FoldedStacks.looksFolded(line) {
                result = .folded
                folded = 1
            } else if event || PerlFrameNaming.matchFrame(line) != nil {
                result = .perfScript
            } else {
                seen = Int.max
            }
        }
        if result == .folded && folded <= other { return nil }
        if result == nil && comments && seen != Int.max { return .perfScript }
        return result
    }
}
