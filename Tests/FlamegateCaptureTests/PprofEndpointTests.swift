import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCapture
@testable import FlamegateCore

/// Endpoint URLs from a base, a kind and seconds.
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
}

/// Sources as pprof reads them: `host:port[/path]` is a URL (pprof's adjustURL adds
/// http://); files, `-` and paths stay files.
@Suite struct SourceURLTests {
    @Test func pprofStyleSources() {
        #expect(PprofEndpoint.sourceURL("localhost:6060") == "http://localhost:6060")
        #expect(PprofEndpoint.sourceURL("10.0.0.7:6060/debug/pprof/heap") == "http://10.0.0.7:6060/debug/pprof/heap")
        #expect(
            PprofEndpoint.sourceURL("https://h:1/debug/pprof/profile?seconds=5")
                == "https://h:1/debug/pprof/profile?seconds=5")
        #expect(PprofEndpoint.sourceURL("cpu.pb.gz") == nil)
        #expect(PprofEndpoint.sourceURL("-") == nil)
        #expect(PprofEndpoint.sourceURL("/tmp/a:1") == nil)
        #expect(PprofEndpoint.sourceURL("perf:2.txt") == nil)  // not a port: a file name
    }
}
