import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Bad input is normal input: every case is a clear one-line error on stderr and exit
/// status 2 — broken pprof files, the malformed corpus (`Tests/Fixtures/malformed/<reader>/`,
/// hand-crafted by `Fuzz/make-malformed.py` or found by the fuzz targets), unknown formats,
/// missing files, usage errors, gzip bombs, hostile regexes.
@Suite struct InputErrorsTests {
    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        try Fixtures.tempFile(name, contents, group: "detect-cli")
    }

    @Test func unrecognizedInputIsExit2() throws {
        let path = try Self.tempFile("notes.txt", Array("just some notes\nnothing else\n".utf8))
        let r = try Fixtures.run(["top", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a profile: it looks like plain text"))
        // Folded with a bad line: skipped and counted, as flamegraph.pl does (issue 18).
        let bad = try Self.tempFile("bad.folded", Array("a;b 1\na;b\na;c 2\n".utf8))
        let b = try Fixtures.run(["top", bad])
        #expect(b.status == 0)
        #expect(b.stderr.contains("Ignored 1 lines with invalid format"))
        let empty = try Self.tempFile("empty.txt", [])
        #expect(try Fixtures.run(["top", empty]).status == 2)
    }

    @Test func directoryAndMissingFile() throws {
        let dir = FileManager.default.temporaryDirectory.path
        let r1 = try Fixtures.run(["top", dir])
        #expect(r1.status == 2)
        #expect(r1.stderr.contains("is a directory"))
        let r2 = try Fixtures.run(["top", "/nonexistent/cpu.pb.gz"])
        #expect(r2.status == 2)
        #expect(r2.stderr == "flamegate: /nonexistent/cpu.pb.gz: no such file\n")
    }

    @Test func usageErrorsExitTwo() throws {
        let r = try Fixtures.run(["top", "--nodecount", "x", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(r.status == 2)
        let r2 = try Fixtures.run(["top", "-sample_index=nosuch", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("sample_index \"nosuch\" must be one of: [samples cpu]"))
        let r3 = try Fixtures.run(["frobnicate"])
        #expect(r3.status == 2)
    }

    /// Each broken pprof file (MalformedPprof): exit status 2 and one line naming the file and the problem.
    @Test(arguments: MalformedPprof.cases)
    func malformedPprof(_ c: MalformedPprof.Case) throws {
        let path = try Fixtures.tempFile(c.name, c.bytes, group: "malformed-cli")
        let run = try Fixtures.run(["top", path])
        #expect(run.status == 2, "\(c.name): exit \(run.status)")
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(c.name): stderr was \(run.stderr)")
        #expect(run.stderr.contains(path) && run.stderr.contains(c.fragment), "\(c.name): \(run.stderr)")
    }

    /// A profile whose drop_frames is `(a*)*b` and whose function is `aaaa…c` (once a
    /// backtracking hang, then refused): matched in linear time, as pprof does.
    @Test func hostileDropFramesIsMatchedQuickly() throws {
        let path = Fixtures.root + "/Fuzz/known-issues/drop-frames-redos.pb"
        let start = Date()
        let r = try Fixtures.run(["top", path])
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("aaaaaaaaaaaaaaaaaaaaaaaaaaaac"))
    }

    @Test(arguments: Fixtures.malformedReaders)
    func everyReaderHasRegressionInputs(_ reader: String) {
        #expect(!Fixtures.malformed(reader).isEmpty, "Tests/Fixtures/malformed/\(reader) is empty")
    }

    @Test func everyFileBelongsToAReader() throws {
        let dirs = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("malformed"))
        for d in dirs where !d.hasPrefix(".") {
            #expect(Fixtures.malformedReaders.contains(d), "unknown reader directory \(d)")
        }
    }

    static func command(_ reader: String, _ path: String) -> [String] {
        switch reader {
        case "rules": return ["explain", "--rules", path, Fixtures.path("pprof/go1.19/threadcreate.pb.gz")]
        case "gaterules": return ["gate", "--rules", path]
        case "gobench": return ["bench", "compare", path, path]
        case "goescape": return ["escape", "report", path]
        default: return ["top", path]
        }
    }

    @Test(arguments: Fixtures.malformedReaders)
    func cliExitsTwoWithOneLine(_ reader: String) throws {
        for path in Fixtures.malformed(reader) {
            let r = try Fixtures.run(Self.command(reader, path))
            let name = "\(reader)/\((path as NSString).lastPathComponent)"
            #expect(r.status == 2, "\(name): exit status \(r.status), stderr: \(r.stderr)")
            #expect(r.stderr.hasPrefix("flamegate: "), "\(name): \(r.stderr)")
            #expect(
                r.stderr.hasSuffix("\n") && r.stderr.dropLast().firstIndex(of: "\n") == nil,
                "\(name): not one line: \(r.stderr)")
            #expect(
                r.stderr.contains((path as NSString).lastPathComponent),
                "\(name): the error does not name the file: \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(name): printed \(r.stdout.prefix(200))")
        }
    }

    @Test func gzipBombThroughTheCLI() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-bomb-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bomb.pb.gz").path
        try Data(SampleInputs.protobufBomb).write(to: URL(fileURLWithPath: path))
        // Zeros are refused at their first byte, before any cap (issue 22).
        let zeros = dir.appendingPathComponent("zeros.pb.gz").path
        try Data(SampleInputs.gzipBomb).write(to: URL(fileURLWithPath: zeros))
        let z = try Fixtures.run(["top", zeros], environment: ["FLAMEGATE_MAX_INFLATE": "10MB"])
        #expect(z.status == 2)
        #expect(z.stderr.contains("at byte 0: malformed pprof profile: invalid field number 0"), "\(z.stderr)")

        let capped = try Fixtures.run(["top", path], environment: ["FLAMEGATE_MAX_INFLATE": "10MB"])
        #expect(capped.status == 2)
        #expect(capped.stderr.contains("gzip data inflates past the 10 MiB limit"), "\(capped.stderr)")
        #expect(capped.stderr.contains("FLAMEGATE_MAX_INFLATE"))
        #expect(capped.stderr.dropLast().firstIndex(of: "\n") == nil, "not one line: \(capped.stderr)")

        // Raised: the bytes inflate, and are then refused as a profile — not as a bomb.
        let raised = try Fixtures.run(["top", path], environment: ["FLAMEGATE_MAX_INFLATE": "64MiB"])
        #expect(raised.status == 2)
        #expect(!raised.stderr.contains("limit"), "\(raised.stderr)")

        let bad = try Fixtures.run(["top", path], environment: ["FLAMEGATE_MAX_INFLATE": "lots"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("FLAMEGATE_MAX_INFLATE=\"lots\" is not a size"), "\(bad.stderr)")

        let help = try Fixtures.run(["--help"])
        #expect(help.stdout.contains("FLAMEGATE_MAX_INFLATE"))
    }
}
