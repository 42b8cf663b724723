import Dispatch
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `https://` through URLSession (FoundationNetworking, libcurl, on Linux), hardened as
/// far as its API allows: the same deadline (on expiry the task is cancelled and the
/// fetch returns without waiting for teardown), the same cap, error bodies cut at 4 KiB,
/// and any
/// `Content-Encoding` refused (libcurl may already have inflated it, unbounded).
/// Redirects are URLSession's own (its limit, http and https only): a delegate that
/// refuses one, by answering nil or by cancelling, makes FoundationNetworking trap
/// ("Transfer completed, but there's no response", measured on Swift 6.3).
/// What it cannot do (measured, README "fetch"): libcurl reads ahead of the delegate
/// without back-pressure, and FoundationNetworking traps on a `Content-Length` of 2^63
/// before any delegate sees it. Plain `http://` goes through `PlainHTTPClient`, which
/// has neither weakness.
enum URLSessionTransport {
    static func exchange(
        _ hop: HTTPHop, deadline: FetchDeadline, maxBytes: Int, tick: (Int) -> Void
    ) throws(FetchFailure) -> HTTPExchange {
        var req = URLRequest(url: hop.url)
        req.httpMethod = hop.method
        if let body = hop.body { req.httpBody = Data(body) }
        if let ct = hop.contentType { req.setValue(ct, forHTTPHeaderField: "Content-Type") }
        req.setValue("flamegate", forHTTPHeaderField: "User-Agent")
        req.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        let left = max(Double(deadline.remainingMilliseconds) / 1000, 0.001)
        req.timeoutInterval = left

        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = left
        config.timeoutIntervalForResource = left
        config.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.connectionProxyDictionary = [:]
        let state = SessionDelegate(maxBytes: maxBytes)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: config, delegate: state, delegateQueue: queue)
        let task = session.dataTask(with: req)
        task.resume()
        // The wait is the deadline, to the slice: URLSession's own timeouts are not relied on.
        while true {
            let slice = min(deadline.remainingMilliseconds, 250)
            if slice <= 0 || state.done.wait(timeout: .now() + .milliseconds(slice)) == .success { break }
            tick(state.received)
        }
        guard let r = state.finish() else {
            // Cancelling waits on the session's queue, which a flooding server keeps busy
            // (measured: seconds): cancel from elsewhere and return now.
            DispatchQueue.global().async {
                task.cancel()
                session.invalidateAndCancel()
            }
            throw FetchFailure.timedOut(deadline.timeout)
        }
        DispatchQueue.global().async { session.invalidateAndCancel() }
        if let e = r.failure { throw e }
        if let e = r.error { throw FetchFailure(describe(e, timeout: deadline.timeout)) }
        guard let status = r.status else { throw FetchFailure("no HTTP response") }
        return HTTPExchange(
            status: status, contentType: r.contentType, location: r.location, contentEncoding: [], body: r.body)
    }

    static func describe(_ error: Error, timeout: Double) -> String {
        if let u = error as? URLError {
            switch u.code {
            case .timedOut: return FetchFailure.timedOut(timeout).message
            case .cannotConnectToHost: return "cannot connect (connection refused)"
            case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host name"
            case .networkConnectionLost: return "the connection was closed or reset before the answer was complete"
            case .badServerResponse: return "the server's answer is not valid HTTP"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                return "TLS handshake failed: \(u.localizedDescription)"
            case .unsupportedURL: return "unsupported URL"
            case .httpTooManyRedirects: return "too many redirects"
            default: break
            }
            return "request failed: \(u.localizedDescription) (URLError \(u.code.rawValue))"
        }
        return "request failed: \(error.localizedDescription)"
    }
}

/// The delegate: feeds a `BodyCollector` under a lock and cancels the task as soon as
/// it wants no more (cap, error body complete, redirect, encoded body).
final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var collector: BodyCollector
    private var status: Int? = nil
    private var contentType: String? = nil
    private var location: String? = nil
    private var error: Error? = nil
    private var failure: FetchFailure? = nil
    private var stopped = false  // we cancelled on purpose: the cancellation error is not one
    private var completed = false
    private var abandoned = false
    private var signalled = false

    init(maxBytes: Int) { collector = BodyCollector(maxBytes: maxBytes) }

    var received: Int { lock.withLock { collector.count } }

    struct Outcome {
        var status: Int?
        var contentType: String?
        var location: String?
        var body: [UInt8]
        var error: Error?
        var failure: FetchFailure?
    }

    /// The outcome once the task completed; nil (and later callbacks ignored) when it has not.
    func finish() -> Outcome? {
        lock.withLock {
            guard completed || stopped else {
                abandoned = true
                return nil
            }
            return Outcome(
                status: status, contentType: contentType, location: location, body: collector.take(),
                error: stopped ? nil : error, failure: failure)
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        let proceed: Bool = lock.withLock {
            if abandoned { return false }
            let s = http?.statusCode ?? 0
            status = s
            contentType = http?.value(forHTTPHeaderField: "Content-Type").map(Self.clean)
            location = http?.value(forHTTPHeaderField: "Location").map(Self.clean)
            let encoding = (http?.value(forHTTPHeaderField: "Content-Encoding") ?? "")
                .split(separator: ",").map { $0.trimmingSpaces().lowercased() }
                .filter { !$0.isEmpty && $0 != "identity" }
            let expected = response.expectedContentLength
            do throws(FetchFailure) {
                if (200..<300).contains(s) && !encoding.isEmpty {
                    throw FetchFailure(
                        "the server sent Content-Encoding: \(encoding.joined(separator: ", ")) although asked for identity; over https:// flamegate does not decode it (it cannot bound what libcurl inflates)"
                    )
                }
                try collector.begin(
                    status: s, declaredLength: expected >= 0 ? Int(expected) : nil, hasLocation: location != nil)
            } catch {
                failure = error
                stopped = true
                return false
            }
            if !collector.wantsBody { stopped = true }
            return collector.wantsBody
        }
        completionHandler(proceed ? .allow : .cancel)
        if !proceed { signalOnce() }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let more: Bool = lock.withLock {
            if abandoned || stopped { return false }
            do throws(FetchFailure) {
                if try collector.append(Array(data)[...]) { return true }
            } catch {
                failure = error
            }
            stopped = true
            return false
        }
        if !more {
            dataTask.cancel()
            signalOnce()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock {
            completed = true
            self.error = error
        }
        signalOnce()
    }

    /// Wakes the waiting fetch once: when the task completed, or as soon as the delegate
    /// stopped it (the cap, a full error body, a refused head). libcurl's own teardown
    /// of a cancelled transfer can take as long as the server keeps the connection open.
    private func signalOnce() {
        let first: Bool = lock.withLock {
            if signalled { return false }
            signalled = true
            return true
        }
        if first { done.signal() }
    }

    /// A header value from libcurl, printable on one line.
    static func clean(_ s: String) -> String {
        HTTPResponseParser.printable(Array(s.utf8).filter { $0 >= 0x80 || $0 >= 0x20 && $0 != 0x7F })
    }
}
