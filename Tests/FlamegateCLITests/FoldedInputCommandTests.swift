import FlamegateTestSupport
import Foundation
import Testing

/// Folded input with bad lines, as flamegraph.pl treats it: skipped and counted on stderr;
/// exit 2 only when no line is a stack.
@Suite struct FoldedInputCommandTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fg-folded-\(UUID().uuidString).folded"
        )
        .path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func badLinesAreIgnoredWithAWarning() throws {
        let path = try Self.file(
            "# comment\nmain;work 3\nnot a stack\nmain;idle 1.5\nmain;x 1e3\nmain;io 2\nmain;run 0.5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Fixtures.run(["top", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Ignored 2 lines with invalid format"), "\(r.stderr)")
        let svg = path + ".svg"
        defer { try? FileManager.default.removeItem(atPath: svg) }
        let f = try Fixtures.run(["flame", path, "-o", svg])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stderr.contains("Ignored 2 lines with invalid format"), "\(f.stderr)")
    }

    @Test func nothingParsedExitsTwo() throws {
        for text in ["main;work 1e3\nmain;idle -1\n", "# only invalid lines\nmain;work 1e3\n"] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try Fixtures.run(["top", path])
            #expect(r.status == 2, "\(text): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    /// `flamegate flame` on a two-count folded file draws flamegraph.pl's frames (with
    /// --title, as flamegraph.pl: Flamegate's default subtitle would add a row).
    @Test func twoCountFlameIsFlamegraphPls() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("fg-2c-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: svg) }
        let r = try Fixtures.run([
            "flame", "--hash", "--colors", "hot", "--title", "Flame Graph", Fixtures.path("flame/twocount.folded"),
            "-o", svg,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        func key(_ f: Flame.Frame) -> String { "\(f.name) \(f.x) \(f.y) \(f.width) \(f.fill)" }
        let ours = Flame.frames(try String(contentsOfFile: svg, encoding: .utf8)).map(key).sorted()
        let theirs = Flame.frames(try Fixtures.read("flame/twocount.hash.svg")).map(key).sorted()
        #expect(ours == theirs)
    }
}
