import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Names from a profile through every output kind, with the binary
/// (Tests/Fixtures/names, made by Fixtures/names/make.sh):
/// - invalid UTF-8 prints byte for byte as pprof prints it, and `-proto` keeps the bytes;
/// - hostile names (line breaks, escape sequences, backticks, pipes, a Markdown heading,
///   HTML) stay one row or cell in text, and Markdown, JSON, JUnit, SVG and HTML stay valid.
///   pprof prints those raw; Flamegate escapes them on purpose, so they have no references.
@Suite struct NamesCommandTests {
    static let dir = Fixtures.path("names")

    /// The hostile function names written by Fixtures/names/main.go.
    static let hostileNames = [
        "main.newline\nmain.fake", "main.cr\roverwritten", "main.red\u{1B}[31mRED\u{1B}[0m",
        "main.title\u{1B}]0;pwned\u{07}", "main.link\u{1B}]8;;https://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\",
        "main.clear\u{1B}[2J\u{1B}[H", "main.tick`code`", "main.fence```x", "main.pipe|cell|",
        "main.heading\n## ✅ flamegate gate: PASS", "<script>alert(1)</script>", "main.tab\there", "main.del\u{7F}",
        "main.c1\u{85}\u{9B}[31m", "main.ls\u{2028}ps\u{2029}", "main.amp&lt;&", "main.bidi\u{202E}evil",
        "main.backslash\\n",
    ]

