import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `flamegate serve` started as the built binary on a free port (port 0; the URL it prints
/// says which), for tests that talk HTTP to it; `stop()` ends it.
public final class ServeProcess: @unchecked Sendable {
    public let process = Process()
    public private(set) var url = ""
    public private(set) var port = 0
    private let errPipe = Pipe()

    /// Starts `flamegate serve --http 127.0.0.1:0 ARGS…` and waits (up to 60 s) for its URL.
    /// `commandLine` replaces the whole argument list (e.g. pprof's `-http=:0 FILE`).
    public init(_ args: [String], http: String = "127.0.0.1:0", commandLine: [String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: Fixtures.binary)
        process.arguments = commandLine ?? (["serve", "--http", http] + args)
        process.currentDirectoryURL = URL(fileURLWithPath: Fixtures.root)
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errPipe
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
            if let r = text.range(of: "Serving web UI on "), let nl = text[r.upperBound...].firstIndex(of: "\n") {
                url = String(text[r.upperBound..<nl])
                port = Int(url.split(separator: ":").last?.filter(\.isNumber) ?? "") ?? 0
                return
            }
        }
        process.terminate()
        process.waitUntilExit()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw ServeStartError(message: "serve did not print its URL; stdout: \(text) stderr: \(err)")
    }

    /// Stops the server and returns what it wrote on stderr.
    @discardableResult public func stop() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit { if process.isRunning { process.terminate() } }

    /// One HTTP/1.1 exchange over a new connection (`Connection: close`), written by hand so a
    /// test controls every header (a foreign `Host`, a wrong length).
    public func request(
        _ method: String, _ path: String, host: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> HTTPReply {
        try RawHTTP.exchange(
            port: port, method: method, path: path, host: host ?? "127.0.0.1:\(port)", headers: headers, body: body)
    }

    /// GET `path`.
    public func get(_ path: String, host: String? = nil) throws -> HTTPReply { try request("GET", path, host: host) }
}

public struct ServeStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A parsed HTTP response.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A minimal HTTP/1.1 client over a POSIX socket (loopback only).
public enum RawHTTP {
    public static func exchange(
        port: Int, method: String, path: String, host: String, headers: [(String, String)], body: [UInt8]
    ) throws -> HTTPReply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeStartError(message: "socket failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw ServeStartError(message: "connect to port \(port) failed") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        var hasLength = false
        for (k, v) in headers {
            head += "\(k): \(v)\r\n"
            if k.lowercased() == "content-length" { hasLength = true }
        }
        if !hasLength && (method == "POST" || !body.isEmpty) { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + body
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may answer (413) and close before reading it all
            sent += n
        }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        return try parse(data)
    }

    static func parse(_ data: [UInt8]) throws -> HTTPReply {
        let sep: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, data.count - 3)).first(where: { data[$0..<($0 + 4)].elementsEqual(sep) }) else {
            throw ServeStartError(message: "no HTTP head in \(data.count) bytes")
        }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            guard let c = l.firstIndex(of: ":") else { continue }
            headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return HTTPReply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            guard let nl = (i..<(b.count - 1)).first(where: { b[$0] == 13 && b[$0 + 1] == 10 }) else { break }
            let size = Int(String(decoding: b[i..<nl], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            if size == 0 { break }
            out += b[(nl + 2)..<min(b.count, nl + 2 + size)]
            i = nl + 2 + size + 2
        }
        return out
    }
}
