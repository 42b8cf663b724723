import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate collapse` against stackcollapse-perf.pl's own output, with the Perl spellings of the options.
@Suite struct CollapseCommandTests {
    static func bytes(_ rel: String) throws -> [UInt8] { try Fixtures.bytes(rel) }

    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        try Fixtures.tempFile(name, contents, group: "collapse-cli")
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

    /// 1 MB lines (a frame, an event-like line of spaces, a line without `\n`) are fine.
    @Test func megabyteLines() throws {
        let (text, want) = SampleInputs.megabyteLines
        let path = try Self.tempFile("long.perf.txt", text)
        let r = try Fixtures.run(["collapse", path])
        #expect(r.status == 0)
        #expect(r.stdout.utf8.count == want.count)
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

    @Test func demangle() throws {
        let input = Fixtures.path("perf/swiftwork.perf.txt")
        let r = try Fixtures.run(["collapse", "--demangle", "simplified", input])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try PerfFixtures.collapse("swiftwork.perf.txt", .simplified)))
        let f = try Fixtures.run(["collapse", "--demangle=full", input])
        #expect(f.status == 0)
        #expect(f.stdout.contains("swiftwork.Item.encode(to: Swift.Encoder) throws -> ()"))
        let none = try Fixtures.run(["collapse", input])
        #expect(none.stdout == (try Fixtures.read("perf/swiftwork.collapsed.default.txt")))
        let bad = try Fixtures.run(["collapse", "--demangle", "weird", input])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("none, full or simplified"))
    }
}
