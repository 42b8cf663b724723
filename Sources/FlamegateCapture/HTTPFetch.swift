import Dispatch
import FlamegateCore
import Foundation
// (The fuzz build, Fuzz/run.sh, compiles this target without SwiftNIO.)
#if canImport(NIOHTTP1)
    import NIOHTTP1
#endif

/// Limits and display of one capture.
public struct FetchOptions: Sendable {
    /// Whole-request limit in seconds; nil: the capture's seconds + 30.
    public var timeout: Double? = nil
    /// Largest response body accepted (checked while it streams in).
    public var maxBytes: Int = 1 << 30
    /// Show a countdown / byte count on stderr when it is a terminal.
    public var progress: Bool = true
    /// PEM certificates trusted for `https://` besides the system's: for tests only (a
    /// loopback TLS server with a committed self-signed certificate); verification stays on.
    var extraTrustRoots: [String] = []
    /// Options with the defaults: timeout from the capture's seconds, a 1 GiB cap, progress on.
    public init(timeout: Double? = nil, maxBytes: Int = 1 << 30, progress: Bool = true) {
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.progress = progress
    }

    /// Parses a size such as `1GiB`, `500MB`, `64k`, `1048576`.
    public static func parseSize(_ s: String) -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        var digits = ""
        var rest = Substring(t)
        while let c = rest.first, c.isNumber || c == "." {
            digits.append(c)
            rest = rest.dropFirst()
        }
        guard let v = Double(digits), v > 0 else { return nil }
        let unit = rest.trimmingCharacters(in: .whitespaces)
        let mult: Double
        switch unit {
        case "", "b": mult = 1
        case "k", "kb": mult = 1e3
        case "kib": mult = 1024
        case "m", "mb": mult = 1e6
        case "mib": mult = 1_048_576
        case "g", "gb": mult = 1e9
        case "gib": mult = Double(1 << 30)
        case "t", "tb": mult = 1e12
        case "tib": mult = Double(1 << 40)
        default: return nil
        }
        let bytes = v * mult
        guard bytes >= 1, bytes < 9e18 else { return nil }
        return Int(bytes)
    }
}

/// Fetches one HTTP answer into memory, within `--timeout` (one deadline for DNS,
/// connect, every redirect and the body) and `--max-bytes` (checked on the declared
/// length before anything is read, then on the bytes as they arrive, then on the decoded
/// size). `http://` goes through `PlainHTTPClient` (sockets of our own), `https://`
/// through `TLSHTTPClient` (AsyncHTTPClient); redirects are followed here, for both.
///
/// Encoding: every request asks for `Accept-Encoding: identity`. A server that answers
/// `Content-Encoding: gzip` (or `x-gzip`) anyway is decoded here, bounded by
/// `--max-bytes`; any other encoding is refused. A pprof profile is gzip data with no
/// `Content-Encoding` (`application/octet-stream`): that is the body, kept as sent.
public enum HTTPFetch {
    /// Redirects followed at most (Go's http.Client stops after 10 too).
    public static let maxRedirects = 10

