import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server for the capture failure modes: each connection runs the
/// route's handler on its own thread. Everything is bounded: accept polls in 100 ms
/// steps, stops after `stop()` or 120 s, and serves at most 200 connections.
public final class LoopbackServer: @unchecked Sendable {
    public struct Request {
        public var method: String
        public var target: String
        public var body: [UInt8]
    }
    public typealias Handler = @Sendable (Request, Int32, LoopbackServer) -> Void

    public let port: Int
    private let listenFD: Int32
    private let lock = NSLock()
    private var stopped = false
    private let handler: Handler

    public var base: String { "http://127.0.0.1:\(port)" }
    public var isStopped: Bool { lock.withLock { stopped } }

    public init(_ handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    public func stop() {
        lock.withLock { stopped = true }
    }

    private func acceptLoop() {
        let deadline = Date().addingTimeInterval(120)
        var served = 0
        while !isStopped && Date() < deadline && served < 200 {
            var p = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 100) <= 0 { continue }
            let c = accept(listenFD, nil, nil)
            if c < 0 { continue }
            served += 1
            let t = Thread { [self] in
                if let req = readRequest(c) { handler(req, c, self) }
                close(c)
            }
            t.start()
        }
        close(listenFD)
    }

    /// Reads a request (headers and a Content-Length body), at most 2 s and 1 MiB.
    private func readRequest(_ fd: Int32) -> Request? {
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        let end = Array("\r\n\r\n".utf8)
        let deadline = Date().addingTimeInterval(2)
        var headerEnd: Int? = nil
        var want = 0
        while Date() < deadline && buf.count < 1 << 20 {
            if let h = headerEnd, buf.count >= h + want { break }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 100) <= 0 { continue }
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return nil }
            buf.append(contentsOf: chunk[0..<n])
            if headerEnd == nil, let r = buf.firstRange(of: end) {
                headerEnd = r.upperBound
                let head = String(decoding: buf[0..<r.lowerBound], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    want = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let h = headerEnd else { return nil }
        let first = String(decoding: buf[0..<h], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = first.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        return Request(method: String(parts[0]), target: String(parts[1]), body: Array(buf[h...]))
    }

    /// Writes all of `bytes`; false once the client has gone. MSG_NOSIGNAL: a client that
    /// hangs up mid-response (the size cap, a timeout) must not SIGPIPE the test process.
    @discardableResult
    public static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    public static func respond(_ fd: Int32, status: String, headers: [String] = [], body: [UInt8]) {
        var head = "HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for h in headers { head += h + "\r\n" }
        send(fd, Array((head + "\r\n").utf8) + body)
    }

    /// Closes with a TCP reset (SO_LINGER 0).
    public static func reset(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }
}

/// The routes of the failure-mode server.
public enum TestRoutes {
    public static let profile: [UInt8] = Array(
        (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pprof/go1.27/cpu.pb.gz")))) ?? Data())
    public static let perfText: [UInt8] = Array(
        (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("perf/cwork.perf.txt")))) ?? Data())

    public static func handle(_ r: LoopbackServer.Request, _ fd: Int32, _ server: LoopbackServer) {
        let path = String(r.target.split(separator: "?", maxSplits: 1).first ?? "")
        let query = r.target.contains("?") ? String(r.target.split(separator: "?", maxSplits: 1)[1]) : ""
        switch path {
        case "/debug/pprof/profile":
            // Honour ?seconds=N (capped at 3 s) like Go, then answer a real profile.
            let secs = min(
                3, Int(query.split(separator: "&").first { $0.hasPrefix("seconds=") }?.dropFirst(8) ?? "0") ?? 0)
            for _ in 0..<(secs * 20) where !server.isStopped { usleep(50_000) }
            LoopbackServer.respond(
                fd, status: "200 OK", headers: ["Content-Type: application/octet-stream"], body: profile)
        case "/ok":
            LoopbackServer.respond(fd, status: "200 OK", body: profile)
        case "/redirect":
            LoopbackServer.respond(fd, status: "302 Found", headers: ["Location: /redirect2"], body: [])
        case "/redirect2":
            LoopbackServer.respond(fd, status: "307 Temporary Redirect", headers: ["Location: /ok"], body: [])
        case "/slow":
            for _ in 0..<100 where !server.isStopped { usleep(50_000) }  // 5 s at most
            LoopbackServer.respond(fd, status: "200 OK", body: profile)
        case "/big", "/big-declared":
            // 8 MiB of zeros; /big-declared says so up front, /big streams without a length.
            let declared = path == "/big-declared"
            let head =
                "HTTP/1.1 200 OK\r\n" + (declared ? "Content-Length: \(8 << 20)\r\n" : "") + "Connection: close\r\n\r\n"
            guard LoopbackServer.send(fd, Array(head.utf8)) else { return }
            let chunk = [UInt8](repeating: 0, count: 64 << 10)
            for _ in 0..<128 where !server.isStopped { if !LoopbackServer.send(fd, chunk) { return } }
        case "/500":
            LoopbackServer.respond(
                fd, status: "500 Internal Server Error", body: Array("internal failure: database on fire\n".utf8))
        case "/400":
            LoopbackServer.respond(
                fd, status: "400 Bad Request", headers: ["Content-Type: text/plain; charset=utf-8"],
                body: Array("profile duration exceeds server's WriteTimeout\n".utf8))
        case "/garbage":
            LoopbackServer.send(fd, Array("\u{0}\u{1}SSH-2.0-not-http\r\n\u{7f}\u{0}garbage garbage\r\n\r\n".utf8))
        case "/garbage-body":
            LoopbackServer.respond(
                fd, status: "200 OK", body: Array("<html>this is a login page, not a profile</html>\n\u{0}\u{1}".utf8))
        case "/login":
            LoopbackServer.respond(
                fd, status: "200 OK", headers: ["Content-Type: text/html; charset=utf-8"],
                body: Array("<!DOCTYPE html>\n<html><title>Sign in</title></html>\n".utf8))
        case "/json-error":
            LoopbackServer.respond(
                fd, status: "200 OK", headers: ["Content-Type: application/json"],
                body: Array("{\"error\":\"unauthorized\"}\n".utf8))
        case "/jpeg":
            LoopbackServer.respond(
                fd, status: "200 OK", headers: ["Content-Type: image/jpeg"], body: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])
        case "/debug/pprof/trace":
            // A Go execution trace's header: binary, not pprof, and a legitimate capture.
            LoopbackServer.respond(
                fd, status: "200 OK", headers: ["Content-Type: application/octet-stream"],
                body: Array("go 1.22 trace\u{0}\u{0}\u{0}".utf8) + [0x01, 0x02, 0x80, 0x00])
        case "/empty":
            LoopbackServer.respond(fd, status: "200 OK", body: [])
        case "/reset":
            LoopbackServer.send(
                fd, Array("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".utf8) + Array(profile.prefix(1000)))
            usleep(100_000)
            LoopbackServer.reset(fd)
        case "/sample":
            // swift-profile-recorder: POST with a JSON body, answers perf script text.
            let body = String(decoding: r.body, as: UTF8.self)
            if r.method == "POST" && body.contains("\"numberOfSamples\":")
                && body.contains("\"timeInterval\":\"10 ms\"")
            {
                LoopbackServer.respond(fd, status: "200 OK", body: perfText)
            } else {
                LoopbackServer.respond(
                    fd, status: "400 Bad Request", body: Array("want POST with JSON, got \(r.method) \(body)".utf8))
            }
        default:
            LoopbackServer.respond(fd, status: "404 Not Found", body: Array("404 page not found\n".utf8))
        }
    }
}
