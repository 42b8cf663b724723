import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCapture
@testable import FlamegateCore

/// Issue 22 §3: a server that attacks its client. Every case ends in bounded time with a
/// one-line `InputError` (exit 2 in the CLI), or succeeds where the answer is valid.
/// Memory bounds are checked end to end in `FetchHostileCLITests` (FlamegateCLITests).
@Suite struct HostileServerTests {
    /// Allowed past a deadline in these tests: measured overruns are under 0.1 s on a
    /// quiet machine (README), but CI shares 2 cores with builds. Before the fix they
    /// were 2–20 s.
    let slack = 1.5

    func withServer(_ body: (LoopbackServer) throws -> Void) throws {
        let s = try LoopbackServer { r, fd, server in HostileRoutes.handle(r, fd, server) }
        defer { s.stop() }
        try body(s)
    }

    /// The fetch's error and how long it took.
    func attempt(
        _ url: String, timeout: Double = 10, maxBytes: Int = 1 << 30, transport: HTTPFetch.Transport = .automatic
    ) -> (error: InputError?, body: [UInt8]?, seconds: Double) {
        let start = Date()
        do {
            let req = CaptureRequest(url: url)
            let r = try HTTPFetch.response(
                req, options: FetchOptions(timeout: timeout, maxBytes: maxBytes, progress: false), transport: transport)
            return (nil, r.body, Date().timeIntervalSince(start))
        } catch {
            return (error, nil, Date().timeIntervalSince(start))
        }
    }

