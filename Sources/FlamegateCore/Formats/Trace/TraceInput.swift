#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Told by the trace reader that the bytes before an offset will not be read again (a
/// finished generation), so a mapped file's pages can be dropped: memory stays that of
/// one generation however long the trace.
public typealias TraceRelease = (Int) -> Void

/// Opens a Go execution trace for the `trace` commands: the file's bytes (gzip allowed),
/// refused at once when they are not a trace, so that no other reader guesses at them.
public enum TraceInput {
    /// Calls `body` with the (inflated) bytes of the trace at `path` (`-`: stdin) and, for a
    /// plain trace file (mapped, not read), the release that drops finished generations' pages.
    public static func withTrace<T>(
        _ path: String, opener: InputOpener = .files,
        _ body: (UnsafeRawBufferPointer, TraceRelease?) throws(InputError) -> T
    ) throws(InputError) -> T {
        if let mapped = try withMapped(path, body) { return mapped }
        var bytes = try opener.open(path)
        _ = try ProfileInput.inflateIfGzip(&bytes, source: path, prefix: "malformed gzip data: ")
        let result = bytes.withUnsafeBytes { b -> Result<T, InputError> in
            guard TraceReader.version(b) != nil else {
                let what = b.isEmpty ? "an empty file" : (FormatRegistry.looksLike(FormatRegistry.head(b)) ?? "binary data")
                return .failure(
                    InputError(
                        source: path, offset: 0,
                        "not a Go execution trace (it looks like \(what)): expected the header `go 1.N trace` that runtime/trace writes"))
            }
            do throws(InputError) { return .success(try body(b, nil)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// A regular file that starts with a trace header, mapped read-only; nil (and nothing
    /// done) for anything else (stdin, URLs, gzip), which the opener reads instead.
    static func withMapped<T>(_ path: String, _ body: (UnsafeRawBufferPointer, TraceRelease?) throws(InputError) -> T)
        throws(InputError) -> T?
    {
        if path == "-" || path.contains("://") { return nil }
        let fd = open(path, O_RDONLY)
        if fd < 0 { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size >= 16 else { return nil }
        let size = Int(st.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        let b = UnsafeRawBufferPointer(start: base, count: size)
        guard TraceReader.version(b) != nil else { return nil }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var released = 0
        // Clean pages of a read-only private mapping: dropping them only means reading them
        // from the file again if ever touched.
        let release: TraceRelease = { offset in
            let end = offset / page * page
            if end > released {
                _ = madvise(base + released, end - released, MADV_DONTNEED)
                released = end
            }
        }
        return try body(b, release)
    }

    /// The `go tool trace -pprof=KIND` profile of the trace at `path`.
    public static func profile(_ path: String, kind: TraceProfileKind, opener: InputOpener = .files) throws(InputError)
        -> Profile
    {
        try withTrace(path, opener: opener) { b, release throws(InputError) in
            try TracePprof.profile(b, kind: kind, source: path, release: release)
        }
    }
}

extension InputOpener {
    /// `base`, with every input read as a Go execution trace and turned into its `kind`
    /// profile (pprof bytes), so that every report reads a trace with `--kind` as it reads
    /// the profile `trace pprof` writes. An input that is not a trace is refused: `--kind`
    /// says the user expects one.
    public static func traces(as kind: TraceProfileKind, from base: InputOpener) -> InputOpener {
        InputOpener { path throws(InputError) in
            let p = try TraceInput.withTrace(path, opener: base) { b, release throws(InputError) in
                try TracePprof.profile(b, kind: kind, source: path, release: release)
            }
            return PprofEncoder.encode(p)
        }
    }
}
