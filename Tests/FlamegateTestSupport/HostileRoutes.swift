import FlamegateCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Routes of a server that attacks its client (issue 22 §3): absurd and lying lengths,
/// a gzip bomb, endless bodies, a slow-loris, redirect loops. Each endless route stops
/// when the client hangs up, when the server stops, or after 30 s.
public enum HostileRoutes {
    /// 1 GiB of zeros as gzip: 1,024 members of 1 MiB each (about 1 MB on the wire).
    public static let gzipBomb: [UInt8] = {
        let member = Gzip.deflate([UInt8](repeating: 0, count: 1 << 20), level: 9)
        var out: [UInt8] = []
        out.reserveCapacity(member.count * 1024)
        for _ in 0..<1024 { out += member }
        return out
    }()

    /// Sends `chunk` until the client goes, the server stops or `seconds` pass.
    static func stream(_ fd: Int32, _ server: LoopbackServer, _ chunk: [UInt8], seconds: Double = 30) {
        let end = Date().addingTimeInterval(seconds)
        while !server.isStopped && Date() < end { if !LoopbackServer.send(fd, chunk) { return } }
    }

    static func head(_ fd: Int32, _ lines: String) -> Bool {
        LoopbackServer.send(fd, Array(lines.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    public static func handle(_ r: LoopbackServer.Request, _ fd: Int32, _ server: LoopbackServer) {
        let path = String(r.target.split(separator: "?", maxSplits: 1).first ?? "")
        let zeros = [UInt8](repeating: 0, count: 64 << 10)
        switch path {
        case "/huge-length":
            guard head(fd, "HTTP/1.1 200 OK\nContent-Length: 9223372036854775807\n\n") else { return }
            stream(fd, server, zeros, seconds: 10)
        case "/negative-length":
            guard head(fd, "HTTP/1.1 200 OK\nContent-Length: -1\n\n") else { return }
            stream(fd, server, zeros, seconds: 10)
        case "/text-length":
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Length: 12abc\n\nhello")
        case "/conflicting-lengths":
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Length: 5\nContent-Length: 500\n\nhello")
        case "/agreeing-lengths":
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Length: 5\nContent-Length: 5, 5\n\nhello")
        case "/length-over-cap":
            // Declares 900 MB, sends nothing: refused on the head alone.
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Length: 900000000\n\n")
            usleep(2_000_000)
        case "/short-body":
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Length: 1000\nConnection: close\n\n0123456789")
        case "/long-body":
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Length: 10\n\n0123456789") && LoopbackServer.send(fd, zeros)
        case "/gzip-bomb":
            let b = gzipBomb
            _ =
                head(fd, "HTTP/1.1 200 OK\nContent-Encoding: gzip\nContent-Length: \(b.count)\n\n")
                && LoopbackServer.send(fd, b)
        case "/gzip-encoded":
            // A pprof profile (itself gzip) sent gzip'd again with Content-Encoding: decoded once.
            let b = Gzip.deflate(TestRoutes.profile)
            _ =
                head(fd, "HTTP/1.1 200 OK\nContent-Encoding: gzip\nContent-Length: \(b.count)\n\n")
                && LoopbackServer.send(fd, b)
        case "/brotli":
            _ = head(fd, "HTTP/1.1 200 OK\nContent-Encoding: br\nContent-Length: 4\n\n\u{1}\u{2}\u{3}\u{4}")
        case "/endless-200":
            guard head(fd, "HTTP/1.1 200 OK\nContent-Type: application/octet-stream\n\n") else { return }
            stream(fd, server, zeros)
        case "/endless-500":
            guard head(fd, "HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain\n\n") else { return }
            stream(fd, server, Array(String(repeating: "overloaded ", count: 6000).utf8))
        case "/escape-500":
            // Terminal escapes in an error page must not reach the user's terminal raw.
            _ = head(fd, "HTTP/1.1 503 Service Unavailable\nContent-Length: 18\n\n\u{1B}]0;pwned\u{7}\u{1B}[2Jbusy")
        case "/slow-loris":
            // One byte a second of a 1000-byte body.
            guard head(fd, "HTTP/1.1 200 OK\nContent-Length: 1000\n\n") else { return }
            for _ in 0..<30 where !server.isStopped {
                if !LoopbackServer.send(fd, [0x41]) { return }
                usleep(1_000_000)
            }
        case "/slow-head":
            // The status line, a byte a second.
            for b in Array("HTTP/1.1 200 OK\r\n".utf8) where !server.isStopped {
                if !LoopbackServer.send(fd, [b]) { return }
                usleep(1_000_000)
            }
        case "/redirect-loop":
            _ = head(fd, "HTTP/1.1 302 Found\nLocation: /redirect-loop\nContent-Length: 0\n\n")
        case "/redirect-file":
            _ = head(fd, "HTTP/1.1 302 Found\nLocation: file:///etc/passwd\nContent-Length: 0\n\n")
        case "/redirect-gopher":
            _ = head(fd, "HTTP/1.1 301 Moved Permanently\nLocation: gopher://127.0.0.1:70/\nContent-Length: 0\n\n")
        case "/redirect-no-location":
            _ = head(fd, "HTTP/1.1 302 Found\nContent-Length: 0\n\n")
        case "/redirect-endless-body":
            // A redirect whose body never ends: followed without reading it.
            guard head(fd, "HTTP/1.1 307 Temporary Redirect\nLocation: /chunked\n\n") else { return }
            stream(fd, server, zeros, seconds: 10)
        case "/chunked":
            // The profile in chunks of 1000 bytes, with an extension and a trailer.
            var out = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            var rest = TestRoutes.profile[...]
            while !rest.isEmpty {
                let part = rest.prefix(1000)
                out += Array("\(String(part.count, radix: 16));name=value\r\n".utf8) + part + [0x0D, 0x0A]
                rest = rest.dropFirst(part.count)
            }
            out += Array("0\r\nX-Trailer: done\r\n\r\n".utf8)
            LoopbackServer.send(fd, out)
        case "/chunked-huge":
            _ = head(fd, "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nffffffffffffffffff\n")
        case "/chunked-endless":
            // Valid chunks forever.
            guard head(fd, "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n") else { return }
            stream(fd, server, Array("10000\r\n".utf8) + zeros + [0x0D, 0x0A])
        case "/chunked-overrun":
            // A chunk longer than its size line says.
            _ = head(fd, "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nhello world\n0\n\n")
        case "/gzip-transfer":
            _ = head(fd, "HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n0\n\n")
        case "/huge-head":
            // Headers without end.
            guard head(fd, "HTTP/1.1 200 OK\n") else { return }
            stream(fd, server, Array("X-Filler: \(String(repeating: "a", count: 1000))\r\n".utf8), seconds: 10)
        case "/http09":
            _ = LoopbackServer.send(fd, Array("just some bytes, no status line\n\n".utf8))
        default:
            LoopbackServer.respond(fd, status: "404 Not Found", body: Array("404 page not found\n".utf8))
        }
    }
}
