/// What `flamegate serve` was asked for: where to listen, what to load, what to accept.
public struct ServeConfiguration: Sendable {
    /// Address or name to bind (default loopback only: a profile holds function and file names).
    public var host = "127.0.0.1"
    /// Port (0: any free port; the URL printed says which).
    public var port = 8080
    /// Profiles (files, `-`, URLs); several are merged by default, as the CLI merges them.
    public var inputs: [String] = []
    /// pprof's `-diff_base` for every view, and the base of the diff view.
    public var diffBase: [String] = []
    /// pprof's `-base` (subtracted) for every view.
    public var base: [String] = []
    /// Scale the base to the profile's total first.
    public var normalize = false
    /// Largest upload accepted (`--max-upload`); larger ones get 413 and nothing is kept.
    public var maxUpload = 512 << 20
    /// Further `Host` header names accepted (besides the bound address and, on loopback,
    /// `localhost`); `*` accepts any.
    public var allowedHosts: [String] = []
    /// `list`: where sources are looked up and the prefix trimmed from the profile's paths.
    public var sourcePath = ""
    /// pprof's -trim_path.
    public var trimPath = ""
    /// A server with pprof's defaults and nothing loaded.
    public init() {}

    /// True when `host` names a loopback address (what a browser on another machine can't reach).
    public var isLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h.hasPrefix("127.") || h == "::1" || h == "[::1]"
    }

    /// True when `host` binds every interface.
    public var isWildcard: Bool { host == "0.0.0.0" || host == "::" || host == "[::]" }
}
