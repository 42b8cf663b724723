import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

#if canImport(Glibc)
    import Glibc
#endif

/// `flamegate fetch` and URL inputs, from a loopback server (failure modes) and the Go
/// fixture service (real /debug/pprof endpoints). Each test has a server of its own and
/// waits — mostly for the server — on a thread of its own (`onOwnThread`).
@Suite struct FetchCommandTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fg-goservice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func withServer(_ body: (LoopbackServer) throws -> Void) throws {
        let s = try LoopbackServer { r, fd, server in TestRoutes.handle(r, fd, server) }
        defer { s.stop() }
        try body(s)
    }

    @Test func cliFetchAndURLInputs() async throws {
        try await onOwnThread {
            try withServer { s in
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "fg-capture-\(UUID().uuidString)")
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
                        == "flamegate: \(s.base)/500: HTTP 500 Internal Server Error: internal failure: database on fire\n"
                )
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

    /// Issue 18 §4: a login page served with 200 is refused, exit 2, and no file is written.
    @Test func fetchRefusesAnAnswerThatIsNotAProfile() async throws {
        try await onOwnThread {
            try withServer { s in
                let dir = try tempDir()
                defer { try? FileManager.default.removeItem(at: dir) }
                let out = dir.appendingPathComponent("cpu.pb.gz").path
                let r = try Fixtures.run(["fetch", s.base + "/login", "-o", out])
                #expect(r.status == 2)
                #expect(
                    r.stderr.hasPrefix(
                        "flamegate: \(s.base)/login: not a profile: the answer (HTTP 200, Content-Type: text/html"),
                    "\(r.stderr)")
                #expect(r.stderr.contains("it starts with \"<!DOCTYPE html>"))
                #expect(r.stderr.split(separator: "\n").count == 1)
                #expect(!FileManager.default.fileExists(atPath: out))
                let trace = try Fixtures.run(["fetch", s.base, "--profile", "trace", "--seconds", "1", "-o", out])
                #expect(trace.status == 0, "\(trace.stderr)")
                #expect(FileManager.default.fileExists(atPath: out))
            }
        }
    }

    @Test func fetchCPUProfile() async throws {
        try await onOwnThread {
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
    }

    @Test func urlInputsInCommands() async throws {
        try await onOwnThread {
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
                // pprof's host:port and host:port/debug/pprof/NAME (no scheme), -seconds, -timeout.
                let bare = String(s.base.dropFirst("http://".count))
                let hp = try Fixtures.run(["-top", "-nodecount=5", "-timeout=20", bare + "/debug/pprof/heap"])
                #expect(hp.status == 0, "\(hp.stderr)")
                #expect(hp.stdout.contains("Type: inuse_space"))
                let secs = try Fixtures.run(["-top", "-seconds=1", "-nodecount=5", bare])
                #expect(secs.status == 0, "\(secs.stderr)")
                #expect(secs.stdout.contains("Type: cpu"))
            }
        }
    }

    @Test func goroutineDump() async throws {
        try await onOwnThread {
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
            }
        }
    }

    /// Issue 22 §3, end to end: each attack ends with exit 2 and one line, in bounded time
    /// and memory. The process runs under `ulimit -v` (600 MB of address space; a plain
    /// fetch uses about a third of it): a fetch that let a 1 GiB gzip bomb or a 2^63-byte
    /// Content-Length near its memory would die instead of exiting 2.
    @Test func fetchSurvivesHostileServers() async throws {
        try await onOwnThread {
            let s = try LoopbackServer { r, fd, server in HostileRoutes.handle(r, fd, server) }
            defer { s.stop() }
            func run(_ args: [String]) throws -> (status: Int32, stderr: String, seconds: Double) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/sh")
                p.arguments = ["-c", "ulimit -v 600000 && exec \"$0\" \"$@\"", Fixtures.binary] + args
                let err = Pipe()
                p.standardError = err
                p.standardOutput = FileHandle.nullDevice
                let start = Date()
                try p.run()
                let e = err.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                return (p.terminationStatus, String(decoding: e, as: UTF8.self), Date().timeIntervalSince(start))
            }
            let cases: [(args: [String], message: String, within: Double)] = [
                (["/huge-length"], "Content-Length: 9223372036854775807 is absurd", 3),
                (["/gzip-bomb", "--max-bytes", "10MB"], "cap once its Content-Encoding: gzip is decoded", 5),
                (["/endless-500", "--timeout", "2"], "HTTP 500 Internal Server Error: overloaded", 3.5),
                // The cap, not the clock, must end this one: a loaded machine moves 200 MB in more than 2 s.
                (["/endless-200", "--timeout", "30", "--max-bytes", "200MB"], "200000000-byte cap", 30),
                (["/slow-loris", "--timeout", "2"], "timed out after 2 s", 3.5),
                (["/redirect-loop"], "too many redirects", 3),
                (["/redirect-file"], "which is not an http:// or https:// URL", 3),
            ]
            // What starting the binary costs on this machine right now (a debug build on shared
            // cores can take seconds): the bounds below are about the fetch, not the start-up.
            let startup = try run(["--version"]).seconds
            for c in cases {
                let r = try run(["fetch", s.base + c.args[0]] + c.args.dropFirst() + ["-o", "-"])
                #expect(r.status == 2, "\(c.args): \(r.stderr)")
                #expect(r.stderr.contains(c.message), "\(c.args): \(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1, "\(c.args): \(r.stderr)")
                // (Bounds with 1.5 s of slack for a loaded CI machine; see HostileServerTests.)
                #expect(r.seconds < c.within + startup, "\(c.args): \(r.seconds) s (start-up \(startup) s)")
            }
        }
    }
}
