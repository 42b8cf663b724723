import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The Go fixture service (Fixtures/go/service), built and started by the tests on
/// 127.0.0.1 with an ephemeral port. Needs a Go toolchain: FLAMEGATE_GO, else Debian's
/// golang-1.19-go (/usr/lib/go-1.19/bin/go, installed by .ci/run), else `go` on PATH.
/// Without one these tests fail, saying so.
public enum GoService {
    public struct NoGo: Error, CustomStringConvertible {
        public var description: String
    }

    public static func findGo() -> String? {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let g = env["FLAMEGATE_GO"], !g.isEmpty { candidates.append(g) }
        candidates.append("/usr/lib/go-1.19/bin/go")
        for dir in (env["PATH"] ?? "").split(separator: ":") { candidates.append(dir + "/go") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<String, NoGo>? = nil

    /// Builds the service once per test process.
    public static func binary() throws -> String {
        try lock.withLock {
            if let built { return try built.get() }
            let r = build()
            built = r
            return try r.get()
        }
    }

    public static func goEnvironment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GOROOT"] = nil
        env["GOTOOLCHAIN"] = "local"
        env["GOPROXY"] = "off"
        env["GOFLAGS"] = "-mod=mod"
        env["CGO_ENABLED"] = "0"
        if env["HOME"] == nil && env["GOCACHE"] == nil { env["GOCACHE"] = NSTemporaryDirectory() + "flamegate-gocache" }
        return env
    }

    private static func build() -> Result<String, NoGo> {
        guard let go = findGo() else {
            return .failure(
                NoGo(
                    description:
                        "no Go toolchain: these tests build Fixtures/go/service. Install Debian's golang-1.19-go (.ci/run does), or set FLAMEGATE_GO=/path/to/go"
                ))
        }
        let dir = NSTemporaryDirectory() + "flamegate-goservice-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = dir + "/service"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: go)
        p.arguments = ["build", "-o", out, "."]
        p.currentDirectoryURL = URL(fileURLWithPath: Fixtures.root + "/Fixtures/go/service")
        p.environment = goEnvironment()
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        do { try p.run() } catch { return .failure(NoGo(description: "cannot run \(go): \(error)")) }
        let msg = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            return .failure(
                NoGo(description: "\(go) build of Fixtures/go/service failed: \(String(decoding: msg, as: UTF8.self))"))
        }
        return .success(out)
    }

    /// A running service; `stop()` ends it.
    public final class Running: @unchecked Sendable {
        public let process: Process
        public let base: String
        init(process: Process, base: String) {
            self.process = process
            self.base = base
        }
        public func stop() {
            if process.isRunning {
                process.terminate()
                for _ in 0..<50 where process.isRunning { usleep(100_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
    }

    /// Starts the service with a light load for at most 60 s; waits (≤ 15 s) for its address.
    public static func start() throws -> Running {
        let bin = try binary()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["-addr", "127.0.0.1:0", "-load", "4", "-pace", "1ms", "-duration", "60s"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let fd = out.fileHandleForReading.fileDescriptor
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let r = text.range(of: "listening on "), let nl = text[r.upperBound...].firstIndex(of: "\n") {
                return Running(process: p, base: "http://" + text[r.upperBound..<nl])
            }
            var pf = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pf, 1, 100) <= 0 { continue }
            var buf = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            text += String(decoding: buf[0..<n], as: UTF8.self)
        }
        Running(process: p, base: "").stop()
        throw NoGo(description: "the Go service did not start; its output: \(text)")
    }

    public static func with(_ body: (Running) throws -> Void) throws {
        let s = try start()
        defer { s.stop() }
        try body(s)
    }
}
