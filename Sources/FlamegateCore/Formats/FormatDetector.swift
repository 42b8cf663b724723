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
    static func stackText(_ head: UnsafeRawBufferPointer) -> Format? {
        var result: Format? = nil
        var seen = 0
        var comments = false
        PerfScriptReader.forEachLine(in: head) { line in
            if result != nil || seen > 200 { return }
            seen += 1
            var e = line.count
            while e > 0 && PerlFrameNaming.isSpace(line[e - 1]) { e -= 1 }
            if e == 0 { return }
            if line[0] == 0x23 {  // '#': perf script header, or a comment in folded stacks
                comments = true
                return
            }
            let event = PerlFrameNaming.matchEvent(line) != nil
            if event && (comments || !FoldedStacks.looksFolded(line)) {
                result = .perfScript
            } else if FoldedStacks.looksFolded(line) {
                result = .folded
            } else if event || PerlFrameNaming.matchFrame(line) != nil {
                result = .perfScript
            } else {
                seen = Int.max
            }
        }
        if result == nil && comments && seen != Int.max { return .perfScript }
        return result
    }
}
