import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server for the capture failure modes: each connection runs the
/// route's handler on its own thread. Everything is bounded: accept polls in 100 ms
/// steps, stops after `stop()` or 120 s, and serves at most 200 connections.
final class LoopbackServer: @unchecked Sendable {
    struct Request {
        var method: String
        var target: String
        var body: [UInt8]
    }
    typealias Handler = @Sendable (Request, Int32, LoopbackServer) -> Void

    let port: Int
    private let listenFD: Int32
    private let lock = NSLock()
    private var stopped = false
    private let handler: Handler

    var base: String { "http://127.0.0.1:\(port)" }
    var isStopped: Bool { lock.withLock { stopped } }

    init(_ handler: @escaping Handler) throws {
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

    func stop() {
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

    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    static func respond(_ fd: Int32, status: String, headers: [String] = [], body: [UInt8]) {
        var head = "HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for h in headers { head += h + "\r\n" }
        send(fd, Array((head + "\r\n").utf8) + body)
    }

    /// Closes with a TCP reset (SO_LINGER 0).
    static func reset(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }
}

/// The routes of the failure-mode server.
enum TestRoutes {
    static let profile: [UInt8] = Array(
        (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pprof/go1.27/cpu.pb.gz")))) ?? Data())
    static let perfText: [UInt8] = Array(
        (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("perf/cwork.perf.txt")))) ?? Data())

    static func handle(_ r: LoopbackServer.Request, _ fd: Int32, _ server: LoopbackServer) {
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

@Suite(.serialized) struct CaptureServerTests {
    func withServer(_ body: (LoopbackServer) throws -> Void) throws {
        let s = try LoopbackServer { r, fd, server in TestRoutes.handle(r, fd, server) }
        defer { s.stop() }
        try body(s)
    }

    func error(_ f: () throws -> Void) -> InputError? {
        do { try f() } catch let e as InputError { return e } catch { Issue.record("not an InputError: \(error)") }
        return nil
    }

    @Test func readsAProfileByURL() throws {
        try withServer { s in
            let p = try ProfileInput.readAny(s.base + "/ok", opener: .network)
            let file = try ProfileInput.readAny(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
            #expect(p.totals() == file.totals())
            // A base URL with --seconds: /debug/pprof/profile?seconds=1.
            let bytes = try Capture.fetch(s.base, profile: .cpu, seconds: 1, options: FetchOptions(progress: false))
            #expect(bytes == TestRoutes.profile)
        }
    }

    @Test func followsRedirects() throws {
        try withServer { s in
            let bytes = try Capture.fetch(s.base + "/redirect", options: FetchOptions(progress: false))
            #expect(bytes == TestRoutes.profile)
        }
    }

    @Test func timesOut() throws {
        try withServer { s in
            let start = Date()
            let e = error {
                _ = try Capture.fetch(s.base + "/slow", options: FetchOptions(timeout: 1, progress: false))
            }
            #expect(e?.source == s.base + "/slow")
            #expect(e?.message.contains("timed out after 1 s") == true, "\(String(describing: e))")
            #expect(Date().timeIntervalSince(start) < 4.5)
        }
    }

    @Test func capsTheResponseWhileStreaming() throws {
        try withServer { s in
            for path in ["/big", "/big-declared"] {
                let e = error {
                    _ = try Capture.fetch(
                        s.base + path, options: FetchOptions(timeout: 20, maxBytes: 1 << 20, progress: false))
                }
                #expect(
                    e?.message.contains("larger than the 1048576-byte cap") == true, "\(path): \(String(describing: e))"
                )
            }
            // Under a large enough cap it arrives whole.
            let all = try Capture.fetch(
                s.base + "/big", options: FetchOptions(timeout: 20, maxBytes: 9 << 20, progress: false))
            #expect(all.count == 8 << 20)
        }
    }

    @Test func httpErrorsCarryTheServersMessage() throws {
        try withServer { s in
            let e500 = error { _ = try Capture.fetch(s.base + "/500", options: FetchOptions(progress: false)) }
            #expect(
                e500?.description == "\(s.base)/500: HTTP 500 Internal Server Error: internal failure: database on fire"
            )
            let e400 = error {
                _ = try Capture.fetch(s.base + "/400?seconds=60", options: FetchOptions(progress: false))
            }
            #expect(
                e400?.message.hasPrefix("HTTP 400 Bad Request: profile duration exceeds server's WriteTimeout") == true,
                "\(String(describing: e400))")
            let e404 = error {
                _ = try Capture.fetch(s.base + "/debug/pprof/nosuch", options: FetchOptions(progress: false))
            }
            #expect(e404?.message.contains("404") == true)
        }
    }

    @Test func garbageResetAndRefused() throws {
        try withServer { s in
            let g = error {
                _ = try Capture.fetch(s.base + "/garbage", options: FetchOptions(timeout: 5, progress: false))
            }
            #expect(g != nil)
            #expect(g?.source == s.base + "/garbage")
            let r = error {
                _ = try Capture.fetch(s.base + "/reset", options: FetchOptions(timeout: 5, progress: false))
            }
            #expect(r != nil)
            #expect(r?.source == s.base + "/reset")
            // A 200 that is not a profile: the reader says so, naming the URL.
            let b = error { _ = try ProfileInput.readAny(s.base + "/garbage-body", opener: .network) }
            #expect(b?.source == s.base + "/garbage-body")
            let empty = error { _ = try ProfileInput.readAny(s.base + "/empty", opener: .network) }
            #expect(empty?.message.hasPrefix("empty") == true)
        }
        // Nothing listens on a port we just closed.
        let dead = try LoopbackServer { _, _, _ in }
        let url = dead.base + "/debug/pprof/heap"
        dead.stop()
        Thread.sleep(forTimeInterval: 0.3)
        let e = error { _ = try Capture.fetch(url, options: FetchOptions(timeout: 5, progress: false)) }
        #expect(e?.message.contains("cannot connect") == true, "\(String(describing: e))")
    }

    @Test func swiftProfileRecorderSample() throws {
        try withServer { s in
            let req = try PprofEndpoint.request(s.base, profile: .sample, seconds: 2)
            #expect(req.method == "POST")
            #expect(req.url == s.base + "/sample")
            #expect(
                String(decoding: req.body ?? [], as: UTF8.self)
                    == "{\"timeInterval\":\"10 ms\",\"numberOfSamples\":200}")
            // As any command's input: POST /sample, perf script text.
            let p = try ProfileInput.readAny(s.base + "/sample?seconds=1", opener: .network)
            let file = try ProfileInput.readAny(Fixtures.path("perf/cwork.perf.txt"))
            #expect(p.totals() == file.totals())
        }
    }

    @Test func cliFetchAndURLInputs() throws {
        try withServer { s in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fg-capture-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("cpu.pb.gz").path
            let r = try Fixtures.run(["fetch", s.base, "--profile", "cpu", "--seconds", "1", "-o", out])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty, "piped: no progress output, got \(r.stderr.debugDescription)")
            #expect(FileManager.default.contents(atPath: out).map(Array.init) == TestRoutes.profile)

            let top = try Fixtures.run(["top", "-nodecount=5", s.base + "/debug/pprof/profile?seconds=1"])
            let ref = try Fixtures.run(["top", "-nodecount=5", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
            #expect(top.status == 0, "\(top.stderr)")
            #expect(top.stdout == ref.stdout)

            let bad = try Fixtures.run(["top", s.base + "/500"])
            #expect(bad.status == 2)
            #expect(
                bad.stderr
                    == "flamegate: \(s.base)/500: HTTP 500 Internal Server Error: internal failure: database on fire\n")
            let slow = try Fixtures.run([
                "fetch", s.base + "/slow", "--timeout", "1", "-o", dir.appendingPathComponent("x").path,
            ])
            #expect(slow.status == 2)
            #expect(slow.stderr.contains("timed out"))
            let cap = try Fixtures.run(["fetch", s.base + "/big", "--max-bytes", "100KiB", "-o", "-"])
            #expect(cap.status == 2)
            #expect(cap.stderr.contains("102400-byte cap"))
            let usage = try Fixtures.run(["fetch", s.base, "--profile", "heap", "--seconds", "0", "-o", "-"])
            #expect(usage.status == 2)
            #expect(usage.stderr.contains("--seconds must be a positive number"))
            let conflict = try Fixtures.run(["fetch", s.base + "/debug/pprof/heap", "--profile", "cpu", "-o", "-"])
            #expect(conflict.status == 2)
            #expect(conflict.stderr.contains("names the heap endpoint but --profile is cpu"))
        }
    }
}

@Suite struct CaptureEndpointTests {
    func url(_ u: String, _ k: CaptureKind? = nil, seconds: Int? = nil, debug: Int? = nil) throws -> String {
        try PprofEndpoint.request(u, profile: k, seconds: seconds, debug: debug).url
    }

