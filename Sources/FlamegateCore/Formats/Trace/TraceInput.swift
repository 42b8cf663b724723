/// Opens a Go execution trace for the `trace` commands: the file's bytes (gzip allowed),
/// refused at once when they are not a trace, so that no other reader guesses at them.
public enum TraceInput {
    /// Calls `body` with the (inflated) bytes of the trace at `path` (`-`: stdin).
    public static func withTrace<T>(
        _ path: String, opener: InputOpener = .files, _ body: (UnsafeRawBufferPointer) throws(InputError) -> T
    ) throws(InputError) -> T {
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
            do throws(InputError) { return .success(try body(b)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The `go tool trace -pprof=KIND` profile of the trace at `path`.
    public static func profile(_ path: String, kind: TraceProfileKind, opener: InputOpener = .files) throws(InputError)
        -> Profile
    {
        try withTrace(path, opener: opener) { b throws(InputError) in try TracePprof.profile(b, kind: kind, source: path) }
    }
}

extension InputOpener {
    /// `base`, with every input read as a Go execution trace and turned into its `kind`
    /// profile (pprof bytes), so that every report reads a trace with `--kind` as it reads
    /// the profile `trace pprof` writes. An input that is not a trace is refused: `--kind`
    /// says the user expects one.
    public static func traces(as kind: TraceProfileKind, from base: InputOpener) -> InputOpener {
        InputOpener { path throws(InputError) in
            let p = try TraceInput.withTrace(path, opener: base) { b throws(InputError) in
                try TracePprof.profile(b, kind: kind, source: path)
            }
            return PprofEncoder.encode(p)
        }
    }
}
