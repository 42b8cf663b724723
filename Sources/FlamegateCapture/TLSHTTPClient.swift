import AsyncHTTPClient
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// `https://` through AsyncHTTPClient (SwiftNIO, BoringSSL), with the guarantees of
/// `PlainHTTPClient`: no decompression and no redirects of its own (`HTTPFetch` decodes
/// gzip bounded by the cap and follows redirects), the declared length checked on the
/// head with `HTTPBodyFraming.of` before any body byte, the body fed piece by piece into
/// the same `BodyCollector` (a piece is asked for only after the last one was taken, so
/// memory stays bounded whatever the server sends), and one deadline: AsyncHTTPClient's
/// own, and ours, which cancels the request. TLS verification is the default one.
enum TLSHTTPClient {
    static func exchange(
        _ hop: HTTPHop, deadline: FetchDeadline, maxBytes: Int, extraTrustRoots: [String], tick: (Int) -> Void
    ) throws(FetchFailure) -> HTTPExchange {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !extraTrustRoots.isEmpty {
            let certs = extraTrustRoots.compactMap { try? NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }.flatMap { $0 }
            tls.additionalTrustRoots = [.certificates(certs)]
        }
        var config = HTTPClient.Configuration()
        config.tlsConfiguration = tls
        config.redirectConfiguration = .disallow
        config.decompression = .disabled
        config.proxy = nil
        // A refused certificate or connection is the answer: not retried until the deadline.
        config.connectionPool.retryConnectionEstablishment = false
        let left = Int64(max(deadline.remainingMilliseconds, 1))
        config.timeout = .init(connect: .milliseconds(left), read: .milliseconds(left))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        // Shut down on every path: it closes the connection (a flooding server included).
        defer { try? client.syncShutdown() }

        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: "flamegate")
        headers.add(name: "Accept-Encoding", value: "identity")
        if let ct = hop.contentType { headers.add(name: "Content-Type", value: ct) }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: hop.url.absoluteString, method: HTTPMethod(rawValue: hop.method), headers: headers,
                body: hop.body.map { .bytes($0) })
        } catch {
            throw FetchFailure("unsupported URL: \(error)")
        }
        let delegate = CollectingDelegate(maxBytes: maxBytes, method: hop.method)
        let task = client.execute(
            request: request, delegate: delegate, deadline: .now() + .milliseconds(left))
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        task.futureResult.whenComplete { result in
            outcome.set(result)
            done.signal()
        }
        while true {
            let slice = min(deadline.remainingMilliseconds, 250)
            if slice <= 0 {
                task.cancel()
                throw FetchFailure.timedOut(deadline.timeout)
            }
            if done.wait(timeout: .now() + .milliseconds(slice)) == .success { break }
            tick(delegate.received)
        }
        return try delegate.exchange(outcome.get(), timeout: deadline.timeout)
    }

    /// A NIO or AsyncHTTPClient error in the words of the http path.
    static func describe(_ error: Error, timeout: Double) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .cancelled:
                return FetchFailure.timedOut(timeout).message
            case .remoteConnectionClosed:
                return "the connection was closed or reset before the answer was complete"
            default: return "request failed: \(e)"
            }
        }
        if error is NIOSSLError || error is BoringSSLError { return "TLS handshake failed: \(error)" }
        if let e = error as? HTTPParserError {
            return "the server's answer is not valid HTTP/1.1: \(e)"
        }
        if error is IOError { return "cannot connect: \(error)" }
        return "request failed: \(error)"
    }
}

/// The request's result, handed from the event loop to the waiting thread.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, Error>? = nil
    func set(_ r: Result<Void, Error>) { lock.withLock { result = r } }
    func get() -> Result<Void, Error>? { lock.withLock { result } }
}

/// Stops a request on purpose (cap reached, error body complete, head refused); what
/// was decided is in the delegate, so this error is not one.
private struct Stop: Error {}

/// Feeds a `BodyCollector` from AsyncHTTPClient's callbacks (on its event loop; read
/// under a lock by the waiting thread). The next body piece is read only once the
/// future returned for this one completes, so nothing queues ahead of the collector.
private final class CollectingDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void
    private let lock = NSLock()
    private var collector: BodyCollector
    private let method: String
    private var head: HTTPResponseHead? = nil
    private var failure: FetchFailure? = nil

    init(maxBytes: Int, method: String) {
        collector = BodyCollector(maxBytes: maxBytes)
        self.method = method
    }

    var received: Int { lock.withLock { collector.count } }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ nioHead: NIOHTTP1.HTTPResponseHead) -> EventLoopFuture<Void> {
        let go: Bool = lock.withLock {
            let h = HTTPResponseHead(
                minorVersion: Int(nioHead.version.minor), status: Int(nioHead.status.code),
                headers: nioHead.headers.map {
                    HTTPResponseHead.Field(
                        name: $0.name.lowercased(),
                        value: HTTPResponseParser.printable(
                            Array($0.value.utf8).filter { $0 >= 0x80 || $0 >= 0x20 && $0 != 0x7F }
                        ).trimmingSpaces())
                })
            head = h
            do throws(FetchFailure) {
                let framing: HTTPBodyFraming
                do throws(HTTPParseError) { framing = try HTTPBodyFraming.of(h, method: method) } catch {
                    throw FetchFailure(PlainHTTPClient.describe(error))
                }
                var declared: Int? = nil
                if case .length(let l) = framing { declared = l }
                try collector.begin(status: h.status, declaredLength: declared, hasLocation: h.value("location") != nil)
            } catch {
                failure = error
                return false
            }
            return collector.wantsBody
        }
        return go ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(Stop())
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let more: Bool = lock.withLock {
            if failure != nil { return false }
            do throws(FetchFailure) {
                return try collector.append(Array(buffer.readableBytesView)[...])
            } catch {
                failure = error
                return false
            }
        }
        return more ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(Stop())
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {}

    /// The hop's answer once the request ended (or was stopped on purpose).
    func exchange(_ result: Result<Void, Error>?, timeout: Double) throws(FetchFailure) -> HTTPExchange {
        let (failure, head, body) = lock.withLock { (self.failure, self.head, collector.take()) }
        if let f = failure { throw f }
        if case .failure(let e) = result, !(e is Stop) {
            throw FetchFailure(TLSHTTPClient.describe(e, timeout: timeout))
        }
        guard let h = head else { throw FetchFailure("the server closed the connection without answering") }
        return HTTPExchange(
            status: h.status, contentType: h.value("content-type"), location: h.value("location"),
            contentEncoding: h.tokens("content-encoding").filter { $0 != "identity" }, body: body)
    }
}