    @Test func basesAndEndpoints() throws {
        #expect(try url("http://h:6060") == "http://h:6060/debug/pprof/profile?seconds=30")
        #expect(try url("http://h:6060/", .cpu, seconds: 5) == "http://h:6060/debug/pprof/profile?seconds=5")
        #expect(try url("http://h:6060/debug/pprof/", .heap) == "http://h:6060/debug/pprof/heap")
        #expect(try url("http://h:6060", .allocs, seconds: 10) == "http://h:6060/debug/pprof/allocs?seconds=10")
        #expect(try url("https://h/x/debug/pprof", .goroutine, debug: 2) == "https://h/x/debug/pprof/goroutine?debug=2")
        #expect(try url("http://h:1/debug/pprof/trace", seconds: 2) == "http://h:1/debug/pprof/trace?seconds=2")
        #expect(try url("http://h:1/debug/pprof/heap?seconds=5") == "http://h:1/debug/pprof/heap?seconds=5")
        #expect(
            try url("http://h:1/debug/pprof/heap?seconds=5", .heap, seconds: 5)
                == "http://h:1/debug/pprof/heap?seconds=5")
        #expect(try url("http://h:1/files/cpu.pb.gz") == "http://h:1/files/cpu.pb.gz")
        #expect(try PprofEndpoint.request("http://h:1/debug/pprof/profile").seconds == 30)
        #expect(try PprofEndpoint.request("http://h:1/debug/pprof/heap").seconds == nil)
    }

