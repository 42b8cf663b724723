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

    /// The older format (Go 1.11–1.21) has no end marker, but its timestamp frequency and
    /// stack table come last: a trace cut anywhere misses them (or cuts an entry) and is
    /// refused, never read as a shorter trace.
    @Test func oldFormatTruncationsAreRefusedWithAnOffset() throws {
        let whole = try Fixtures.bytes("trace/go1.19/chan.trace")
        #expect(Self.read(whole) == nil)
        var cuts = Array(stride(from: 16, to: whole.count, by: max(1, whole.count / 97)))
        cuts += [17, whole.count - 1]
        for n in cuts {
            guard let e = Self.read(Array(whole.prefix(n))) else {
                Issue.record("an old-format trace cut at \(n) of \(whole.count) bytes was read")
                continue
            }
            #expect(e.offset != nil, "cut at \(n): \(e)")
            #expect(!e.message.contains("\n"))
        }
        #expect(Self.read(Array("go 1.19 trace\0\0\0".utf8))?.message.contains("no events") == true)
        #expect(Self.read(Array("go 1.12 trace\0\0\0".utf8))?.message.contains("unknown trace version go 1.12") == true)
    }

    @Test func oldFormatCorruptedBytesNeverCrash() throws {
        let whole = try Fixtures.bytes("trace/go1.19/http.trace")
        for i in stride(from: 16, to: whole.count, by: 97) {
            var b = whole
            b[i] ^= 0xFF
            if let e = Self.read(b) { #expect(!e.message.contains("\n"), "\(e)") }
        }
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
