import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// Bad input is normal input: every case is a clear one-line error and exit status 2.
@Suite struct MalformedInputTests {
    /// A small valid profile, built field by field so each test can break one thing.
    static func profile(
        functionName: UInt64 = 3, sampleValues: [UInt64] = [1, 10], sampleLocation: UInt64 = 1,
        lineFunction: UInt64 = 1, locationMapping: UInt64 = 1, extraStrings: [String] = []
    ) -> [UInt8] {
        var w = WireWriter()
        w.message(1) {
            $0.int(1, 1)
            $0.int(2, 2)
        }
        w.message(1) {
            $0.int(1, 4)
            $0.int(2, 5)
        }
        w.message(2) {
            $0.packed(1, [sampleLocation])
            $0.packed(2, sampleValues)
        }
        w.message(3) {
            $0.int(1, 1)
            $0.int(5, 6)
        }
        w.message(4) {
            $0.int(1, 1)
            $0.int(2, locationMapping)
            $0.int(3, 0x1000)
            $0.message(4) {
                $0.int(1, lineFunction)
                $0.int(2, 42)
            }
        }
        w.message(5) {
            $0.int(1, 1)
            $0.int(2, functionName)
        }
        for s in ["", "samples", "count", "main.work", "cpu", "nanoseconds", "/bin/app"] + extraStrings {
            w.string(6, s)
        }
        return w.bytes
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-malformed-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Decodes through the library and the CLI; both must report `fragment`.
    func expectError(_ bytes: [UInt8], _ name: String, _ fragment: String, offset: Int? = nil) throws {
        let path = try write(bytes, name)
        do {
            _ = try ProfileInput.readProfile(path)
            Issue.record("\(name): decoded without error")
        } catch {
            #expect(error.description.contains(fragment), "\(name): \(error.description)")
            #expect(error.source == path)
            if let offset { #expect(error.offset == offset, "\(name): \(error.description)") }
        }
        let run = try Fixtures.run(["top", path])
        #expect(run.status == 2, "\(name): exit \(run.status)")
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(name): stderr was \(run.stderr)")
        #expect(run.stderr.contains(path) && run.stderr.contains(fragment), "\(name): \(run.stderr)")
    }

    @Test func theValidBaseProfileDecodes() throws {
        let bytes = Self.profile()
        let p = try bytes.withUnsafeBytes { try PprofDecoder.decode($0) }
        #expect(p.samples.count == 1)
        #expect(p.functionName(p.lines[0].function) == "main.work")
        #expect(p.strings[p.mappings[0].file] == "/bin/app")
        #expect(p.totals() == [1, 10])
    }

    @Test func stringIndexOutOfRange() throws {
        try expectError(Self.profile(functionName: 99), "badstring.pb", "string index 99 is out of range")
    }

    @Test func sampleValueCountDiffersFromSampleTypes() throws {
        try expectError(Self.profile(sampleValues: [1]), "values.pb", "has 1 values but the profile has 2 sample types")
        try expectError(
            Self.profile(sampleValues: [1, 2, 3]), "values3.pb", "more values than the profile's 2 sample types")
    }

    @Test func locationIDThatPointsNowhere() throws {
        try expectError(
            Self.profile(sampleLocation: 7), "loc.pb", "refers to location id 7, which is not in the profile")
    }

    @Test func functionIDThatPointsNowhere() throws {
        try expectError(Self.profile(lineFunction: 9), "fn.pb", "refers to function id 9, which is not in the profile")
    }

    /// pprof leaves such a location unmapped rather than refusing the profile.
    @Test func mappingIDThatPointsNowhereLeavesTheLocationUnmapped() throws {
        let p = try Self.profile(locationMapping: 5).withUnsafeBytes { try PprofDecoder.decode($0) }
        #expect(p.locations[0].mapping == -1)
        #expect(p.totals() == [1, 10])
    }

    /// pprof's CheckValid: every line has a function.
    @Test func lineWithoutAFunction() throws {
        try expectError(Self.profile(lineFunction: 0), "nofn.pb", "location id 1 has a line without a function")
    }

    @Test func noStringTable() throws {
        var w = WireWriter()
        w.message(1) {
            $0.int(1, 0)
            $0.int(2, 0)
        }
        try expectError(w.bytes, "nostrings.pb", "the profile has no string table")
    }

    /// Two gzip-less profiles back to back: pprof says "concatenated profiles detected".
    @Test func concatenatedProfiles() throws {
        var one = WireWriter()
        one.int(9, 1_700_000_000_000_000_000)
        let bytes = Self.profile() + one.bytes + Self.profile() + one.bytes
        try expectError(bytes, "concat.pb", "a second time_nanos: two profiles concatenated")
    }

    /// A label field that is not a message is a type mismatch for pprof, not an unknown field.
    @Test func labelWithTheWrongWireType() throws {
        var good = Self.profile()
        var w = WireWriter()
        w.message(2) {
            $0.packed(1, [1])
            $0.packed(2, [1, 10])
            $0.int(3, 7)
        }
        good += w.bytes
        try expectError(good, "label.pb", "Sample.label: expected a length-delimited message, found wire type 0")
    }

    @Test func lengthPastTheEnd() throws {
        let good = Self.profile()
        try expectError(Array(good.dropLast(3)), "truncated.pb", "runs past the end of the data")
        // A 2 GB length field in a tiny file: rejected before any allocation.
        var w = WireWriter()
        w.varint(2 << 3 | 2)
        w.varint(2 << 30)
        try expectError(w.bytes, "huge-length.pb", "length 2147483648 runs past the end", offset: 1)
    }

    @Test func badVarint() throws {
        try expectError([0x48] + [UInt8](repeating: 0xff, count: 11), "varint.pb", "bad varint", offset: 1)
        try expectError([0x48, 0xff, 0xff], "shortvarint.pb", "truncated varint", offset: 1)
    }

    @Test func truncatedAndCorruptGzip() throws {
        let gz = Gzip.deflate(Self.profile())
        try expectError(Array(gz.prefix(gz.count / 2)), "truncated.pb.gz", "truncated gzip data")
        var corrupt = gz
        for i in 12..<min(30, corrupt.count) { corrupt[i] ^= 0x5a }
        try expectError(corrupt, "corrupt.pb.gz", "corrupt gzip data")
    }

    @Test func emptyAndNonProfileFiles() throws {
        try expectError([], "empty.pb", "empty file: expected a pprof profile")
        // (Text that is no profile at all: LookalikeInputTests.)
        // Bytes that happen to parse as protobuf but hold nothing a profile has.
        try expectError([0x48, 0x01], "nothing.pb", "not a pprof profile")
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

    @Test func invalidUTF8NamesAreReadNotTrapped() throws {
        var bytes = Self.profile(functionName: 7, extraStrings: ["x"])
        // Replace the trailing "x" string with invalid UTF-8 bytes of the same length.
        bytes[bytes.count - 1] = 0xff
        let p = try bytes.withUnsafeBytes { try PprofDecoder.decode($0) }
        #expect(p.functionName(p.lines[0].function) == "\u{FFFD}")
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

    @Test func stdinIsDash() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pprof/go1.27/cpu.pb.gz")))
        let r = try Fixtures.run(["top", "-nodecount=3", "-"], stdin: data)
        #expect(r.status == 0)
        let want = try Fixtures.run(["top", "-nodecount=3", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(r.stdout == want.stdout)
    }
}

/// A profile's own drop_frames regex is untrusted: nested repetition is refused rather
/// than left to backtrack for hours (Fuzz/known-issues/drop-frames-redos.pb).
@Suite struct RegexLimitTests {
    @Test func nestedRepetitionIsDetected() {
        for bad in ["(a*)*b", "(a+)+", "((ab)*c)*", "(x+)+$", "(a|b*)*", "(a{1,3})+", "(a|a)*b"] {
            #expect(Pattern.hasNestedRepetition(bad), "\(bad)")
        }
        for ok in [
            "malloc|newImpl|operator new", "runtime\\..*", "^(a|b)$", "(ab)?c", "[(*+)]+", "\\(a*\\)*", "(?:foo)bar",
        ] {
            #expect(!Pattern.hasNestedRepetition(ok), "\(ok)")
        }
    }

    @Test func hostileDropFramesIsAClearErrorNotAHang() throws {
        let path = Fixtures.root + "/Fuzz/known-issues/drop-frames-redos.pb"
        let start = Date()
        let r = try Fixtures.run(["top", path])
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(r.status == 2)
        #expect(r.stderr.contains("drop_frames"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
