import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCapture
@testable import FlamegateCore

/// Capture from the Go fixture service (Fixtures/go/service, built and started by
/// FlamegateTestSupport's GoService): delta profiles, goroutine dumps, Go's own errors.
/// Each test starts a service of its own and waits on a thread of its own (`onOwnThread`).
@Suite struct CaptureGoServiceTests {
    @Test func goToolchainIsAvailable() async throws {
        try await onOwnThread {
            #expect(
                GoService.findGo() != nil, "no Go toolchain: install golang-1.19-go (.ci/run does) or set FLAMEGATE_GO")
            _ = try GoService.binary()
        }
    }

    @Test func deltaProfiles() async throws {
        try await onOwnThread {
            try GoService.with { s in
                for kind in ["allocs", "block", "mutex", "heap", "goroutine", "threadcreate"] {
                    let p = try ProfileInput.readAny("\(s.base)/debug/pprof/\(kind)?seconds=1", opener: .network)
                    #expect(!p.sampleTypes.isEmpty, "\(kind)")
                    #expect(p.durationNanos >= 900_000_000, "\(kind): a delta profile has its duration")
                }
                // The same through fetch's flags.
                let bytes = try Capture.fetch(
                    s.base, profile: .allocs, seconds: 1, options: FetchOptions(progress: false))
                #expect(Gzip.isGzipArray(bytes))
            }
        }
    }

    @Test func goroutineDumpByURL() async throws {
        try await onOwnThread {
            try GoService.with { s in
                let p = try ProfileInput.readAny(s.base + "/debug/pprof/goroutine?debug=2", opener: .network)
                #expect(p.sampleTypes == [ValueType(type: "goroutine", unit: "count")])
                #expect(p.totals()[0] > 4)
            }
        }
    }

    @Test func goErrorsCarryItsMessage() async throws {
        try await onOwnThread {
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
}

extension Gzip {
    static func isGzipArray(_ b: [UInt8]) -> Bool { b.withUnsafeBytes { isGzip($0) } }
}
