import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Reading folded stacks (`stack count`, difffolded's `stack base cand`).
@Suite struct FoldedTests {
    static func read(_ text: String, source: String = "t.folded") throws -> FoldedFile {
        let bytes = Array(text.utf8)
        let r = bytes.withUnsafeBytes { b -> Result<FoldedFile, InputError> in
            do throws(InputError) { return .success(try FoldedStacks.read(b, source: source)) } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }

    static func error(_ text: String) -> InputError? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error as? InputError
        }
    }

    @Test func oneCount() throws {
        let f = try Self.read("a;b;c 5\na;b 3\n\na;b;c 2\n")
        #expect(f.columns == 1)
        #expect(f.stacks == [["a", "b", "c"], ["a", "b"], ["a", "b", "c"]])
        #expect(f.values == [5, 3, 2])
    }

    @Test func twoCountsAsDifffoldedWrites() throws {
        let f = try Self.read("main;work 10 12\nmain;idle 0 4\r\nmain;new\t0 7")
        #expect(f.columns == 2)
        #expect(f.stacks == [["main", "work"], ["main", "idle"], ["main", "new"]])
        #expect(f.values == [10, 12, 0, 4, 0, 7])
        let p = StackProfile.profile(fromFolded: f)
        #expect(p.sampleTypes.map(\.description) == ["base/count", "cand/count"])
        #expect(p.totals() == [10, 23])
        #expect(try p.sampleIndex(named: "") == 1)
    }

    @Test func framesWithSpacesAndEmptyFrames() throws {
        let f = try Self.read("closure #1 in main();Item.encode(to:) 7\nx;;y 1\n")
        #expect(f.stacks[0] == ["closure #1 in main()", "Item.encode(to:)"])
        #expect(f.stacks[1] == ["x", "", "y"])
    }

    /// As flamegraph.pl: a line that is not `stack count` is skipped and counted; only a
    /// file with no stack at all (or a count too large for 64 bits) is refused.
    @Test func badLinesAreSkippedAndCounted() throws {
        let f = try Self.read("a;b 1\na;b\nb 2.5.1\nc 1e3\nx -3\na;c 2\n")
        #expect(f.stacks == [["a", "b"], ["a", "c"]])
        #expect(f.values == [1, 2])
        #expect(f.skippedLines == 4)
        let p = StackProfile.profile(fromFolded: f)
        #expect(p.readWarnings == ["Ignored 4 lines with invalid format"])
        #expect(StackProfile.profile(fromFolded: try Self.read("a 1\n")).readWarnings.isEmpty)
        let none = Self.error("not a stack\nnor this\n")
        #expect(
            none?.description
                == "t.folded: at byte 0: line 1: no folded stacks found (ignored 2 line(s) with invalid format; "
                + "expected 'frame;frame;... count')")
        let e3 = Self.error("a 99999999999999999999\n")
        #expect(e3?.description.contains("line 1: count is too large") == true)
        let e6 = Self.error("\n\n")
        #expect(e6?.description.contains("no folded stacks") == true)
        #expect(Self.error("12\n") != nil)
    }

    /// flamegraph.pl's `(.*)` may be empty: ` 5` is 5 samples with no frame (on the root).
    @Test func emptyStackCountsOnTheRoot() throws {
        let f = try Self.read(" 5\na 1\n")
        #expect(f.stacks == [[], ["a"]])
        #expect(StackProfile.profile(fromFolded: f).totals() == [6])
    }

    /// `#` lines are comments: skipped, not counted as invalid.
    @Test func commentLinesAreIgnored() throws {
        let f = try Self.read("# made by hand\n#\na;b 3\n# between\na;c 1\n")
        #expect(f.stacks == [["a", "b"], ["a", "c"]])
        #expect(f.skippedLines == 0)
    }

    /// `\d+(?:\.\d*)?` as flamegraph.pl: `1.5`, `3.` and `2` in one file keep every digit;
    /// the values are the counts times 10^(most decimals), and the unit says so.
    @Test func fractionalCounts() throws {
        let f = try Self.read("a;b 1.5\na;c 3.\na 2\na;d 0.25\n")
        #expect(f.fractionDigits == 2)
        #expect(f.values == [150, 300, 200, 25])
        let p = StackProfile.profile(fromFolded: f)
        #expect(p.sampleTypes.map(\.description) == ["samples/count/100"])
        #expect(p.totals() == [675])
        #expect(StackProfile.foldedFractionDigits(unit: p.sampleTypes[0].unit) == 2)
        #expect(StackProfile.foldedFractionDigits(unit: "count") == 0)
        #expect(StackProfile.foldedFractionDigits(unit: "bytes") == nil)
        // Two counts with decimals; digits beyond nine are rounded.
        let d = try Self.read("a 1.5 2.125\nb 0.1234567896 1\n")
        #expect(d.columns == 2 && d.fractionDigits == 9)
        #expect(d.values == [1_500_000_000, 2_125_000_000, 123_456_790, 1_000_000_000])
        // Whole counts stay as they are.
        #expect(try Self.read("a 7\n").fractionDigits == 0)
        #expect(Self.error("a 9223372036854775807\nb 0.5\n")?.description.contains("count is too large") == true)
    }

    /// Decimal counts are written back as they were read, and printed as counts.
    @Test func fractionalCountsWrittenBackAndLabelled() throws {
        let text = "a;b 1.5\na;c 3\na;d 0.05\n"
        let p = StackProfile.profile(fromFolded: try Self.read(text))
        let digits = StackProfile.foldedFractionDigits(unit: p.sampleTypes[0].unit) ?? 0
        let out = FoldedStacks.write(StackProfile.folded(p, sampleIndex: 0), fractionDigits: digits)
        #expect(String(decoding: out, as: UTF8.self) == text)
        #expect(Units.label(150, unit: "count/100") == "1.50")
        #expect(Units.label(300, unit: "count/100") == "3")
    }

    /// flamegraph.pl reads a one-count line in a two-count file as that count with no delta.
    @Test func oneCountLineInTwoCountFile() throws {
        let f = try Self.read("main;a;b 1 2\nmain;a;c 3\n")
        #expect(f.columns == 2)
        #expect(f.values == [1, 2, 3, 3])
        #expect(f.skippedLines == 0)
    }

    /// Perl's collapsed output read back and written again gives the same bytes.
    @Test(arguments: [
        "cwork.collapsed.default.txt", "gowork.collapsed.all.txt", "swiftwork.collapsed.tid.txt",
        "edge-punct.collapsed.default.txt",
    ])
    func roundTrip(_ name: String) throws {
        let text = try Fixtures.read("perf/" + name)
        let f = try Self.read(text)
        let p = StackProfile.profile(fromFolded: f)
        let out = FoldedStacks.write(StackProfile.folded(p, sampleIndex: 0))
        #expect(String(decoding: out, as: UTF8.self) == text)
    }

    @Test func arbitraryBytesDoNotTrap() {
        var state: UInt64 = 3
        var junk = [UInt8]()
        for _ in 0..<200_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = UInt8(truncatingIfNeeded: state >> 59)
            junk.append(
                r < 8
                    ? 0x30 + r
                    : (r < 12 ? 0x20 : (r < 14 ? 0x0A : (r < 16 ? 0x3B : UInt8(truncatingIfNeeded: state >> 20)))))
        }
        _ = junk.withUnsafeBytes { b in try? FoldedStacks.read(b, source: "junk") }
    }

    @Test func byteWiseSort() {
        let stacks: [[UInt8]: UInt64] = [
            Array("b".utf8): 1, Array("a;b".utf8): 2, Array("a".utf8): 3, Array("B".utf8): 4, [0xC3, 0xA9]: 5,
            Array("[x]".utf8): 6,
        ]
        let out = String(decoding: FoldedStacks.write(stacks), as: UTF8.self)
        #expect(out == "B 4\n[x] 6\na 3\na;b 2\nb 1\né 5\n")
    }

    /// `Tests/Fixtures/malformed/folded/`: each a clean error from the reader.
    @Test(arguments: Fixtures.malformed("folded"))
    func folded(_ path: String) throws {
        let b = try Fixtures.bytes(atPath: path)
        #expect(throws: InputError.self) { _ = try b.withUnsafeBytes { try FoldedStacks.read($0, source: path) } }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }
}
