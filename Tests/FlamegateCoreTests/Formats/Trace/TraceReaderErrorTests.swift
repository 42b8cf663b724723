import FlamegateTestSupport
import Testing

@testable import FlamegateCore

/// Bad and truncated traces are refused with one message naming the byte offset and what
/// was expected; none is read as a shorter trace or as another format.
@Suite struct TraceReaderErrorTests {
    static func read(_ bytes: [UInt8]) -> InputError? {
        bytes.withUnsafeBytes { b -> InputError? in
            do throws(InputError) {
                _ = try TracePprof.profile(b, kind: .sched, source: "t")
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func everyTruncationIsRefusedWithAnOffset() throws {
        let whole = try Fixtures.bytes("trace/go127-chan.trace")
        #expect(Self.read(whole) == nil)
        // Cuts at many points, from inside the header to the last byte.
        var cuts = Array(stride(from: 0, to: whole.count, by: max(1, whole.count / 97)))
        cuts += [1, 15, 16, 17, whole.count - 1]
        for n in cuts {
            guard let e = Self.read(Array(whole.prefix(n))) else {
                Issue.record("a trace cut at \(n) of \(whole.count) bytes was read")
                continue
            }
            #expect(e.offset != nil, "cut at \(n): \(e)")
            #expect(e.offset ?? Int.max <= n, "cut at \(n): \(e)")
            #expect(!e.message.contains("\n"))
        }
    }

    @Test func headerIsChecked() {
        #expect(Self.read(Array("go 1.26 trace\0\0".utf8))?.message.contains("not a Go execution trace") == true)
        #expect(Self.read(Array("go 1.99 trace\0\0\0".utf8))?.message.contains("unknown trace version go 1.99") == true)
        #expect(Self.read(Array("go 1.26 trace\0\0\0".utf8))?.message.contains("no events") == true)
    }

    @Test func oldFormatIsRefusedByName() throws {
        let old = try Fixtures.bytes("trace/go119-chan.trace")
        let e = Self.read(old)
        #expect(e?.message.contains("Go 1.19 trace") == true)
        #expect(e?.message.contains("supported: Go 1.22") == true)
    }

    @Test func corruptedBytesNeverCrashAndAreRefused() throws {
        let whole = try Fixtures.bytes("trace/go127-mutex.trace")
        // Flip bytes across the file: each result is either a read or a one-line refusal.
        for i in stride(from: 16, to: whole.count, by: 53) {
            var b = whole
            b[i] ^= 0xFF
            if let e = Self.read(b) { #expect(!e.message.contains("\n"), "\(e)") }
        }
    }

    @Test func registryRoutesTracesToTheTraceReader() throws {
        let whole = try Fixtures.bytes("trace/go127-chan.trace")
        #expect(whole.withUnsafeBytes { FormatRegistry.detectProfile($0) } is TraceFormat)
        let path = Fixtures.path("trace/go127-chan.trace")
        #expect(throws: InputError.self) { try FormatRegistry.read(path) }
        do {
            _ = try FormatRegistry.read(path)
        } catch {
            #expect(error.message.contains("--kind sched|sync|net|syscall"))
        }
        let p = try FormatRegistry.read(path, traceKind: "sync")
        #expect(p.sampleTypes.map(\.type) == ["contentions", "delay"])
    }
}
