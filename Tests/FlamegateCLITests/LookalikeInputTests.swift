import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// No input is read silently as the wrong format: each lookalike is read as what it is or
/// refused with a line that says what it is (issue 15). Go's `?debug=1` heap text used to
/// pass for `perf script` output and print a wrong report with exit 0; every legacy
/// format pprof reads is now read as pprof reads it (LegacyParityTests), never as folded
/// stacks or perf script text.
@Suite struct LookalikeInputTests {
    /// One real file per legacy format and variant, with the sample types pprof gives it.
    static let legacy: [(String, String)] = [
        ("legacy/go1.27/heap.debug1.txt", "alloc_objects alloc_space inuse_objects inuse_space"),
        ("legacy/go1.27/allocs.debug1.txt", "alloc_objects alloc_space inuse_objects inuse_space"),
        ("legacy/go1.19/block.debug1.txt", "contentions delay"),
        ("legacy/go1.27/mutex.debug1.txt", "contentions delay"),
        ("legacy/go1.27/goroutine.debug1.txt", "goroutine"),
        ("legacy/go1.27/threadcreate.debug1.txt", "threadcreate"),
        ("legacy/pprof-testdata/cppbench.heap", "objects space"),
        ("legacy/pprof-testdata/gobench.heap", "alloc_objects alloc_space inuse_objects inuse_space"),
        ("legacy/pprof-testdata/cppbench.growth", "objects space"),
        ("legacy/variants/cppbench.fragmentation", "objects space"),
        ("legacy/variants/cppbench.heap.mapped_libraries", "objects space"),
        ("legacy/pprof-testdata/cppbench.contention", "contentions delay"),
        ("legacy/pprof-testdata/cppbench.thread", "thread"),
        ("legacy/pprof-testdata/cppbench.thread.none", "thread"),
        ("legacy/pprof-testdata/go.godoc.thread", "threadcreate"),
        ("legacy/pprof-testdata/java.heap", "inuse_objects inuse_space"),
        ("legacy/pprof-testdata/java.contention", "contentions delay"),
        ("legacy/pprof-testdata/java.cpu", "samples cpu"),  // binary, 32-bit little-endian
        ("legacy/pprof-testdata/cppbench.cpu", "samples cpu"),  // 64-bit little-endian
        ("legacy/variants/go.crc32.cpu.64be", "samples cpu"),
        ("legacy/variants/go.crc32.cpu.32be", "samples cpu"),
    ]

    @Test(arguments: legacy)
    func legacyFormatIsReadAsItself(_ file: String, _ types: String) throws {
        let bytes = try Fixtures.bytes(file)
        let format = bytes.withUnsafeBytes { FormatRegistry.detectProfile($0) }
        #expect(format?.name == "legacy profile", "\(file) detected as \(format?.name ?? "nothing")")
        // Neither text reader would claim it either, were the legacy reader not first.
        bytes.withUnsafeBytes { b in
            let head = UnsafeRawBufferPointer(rebasing: b[0..<min(b.count, 1 << 16)])
            #expect(!FoldedFormat().sniff(head), "\(file) looks like folded stacks")
        }
        let p = try ProfileInput.readAny(Fixtures.path(file))
        #expect(p.sampleTypes.map(\.type).joined(separator: " ") == types, "\(file)")
        #expect(p.samples.count > 0)
    }

    /// Near misses of a legacy header are refused as that format, never read as stacks.
    @Test func legacyNearMissesAreRefusedByName() {
        let cases: [(String, String)] = [
            ("Heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x1\n", "legacy heap profile text"),
            ("heap profile: 1: 2 [3: 4] @ heapfoo/2\n1: 2 [3: 4] @ 0x1\n", "unknown kind `heapfoo`"),
            ("goroutine profile: total 1\n1 @ 0x1 extra\n", "Go goroutine profile text"),
            ("--- threadz 1 ---\nnothing\n", "legacy threadz profile text"),
            ("--- contention:\ncycles/second=1\nnot a record 1\n", "legacy contention profile text"),
            ("--- Mutex:\n1 1 @ 0x1\n", "legacy contention profile text"),
            ("--- heapz 2 ---\nformat = java\n", "Java heapz profile text"),
        ]
        for (text, what) in cases {
            let got = Self.read(Array(text.utf8))
            #expect(got.contains(what) && got.contains("pprof"), "\(text): \(got)")
        }
    }

    static func read(_ bytes: [UInt8]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fg-look-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try ProfileInput.readAny(path)
            return "read"
        } catch {
            return error.message
        }
    }

    @Test func lookalikesSayWhatTheyAre() {
        #expect(Self.read(Array("{\"cpu\": 1}\n".utf8)).contains("not a profile: it looks like JSON"))
        #expect(Self.read(Array("<!DOCTYPE html>\n<html></html>\n".utf8)).contains("looks like an HTML page"))
        #expect(Self.read(Array("just some notes\nnothing else\n".utf8)).contains("looks like plain text"))
        #expect(Self.read([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).contains("malformed pprof profile"))
        // Legacy headers alone: pprof reads them as empty profiles, and so does Flamegate.
        #expect(Self.read(Array("heap profile: 1: 2 [3: 4] @ heapprofile\n".utf8)) == "read")
        #expect(Self.read(Array("--- heapz 1 ---\n".utf8)) == "read")
        // gperftools' binary CPU profile: header words 0, 3, 0, period, 0 (64-bit little-endian).
        var cpu: [UInt8] = []
        for w: UInt64 in [0, 3, 0, 10000, 0] { withUnsafeBytes(of: w.littleEndian) { cpu += $0 } }
        #expect(Self.read(cpu) == "read")
        // A threadz header without threads is no profile for pprof.
        let threadz = Self.read(Array("--- threadz 1 ---\n".utf8))
        #expect(threadz.contains("legacy threadz profile text") && threadz.contains("that pprof does not read"))
    }
}
