import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// HTTP/1.1 over a plain TCP socket, for `http://` (what `/debug/pprof` endpoints
/// serve): one request per connection (`Connection: close`), non-blocking I/O where
/// every wait is a `poll` bounded by the fetch's deadline, so `--timeout` holds to the
/// millisecond whatever the server does; the connection is closed at once on any
/// error, cap or deadline. Bytes go through `HTTPResponseParser` into a `BodyCollector`;
/// nothing is buffered past one 64 KiB read.
enum PlainHTTPClient {
    /// Size of one read.
    static let readSize = 64 << 10

    /// One hop: connect, send, read the answer.
    static func exchange(
        _ hop: HTTPHop, deadline: FetchDeadline, maxBytes: Int, tick: (Int) -> Void
    ) throws(FetchFailure) -> HTTPExchange {
        let target = try Target(hop.url)
        let addresses = try resolve(target.host, port: target.port, deadline: deadline)
        let fd = try connect(addresses, deadline: deadline)
        defer { close(fd) }
        try sendAll(fd, request(hop, target), deadline: deadline)
        return try receive(fd, method: hop.method, deadline: deadline, maxBytes: maxBytes, tick: tick)
    }

    /// Host, port and request target of an `http://` URL.
    struct Target {
        var host: String
        var port: Int
        var hostHeader: String
        var path: String

