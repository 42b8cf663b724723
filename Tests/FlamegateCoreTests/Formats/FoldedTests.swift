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

    @Test func badLinesNameTheLine() {
        let e1 = Self.error("a;b 1\na;b\n")
        #expect(
            e1?.description
                == "t.folded: at byte 6: line 2: expected 'frame;frame;... count' (a stack, a space, an integer count)")
        let e2 = Self.error("a 1\nb 2.5\n")
        #expect(e2?.description.contains("line 2: expected") == true)
        let e3 = Self.error("a 99999999999999999999\n")
        #expect(e3?.description.contains("line 1: count is too large") == true)
        let e4 = Self.error("a 1 2\nb 3\n")
        #expect(e4?.description.contains("line 2: expected 'stack base cand'") == true)
        let e5 = Self.error(" 5\n")
        #expect(e5 != nil)
        let e6 = Self.error("\n\n")
        #expect(e6?.description.contains("no folded stacks") == true)
        #expect(Self.error("12\n") != nil)
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
