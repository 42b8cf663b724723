import Dispatch
import Foundation

/// A request, one hop: what `HTTPFetch` hands a transport (the socket client for
/// `http://`, AsyncHTTPClient for `https://`), redirects being followed by `HTTPFetch`.
struct HTTPHop: Sendable {
    var url: URL
    var method: String
    var body: [UInt8]?
    var contentType: String?
}

/// What a transport brings back from one hop: the status and the headers `HTTPFetch`
/// uses, and the body as `BodyCollector` kept it.
struct HTTPExchange: Sendable {
    var status: Int
    var contentType: String?
    var location: String?
    /// `Content-Encoding` items, lowercased, `identity` dropped.
    var contentEncoding: [String]
    var body: [UInt8]
}

/// A transport's failure, in words for the error line (`HTTPFetch` adds the URL).
struct FetchFailure: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }

    static func timedOut(_ timeout: Double) -> FetchFailure {
        FetchFailure("timed out after \(HTTPFetch.format(timeout)) s (raise --timeout)")
    }
}

/// One clock for the whole fetch, redirects included: every wait is bounded by what
/// is left of `--timeout`.
struct FetchDeadline: Sendable {
    let start: UInt64
    let end: UInt64
    let timeout: Double

    init(timeout: Double) {
        self.timeout = timeout
        start = DispatchTime.now().uptimeNanoseconds
        let ns = min(timeout * 1e9, Double(UInt64.max / 4))
        end = start &+ UInt64(ns)
    }

    /// Seconds since the fetch started.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    /// Milliseconds left, at least 0 (rounded up, so that a wait never ends early).
    var remainingMilliseconds: Int {
        let now = DispatchTime.now().uptimeNanoseconds
        return now >= end ? 0 : Int((end - now + 999_999) / 1_000_000)
    }
    var expired: Bool { DispatchTime.now().uptimeNanoseconds >= end }
    func check() throws(FetchFailure) { if expired { throw FetchFailure.timedOut(timeout) } }
}

/// What is kept of a body, and when to stop reading: a 2xx body whole up to
/// `--max-bytes` (more is an error, so nothing past the cap is ever held); a redirect's
/// none; any other status's first `errorBodyLimit` bytes, for the error line, after which
/// the connection is dropped (an endless error page costs 4 KiB and no time).
///
/// The body is held in 1 MiB pieces joined once at the end: no read ever waits on the
/// copy of a doubling array (hundreds of MB near a 1 GiB cap, which would overrun the
/// deadline), and the join frees each piece as it goes (peak ≈ the body + 1 MiB).
struct BodyCollector: Sendable {
    /// Bytes of a non-2xx answer kept for the message.
    static let errorBodyLimit = 4096
    /// Size of one piece of a body.
    static let pieceSize = 1 << 20

    let maxBytes: Int
    private(set) var status = 0
    private(set) var count = 0
    private(set) var wantsBody = true
    private var pieces: [[UInt8]] = []
    private var current: [UInt8] = []

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    static func isRedirect(_ status: Int) -> Bool { [301, 302, 303, 307, 308].contains(status) }

    func capFailure(declared: Int? = nil) -> FetchFailure {
        let what = declared.map { "it declares Content-Length: \($0); " } ?? ""
        return FetchFailure("the response is larger than the \(maxBytes)-byte cap (\(what)raise --max-bytes)")
    }

    /// The head arrived: checks a declared length against the cap before any byte of the
    /// body is read.
    mutating func begin(status: Int, declaredLength: Int?, hasLocation: Bool) throws(FetchFailure) {
        self.status = status
        if (200..<300).contains(status) {
            if let n = declaredLength, n > maxBytes { throw capFailure(declared: n) }
            wantsBody = true
        } else {
            wantsBody = !(Self.isRedirect(status) && hasLocation)
        }
    }

    /// Body bytes arrived; false when no more are wanted (stop reading).
    mutating func append(_ bytes: ArraySlice<UInt8>) throws(FetchFailure) -> Bool {
        guard wantsBody else { return false }
        if (200..<300).contains(status) {
            if bytes.count > maxBytes - count { throw capFailure() }
            var rest = bytes
            while !rest.isEmpty {
                if current.capacity == 0 { current.reserveCapacity(Self.pieceSize) }
                let n = min(rest.count, Self.pieceSize - current.count)
                current.append(contentsOf: rest[rest.startIndex..<(rest.startIndex + n)])
                rest = rest[(rest.startIndex + n)...]
                if current.count == Self.pieceSize {
                    pieces.append(current)
                    current = []
                }
            }
            count += bytes.count
            return true
        }
        let keep = bytes.prefix(Self.errorBodyLimit - count)
        current.append(contentsOf: keep)
        count += keep.count
        if count >= Self.errorBodyLimit { wantsBody = false }
        return wantsBody
    }

    /// The body, joined (the collector is left empty).
    mutating func take() -> [UInt8] {
        if pieces.isEmpty {
            defer { current = [] }
            return current
        }
        var out = [UInt8]()
        out.reserveCapacity(count)
        pieces.append(current)
        current = []
        pieces.reverse()
        while let p = pieces.popLast() { out.append(contentsOf: p) }
        count = 0
        return out
    }
}
