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
        _ url: String, timeout: Double = 10, maxBytes: Int = 1 << 30, trust: [String] = []
    ) -> (error: InputError?, body: [UInt8]?, seconds: Double) {
        let start = Date()
        do {
            let req = CaptureRequest(url: url)
            var options = FetchOptions(timeout: timeout, maxBytes: maxBytes, progress: false)
            options.extraTrustRoots = trust
            let r = try HTTPFetch.response(req, options: options)
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

    /// This process's peak resident set (VmHWM), in MB; 0 where /proc is missing.
    static func peakResidentMB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// The same routes over `https://` (AsyncHTTPClient), through a TLS front that trusts
    /// nothing but the committed test certificate. Before: URLSession trapped on
    /// /huge-length (SIGILL) and on /chunked's trailer, and libcurl queued an endless body
    /// at ~200 MB/s until the deadline.
    @Test func httpsHasTheSameGuarantees() async throws {
        try await onOwnThread {
            try withServer { plain in
                let tls = try TLSFrontServer(backendPort: plain.port)
                defer { tls.stop() }
                let trust = [try TLSFrontServer.certificatePEM()]
                let s = tls.base
                let first = attempt(s + "/chunked", timeout: 3, trust: trust)
                try #require(first.body == TestRoutes.profile, "\(String(describing: first.error))")
                let ok = attempt(s + "/chunked", trust: trust)
                #expect(ok.body == TestRoutes.profile, "\(String(describing: ok.error))")
                #expect(attempt(s + "/gzip-encoded", trust: trust).body == TestRoutes.profile)
                expectError(
                    attempt(s + "/huge-length", trust: trust), "Content-Length: 9223372036854775807 is absurd",
                    within: 2)
                expectError(
                    attempt(s + "/length-over-cap", maxBytes: 1 << 20, trust: trust),
                    "larger than the 1048576-byte cap (it declares Content-Length: 900000000", within: 2)
                expectError(
                    attempt(s + "/gzip-bomb", maxBytes: 10_000_000, trust: trust),
                    "larger than the 10000000-byte cap once its Content-Encoding: gzip is decoded", within: 5)
                expectError(
                    attempt(s + "/brotli", trust: trust), "Content-Encoding: br, which flamegate does not decode",
                    within: 2)
                expectError(
                    attempt(s + "/endless-200", maxBytes: 4 << 20, trust: trust), "larger than the 4194304-byte cap",
                    within: 5)
                let before = Self.peakResidentMB()
                expectError(
                    attempt(s + "/endless-200", timeout: 2, maxBytes: 1 << 40, trust: trust), "timed out after 2 s",
                    within: 2 + slack)
                // Bounded by what 2 s of reading can keep under a 1 TiB cap (the http path
                // keeps ~290 MB too, README); measured here: ~75 MB before, ~360 MB after.
                // This process's peak, test servers included.
                let peak = Self.peakResidentMB()
                #expect(peak < 600, "peak RSS \(peak) MB")
                FileHandle.standardError.write(Data("https endless-200 for 2 s: peak RSS \(peak) MB (\(before) MB before)\n".utf8))
                let e500 = attempt(s + "/endless-500", timeout: 2, trust: trust)
                expectError(e500, "HTTP 500 Internal Server Error: overloaded overloaded", within: 2 + slack)
                #expect((e500.error?.message.count ?? 0) < 2200)
                expectError(attempt(s + "/slow-loris", timeout: 2, trust: trust), "timed out after 2 s", within: 2 + slack)
                expectError(attempt(s + "/redirect-loop", trust: trust), "too many redirects (more than 10)", within: 5)
                expectError(
                    attempt(s + "/redirect-file", trust: trust),
                    "redirected to \"file:///etc/passwd\", which is not an http:// or https:// URL", within: 2)
                #expect(attempt(s + "/redirect-endless-body", trust: trust).body == TestRoutes.profile)
                // Verification is on: the same server, its certificate not trusted.
                expectError(attempt(s + "/chunked"), "TLS handshake failed", within: 5)
            }
        }
    }
}
