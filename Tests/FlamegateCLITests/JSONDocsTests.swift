import FlamegateTestSupport
import Foundation
import Testing

/// Keeps `docs/json.md` true. Each example there is a one-line ```sh block holding a
/// `flamegate …` command, with the ```json block it printed right after it. Every example
/// must parse, use snake_case keys only, and still match what the command prints today:
/// the same top-level keys, and no documented key that the live output no longer has.
/// (Only `Fixtures.root`/`Fixtures.run` are shared with the other tests.)
@Suite struct JSONDocsTests {
    /// One documented example: the command (without `flamegate`) and its JSON.
    struct Example: CustomTestStringConvertible, Sendable {
        var line: Int
        var command: String
        var arguments: [String]
        var json: String
        var testDescription: String { "json.md:\(line): \(command)" }
    }

    static let docPath = Fixtures.root + "/docs/json.md"

    /// The commands the doc must show, by their first words.
    static let commands = [
        "top", "traces", "info", "blame", "diff", "explain", "bench compare", "escape report", "escape diff", "gate",
        "trace stats",
        "flame", "peek", "list",
    ]

    /// The examples in docs/json.md; empty when it cannot be read (`docHasEveryCommand` fails then).
    static func examples() -> [Example] {
        guard let text = try? String(contentsOfFile: docPath, encoding: .utf8) else { return [] }
        return (try? parse(text)) ?? []
    }

    struct DocError: Error, CustomStringConvertible {
        var description: String
    }

    /// Pairs each ```sh block with the ```json block after it (only blank lines between).
    /// A ```json block without a command before it is an error: nothing would check it.
    static func parse(_ text: String) throws -> [Example] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Example] = []
        var i = 0
        /// The body of the fenced block opening at `start`, and the index after its closing fence.
        func block(_ start: Int) throws -> (body: [String], next: Int) {
            var j = start + 1
            while j < lines.count && lines[j] != "```" { j += 1 }
            if j == lines.count { throw DocError(description: "json.md:\(start + 1): unclosed code block") }
            return (Array(lines[(start + 1)..<j]), j + 1)
        }
        while i < lines.count {
            switch lines[i] {
            case "```sh":
                let (sh, next) = try block(i)
                var k = next
                while k < lines.count && lines[k].allSatisfy(\.isWhitespace) { k += 1 }
                guard k < lines.count, lines[k] == "```json" else {
                    i = next
                    continue
                }
                guard sh.count == 1, sh[0].hasPrefix("flamegate ") else {
                    throw DocError(description: "json.md:\(i + 2): expected one `flamegate …` line above a JSON example")
                }
                let (json, after) = try block(k)
                let words = try shellWords(sh[0])
                out.append(
                    Example(
                        line: k + 1, command: sh[0], arguments: Array(words.dropFirst()),
                        json: json.joined(separator: "\n")))
                i = after
            case "```json":
                throw DocError(description: "json.md:\(i + 1): a JSON example with no command above it")
            default:
                i += 1
            }
        }
        return out
    }

    /// Splits a command line as sh would for the quoting the doc uses: '…', "…", \x.
    static func shellWords(_ s: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var it = s.makeIterator()
        while let c = it.next() {
            switch c {
            case " ", "\t":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                while true {
                    guard let d = it.next() else { throw DocError(description: "unclosed ' in: \(s)") }
                    if d == "'" { break }
                    word.append(d)
                }
            case "\"":
                inWord = true
                while true {
                    guard let d = it.next() else { throw DocError(description: "unclosed \" in: \(s)") }
                    if d == "\"" { break }
                    if d == "\\", let e = it.next() { word.append(e) } else { word.append(d) }
                }
            case "\\":
                inWord = true
                if let d = it.next() { word.append(d) }
            default:
                inWord = true
                word.append(c)
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// Every key path in a JSON value: `rows[].flat_percent`, `config.goos`…
    static func keyPaths(_ v: Any, _ prefix: String = "", into out: inout Set<String>) {
        if let o = v as? [String: Any] {
            for (k, x) in o {
                let p = prefix.isEmpty ? k : prefix + "." + k
                out.insert(p)
                keyPaths(x, p, into: &out)
            }
        } else if let a = v as? [Any] {
            for x in a { keyPaths(x, prefix + "[]", into: &out) }
        }
    }

    /// Every object key anywhere in a JSON value.
    static func keys(_ v: Any, into out: inout Set<String>) {
        if let o = v as? [String: Any] {
            for (k, x) in o {
                out.insert(k)
                keys(x, into: &out)
            }
        } else if let a = v as? [Any] {
            for x in a { keys(x, into: &out) }
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        let v = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let o = v as? [String: Any] else { throw DocError(description: "not a JSON object") }
        return o
    }

    static func isSnakeCase(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    @Test func docHasEveryCommand() throws {
        let text = try String(contentsOfFile: Self.docPath, encoding: .utf8)
        let examples = try Self.parse(text)
        for command in Self.commands {
            let words = command.split(separator: " ").map(String.init)
            #expect(
                examples.contains { Array($0.arguments.prefix(words.count)) == words },
                "docs/json.md has no example of `flamegate \(command)`")
        }
    }

    @Test func shellWordsSplitsAsShDoes() throws {
        #expect(try Self.shellWords("flamegate top --focus 'main\\.x' a\\ b \"c d\"") == [
            "flamegate", "top", "--focus", "main\\.x", "a b", "c d",
        ])
        #expect(try Self.shellWords("  a   b ''") == ["a", "b", ""])
    }

    @Test func snakeCaseRule() {
        #expect(Self.isSnakeCase("flat_percent"))
        #expect(Self.isSnakeCase("n_base"))
        #expect(!Self.isSnakeCase("sampleType"))
        #expect(!Self.isSnakeCase("flat-percent"))
        #expect(!Self.isSnakeCase("_x"))
        #expect(!Self.isSnakeCase("$schema"))
    }

    @Test(arguments: JSONDocsTests.examples())
    func exampleMatchesLiveOutput(_ e: Example) throws {
        // (a) The documented example is JSON, (b) with snake_case keys only.
        let documented = try Self.object(e.json)
        var docPaths = Set<String>()
        Self.keyPaths(documented, into: &docPaths)
        var keys = Set<String>()
        Self.keys(documented, into: &keys)
        for key in keys.sorted() {
            #expect(Self.isSnakeCase(key), "\(e.testDescription): key \"\(key)\" is not snake_case")
        }

        // (c) The command still prints the same top-level keys, and every documented key.
        let run = try Fixtures.run(e.arguments, cwd: Fixtures.root)
        #expect(run.status == 0, "\(e.testDescription): exit \(run.status): \(run.stderr)")
        let live = try Self.object(run.stdout)
        #expect(
            Set(live.keys) == Set(documented.keys),
            "\(e.testDescription): top-level keys now \(live.keys.sorted()), documented \(documented.keys.sorted())")
        var livePaths = Set<String>()
        Self.keyPaths(live, into: &livePaths)
        let stale = docPaths.subtracting(livePaths)
        #expect(stale.isEmpty, "\(e.testDescription): documented keys the command no longer prints: \(stale.sorted())")
    }
}
