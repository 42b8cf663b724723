import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// No input is read silently as the wrong format: each lookalike is refused with a line
/// that says what it is (issue 15's first step). Go's `?debug=1` heap text used to pass for
/// `perf script` output and print a wrong report with exit 0.
@Suite struct LookalikeInputTests {
    static let legacy: [(String, String)] = [
        ("legacy/go1.19/heap.debug1.txt", "legacy heap profile text (`heap profile: …`"),
        ("legacy/go1.19/block.debug1.txt", "legacy contention profile text (`--- contention:`"),
        ("legacy/go1.19/mutex.debug1.txt", "legacy contention profile text (`--- mutex:`"),
        ("legacy/go1.19/goroutine.debug1.txt", "Go goroutine profile text (`goroutine profile: total …`"),
        ("legacy/go1.19/threadcreate.debug1.txt", "Go threadcreate profile text"),
    ]

    @Test func legacyGoTextIsNamedNotMisread() throws {
        for (path, what) in Self.legacy {
            let e = try #require(throws: InputError.self) { try ProfileInput.readAny(Fixtures.path(path)) }
            #expect(e.description.contains(what), "\(path): \(e)")
            #expect(e.description.contains("not supported yet"))
        }
        let r = try Fixtures.run(["top", Fixtures.path("legacy/go1.19/heap.debug1.txt")])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
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
        #expect(Self.read(Array("heap profile: 1: 2 [3: 4] @ heapprofile\n".utf8)).contains("legacy heap profile"))
        #expect(Self.read(Array("--- threadz 1 ---\n".utf8)).contains("legacy threadz profile"))
        #expect(Self.read(Array("--- heapz 1 ---\n".utf8)).contains("Java heapz profile"))
        // gperftools' binary CPU profile: header words 0, 3, 0, period, 0 (64-bit little-endian).
        var cpu: [UInt8] = []
        for w: UInt64 in [0, 3, 0, 10000, 0] { withUnsafeBytes(of: w.littleEndian) { cpu += $0 } }
        #expect(Self.read(cpu).contains("gperftools binary CPU profile"))
    }
}
