import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// `flamegate collapse` against stackcollapse-perf.pl's own output (Fixtures/perf/NAMING.md).
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

    static func bytes(_ rel: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(rel))))
    }

    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-collapse-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
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

    /// A few rows through the CLI, with the Perl spellings of the options.
    @Test(arguments: [
        ("cwork.collapsed.default.txt", "cwork.perf.txt", [String]()),
        ("cwork.collapsed.tid-all-addrs.txt", "cwork.perf.txt", ["--tid", "--all", "--addrs"]),
        ("cwork-multi.collapsed.event-filter-task-clock.txt", "cwork-multi.perf.txt", ["--event-filter=task-clock"]),
        (
            "cwork-multi.collapsed.event-filter-task-clock.txt", "cwork-multi.perf.txt",
            ["--event-filter", "task-clock"]
        ),
        ("cwork-dwarf.collapsed.kernel.txt", "cwork-dwarf.perf.txt", ["-kernel"]),
        ("gowork.collapsed.all.txt", "gowork.perf.txt", ["--all"]),
    ])
    func cli(_ reference: String, _ input: String, _ options: [String]) throws {
        let r = try Fixtures.run(["collapse"] + options + [Fixtures.path("perf/" + input)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try Fixtures.read("perf/" + reference)))
    }

    @Test func stdinDash() throws {
        let input = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("perf/cwork.perf.txt")))
        let r = try Fixtures.run(["collapse", "--pid", "-"], stdin: input)
        #expect(r.status == 0)
        #expect(r.stdout == (try Fixtures.read("perf/cwork.collapsed.pid.txt")))
    }

    @Test func gzipInput() throws {
        let path = try Self.tempFile("cwork.perf.txt.gz", Gzip.deflate(try Self.bytes("perf/cwork.perf.txt")))
        let r = try Fixtures.run(["collapse", "--kernel", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try Fixtures.read("perf/cwork.collapsed.kernel.txt")))
    }

    @Test func emptyFileIsAnError() throws {
        let path = try Self.tempFile("empty.perf.txt", [])
        let r = try Fixtures.run(["collapse", path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("empty input"))
    }

    /// Binary data has no sample header lines: a clear error, never a trap.
    @Test func binaryGarbageIsAnError() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var junk = [UInt8]()
        for _ in 0..<300_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            junk.append(UInt8(truncatingIfNeeded: state >> 56) | 0x80)  // never ASCII
            if state & 0xFF == 7 { junk.append(0x0A) }
        }
        let path = try Self.tempFile("junk.bin", junk)
        let r = try Fixtures.run(["collapse", path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("no perf script samples found"))
    }

    /// Random bytes (with NULs, and by chance event-like lines): a clear error, exit 2.
    @Test func randomBinaryIsAnError() throws {
        var state: UInt64 = 7
        var junk = [UInt8]()
        for _ in 0..<200_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            junk.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        let path = try Self.tempFile("random.bin", junk)
        let r = try Fixtures.run(["collapse", path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("binary data"))
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
        var text = Array("prog 4242 [000] 1.000000: 250000 cpu-clock: \n".utf8)
        text += Array("\t1234 ".utf8) + [UInt8](repeating: 0x61, count: 1 << 20) + Array("+0x10 (/opt/app/prog)\n".utf8)
        text += Array("\t1235 caller (/opt/app/prog)\n\n".utf8)
        text += Array("p".utf8) + [UInt8](repeating: 0x20, count: 1 << 20) + Array("\n".utf8)
        text += Array("q 1 ".utf8) + [UInt8](repeating: 0x28, count: 1 << 20)
        let path = try Self.tempFile("long.perf.txt", text)
        var c = PerfCollapser(options: PerfCollapseOptions())
        try PerfScriptReader.forEachLine(path: path) { c.feed($0) }
        let want = Array("prog;caller;".utf8) + [UInt8](repeating: 0x61, count: 1 << 20) + Array(" 250000\n".utf8)
        let got = c.folded()
        #expect(got == want, "got \(got.count) bytes: \(String(decoding: got.prefix(40), as: UTF8.self))…")
        let r = try Fixtures.run(["collapse", path])
        #expect(r.status == 0)
        #expect(r.stdout.utf8.count == want.count)
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

    @Test func byteWiseSort() {
        let stacks: [[UInt8]: UInt64] = [
            Array("b".utf8): 1, Array("a;b".utf8): 2, Array("a".utf8): 3, Array("B".utf8): 4, [0xC3, 0xA9]: 5,
            Array("[x]".utf8): 6,
        ]
        let out = String(decoding: FoldedStacks.write(stacks), as: UTF8.self)
        #expect(out == "B 4\n[x] 6\na 3\na;b 2\nb 1\né 5\n")
    }

    @Test func unsupportedOptionsAreClearErrors() throws {
        let input = Fixtures.path("perf/cwork.perf.txt")
        for args in [["--inline"], ["--context"]] {
            let r = try Fixtures.run(["collapse"] + args + [input])
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("not supported yet"), "\(args)")
        }
        let ok = try Fixtures.run(["collapse", "--demangle", "none", input])
        #expect(ok.status == 0)
    }

    // MARK: two threads (PerfParallelCollapse)

    /// Serial fold of a file: the reference behaviour.
    static func serial(_ path: String, _ options: PerfCollapseOptions) throws -> PerfCollapser {
        var c = PerfCollapser(options: options)
        try PerfScriptReader.forEachChunk(path: path) { c.feedLines($0, final: $1) }
        return c
    }

    /// The two-thread fold gives the serial result (and the same warnings' facts), split
    /// after the blank line nearest each of `fractions` of the file.
    static func expectParallelMatches(
        _ path: String, _ options: PerfCollapseOptions, fractions: [Double] = [0.5], _ label: String,
        requireSplit: Bool = false
    ) throws {
        let want = try serial(path, options)
        let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
        for f in fractions {
            // Copied in small reads; mapped in two-page windows; mapped whole.
            for (readSize, map, window) in [(1 << 12, false, 0), (1 << 12, true, 1 << 13), (1 << 20, true, 8 << 20)] {
                let near = Int(Double(size) * f)
                let result = try PerfParallelCollapse.collapse(
                    path: path, options: options, minimumBytes: 0, readSize: readSize, splitNear: near, map: map,
                    mapWindow: window)
                guard let (got, n) = result else {
                    #expect(!requireSplit, "no split: \(label) at \(f)")
                    continue
                }
                #expect(n == size, "\(label)")
                #expect(got.folded() == want.folded(), "\(label) split near \(f) read \(readSize) map \(map) \(window)")
                #expect(got.unrecognizedLines == want.unrecognizedLines, "\(label)")
                #expect(got.eventLines == want.eventLines, "\(label)")
                #expect(got.keptEvent == want.keptEvent, "\(label)")
                #expect(got.firstRejectedEvent == want.firstRejectedEvent, "\(label)")
                #expect(got.sawPeriod == want.sawPeriod && got.firstPeriod == want.firstPeriod, "\(label)")
                #expect(got.sawNulByte == want.sawNulByte, "\(label)")
                #expect(got.stackCount == want.stackCount, "\(label)")
            }
        }
    }

    /// Every reference input and option set: the split fold equals the serial one.
    @Test(arguments: rows)
    func parallelMatchesSerial(_ row: Row) throws {
        let options = PerfCollapseOptions(perlArguments: row.options)
        let path = Fixtures.path("perf/" + row.input)
        try Self.expectParallelMatches(path, options, fractions: [0.1, 0.5, 0.9], "\(row)")
        // And the result is the reference itself.
        if let (got, _) = try PerfParallelCollapse.collapse(path: path, options: options, minimumBytes: 0) {
            #expect(got.folded() == (try Self.bytes("perf/" + row.reference)), "\(row)")
        }
    }

    /// `input` with every sample header's first number (pid or tid) raised by `shift`.
    static func shiftedPids(_ input: [UInt8], by shift: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 20)
        for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if let b = line.first, b != 0x23, b != 0x09, b != 0x20,
                let sp = line.firstIndex(of: 0x20),
                let d = line[sp...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }),
                line[sp..<d].allSatisfy({ $0 == 0x20 })
            {
                let e = line[d...].firstIndex(where: { !($0 >= 0x30 && $0 <= 0x39) }) ?? line.endIndex
                let n = (Int(String(decoding: line[d..<e], as: UTF8.self)) ?? 0) + shift
                out += line[line.startIndex..<d]
                out += Array(String(n).utf8)
                out += line[e...]
            } else {
                out += line
            }
            out.append(0x0A)
        }
        out.removeLast()
        return out
    }

    /// Several recordings one after another (pids shifted), split at many places, with
    /// every option set; and multi-event inputs where the first event decides the filter.
    @Test func parallelMatchesSerialOnConcatenations() throws {
        var all: [UInt8] = []
        for (k, name) in ["cwork", "cwork-multi", "gowork", "edge-events", "pywork", "edge-noframes", "swiftwork"]
            .enumerated()
        {
            all += Self.shiftedPids(try Self.bytes("perf/\(name).perf.txt"), by: 100_000 * k)
            all += Array("\n".utf8)
        }
        let path = try Self.tempFile("concat.perf.txt", all)
        let fractions = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]
        for args in [[], ["--pid"], ["--tid", "--all", "--addrs"], ["--event-filter=task-clock"], ["--jit"]] {
            try Self.expectParallelMatches(
                path, PerfCollapseOptions(perlArguments: args), fractions: fractions, "concat \(args)",
                requireSplit: true)
        }
    }

    @Test func parallelMultipleEvents() throws {
        let sample = { (comm: String, pid: Int, event: String, leaf: String) -> String in
            "\(comm) \(pid) [000] 1.000000: 250000 \(event): \n\t1 \(leaf)+0x1 (/opt/app/prog)\n\t2 main (/opt/app/prog)\n\n"
        }
        // The first event decides the filter; later parts have other events first.
        var a = ""
        for i in 0..<200 { a += sample("prog", 10 + i % 3, i % 5 == 0 ? "task-clock" : "cpu-clock", "f\(i % 7)") }
        for i in 0..<200 { a += sample("other", 20, i % 2 == 0 ? "task-clock" : "cycles:u", "g\(i % 4)") }
        // No event name in the first part (tracepoint payloads, period 1): the filter is only
        // chosen in the second part.
        var b = ""
        for i in 0..<300 {
            b += "prog 7 [000] 1.000000: 1 sched:sched_switch: prev=\(i)\n\t1 sw\(i % 5) (/k)\n\n"
        }
        for i in 0..<300 { b += sample("late", 8, i % 3 == 0 ? "cycles" : "instructions", "h\(i % 6)") }
        // A sample left open (no blank line) right before other event lines, and comments.
        var c = "# header\n" + sample("x", 1, "cpu-clock", "a")
        c += "x 1 [000] 1.0: 5 cpu-clock: \n\t1 glued (/p)\n"
        c += "y 2 [000] 1.0: 7 task-clock: \n\t1 filtered (/p)\n\n"
        for i in 0..<100 { c += sample("z", i, "cpu-clock", "k\(i % 9)") + "# between\n" }
        for (name, text) in [("a", a), ("b", b), ("c", c)] {
            let path = try Self.tempFile("multi-\(name).perf.txt", Array(text.utf8))
            for args in [[], ["--tid"], ["--event-filter=task-clock"], ["--event-filter", "cycles"]] {
                try Self.expectParallelMatches(
                    path, PerfCollapseOptions(perlArguments: args), fractions: [0.1, 0.3, 0.5, 0.7, 0.9],
                    "multi-\(name) \(args)", requireSplit: true)
            }
        }
    }
}
