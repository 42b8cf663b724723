#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A large `perf script` file read into a profile without holding the file: folded on two
/// threads from mapped windows (`PerfParallelCollapse`), so memory follows the distinct
/// stacks, not the file size (a 352 MB script took 375 MB when read whole first).
/// The profile is the one `StackProfile.profile(fromPerfScript:)` builds from the whole
/// bytes — same stacks, counts, modules, errors — so every report on it is unchanged.
public enum PerfScriptFile {
    /// The profile of the perf script at `path` (a file, or `-` when stdin is a regular
    /// file), or nil when this path does not apply: not a regular file, smaller than
    /// `minimumBytes`, gzip, not perf script text by its first 64 KiB, or `--srcline`-like
    /// folding that must be serial. The caller then reads the file the ordinary way.
    public static func profile(
        path: String, demangle: DemangleMode, minimumBytes: Int = PerfParallelCollapse.minimumBytes
    ) throws(InputError) -> Profile? {
        guard isPerfScript(path: path, minimumBytes: minimumBytes) else { return nil }
        var o = PerfCollapseOptions()
        o.demangle = demangle
        o.recordModules = true
        guard let (c, _) = try PerfParallelCollapse.collapse(path: path, options: o, minimumBytes: minimumBytes)
        else { return nil }
        // The checks and messages of `StackProfile.profile(fromPerfScript:)`.
        if c.sawNulByte {
            throw InputError(source: path, "binary data (NUL bytes), not perf script text")
        }
        if c.eventLines == 0 {
            throw InputError(
                source: path,
                "no perf script samples found (no line like 'comm PID [CPU] TIME: PERIOD EVENT:')")
        }
        return StackProfile.profile(fromPerf: c)
    }

    /// Whether `path` is a regular file of at least `minimumBytes` (from stdin's offset for
    /// `-`) whose first 64 KiB the format detector takes for perf script text.
    static func isPerfScript(path: String, minimumBytes: Int) -> Bool {
        let isStdin = path == "-"
        let fd = isStdin ? 0 : open(path, O_RDONLY)
        if fd < 0 { return false }
        defer { if !isStdin { close(fd) } }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        let origin = isStdin ? Int(lseek(0, 0, SEEK_CUR)) : 0
        guard origin >= 0, Int(st.st_size) - origin >= max(minimumBytes, 2) else { return false }
        var head = [UInt8](repeating: 0, count: 1 << 16)
        var n = 0
        while n < head.count {
            let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + n, $0.count - n, off_t(origin + n)) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            n += got
        }
        head.removeSubrange(n...)
        // A first line longer than the window: the detector would look further; let it.
        guard head.contains(0x0A) || n < 1 << 16 else { return false }
        return head.withUnsafeBytes { b in
            !Gzip.isGzip(b) && FormatRegistry.detectProfile(b) is PerfScriptFormat
        }
    }
}