        init(_ url: URL) throws(FetchFailure) {
            guard let c = URLComponents(url: url, resolvingAgainstBaseURL: true), c.scheme?.lowercased() == "http",
                var host = c.host, !host.isEmpty
            else { throw FetchFailure("not a valid http:// URL") }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            // Letters, digits and what host names and IP literals use; nothing that could
            // break the request line or the Host header.
            guard host.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || ".-_:%".utf8.contains($0)) })
            else { throw FetchFailure("not a valid host name: \(HTTPResponseParser.printable(Array(host.utf8)))") }
            let port = c.port ?? 80
            guard (1...65535).contains(port) else { throw FetchFailure("port \(port) is out of range") }
            self.host = host
            self.port = port
            let h = host.contains(":") ? "[\(host)]" : host
            hostHeader = port == 80 ? h : "\(h):\(port)"
            var p = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
            if let q = c.percentEncodedQuery { p += "?" + q }
            guard p.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw FetchFailure("not a valid URL path") }
            path = p
        }
    }

    /// The request: identity encoding asked for explicitly (see `HTTPFetch`).
    static func request(_ hop: HTTPHop, _ t: Target) -> [UInt8] {
        var head = "\(hop.method) \(t.path) HTTP/1.1\r\nHost: \(t.hostHeader)\r\nUser-Agent: flamegate\r\n"
        head += "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n"
        if let body = hop.body {
            if let ct = hop.contentType { head += "Content-Type: \(ct)\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        return Array((head + "\r\n").utf8) + (hop.body ?? [])
    }

    // MARK: - Name resolution

    struct Address {
        var family: Int32
        var socktype: Int32
        var proto: Int32
        var storage: [UInt8]
    }

    /// getaddrinfo has no timeout: it runs on a thread of its own and is abandoned (it
    /// frees its own result) when the deadline comes first.
    static func resolve(_ host: String, port: Int, deadline: FetchDeadline) throws(FetchFailure) -> [Address] {
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            let done = DispatchSemaphore(value: 0)
            var result: Result<[Address], FetchFailure>? = nil
        }
        let box = Box()
        let thread = Thread {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>? = nil
            let rc = getaddrinfo(host, String(port), &hints, &list)
            var out: [Address] = []
            if rc == 0 {
                var p = list
                while let a = p {
                    if let sa = a.pointee.ai_addr {
                        let bytes = Array(UnsafeRawBufferPointer(start: sa, count: Int(a.pointee.ai_addrlen)))
                        out.append(
                            Address(
                                family: a.pointee.ai_family, socktype: a.pointee.ai_socktype,
                                proto: a.pointee.ai_protocol, storage: bytes))
                    }
                    p = a.pointee.ai_next
                }
                freeaddrinfo(list)
            }
            let r: Result<[Address], FetchFailure> =
                rc == 0 && !out.isEmpty ? .success(out) : .failure(FetchFailure("cannot resolve the host name"))
            box.lock.withLock { box.result = r }
            box.done.signal()
        }
        thread.start()
        if box.done.wait(timeout: .now() + .milliseconds(deadline.remainingMilliseconds)) == .timedOut {
            throw FetchFailure.timedOut(deadline.timeout)
        }
        let r = box.lock.withLock { box.result }
        switch r {
        case .success(let a): return a
        case .failure(let e): throw e
        case nil: throw FetchFailure("cannot resolve the host name")
        }
    }

    // MARK: - Socket

    static func connect(_ addresses: [Address], deadline: FetchDeadline) throws(FetchFailure) -> Int32 {
        var lastError: Int32 = ECONNREFUSED
        for a in addresses {
            try deadline.check()
            let fd = socket(
                a.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                a.proto)
            if fd < 0 {
                lastError = errno
                continue
            }
            let rc = a.storage.withUnsafeBytes {
                Glibc.connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
            }
            if rc == 0 { return fd }
            var err = errno
            if err == EINPROGRESS {
                do {
                    try wait(fd, events: Int16(POLLOUT), deadline: deadline)
                } catch {
                    close(fd)
                    throw error
                }
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                if soError == 0 { return fd }
                err = soError
            }
            close(fd)
            lastError = err
        }
        if lastError == ECONNREFUSED { throw FetchFailure("cannot connect (connection refused)") }
        throw FetchFailure("cannot connect: \(String(cString: strerror(lastError)))")
    }

    /// Waits until `fd` is ready for `events`, at most until the deadline and at most
    /// `slice` ms (then returns false, for the progress display).
    @discardableResult
    static func wait(_ fd: Int32, events: Int16, deadline: FetchDeadline, slice: Int = Int.max) throws(FetchFailure)
        -> Bool
    {
        while true {
            let left = deadline.remainingMilliseconds
            if left <= 0 { throw FetchFailure.timedOut(deadline.timeout) }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, Int32(min(left, slice, 1 << 30)))
            if n > 0 { return true }
            if n == 0 {
                if slice < left { return false }
                continue
            }
            if errno != EINTR { throw FetchFailure("poll failed: \(String(cString: strerror(errno)))") }
        }
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8], deadline: FetchDeadline) throws(FetchFailure) {
        var off = 0
        while off < bytes.count {
            try wait(fd, events: Int16(POLLOUT), deadline: deadline)
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                off += n
            } else if n < 0 && errno != EAGAIN && errno != EINTR {
                throw FetchFailure("the connection was closed or reset before the request was sent")
            }
        }
    }

    /// Reads and parses the answer until the body ends, the collector wants no more,
    /// or the deadline.
    static func receive(
        _ fd: Int32, method: String, deadline: FetchDeadline, maxBytes: Int, tick: (Int) -> Void
    ) throws(FetchFailure) -> HTTPExchange {
        var parser = HTTPResponseParser(method: method)
        var collector = BodyCollector(maxBytes: maxBytes)
        var head: HTTPResponseHead? = nil
        var buffer = [UInt8](repeating: 0, count: readSize)
        var reading = true
        while reading {
            tick(collector.count)
            if !(try wait(fd, events: Int16(POLLIN), deadline: deadline, slice: 250)) { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            var events: [HTTPResponseParser.Event] = []
            do throws(HTTPParseError) {
                if n > 0 {
                    var input = buffer[0..<n]
                    while let e = try parser.next(&input) { events.append(e) }
                } else if n == 0 {
                    if let e = try parser.finish() { events.append(e) }
                    if events.isEmpty { reading = false }
                } else if errno == EAGAIN || errno == EINTR {
                    continue
                } else {
                    throw HTTPParseError("the connection was closed or reset before the answer was complete")
                }
            } catch {
                throw FetchFailure(describe(error))
            }
            for e in events {
                switch e {
                case .head(let h, let framing):
                    head = h
                    var declared: Int? = nil
                    if case .length(let l) = framing { declared = l }
                    try collector.begin(
                        status: h.status, declaredLength: declared, hasLocation: h.value("location") != nil)
                    if !collector.wantsBody { reading = false }
                case .body(let bytes):
                    if !(try collector.append(bytes)) { reading = false }
                case .end:
                    reading = false
                }
                if !reading { break }
            }
        }
        guard let h = head else { throw FetchFailure("the server closed the connection without answering") }
        return HTTPExchange(
            // Shown in messages: non-ASCII (bidi overrides, C1 controls) as \xNN.
            status: h.status, contentType: h.value("content-type").map { HTTPResponseParser.printable(Array($0.utf8)) },
            location: h.value("location"),
            contentEncoding: h.tokens("content-encoding").filter { $0 != "identity" }, body: collector.take())
    }

    /// Parser errors in the words of the error line (`TLSHTTPClient` uses them too).
    static func describe(_ e: HTTPParseError) -> String {
        if e.message.hasPrefix("the connection was closed") || e.message.hasPrefix("the server closed") {
            return e.message
        }
        return "the server's answer is not valid HTTP/1.1: \(e.message)"
    }
}