    func expectError(
        _ r: (error: InputError?, body: [UInt8]?, seconds: Double), _ text: String, within: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            r.error?.message.contains(text) == true, "\(String(describing: r.error))", sourceLocation: sourceLocation)
        #expect(r.seconds < within, "took \(r.seconds) s", sourceLocation: sourceLocation)
    }

    @Test func absurdAndLyingLengths() async throws {
        try await onOwnThread {
            try withServer { s in
                // Before: SIGILL inside FoundationNetworking (exit 132).
                expectError(
                    attempt(s.base + "/huge-length"), "Content-Length: 9223372036854775807 is absurd", within: 2)
                expectError(attempt(s.base + "/negative-length"), "Content-Length: -1 is not a number", within: 2)
                expectError(attempt(s.base + "/text-length"), "Content-Length: 12abc is not a number", within: 2)
                expectError(
                    attempt(s.base + "/conflicting-lengths"), "conflicting Content-Length values: 5, 500", within: 2)
                #expect(attempt(s.base + "/agreeing-lengths").body == Array("hello".utf8))
                // Over the cap by its declaration alone: refused on the head, before any body.
                expectError(
                    attempt(s.base + "/length-over-cap", maxBytes: 1 << 20),
                    "larger than the 1048576-byte cap (it declares Content-Length: 900000000", within: 1)
                expectError(
                    attempt(s.base + "/short-body"), "closed 990 bytes short of the declared Content-Length", within: 2)
                // Longer than declared: the declared bytes are the answer, the rest is ignored.
                #expect(attempt(s.base + "/long-body").body == Array("0123456789".utf8))
            }
        }
    }

    @Test func contentEncoding() async throws {
        try await onOwnThread {
            try withServer { s in
                // 1 GiB of zeros in 1 MB: the cap holds on the decoded bytes.
                expectError(
                    attempt(s.base + "/gzip-bomb", maxBytes: 10_000_000),
                    "larger than the 10000000-byte cap once its Content-Encoding: gzip is decoded", within: 5)
                // A profile gzip'd once more with Content-Encoding: decoded back to the profile.
                #expect(attempt(s.base + "/gzip-encoded").body == TestRoutes.profile)
                expectError(
                    attempt(s.base + "/brotli"), "Content-Encoding: br, which flamegate does not decode", within: 2)
                expectError(
                    attempt(s.base + "/gzip-transfer"), "Transfer-Encoding: gzip, chunked is not supported", within: 2)
            }
        }
    }

    @Test func endlessBodiesAndSlowServers() async throws {
        try await onOwnThread {
            try withServer { s in
                // The cap ends an endless 200 as soon as it is passed.
                expectError(
                    attempt(s.base + "/endless-200", maxBytes: 4 << 20), "larger than the 4194304-byte cap", within: 5)
                expectError(
                    attempt(s.base + "/chunked-endless", maxBytes: 4 << 20), "larger than the 4194304-byte cap",
                    within: 5)
                // Before: 2–20 s past --timeout 2. Now 4 KiB of it, then the connection is dropped.
                let e500 = attempt(s.base + "/endless-500", timeout: 2)
                expectError(e500, "HTTP 500 Internal Server Error: overloaded overloaded", within: 2 + slack)
                #expect(e500.error?.message.hasSuffix("…") == true)
                #expect((e500.error?.message.count ?? 0) < 2200)
                // The deadline holds to the fraction of a second, wherever the server stalls.
                expectError(attempt(s.base + "/slow-loris", timeout: 2), "timed out after 2 s", within: 2 + slack)
                expectError(attempt(s.base + "/slow-head", timeout: 1.5), "timed out after 1.5 s", within: 1.5 + slack)
                expectError(
                    attempt(s.base + "/endless-200", timeout: 1.5, maxBytes: 1 << 40), "timed out after 1.5 s",
                    within: 1.5 + slack)
                expectError(attempt(s.base + "/huge-head"), "headers are longer than 64 KiB", within: 2)
            }
        }
    }

    @Test func redirects() async throws {
        try await onOwnThread {
            try withServer { s in
                expectError(attempt(s.base + "/redirect-loop"), "too many redirects (more than 10)", within: 2)
                expectError(
                    attempt(s.base + "/redirect-file"),
                    "redirected to \"file:///etc/passwd\", which is not an http:// or https:// URL", within: 2)
                expectError(attempt(s.base + "/redirect-gopher"), "which is not an http:// or https:// URL", within: 2)
                expectError(attempt(s.base + "/redirect-no-location"), "HTTP 302", within: 2)
                // A redirect's body is not read: an endless one costs nothing.
                #expect(attempt(s.base + "/redirect-endless-body").body == TestRoutes.profile)
            }
        }
    }

    @Test func malformedAnswers() async throws {
        try await onOwnThread {
            try withServer { s in
                #expect(attempt(s.base + "/chunked").body == TestRoutes.profile)
                expectError(attempt(s.base + "/chunked-huge"), "absurd chunk size", within: 2)
                expectError(attempt(s.base + "/chunked-overrun"), "a chunk is longer than its declared size", within: 2)
                expectError(attempt(s.base + "/http09"), "not HTTP/1.x", within: 2)
                // Terminal escapes from the server are shown escaped.
                let esc = attempt(s.base + "/escape-500")
                #expect(esc.error?.message == "HTTP 503 Service Unavailable: \\u{1b}]0;pwned\\u{7}\\u{1b}[2Jbusy")
                #expect(esc.error?.description.unicodeScalars.contains { $0.value < 0x20 } == false)
            }
        }
    }

    /// https:// still goes through URLSession; what of its hardening holds (the same
    /// deadline, the declared-length cap, error bodies cut, encoded bodies refused) is
    /// checked here over plain http. Its limits are in the README's fetch section.
    @Test func urlSessionTransportKeepsTheDeadline() async throws {
        try await onOwnThread {
            try withServer { s in
                expectError(
                    attempt(s.base + "/slow-loris", timeout: 2, transport: .urlSession), "timed out after 2 s",
                    within: 2 + slack)
                expectError(
                    attempt(s.base + "/length-over-cap", maxBytes: 1 << 20, transport: .urlSession),
                    "larger than the 1048576-byte cap", within: 1)
                expectError(
                    attempt(s.base + "/endless-500", timeout: 2, transport: .urlSession),
                    "HTTP 500 Internal Server Error",
                    within: 2 + slack)
                expectError(
                    attempt(s.base + "/brotli", transport: .urlSession),
                    "Content-Encoding: br although asked for identity",
                    within: 2)
                expectError(attempt(s.base + "/redirect-loop", transport: .urlSession), "too many redirects", within: 5)
                // Not tried here: /chunked (its trailer line traps inside FoundationNetworking,
                // "Transfer completed, but there's no response") and /huge-length (SIGILL).
            }
        }
    }
}
