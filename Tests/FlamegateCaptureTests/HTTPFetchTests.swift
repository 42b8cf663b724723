import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCapture
@testable import FlamegateCore

#if canImport(Glibc)
    import Glibc
#endif

/// Fetching over HTTP from a loopback server that fails in every way a real one can.
/// Each test has a server of its own and waits on a thread of its own (`onOwnThread`),
/// so the tests run side by side with each other and with the rest of the run.
@Suite struct CaptureServerTests {
    func withServer(_ body: (LoopbackServer) throws -> Void) throws {
        let s = try LoopbackServer { r, fd, server in TestRoutes.handle(r, fd, server) }
        defer { s.stop() }
        try body(s)
    }

    func error(_ f: () throws -> Void) -> InputError? {
        do { try f() } catch let e as InputError { return e } catch { Issue.record("not an InputError: \(error)") }
        return nil
    }

    @Test func readsAProfileByURL() async throws {
        try await onOwnThread {
            try withServer { s in
                let p = try ProfileInput.readAny(s.base + "/ok", opener: .network)
                let file = try ProfileInput.readAny(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
                #expect(p.totals() == file.totals())
                // A base URL with --seconds: /debug/pprof/profile?seconds=1.
                let bytes = try Capture.fetch(s.base, profile: .cpu, seconds: 1, options: FetchOptions(progress: false))
                #expect(bytes == TestRoutes.profile)
            }
        }
    }

    @Test func followsRedirects() async throws {
        try await onOwnThread {
            try withServer { s in
                let bytes = try Capture.fetch(s.base + "/redirect", options: FetchOptions(progress: false))
                #expect(bytes == TestRoutes.profile)
            }
        }
    }

    @Test func timesOut() async throws {
        try await onOwnThread {
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
    }

    @Test func capsTheResponseWhileStreaming() async throws {
        try await onOwnThread {
            try withServer { s in
                for path in ["/big", "/big-declared"] {
                    let e = error {
                        _ = try Capture.fetch(
                            s.base + path, options: FetchOptions(timeout: 20, maxBytes: 1 << 20, progress: false))
                    }
                    #expect(
                        e?.message.contains("larger than the 1048576-byte cap") == true,
                        "\(path): \(String(describing: e))"
                    )
                }
                // Under a large enough cap it arrives whole.
                let all = try Capture.fetch(
                    s.base + "/big", options: FetchOptions(timeout: 20, maxBytes: 9 << 20, progress: false))
                #expect(all.count == 8 << 20)
            }
        }
    }

    @Test func httpErrorsCarryTheServersMessage() async throws {
        try await onOwnThread {
            try withServer { s in
                let e500 = error { _ = try Capture.fetch(s.base + "/500", options: FetchOptions(progress: false)) }
                #expect(
                    e500?.description
                        == "\(s.base)/500: HTTP 500 Internal Server Error: internal failure: database on fire"
                )
                let e400 = error {
                    _ = try Capture.fetch(s.base + "/400?seconds=60", options: FetchOptions(progress: false))
                }
                #expect(
                    e400?.message.hasPrefix("HTTP 400 Bad Request: profile duration exceeds server's WriteTimeout")
                        == true,
                    "\(String(describing: e400))")
                let e404 = error {
                    _ = try Capture.fetch(s.base + "/debug/pprof/nosuch", options: FetchOptions(progress: false))
                }
                #expect(e404?.message.contains("404") == true)
            }
        }
    }

    @Test func garbageResetAndRefused() async throws {
        try await onOwnThread {
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
            usleep(300_000)  // blocking: this body has its own thread
            let e = error { _ = try Capture.fetch(url, options: FetchOptions(timeout: 5, progress: false)) }
            #expect(e?.message.contains("cannot connect") == true, "\(String(describing: e))")
        }
    }

    @Test func swiftProfileRecorderSample() async throws {
        try await onOwnThread {
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
    }

    /// Issue 18 §4: `fetch` saves profiles only; a 200 that is a login page, a JSON error
    /// or an image is refused with its status, content type and first bytes.
    @Test func refusesAnswersThatAreNotProfiles() async throws {
        try await onOwnThread {
            try withServer { s in
                let opts = FetchOptions(timeout: 5, progress: false)
                let login = error { _ = try Capture.fetch(FetchRequest(url: s.base + "/login", options: opts)) }
                #expect(login?.source == s.base + "/login")
                #expect(
                    login?.message.hasPrefix(
                        "not a profile: the answer (HTTP 200, Content-Type: text/html; charset=utf-8, 52 bytes) looks like an HTML page; it starts with \"<!DOCTYPE html> <html><title>Sign in</title></html> \""
                    ) == true, "\(String(describing: login))")
                let json = error { _ = try Capture.fetch(FetchRequest(url: s.base + "/json-error", options: opts)) }
                #expect(json?.message.contains("Content-Type: application/json") == true)
                #expect(json?.message.contains("looks like JSON") == true)
                #expect(json?.message.contains("{\"error\":\"unauthorized\"}") == true)
                let jpeg = error { _ = try Capture.fetch(FetchRequest(url: s.base + "/jpeg", options: opts)) }
                #expect(jpeg?.message.contains("looks like a JPEG image; it starts with \"\\xff\\xd8\\xff") == true)
                let garbage = error {
                    _ = try Capture.fetch(FetchRequest(url: s.base + "/garbage-body", options: opts))
                }
                #expect(garbage?.message.contains("looks like HTML or XML") == true, "\(String(describing: garbage))")
                let empty = error { _ = try Capture.fetch(FetchRequest(url: s.base + "/empty", options: opts)) }
                #expect(empty?.message.contains("0 bytes) is empty") == true, "\(String(describing: empty))")
                // Legitimate captures still pass: pprof, a Go execution trace, perf script text.
                #expect(try Capture.fetch(FetchRequest(url: s.base + "/ok", options: opts)).bytes == TestRoutes.profile)
                let trace = try Capture.fetch(
                    FetchRequest(url: s.base, profile: .trace, seconds: 1, options: opts)
                ).bytes
                #expect(trace.starts(with: Array("go 1.22 trace".utf8)))
                let sample = try Capture.fetch(FetchRequest(url: s.base, profile: .sample, seconds: 1, options: opts))
                #expect(sample.bytes == TestRoutes.perfText)
            }
        }
    }

    @Test func notAProfileJudgesInflatedAndTextInputs() throws {
        #expect(FormatRegistry.notAProfile(Gzip.deflate(Array("<html>login</html>".utf8))) == "an HTML page")
        #expect(FormatRegistry.notAProfile(TestRoutes.profile) == nil)
        #expect(FormatRegistry.notAProfile(Array("goroutine 1 [running]:\nmain.main()\n".utf8)) == nil)
        #expect(FormatRegistry.notAProfile(Array("heap profile: 1: 2 [3: 4] @ heap/1048576\n".utf8)) == nil)
        #expect(FormatRegistry.notAProfile(Array("main;work 12\n".utf8)) == nil)
        #expect(FormatRegistry.notAProfile(Array("Forbidden\n".utf8)) == "plain text")
    }
}
