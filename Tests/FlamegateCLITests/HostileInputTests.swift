import FlamegateTestSupport
import Foundation
import Testing

/// Issue 22's hostile inputs and faults, each made by `Tests/Fixtures/hostile/make.py`:
/// every case exits 2 with one line (or succeeds correctly), in bounded time and memory.
@Suite struct HostileInputTests {
    static func hostile(_ name: String) -> String { Fixtures.path("hostile/" + name) }

    /// Runs the CLI under `ulimit -v` (about 600 MB of address space): a blow-up in memory
    /// shows as a crash, not as a slow pass.
    static func bounded(_ args: [String]) throws -> (status: Int32, stderr: String) {
        let quoted = ([Fixtures.binary] + args).map { "'" + $0 + "'" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "ulimit -v 600000; exec " + quoted]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    @Test func sumsThatWouldWrapAreInputErrors() throws {
        let r = try Fixtures.run(["top", Self.hostile("overflow.pb")])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("overflow.pb: sample values of type cpu add up past the int64 limit"))
        // -2^63 cannot be negated (as -diff_base does); two halves of 2^63 cannot be merged.
        let m = try Fixtures.run(["top", "-diff_base", Self.hostile("min-value.pb"), Self.hostile("overflow-merge.pb")])
        #expect(m.status == 2)
        #expect(m.stderr.contains("min-value.pb: sample values of type cpu add up past the int64 limit"))
        let two = try Fixtures.run(["top", Self.hostile("overflow-merge.pb"), Self.hostile("overflow-merge.pb")])
        #expect(two.status == 2)
        #expect(two.stderr.contains("cannot merge: sample values of type cpu across the profiles add up past"))
        // The gate refuses too, instead of passing on a wrapped share.
        let rules = try Fixtures.tempFile(
            "rules.yml",
            Array(
                ("base: \(Self.hostile("overflow-merge.pb"))\ncandidate: \(Self.hostile("overflow.pb"))\nrules:\n"
                    + "  - {name: spin, kind: profile, frames: 'main\\.spin', threshold: 5}\n").utf8),
            group: "hostile")
        let g = try Fixtures.run(["gate", "--rules", rules])
        #expect(g.status == 2)
        #expect(g.stderr.contains("add up past the int64 limit"))
        // One copy alone is fine: 2^62+1 is exact.
        let one = try Fixtures.run(["top", Self.hostile("overflow-merge.pb")])
        #expect(one.status == 0)
    }

    @Test func zerosFailAtTheirFirstByteInBoundedMemory() throws {
        // 2 GiB of zeros in 2 MB of gzip: refused after the first chunk, not after inflating it all.
        let start = Date()
        let bomb = try Self.bounded(["top", Self.hostile("bomb.pb.gz")])
        #expect(bomb.status == 2, "\(bomb.stderr)")
        #expect(bomb.stderr.contains("at byte 0: malformed pprof profile: invalid field number 0"))
        let zero = try Self.bounded(["top", "/dev/zero"])
        #expect(zero.status == 2, "\(zero.stderr)")
        #expect(zero.stderr.contains("/dev/zero: at byte 0: malformed pprof profile"))
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func inlineExpansionIsBounded() throws {
        // 10 M identical inline lines (87 KB of gzip) are one frame, not a 2.2 GB flame graph.
        let bomb = try Self.bounded(["traces", Self.hostile("inline-bomb.pb.gz")])
        #expect(bomb.status == 0, "\(bomb.stderr)")
        let t = try Fixtures.run(["traces", Self.hostile("inline-bomb.pb.gz")])
        #expect(t.stdout.components(separatedBy: "main.spin").count == 2, "\(t.stdout.prefix(400))")
        // 1.1 M distinct inline lines pass the documented cap of 2^20 frames per sample.
        let deep = try Self.bounded(["flame", Self.hostile("inline-deep.pb.gz"), "-o", "-"])
        #expect(deep.status == 2)
        #expect(deep.stderr.contains("sample 0 expands to more than 1048576 frames"), "\(deep.stderr)")
    }

    @Test func aLongFirstLineIsStillALine() throws {
        let r = try Fixtures.run(["top", Self.hostile("long-line.folded")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("frame09999"))
    }

    @Test func failedWritesExitNonZeroAndKeepThePreviousFile() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "exec '\(Fixtures.binary)' top '\(cpu)' > /dev/full"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(e.contains("stdout: write failed: No space left on device"))

        // A file limit makes the write fail half way: the old file must survive whole.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-atomic-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("cpu.svg").path
        try Data("previous".utf8).write(to: URL(fileURLWithPath: out))
        let q = Process()
        q.executableURL = URL(fileURLWithPath: "/bin/bash")
        q.arguments = ["-c", "ulimit -f 8; trap '' XFSZ; exec '\(Fixtures.binary)' flame '\(cpu)' -o '\(out)'"]
        let qerr = Pipe()
        q.standardError = qerr
        try q.run()
        let qe = String(decoding: qerr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        q.waitUntilExit()
        #expect(q.terminationStatus == 2)
        #expect(qe.contains("cpu.svg: write failed: File too large"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["cpu.svg"])
        // And a write that succeeds replaces it.
        let ok = try Fixtures.run(["flame", cpu, "-o", out])
        #expect(ok.status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("<?xml"))
    }
}
