#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Recognises an input's format from its bytes: gzip is inflated first, then pprof
/// protobuf, `perf script` text or folded stacks.
public enum FormatDetector {
    public enum Format: String, Sendable {
        case pprof
        case perfScript = "perf script"
        case folded
    }

    /// The format of (already inflated) bytes, or nil when none fits.
    public static func detect(_ bytes: UnsafeRawBufferPointer) -> Format? {
        let n = min(bytes.count, 1 << 16)
        if n == 0 { return nil }
        let head = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
        // Text never has NUL bytes; a pprof profile almost always does (varint zeros,
        // empty string), and starts with a field tag (sample_type = 0x0A, or another field).
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
        if !text { return .pprof }
        // First meaningful line decides between folded and perf script.
        var result: Format? = nil
        var seen = 0
        PerfScriptReader.forEachLine(in: head) { line in
            if result != nil || seen > 200 { return }
            seen += 1
            var e = line.count
            while e > 0 && PerlFrameNaming.isSpace(line[e - 1]) { e -= 1 }
            if e == 0 { return }
            if line[0] == 0x23 {  // '#': perf script header
                result = .perfScript
                return
            }
            if PerlFrameNaming.matchEvent(line) != nil && !FoldedStacks.looksFolded(line) {
                result = .perfScript
            } else if FoldedStacks.looksFolded(line) {
                result = .folded
            } else if PerlFrameNaming.matchEvent(line) != nil || PerlFrameNaming.matchFrame(line) != nil {
                result = .perfScript
            } else {
                seen = Int.max
            }
        }
        return result
    }
}

extension ProfileInput {
    /// Reads a profile in any supported format: pprof (gzip or raw), `perf script` text
    /// (folded like stackcollapse-perf.pl, Swift names demangled with `demangle`), or
    /// folded stacks (one or two counts), each possibly gzip-compressed; `-` is stdin.
    /// `opener` says where bytes come from (files and stdin by default; Capture's adds URLs).
    public static func readAny(
        _ path: String, demangle: DemangleMode = .simplified, opener: InputOpener = .files
    ) throws(InputError) -> Profile {
        var bytes = try opener.open(path)
        if bytes.isEmpty {
            throw InputError(source: path, "empty file: expected a pprof profile, perf script output or folded stacks")
        }
        let inflated = try inflateIfGzip(&bytes, source: path, prefix: "malformed gzip data: ")
        if GoroutineDump.recognizes(bytes) {
            return try GoroutineDump.profile(bytes, source: path)
        }
        let format = bytes.withUnsafeBytes { detect($0) }
        let result = bytes.withUnsafeBytes { b -> Result<Profile, InputError> in
            do throws(InputError) {
                switch format {
                case .pprof:
                    return .success(try decodePprof(b, source: path, inflated: inflated))
                case .perfScript:
                    return .success(try StackProfile.profile(fromPerfScript: b, source: path, demangle: demangle))
                case .folded:
                    return .success(StackProfile.profile(fromFolded: try FoldedStacks.read(b, source: path)))
                case nil:
                    // Neither perf script nor folded text: report what pprof decoding says.
                    return .success(
                        try decodePprof(
                            b, source: path, inflated: inflated,
                            hint: "; not perf script output or folded stacks ('frame;frame count' lines) either"))
                }
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let p): return p
        case .failure(let e): throw e
        }
    }

    /// `detect` for a convenience caller.
    static func detect(_ b: UnsafeRawBufferPointer) -> FormatDetector.Format? { FormatDetector.detect(b) }
}
