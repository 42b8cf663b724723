import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

#if canImport(Glibc)
    import Glibc
#endif

/// The Go fixture service (Fixtures/go/service), built and started by the tests on
/// 127.0.0.1 with an ephemeral port. Needs a Go toolchain: FLAMEGATE_GO, else Debian's
/// golang-1.19-go (/usr/lib/go-1.19/bin/go, installed by .ci/run), else `go` on PATH.
/// Without one these tests fail, saying so.
enum GoService {
    struct NoGo: Error, CustomStringConvertible {
        var description: String
    }

    static func findGo() -> String? {
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
    static func binary() throws -> String {
        try lock.withLock {
            if let built { return try built.get() }
            let r = build()
            built = r
            return try r.get()
        }
    }

    static func goEnvironment() -> [String: String] {
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
    final class Running: @unchecked Sendable {
        let process: Process
        let base: String
        init(process: Process, base: String) {
            self.process = process
            self.base = base
        }
        func stop() {
            if process.isRunning {
                process.terminate()
                for _ in 0..<50 where process.isRunning { usleep(100_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
    }

    /// Starts the service with a light load for at most 60 s; waits (≤ 15 s) for its address.
    static func start() throws -> Running {
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

    static func with(_ body: (Running) throws -> Void) throws {
        let s = try start()
        defer { s.stop() }
        try body(s)
    }
}

@Suite(.serialized) struct CaptureGoServiceTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fg-goservice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func goToolchainIsAvailable() throws {
        #expect(GoService.findGo() != nil, "no Go toolchain: install golang-1.19-go (.ci/run does) or set FLAMEGATE_GO")
        _ = try GoService.binary()
    }

    @Test func fetchCPUProfile() throws {
        try GoService.with { s in
            let dir = try tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("cpu.pb.gz").path
            let r = try Fixtures.run(["fetch", s.base, "--profile", "cpu", "--seconds", "1", "-o", out])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty)
            let p = try ProfileInput.readAny(out)
            #expect(p.sampleTypes.map(\.description) == ["samples/count", "cpu/nanoseconds"])
            #expect(p.durationNanos >= 900_000_000 && p.durationNanos < 5_000_000_000)
            let top = try Fixtures.run(["top", out])
            #expect(top.status == 0)
            #expect(top.stdout.contains("Type: cpu"))
        }
    }

    @Test func urlInputsInCommands() throws {
        try GoService.with { s in
            let heap = try Fixtures.run(["top", "-nodecount=10", s.base + "/debug/pprof/heap"])
            #expect(heap.status == 0, "\(heap.stderr)")
            #expect(heap.stdout.contains("Type: inuse_space"))
            let cpu = try Fixtures.run(["top", s.base + "/debug/pprof/profile?seconds=1"])
            #expect(cpu.status == 0, "\(cpu.stderr)")
            #expect(cpu.stdout.contains("Type: cpu"))
            let info = try Fixtures.run(["info", s.base + "/debug/pprof/mutex"])
            #expect(info.status == 0, "\(info.stderr)")
            #expect(info.stdout.contains("delay/nanoseconds"))
            // A base URL with --profile/--seconds, as `flamegate top http://host:port --seconds 1`.
            let flags = try Fixtures.run(["top", "--profile", "cpu", "--seconds", "1", "-nodecount=5", s.base])
            #expect(flags.status == 0, "\(flags.stderr)")
            #expect(flags.stdout.contains("Type: cpu"))
            let allocs = try Fixtures.run(["top", "--profile", "allocs", "-sample_index=alloc_space", s.base])
            #expect(allocs.status == 0, "\(allocs.stderr)")
            #expect(allocs.stdout.contains("Type: alloc_space"))
        }
    }

    @Test func deltaProfiles() throws {
        try GoService.with { s in
            for kind in ["allocs", "block", "mutex", "heap", "goroutine", "threadcreate"] {
                let p = try ProfileInput.readAny("\(s.base)/debug/pprof/\(kind)?seconds=1", opener: .network)
                #expect(!p.sampleTypes.isEmpty, "\(kind)")
                #expect(p.durationNanos >= 900_000_000, "\(kind): a delta profile has its duration")
            }
            // The same through fetch's flags.
            let bytes = try Capture.fetch(s.base, profile: .allocs, seconds: 1, options: FetchOptions(progress: false))
            #expect(Gzip.isGzipArray(bytes))
        }
    }

    @Test func goroutineDump() throws {
        try GoService.with { s in
            let dir = try tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("goroutines.txt").path
            let r = try Fixtures.run(["fetch", s.base, "--profile", "goroutine", "--debug", "2", "-o", out])
            #expect(r.status == 0, "\(r.stderr)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.hasPrefix("goroutine "))
            let top = try Fixtures.run(["top", "-nodefraction=0", out])
            #expect(top.status == 0, "\(top.stderr)")
            #expect(top.stdout.contains("main.startFraudWorkers.func1"))
            #expect(top.stdout.contains("[IO wait]"))
            // Straight from the URL too.
            let p = try ProfileInput.readAny(s.base + "/debug/pprof/goroutine?debug=2", opener: .network)
            #expect(p.sampleTypes == [ValueType(type: "goroutine", unit: "count")])
            #expect(p.totals()[0] > 4)
        }
    }

    @Test func goErrorsCarryItsMessage() throws {
        try GoService.with { s in
            // Go refuses seconds with debug (400) and unknown profiles (404).
            for (path, code) in [
                ("/debug/pprof/heap?seconds=1&debug=1", "HTTP 400"), ("/debug/pprof/nosuch", "HTTP 404"),
            ] {
                do {
                    _ = try HTTPFetch.fetch(
                        CaptureRequest(url: s.base + path), options: FetchOptions(timeout: 10, progress: false))
                    Issue.record("\(path): no error")
                } catch let error as InputError {
                    #expect(error.source == s.base + path)
                    #expect(error.message.hasPrefix(code), "\(error)")
                    #expect(error.message.count > code.count + 20, "the server's message is shown: \(error)")
                }
            }
        }
    }
}

extension Gzip {
    static func isGzipArray(_ b: [UInt8]) -> Bool { b.withUnsafeBytes { isGzip($0) } }
}
