import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Sniffing gzip, pprof, perf script and folded input.
@Suite struct FormatDetectTests {
    static func bytes(_ rel: String) throws -> [UInt8] { try Fixtures.bytes(rel) }

    static func detect(_ b: [UInt8]) -> FormatDetector.Format? { b.withUnsafeBytes { FormatDetector.detect($0) } }

    @Test func detectsEachFormat() throws {
        let gz = try Self.bytes("pprof/go1.27/cpu.pb.gz")
        let raw = try gz.withUnsafeBytes { try Gzip.inflate($0) }
        #expect(Self.detect(raw) == .pprof)
        #expect(Self.detect(try Self.bytes("perf/cwork.perf.txt")) == .perfScript)
        #expect(Self.detect(try Self.bytes("perf/cwork-fields.perf.txt")) == .perfScript)
        #expect(Self.detect(try Self.bytes("perf/edge-header.perf.txt")) == .perfScript)
        #expect(Self.detect(try Self.bytes("perf/cwork.collapsed.default.txt")) == .folded)
        #expect(Self.detect(Array("\n\nmain;work 10 12\n".utf8)) == .folded)
        #expect(Self.detect(Array("hello world\n".utf8)) == nil)
        #expect(Self.detect([]) == nil)
    }
}
