import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Folding `perf script` against stackcollapse-perf.pl's own output (Fixtures/perf/NAMING.md).
@Suite struct PerfCollapseTests {
    struct Row: CustomStringConvertible, Sendable {
        var reference: String
        var input: String
        var options: [String]
        var description: String { "\(input) [\(options.joined(separator: " "))] → \(reference)" }
    }

    static let rows: [Row] = {
        guard let tsv = try? Fixtures.read("perf/references.tsv") else { return [] }
        return tsv.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 2 else { return nil }
            let opts = f.count > 2 ? f[2].split(separator: " ").map(String.init) : []
            return Row(reference: f[0], input: f[1], options: opts)
        }
    }()

    static func bytes(_ rel: String) throws -> [UInt8] { try Fixtures.bytes(rel) }

    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        try Fixtures.tempFile(name, contents, group: "collapse")
    }

    @Test func referencesAreAllListed() {
        #expect(Self.rows.count == 197)
    }

    /// Every row of references.tsv, through the library (streaming file reader).
    @Test(arguments: rows)
    func reference(_ row: Row) throws {
        let options = PerfCollapseOptions(perlArguments: row.options)
        var c = PerfCollapser(options: options)
        try PerfScriptReader.forEachLine(path: Fixtures.path("perf/" + row.input)) { c.feed($0) }
        let got = c.folded()
        let want = try Self.bytes("perf/" + row.reference)
        #expect(got == want, "\(row)")
        // The chunked reader with the whole-sample cache gives the same bytes.
        var fast = PerfCollapser(options: options)
        try PerfScriptReader.forEachChunk(path: Fixtures.path("perf/" + row.input)) { fast.feedLines($0, final: $1) }
        #expect(fast.folded() == want, "feedLines: \(row)")
        #expect(fast.unrecognizedLines == c.unrecognizedLines)
        // Every sample twice: the second copy is served from the cache.
        let twice = try Self.bytes("perf/" + row.input) + Array("\n".utf8) + Self.bytes("perf/" + row.input)
        var lineByLine = PerfCollapser(options: options)
        twice.withUnsafeBytes { PerfScriptReader.forEachLine(in: $0) { lineByLine.feed($0) } }
        let cached = twice.withUnsafeBytes { PerfCollapser.collapse($0, options: options) }
        #expect(cached.folded() == lineByLine.folded(), "twice: \(row)")
        #expect(cached.unrecognizedLines == lineByLine.unrecognizedLines)
    }

    /// Any bytes at all: the library never traps.
    @Test func arbitraryBytesDoNotTrap() {
        var state: UInt64 = 42
        var junk = [UInt8]()
        for _ in 0..<500_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            junk.append(UInt8(truncatingIfNeeded: state >> 59) &* 9)  // spaces, digits, colons, parens…
            junk.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        var o = PerfCollapseOptions()
        o.srcline = true
        o.addrs = true
        o.kernel = true
        o.jit = true
        o.tid = true
        _ = junk.withUnsafeBytes { PerfCollapser.collapse($0, options: o).folded() }
        _ = junk.withUnsafeBytes { PerfCollapser.collapse($0, options: PerfCollapseOptions()).folded() }
    }

    /// 1 MB lines (a frame, an event-like line of spaces, a line without `\n`) are fine.
    @Test func megabyteLines() throws {
        let (text, want) = SampleInputs.megabyteLines
        let path = try Self.tempFile("long.perf.txt", text)
        var c = PerfCollapser(options: PerfCollapseOptions())
        try PerfScriptReader.forEachLine(path: path) { c.feed($0) }
        let got = c.folded()
        #expect(got == want, "got \(got.count) bytes: \(String(decoding: got.prefix(40), as: UTF8.self))…")
    }

    /// Lines crossing the reader's chunk boundaries give the same result as one buffer.
    @Test func streamingMatchesInMemory() throws {
        let one = try Self.bytes("perf/cwork-dwarf.perf.txt")
        let three = one + one + one
        let path = try Self.tempFile("three.perf.txt", three)
        var o = PerfCollapseOptions()
        o.tid = true
        var c = PerfCollapser(options: o)
        try PerfScriptReader.forEachLine(path: path) { c.feed($0) }
        let whole = three.withUnsafeBytes { PerfCollapser.collapse($0, options: o) }
        #expect(c.stacks == whole.stacks)
        #expect(c.folded() == whole.folded())
    }

    /// `Tests/Fixtures/malformed/perf/`: each a clean error.
    @Test(arguments: Fixtures.malformed("perf"))
    func perf(_ path: String) throws {
        let b = try Fixtures.bytes(atPath: path)
        #expect(throws: InputError.self) {
            _ = try b.withUnsafeBytes { try StackProfile.profile(fromPerfScript: $0, source: path) }
        }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }
}
