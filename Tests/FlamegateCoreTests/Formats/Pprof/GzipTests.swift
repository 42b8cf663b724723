import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// The decompression cap (FLAMEGATE_MAX_INFLATE) and its size syntax.
@Suite struct GzipTests {
    @Test func sizeSyntax() {
        #expect(Gzip.parseSize("1048576") == 1 << 20)
        #expect(Gzip.parseSize("10MB") == 10 << 20)
        #expect(Gzip.parseSize("10m") == 10 << 20)
        #expect(Gzip.parseSize("512MiB") == 512 << 20)
        #expect(Gzip.parseSize("2G") == 2 << 30)
        #expect(Gzip.parseSize("64k") == 64 << 10)
        #expect(Gzip.parseSize("100b") == 100)
        #expect(Gzip.parseSize("lots") == nil)
        #expect(Gzip.parseSize("") == nil)
        #expect(Gzip.parseSize("-5M") == nil)
        #expect(Gzip.parseSize("99999999999T") == nil)
    }

    @Test func gzipBombStopsAtTheLimit() throws {
        #expect(SampleInputs.gzipBomb.count < 200_000)
        let e = try #require(throws: DecodeError.self) {
            _ = try SampleInputs.gzipBomb.withUnsafeBytes { try Gzip.inflate($0, limit: 10 << 20) }
        }
        #expect(e.message.contains("10 MiB limit"))
        // Under a larger cap it inflates (and is then no profile).
        let all = try SampleInputs.gzipBomb.withUnsafeBytes { try Gzip.inflate($0, limit: 64 << 20) }
        #expect(all.count == 50_000_000)
    }
}