    @Test func conflictsAndNonsense() {
        #expect(throws: InputError.self) { try url("http://h:1/debug/pprof/heap", .cpu) }
        #expect(throws: InputError.self) { try url("http://h:1/debug/pprof/heap?seconds=5", seconds: 6) }
        #expect(throws: InputError.self) { try url("http://h:1", .heap, seconds: 0) }
        #expect(throws: InputError.self) { try url("http://h:1/debug/pprof/heap?seconds=x") }
        #expect(throws: InputError.self) { try url("http://", .cpu) }
        #expect(throws: InputError.self) { try url("ftp://h/x") }
        #expect(!PprofEndpoint.isURL("cpu.pb.gz"))
        #expect(PprofEndpoint.isURL("HTTPS://h"))
    }

    @Test func sizesAndProgressText() {
        #expect(FetchOptions.parseSize("1GiB") == 1 << 30)
        #expect(FetchOptions.parseSize("200MB") == 200_000_000)
        #expect(FetchOptions.parseSize("64k") == 64_000)
        #expect(FetchOptions.parseSize("4096") == 4096)
        #expect(FetchOptions.parseSize("x") == nil)
        #expect(FetchOptions.parseSize("-5") == nil)
        #expect(FetchOptions.parseSize("1e400") == nil)
        #expect(
            CaptureProgress.line(label: "cpu", seconds: 30, elapsed: 0.2, bytes: 0)
                == "capturing cpu: 30 s left of 30 s")
        #expect(
            CaptureProgress.line(label: "cpu", seconds: 30, elapsed: 29.5, bytes: 0)
                == "capturing cpu: 1 s left of 30 s")
        #expect(
            CaptureProgress.line(label: "heap", seconds: nil, elapsed: 2, bytes: 0)
                == "capturing heap: waiting for the answer (2 s)")
        #expect(
            CaptureProgress.line(label: "cpu", seconds: 30, elapsed: 31, bytes: 1536)
                == "capturing cpu: received 1.5 KiB")
    }
}
