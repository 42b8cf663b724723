import FlamegateCore

/// Live capture: a URL wherever a profile goes, and `flamegate fetch`.
public enum Capture {
    /// Fetches one capture's bytes.
    public static func fetch(
        _ url: String, profile: CaptureKind? = nil, seconds: Int? = nil, debug: Int? = nil,
        options: FetchOptions = FetchOptions()
    ) throws(InputError) -> [UInt8] {
        try fetch(FetchRequest(url: url, profile: profile, seconds: seconds, debug: debug, options: options)).bytes
    }

    /// `flamegate fetch`: resolves the endpoint and fetches it; returns the bytes and the
    /// request made (for the "saved … from URL" line). An answer that is not a profile
    /// (a login page served with 200, a JSON error, an image) is refused with its status,
    /// content type and first bytes, so that it is never saved as one.
    public static func fetch(_ r: FetchRequest) throws(InputError) -> (bytes: [UInt8], request: CaptureRequest) {
        let req = try PprofEndpoint.request(r.url, profile: r.profile, seconds: r.seconds, debug: r.debug)
        let answer = try HTTPFetch.response(req, options: r.options)
        try refuseNonProfile(answer, source: req.url)
        return (answer.body, req)
    }

    /// Throws "not a profile" for an answer no profile format recognises (a Go execution
    /// trace, perf script text and goroutine dumps are profiles here).
    static func refuseNonProfile(_ a: HTTPFetch.Response, source: String) throws(InputError) {
        guard let looks = FormatRegistry.notAProfile(a.body) else { return }
        var m = "not a profile: the answer (HTTP \(a.status), Content-Type: \(a.contentType ?? "none")"
        m += ", \(a.body.count) bytes) " + (looks == "empty" ? "is empty" : "looks like \(looks)")
        if !a.body.isEmpty { m += "; it starts with \"\(FormatRegistry.firstBytes(a.body))\"" }
        m += "; nothing was saved (is the URL a /debug/pprof endpoint, and does it need a login?)"
        throw InputError(source: source, m)
    }

    /// Fetches a resolved request; a Go execution trace is refused with a clear message
    /// when a caller expects a profile (`allowTrace` false).
    public static func fetch(
        _ req: CaptureRequest, options: FetchOptions = FetchOptions(), allowTrace: Bool = true
    ) throws(InputError) -> [UInt8] {
        if req.kind == .trace && !allowTrace {
            throw InputError(
                source: req.url,
                "an execution trace is not a profile: save it with `flamegate fetch --profile trace -o FILE`")
        }
        return try HTTPFetch.fetch(req, options: options)
    }

    /// What `ProfileInput.readAny` does with a URL: the URL as typed (a base means a
    /// 30 s CPU profile, as in pprof), default limits.
    static func fetchBytes(_ url: String, timeout: Double? = nil) throws(InputError) -> [UInt8] {
        let req = try PprofEndpoint.request(url)
        return try fetch(req, options: FetchOptions(timeout: timeout), allowTrace: false)
    }
}

extension InputOpener {
    /// Files, stdin and URLs: a URL (or pprof's `host:port[/path]`) is fetched as typed (a
    /// base means a 30 s CPU profile, as in pprof). What every front end that takes URL inputs passes to the loaders.
    public static let network = InputOpener { path throws(InputError) in
        if let url = PprofEndpoint.sourceURL(path) { return try Capture.fetchBytes(url) }
        return try ProfileInput.readBytes(path)
    }

    /// `network` with a fetch timeout in seconds (pprof's -timeout; nil: --seconds + 30).
    public static func network(timeout: Double?) -> InputOpener {
        guard let timeout else { return network }
        return InputOpener { path throws(InputError) in
            if let url = PprofEndpoint.sourceURL(path) { return try Capture.fetchBytes(url, timeout: timeout) }
            return try ProfileInput.readBytes(path)
        }
    }
}

/// `flamegate fetch`: which service, which endpoint, for how long, within which limits.
public struct FetchRequest: Sendable {
    /// A base (`http://host:port`) or a full endpoint URL.
    public var url: String
    /// Which /debug/pprof endpoint (default: the URL's, else cpu).
    public var profile: CaptureKind?
    /// Capture length (cpu, trace) or delta window (allocs, block, mutex…).
    public var seconds: Int?
    /// Go's `debug` parameter (2 with goroutine: the text dump).
    public var debug: Int?
    /// Timeout, size cap, progress.
    public var options = FetchOptions()
    /// A request for `url`.
    public init(
        url: String, profile: CaptureKind? = nil, seconds: Int? = nil, debug: Int? = nil,
        options: FetchOptions = FetchOptions()
    ) {
        (self.url, self.profile, self.seconds, self.debug, self.options) = (url, profile, seconds, debug, options)
    }
}
