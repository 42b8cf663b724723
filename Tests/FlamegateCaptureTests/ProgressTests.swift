import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCapture
@testable import FlamegateCore

/// fetch's size syntax and its progress line.
@Suite struct ProgressTests {
    @Test func sizesAndProgressText() {
        #expect(FetchOptions.parseSize("1GiB") == 1 << 30)
        #expect(FetchOptions.parseSize("200MB") == 200_000_000)
        #expect(FetchOptions.parseSize("64k") == 64_000)
        #expect(FetchOptions.parseSize("4096") == 4096)
        #expect(FetchOptions.parseSize("x") == nil)
        #expect(FetchOptions.parseSize("-5") == nil)
        #expect(FetchOptions.parseSize("1e400") == nil)
        #expect(
            CaptureProgress.line(label: "cpu", seconds: 30, elapsed: 0.2, bytes: 0)
                == "capturing cpu: 30 s left of 30 s")
        #expect(
            CaptureProgress.line(label: "cpu", seconds: 30, elapsed: 29.5, bytes: 0)
                == "capturing cpu: 1 s left of 30 s")
        #expect(
            CaptureProgress.line(label: "heap", seconds: nil, elapsed: 2, bytes: 0)
                == "capturing heap: waiting for the answer (2 s)")
        #expect(
            CaptureProgress.line(label: "cpu", seconds: 30, elapsed: 31, bytes: 1536)
                == "capturing cpu: received 1.5 KiB")
    }
}