    /// A 2xx answer: its status, `Content-Type` (nil when absent) and body.
    public struct Response: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The `Content-Type` header as sent.
        public var contentType: String?
        /// The whole body (decoded, if the server sent it with `Content-Encoding: gzip`).
        public var body: [UInt8]
    }

    /// Fetches `request`; the body of a 2xx answer, else an `InputError` naming the URL
    /// and carrying the server's message.
    public static func fetch(_ request: CaptureRequest, options: FetchOptions = FetchOptions()) throws(InputError)
        -> [UInt8]
    {
        try response(request, options: options).body
    }

    /// Fetches `request`; a 2xx answer whole, else an `InputError` naming the URL and
    /// carrying the server's message.
    public static func response(_ request: CaptureRequest, options: FetchOptions = FetchOptions()) throws(InputError)
        -> Response
    {
        let source = request.url
        guard var url = URL(string: request.url) else { throw InputError(source: source, "not a valid URL") }
        let waitSeconds = Double(request.seconds ?? 0)
        let timeout = options.timeout ?? (waitSeconds + 30)
        if !(timeout > 0) { throw InputError(source: source, "--timeout must be positive") }
        let deadline = FetchDeadline(timeout: timeout)
        let progress = CaptureProgress(
            enabled: options.progress, label: request.kind?.rawValue ?? "profile", seconds: request.seconds)
        defer { progress.finish() }
        let tick: (Int) -> Void = { progress.update(elapsed: deadline.elapsed, bytes: $0) }
        var hop = HTTPHop(url: url, method: request.method, body: request.body, contentType: request.contentType)
        var redirects = 0
        do throws(FetchFailure) {
            while true {
                let https = url.scheme?.lowercased() == "https"
                let ex =
                    https
                    ? try TLSHTTPClient.exchange(
                        hop, deadline: deadline, maxBytes: options.maxBytes, extraTrustRoots: options.extraTrustRoots,
                        tick: tick)
                    : try PlainHTTPClient.exchange(hop, deadline: deadline, maxBytes: options.maxBytes, tick: tick)
                if BodyCollector.isRedirect(ex.status), let location = ex.location {
                    redirects += 1
                    if redirects > maxRedirects { throw FetchFailure("too many redirects (more than \(maxRedirects))") }
                    url = try redirectTarget(location, from: url)
                    // 303, and 301/302 after a POST, continue as GET without a body (as Go's client).
                    if ex.status == 303 || (ex.status == 301 || ex.status == 302) && hop.method == "POST" {
                        hop.method = "GET"
                        hop.body = nil
                        hop.contentType = nil
                    }
                    hop.url = url
                    continue
                }
                guard (200..<300).contains(ex.status) else {
                    throw FetchFailure(statusMessage(ex, request: request))
                }
                let body = try decode(ex, maxBytes: options.maxBytes)
                return Response(status: ex.status, contentType: ex.contentType, body: body)
            }
        } catch {
            throw InputError(source: source, error.message)
        }
    }

    /// Where a redirect leads: an absolute http(s) URL (relative locations resolved
    /// against the current one); any other scheme is refused.
    static func redirectTarget(_ location: String, from url: URL) throws(FetchFailure) -> URL {
        let shown = HTTPResponseParser.printable(Array(location.utf8).prefix(200))
        guard let next = URL(string: location, relativeTo: url)?.absoluteURL,
            let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = next.host, !host.isEmpty
        else {
            throw FetchFailure("redirected to \"\(shown)\", which is not an http:// or https:// URL")
        }
        return next
    }

    /// "HTTP 500 Internal Server Error: <the server's first 4 KiB, on one line>".
    static func statusMessage(_ ex: HTTPExchange, request: CaptureRequest) -> String {
        let text = errorText(ex.body)
        #if canImport(NIOHTTP1)
            let reason = HTTPResponseStatus(statusCode: ex.status).reasonPhrase
        #else
            let reason = ""
        #endif
        var m = reason.isEmpty ? "HTTP \(ex.status)" : "HTTP \(ex.status) \(reason)"
        if !text.isEmpty { m += ": " + text }
        if BodyCollector.isRedirect(ex.status) { m += " (no Location header)" }
        if ex.status == 400, request.seconds != nil, text.lowercased().contains("timeout") || text.contains("exceeds") {
            m += " (ask for fewer --seconds, or raise the server's WriteTimeout)"
        }
        return m
    }

    /// Characters of an error body shown in the message (of the 4 KiB read).
    static let errorTextLimit = 2048

    /// An error body as one printable line: UTF-8 kept, whitespace runs as one space,
    /// control characters (terminal escapes) as `\u{1b}`, at most `errorTextLimit`
    /// characters with "…" when cut.
    static func errorText(_ body: [UInt8]) -> String {
        var out = ""
        var space = false
        var shown = 0
        for u in String(decoding: body.prefix(BodyCollector.errorBodyLimit), as: UTF8.self).unicodeScalars {
            if shown >= errorTextLimit { return out + "…" }
            if u == " " || u == "\n" || u == "\r" || u == "\t" {
                space = true
                continue
            }
            if space && !out.isEmpty {
                out += " "
                shown += 1
            }
            space = false
            shown += 1
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) {
                out += "\\u{" + String(u.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return body.count >= BodyCollector.errorBodyLimit ? out + "…" : out
    }

    /// The body as the server meant it: gzip `Content-Encoding` inflated up to the cap.
    static func decode(_ ex: HTTPExchange, maxBytes: Int) throws(FetchFailure) -> [UInt8] {
        if ex.contentEncoding.isEmpty { return ex.body }
        guard ex.contentEncoding == ["gzip"] || ex.contentEncoding == ["x-gzip"] else {
            throw FetchFailure(
                "the server sent Content-Encoding: \(ex.contentEncoding.joined(separator: ", ")), which flamegate does not decode (it asked for identity)"
            )
        }
        let r = ex.body.withUnsafeBytes { b -> Result<[UInt8], DecodeError> in
            do throws(DecodeError) { return .success(try Gzip.inflate(b, limit: maxBytes)) } catch {
                return .failure(error)
            }
        }
        switch r {
        case .success(let bytes): return bytes
        case .failure(let e):
            if e.message.contains("inflates past") {
                throw FetchFailure(
                    "the response is larger than the \(maxBytes)-byte cap once its Content-Encoding: gzip is decoded (raise --max-bytes)"
                )
            }
            throw FetchFailure("the body's Content-Encoding: gzip does not decode: \(e.message)")
        }
    }

    static func format(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(t)
    }
}
