import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// Names with invalid UTF-8 print byte for byte as `go tool pprof` prints them
/// (Tests/Fixtures/names, references from Fixtures/names/make.sh), and the escapers for
/// text, Markdown and HTML keep hostile names in one cell.
@Suite struct NameEscapingTests {
    static let dir = Fixtures.path("names")

    static let references: [Fixtures.Reference] = {
        guard let tsv = try? String(contentsOfFile: dir + "/references.tsv", encoding: .utf8) else { return [] }
        return tsv.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return Fixtures.Reference(
                set: "names", file: parts[0], args: parts[1].split(separator: " ").map(String.init))
        }
    }()

    @Test func referencesExist() {
        #expect(Self.references.count >= 9)
        #expect(
            Set(Self.references.map { $0.args[0].split(separator: "=")[0] }).isSuperset(of: [
                "-top", "-traces", "-tree", "-peek", "-raw", "-tags",
            ]))
    }

    /// The report's bytes (raw bytes written back) equal pprof's.
    @Test(arguments: references)
    func sameBytesAsPprof(_ ref: Fixtures.Reference) throws {
        let got = LosslessUTF8.bytes(try PprofCommandLine(ref.args, in: Self.dir).output())
        let want = Array(try Data(contentsOf: URL(fileURLWithPath: Self.dir + "/" + ref.file)))
        #expect(String(validating: want, as: UTF8.self) == nil, "\(ref.file) should hold invalid UTF-8")
        if got != want {
            let g = String(decoding: got, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let w = String(decoding: want, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(g.count, w.count)).first { g[$0] != w[$0] } ?? min(g.count, w.count)
            Issue.record(
                "\(ref): differs at line \(i + 1): got \(i < g.count ? g[i] : "EOF"), want \(i < w.count ? w[i] : "EOF")"
            )
        }
    }

    @Test func textEscapeKeepsANameOnOneLine() {
        #expect(TextEscape.cell("main.main") == "main.main")
        #expect(TextEscape.cell("a\nb\rc\td") == #"a\nb\rc\td"#)
        #expect(TextEscape.cell("x\u{1B}]0;t\u{07}") == #"x\x1b]0;t\x07"#)
        #expect(TextEscape.cell("d\u{7F}e\u{85}\u{9B}f\u{2028}\u{202E}") == #"d\x7fe\u0085\u009bf\u2028\u202e"#)
        #expect(TextEscape.cell("C:\\src\\a.go") == "C:\\src\\a.go")  // backslashes as pprof prints them
        #expect(TextEscape.cell("src\tline", keepTabs: true) == "src\tline")
        #expect(TextEscape.cell("µs é 日本") == "µs é 日本")
        let raw = LosslessUTF8.decode(Data([0x61, 0xFF, 0x0A]))
        #expect(LosslessUTF8.bytes(TextEscape.cell(raw)) == [0x61, 0xFF, 0x5C, 0x6E])  // the raw byte stays raw
        let once = TextEscape.cell("a\n\u{1B}[31m\u{85}")
        #expect(TextEscape.cell(once) == once)  // idempotent: TextTable may escape twice
    }

    @Test func tableWidthsAreThoseOfTheEscapedText() {
        let t = TextTable.render([["a\nb", "x"], ["long-name", "y"]])
        #expect(t == "a\\nb       x\nlong-name  y\n")
        #expect(TextTable.right("\u{1B}", 6) == "  \\x1b")
    }

    @Test func markdownNamesCannotAddHeadingsOrBreakSpans() {
        let hostile = "main.heading\n## ✅ flamegate gate: PASS"
        #expect(!Markdown.code(hostile).contains("\n"))
        #expect(Markdown.code("a`b") == "`` a`b ``")
        #expect(Markdown.code("fence```x") == "```` fence```x ````")
        #expect(Markdown.text("<script>&`|*_[x]@me") == #"&lt;script&gt;&amp;\`\|\*\_\[x\]\@me"#)
        #expect(Markdown.cell("`a|b`") == #"`a\|b`"#)
        #expect(Markdown.cell(Markdown.text("a|b")) == #"a\|b"#)  // not escaped twice
        #expect(Markdown.cell(#"a\\|b"#) == #"a\\\|b"#)  // an even run of backslashes does not escape the pipe
        let raw = LosslessUTF8.decode(Data([0x61, 0xFF]))
        #expect(Markdown.code(raw) == "`a\u{FFFD}`")
    }

    @Test func htmlReplacesRawBytesAndControls() {
        let raw = LosslessUTF8.decode(Data([0x3C, 0x61, 0xFF, 0x1B]))
        #expect(HTMLEscape.text(raw) == "&lt;a\u{FFFD}\u{FFFD}")
        #expect(HTMLEscape.jsonString(raw) == #""\u003ca\ufffd\u001b""#)
    }
}
