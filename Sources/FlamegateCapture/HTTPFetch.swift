import Dispatch
import FlamegateCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Limits and display of one capture.
public struct FetchOptions: Sendable {
    /// Whole-request limit in seconds; nil: the capture's seconds + 30.
    public var timeout: Double? = nil
    /// Largest response body accepted (checked while it streams in).
    public var maxBytes: Int = 1 << 30
    /// Show a countdown / byte count on stderr when it is a terminal.
    public var progress: Bool = true
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

/// Streams one HTTP response into memory with URLSession (FoundationNetworking on
/// Linux), enforcing the time limit and the size cap as bytes arrive.
public enum HTTPFetch {
    /// A 2xx answer: its status, `Content-Type` (nil when absent) and body.
    public struct Response: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The `Content-Type` header as sent.
        public var contentType: String?
        /// The whole body.
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
        guard let url = URL(string: request.url) else { throw InputError(source: source, "not a valid URL") }
        let waitSeconds = Double(request.seconds ?? 0)
        let timeout = options.timeout ?? (waitSeconds + 30)
        if !(timeout > 0) { throw InputError(source: source, "--timeout must be positive") }

        var req = URLRequest(url: url)
        req.httpMethod = request.method
        if let body = request.body { req.httpBody = Data(body) }
        if let ct = request.contentType { req.setValue(ct, forHTTPHeaderField: "Content-Type") }
        req.setValue("flamegate", forHTTPHeaderField: "User-Agent")
        req.timeoutInterval = timeout

        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        config.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.connectionProxyDictionary = [:]
        let state = FetchState(maxBytes: options.maxBytes)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: config, delegate: state, delegateQueue: queue)
        let task = session.dataTask(with: req)
        let progress = CaptureProgress(
            enabled: options.progress, label: request.kind?.rawValue ?? "profile", seconds: request.seconds)
        let start = DispatchTime.now()
        task.resume()
        // Wait in short slices so the display can tick; bounded by the timeout (+ grace).
        let limit = Int((timeout + 2) * 4) + 1
        var finished = false
        for _ in 0..<limit {
            if state.done.wait(timeout: .now() + .milliseconds(250)) == .success {
                finished = true
                break
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            progress.update(elapsed: elapsed, bytes: state.received)
            if elapsed > timeout + 1 { break }
        }
        progress.finish()
        if !finished {
            task.cancel()
            session.invalidateAndCancel()
            throw InputError(source: source, "timed out after \(format(timeout)) s (raise --timeout)")
        }
        session.finishTasksAndInvalidate()
        let r = state.result()
        if let e = r.limitError { throw InputError(source: source, e) }
        if let e = r.error {
            throw InputError(source: source, describe(e, timeout: timeout))
        }
        guard let status = r.status else { throw InputError(source: source, "no HTTP response") }
        if !(200..<300).contains(status) {
            let text = String(decoding: r.body.prefix(2048), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: "\n", with: " ")
            var m = "HTTP \(status) \(HTTPURLResponse.localizedString(forStatusCode: status))"
            if !text.isEmpty { m += ": " + text }
            if status == 400, request.seconds != nil, text.lowercased().contains("timeout") || text.contains("exceeds")
            {
                m += " (ask for fewer --seconds, or raise the server's WriteTimeout)"
            }
            throw InputError(source: source, m)
        }
        return Response(status: status, contentType: r.contentType, body: r.body)
    }

    static func format(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(t)
    }

    static func describe(_ error: Error, timeout: Double) -> String {
        if let u = error as? URLError {
            switch u.code {
            case .timedOut: return "timed out after \(format(timeout)) s (raise --timeout)"
            case .cannotConnectToHost: return "cannot connect (connection refused)"
            case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host name"
            case .networkConnectionLost: return "the connection was closed or reset before the answer was complete"
            case .badServerResponse: return "the server's answer is not valid HTTP"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                return "TLS handshake failed: \(u.localizedDescription)"
            case .httpTooManyRedirects: return "too many redirects"
            case .unsupportedURL: return "unsupported URL"
            default: break
            }
            return "request failed: \(u.localizedDescription) (URLError \(u.code.rawValue))"
        }
        return "request failed: \(error.localizedDescription)"
    }
}

/// The delegate: collects the body under a lock; cancels past the size cap.
final class FetchState: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let maxBytes: Int
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var body: [UInt8] = []
    private var status: Int? = nil
    private var contentType: String? = nil
    private var error: Error? = nil
    private var limitError: String? = nil
    private var finished = false

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    var received: Int { lock.withLock { body.count } }

    func result() -> (status: Int?, contentType: String?, body: [UInt8], error: Error?, limitError: String?) {
        lock.withLock { (status, contentType, body, error, limitError) }
    }

    private func capMessage() -> String {
        "the response is larger than the \(maxBytes)-byte cap (raise --max-bytes)"
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        let expected = response.expectedContentLength
        let tooBig: Bool = lock.withLock {
            status = http?.statusCode
            contentType = http?.value(forHTTPHeaderField: "Content-Type")
            if let s = status, (200..<300).contains(s), expected > Int64(maxBytes) {
                limitError = capMessage()
                return true
            }
            if expected > 0, expected <= Int64(maxBytes) { body.reserveCapacity(Int(expected)) }
            return false
        }
        completionHandler(tooBig ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over: Bool = lock.withLock {
            if limitError != nil { return true }
            // Error bodies are only kept for their message.
            if let s = status, !(200..<300).contains(s) {
                if body.count < 4096 { body.append(contentsOf: data.prefix(4096 - body.count)) }
                return false
            }
            if body.count + data.count > maxBytes {
                limitError = capMessage()
                return true
            }
            body.append(contentsOf: data)
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let first: Bool = lock.withLock {
            if finished { return false }
            finished = true
            self.error = error
            return true
        }
        if first { done.signal() }
    }
}