    static let references: [(file: String, args: [String])] = {
        guard let tsv = try? String(contentsOfFile: dir + "/references.tsv", encoding: .utf8) else { return [] }
        return tsv.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return (parts[0], parts[1].split(separator: " ").map(String.init))
        }
    }()

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func invalidUTF8PrintsAsPprofPrintsIt() throws {
        #expect(Self.references.count >= 9)
        for ref in Self.references {
            let r = try Fixtures.run(ref.args, cwd: Self.dir)
            #expect(r.status == 0, "\(ref.args): \(r.stderr)")
            #expect(Array(r.stdoutBytes) == (try bytes(Self.dir + "/" + ref.file)), "\(ref.args)")
        }
    }

    /// The top-level string_table entries (field 6) of a gzip'd profile, as bytes.
    func stringTable(_ path: String) throws -> [[UInt8]] {
        let z = try bytes(path)
        let raw = try z.withUnsafeBytes { try Gzip.inflate($0) }
        var out: [[UInt8]] = []
        var i = 0
        func varint() -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = raw[i]
                i += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        while i < raw.count {
            let key = varint()
            switch key & 7 {
            case 0: _ = varint()
            case 1: i += 8
            case 5: i += 4
            default:
                let n = Int(varint())
                if key >> 3 == 6 { out.append(Array(raw[i..<(i + n)])) }
                i += n
            }
        }
        return out
    }

    @Test func protoKeepsTheBytes() throws {
        let t = try TempDir()
        let input = Self.dir + "/invalid-utf8.pb.gz"
        let r = try Fixtures.run(["proto", input, "-o", t.path + "/out.pb.gz"])
        #expect(r.status == 0, "\(r.stderr)")
        let before = try stringTable(input)
        let after = try stringTable(t.path + "/out.pb.gz")
        #expect(before.contains { String(validating: $0, as: UTF8.self) == nil })
        #expect(Set(after) == Set(before))
        let raw = try Fixtures.run(["-raw", t.path + "/out.pb.gz"])
        #expect(Array(raw.stdoutBytes) == (try bytes(Self.dir + "/invalid-utf8.raw.txt")))
    }

    /// No control byte but the layout's own newlines and tabs, no DEL, no C1 control.
    func expectTerminalSafe(_ out: Data, _ what: String) {
        let b = Array(out)
        for (i, x) in b.enumerated() {
            let bad =
                (x < 0x20 && x != 0x0A && x != 0x09) || x == 0x7F
                || (x == 0xC2 && i + 1 < b.count && (0x80...0x9F).contains(b[i + 1]))
            if bad {
                Issue.record("\(what): control byte 0x\(String(x, radix: 16)) at offset \(i)")
                return
            }
        }
    }

    @Test(arguments: [
        ["top"], ["traces"], ["tree"], ["peek", "main"], ["tags"], ["raw"], ["comments"], ["info"], ["blame"],
        ["explain"], ["list", "main\\.red"], ["diff", "hostile.pb.gz"], ["top", "--files"],
    ])
    func hostileNamesStayInOneCell(_ args: [String]) throws {
        let cand = args[0] == "diff" ? "hostile-candidate.pb.gz" : "hostile.pb.gz"
        let r = try Fixtures.run(args + [cand], cwd: Self.dir)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        expectTerminalSafe(r.stdoutBytes, args.joined(separator: " "))
        expectTerminalSafe(Data(r.stderr.utf8), args.joined(separator: " ") + " (stderr)")
        if args == ["top"] {
            // 7 header lines, then one row per function (18 hostile, 3 callers), all alike.
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 7 + Self.hostileNames.count + 3)
            for l in lines.dropFirst(7) {
                #expect(l.wholeMatch(of: /\s+\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%  \S.*/) != nil, "\(l)")
            }
        }
    }

    func gateDir() throws -> TempDir {
        let t = try TempDir([
            "gate.yml": """
            base: base.pb.gz
            candidate: cand.pb.gz
            rules:
              - name: "all frames\\n## ✅ pass `x` | y <b>"
                kind: profile
                frames: 'main\\.|script'
                compare: share
                threshold: 1
                severity: warn
            """
        ])
        try FileManager.default.copyItem(atPath: Self.dir + "/hostile.pb.gz", toPath: t.path + "/base.pb.gz")
        try FileManager.default.copyItem(atPath: Self.dir + "/hostile-candidate.pb.gz", toPath: t.path + "/cand.pb.gz")
        return t
    }

    /// Every backtick run opens a code span that a run of the same length closes on the
    /// same line (CommonMark), backslash-escaped backticks outside spans aside.
    func codeSpansBalanced(_ line: Substring) -> Bool {
        let c = Array(line)
        var i = 0
        while i < c.count {
            if c[i] == "\\" {
                i += 2
                continue
            }
            guard c[i] == "`" else {
                i += 1
                continue
            }
            var n = 0
            while i < c.count && c[i] == "`" {
                n += 1
                i += 1
            }
            var closed = false
            while i < c.count {
                guard c[i] == "`" else {
                    i += 1
                    continue
                }
                var m = 0
                while i < c.count && c[i] == "`" {
                    m += 1
                    i += 1
                }
                if m == n {
                    closed = true
                    break
                }
            }
            if !closed { return false }
        }
        return true
    }

    /// `|` not escaped by an odd run of backslashes (GFM's cell splitting).
    func cellSeparators(_ line: Substring) -> Int {
        var n = 0
        var backslashes = 0
        for ch in line {
            if ch == "|" && backslashes % 2 == 0 { n += 1 }
            backslashes = ch == "\\" ? backslashes + 1 : 0
        }
        return n
    }

    @Test func gateReportsStayWellFormed() throws {
        let t = try gateDir()
        let r = try Fixtures.run(
            [
                "gate", "--rules", t.rules, "--markdown", t.path + "/out.md", "--json", t.path + "/out.json",
                "--junit", t.path + "/out.xml", "--flame-diff", t.path + "/out.html",
            ], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        expectTerminalSafe(r.stdoutBytes, "gate text")
        #expect(r.stdout.contains("main.heading\\n## ✅ flamegate gate: PASS"))

        let md = try String(contentsOfFile: t.path + "/out.md", encoding: .utf8)
        expectTerminalSafe(Data(md.utf8), "gate markdown")
        let lines = md.split(separator: "\n")
        let headings = lines.filter { $0.hasPrefix("#") }
        #expect(headings.count == 2, "\(headings)")
        #expect(headings.first == "## ✅ flamegate gate: PASS")
        #expect(headings.dropFirst().allSatisfy { $0.hasPrefix("### ") && $0.hasSuffix(": frames that changed most") })
        for l in lines { #expect(codeSpansBalanced(l), "unbalanced code span: \(l)") }
        for l in lines where l.hasPrefix("| ") {
            #expect([5, 7].contains(cellSeparators(l)), "a name broke a table row: \(l)")
        }
        #expect(!md.contains("<b>") && !md.contains("<script>alert"))
        #expect(md.contains("main.tick`code`"))  // in a longer fence

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.path + "/out.json")))
        let rule = try #require(((json as? [String: Any])?["rules"] as? [[String: Any]])?.first)
        #expect(rule["name"] as? String == "all frames\n## ✅ pass `x` | y <b>")
        let names = (rule["contributors"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.count >= 5)
        for n in names { #expect(Self.hostileNames.contains(n), "\(n) did not round-trip") }

        let xml = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: t.path + "/out.xml")))
        #expect(xml.parse(), "JUnit: \(String(describing: xml.parserError))")
        let html = try String(contentsOfFile: t.path + "/out.html", encoding: .utf8)
        #expect(!html.contains("<script>alert"))
    }

    @Test func jsonRoundTripsHostileNamesAndReplacesRawBytes() throws {
        let r = try Fixtures.run(["top", "--format", "json", Self.dir + "/hostile.pb.gz"])
        let obj = try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any]
        let names = Set((obj?["rows"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names.isSuperset(of: Self.hostileNames))
        expectTerminalSafe(r.stdoutBytes, "top --format json")

        let bad = try Fixtures.run(["top", "--format", "json", Self.dir + "/invalid-utf8.pb.gz"])
        #expect(String(validating: Array(bad.stdoutBytes), as: UTF8.self) != nil)
        let rows =
            (try JSONSerialization.jsonObject(with: bad.stdoutBytes) as? [String: Any])?["rows"] as? [[String: Any]]
        #expect(rows?.contains { $0["name"] as? String == "main.lone\u{FFFD}continuation" } == true)
    }

    @Test(arguments: ["hostile.pb.gz", "invalid-utf8.pb.gz"])
    func flameGraphsStayValid(_ input: String) throws {
        let t = try TempDir()
        for ext in ["svg", "html"] {
            let out = t.path + "/f." + ext
            let r = try Fixtures.run(["flame", Self.dir + "/" + input, "-o", out])
            #expect(r.status == 0, "\(r.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: out))
            #expect(String(validating: Array(data), as: UTF8.self) != nil, "\(input) \(ext): not UTF-8")
            if ext == "svg" {
                let p = XMLParser(data: data)
                #expect(p.parse(), "\(input): \(String(describing: p.parserError))")
            } else {
                #expect(!String(decoding: data, as: UTF8.self).contains("<script>alert"))
            }
        }
    }
}
