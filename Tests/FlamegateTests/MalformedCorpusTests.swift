import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// `Tests/Fixtures/malformed/<reader>/`: hostile and broken inputs, hand-crafted
/// (`Fuzz/make-malformed.py`) or found by the fuzz targets (`Fuzz/`, minimized). Each must
/// be a clean error from its reader and, through the CLI, exit status 2 with one line.
@Suite struct MalformedCorpusTests {
    static let readers = ["pprof", "perf", "folded", "rules", "gaterules", "gobench", "goescape", "goroutine"]

    static func files(_ reader: String) -> [String] {
        let dir = Fixtures.path("malformed/\(reader)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(dir)/\($0)" }
    }

    static var allFiles: [String] { readers.flatMap { files($0) } }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test(arguments: readers)
    func everyReaderHasRegressionInputs(_ reader: String) {
        #expect(!Self.files(reader).isEmpty, "Tests/Fixtures/malformed/\(reader) is empty")
    }

    @Test func everyFileBelongsToAReader() throws {
        let dirs = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("malformed"))
        for d in dirs where !d.hasPrefix(".") { #expect(Self.readers.contains(d), "unknown reader directory \(d)") }
    }

    // MARK: the library: each reader throws its error type, never traps

    @Test(arguments: files("pprof"))
    func pprof(_ path: String) throws {
        let b = try Self.bytes(path)
        #expect(throws: DecodeError.self) {
            _ = try b.withUnsafeBytes { try PprofDecoder.decode(possiblyCompressed: $0, gzipLimit: 64 << 20) }
        }
        #expect(throws: InputError.self) { _ = try ProfileInput.readProfile(path) }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }

    @Test(arguments: files("perf"))
    func perf(_ path: String) throws {
        let b = try Self.bytes(path)
        #expect(throws: InputError.self) {
            _ = try b.withUnsafeBytes { try StackProfile.profile(fromPerfScript: $0, source: path) }
        }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }

    @Test(arguments: files("folded"))
    func folded(_ path: String) throws {
        let b = try Self.bytes(path)
        #expect(throws: InputError.self) { _ = try b.withUnsafeBytes { try FoldedStacks.read($0, source: path) } }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }

    @Test(arguments: files("rules"))
    func rules(_ path: String) throws {
        let text = String(decoding: try Self.bytes(path), as: UTF8.self)
        let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(text, source: path) }
        #expect(!e.description.contains("\n"), "not one line: \(e.description)")
    }

    @Test(arguments: files("gaterules"))
    func gaterules(_ path: String) throws {
        let text = String(decoding: try Self.bytes(path), as: UTF8.self)
        let e = try #require(throws: InputError.self) { _ = try GateRulesFile.parse(text, source: path) }
        #expect(!e.description.contains("\n"), "not one line: \(e.description)")
        #expect(throws: InputError.self) { _ = try GateRulesFile.read(path) }
    }

    @Test(arguments: files("gobench"))
    func gobench(_ path: String) throws {
        let b = try Self.bytes(path)
        #expect(throws: InputError.self) { _ = try GoBench.parse(b, source: path) }
    }

    @Test(arguments: files("goescape"))
    func goescape(_ path: String) throws {
        let b = try Self.bytes(path)
        #expect(throws: InputError.self) { _ = try GoEscape.parse(b, source: path) }
    }

    @Test(arguments: files("goroutine"))
    func goroutine(_ path: String) throws {
        let b = try Self.bytes(path)
        #expect(throws: InputError.self) { _ = try GoroutineDump.profile(b, source: path) }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }

    /// The input that used to size a buffer by samples × sample types (32 GiB) and trap.
    @Test func valueBufferIsBoundedByTheBytes() throws {
        let path = Fixtures.path("malformed/pprof/types-times-samples.pb.gz")
        let e = try #require(throws: InputError.self) { _ = try ProfileInput.readProfile(path) }
        #expect(e.message.contains("sample 0 has 0 values but the profile has 65536 sample types"))
    }

    /// YAML nesting beyond `YAMLValue.maxDepth` is refused before Yams recurses into it;
    /// ordinary rules files are far below it.
    @Test func yamlNestingIsBounded() throws {
        let deep = "rules: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(deep, source: "deep.yml") }
        #expect(e.description == "deep.yml:1: nested more than \(YAMLValue.maxDepth) levels deep (not a rules file)")
        let nested = "rules: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: InputError.self) { _ = try FindingRules.parse(nested, source: "ok.yml") }  // a list, not rules
        #expect(YAMLValue.tooDeep(nested) == nil)
        #expect(YAMLValue.tooDeep(FindingRules.defaultRulesYAML) == nil)
        #expect(!FindingRules.builtIn().isEmpty)
    }

    /// libyaml's errors keep their position and problem on one line (Yams' own text spans
    /// several lines, of which the first names neither).
    @Test func yamlErrorsNameLineColumnAndProblem() throws {
        let path = Fixtures.path("malformed/rules/invalid-yaml.yml")
        let text = String(decoding: try Self.bytes(path), as: UTF8.self)
        let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(text, source: path) }
        #expect(
            e.description
                == "\(path):3:9: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 2:9)")
        let g = try #require(throws: InputError.self) { _ = try GateRulesFile.parse("ok: 1\n\u{1}\n", source: "g.yml") }
        #expect(g.description == "g.yml:2:1: invalid YAML: control characters are not allowed (character 0x1)")
    }

    /// YAML's `.nan`/`.inf` (and Swift's `nan`) are numbers, so range checks name them
    /// instead of letting a NaN threshold or share silently never trip.
    @Test func specialFloatsAreRefused() throws {
        let rule = "rules:\n  - name: m\n    kind: profile\n    frames: x\n    threshold: "
        for t in [".nan", ".inf", "-.inf", "nan"] {
            let e = try #require(throws: InputError.self) { _ = try GateRulesFile.parse(rule + t, source: "g.yml") }
            #expect(e.description == "g.yml:5:16: threshold must be a finite number", "\(t): \(e.description)")
        }
        let share = "rules:\n  - id: x\n    frames: y\n    min_share: "
        for m in [".nan", "150", "-1"] {
            let e = try #require(throws: InputError.self) { _ = try FindingRules.parse(share + m, source: "f.yml") }
            #expect(e.description == "f.yml:4:16: min_share must be a percentage between 0 and 100", "\(m)")
        }
        let metric = try YAMLValue.parse(#"{"p99": [1.0, .nan, 2.0]}"#, source: "m.json")
        var r = GateRule(name: "p99", kind: .metric, compare: .relative, threshold: 5)
        r.key = "p99"
        let e = try #require(throws: InputError.self) { _ = try Gate.metricValues(metric, key: "p99", rule: r) }
        #expect(e.description == "m.json:1:15: values of \"p99\" must be finite numbers")
    }

    /// A rules file's regexes are screened like a profile's drop_frames: `(a+)+` is refused
    /// where it is written, before a backtracking match on a crafted name could hang the gate.
    @Test func nestedRepetitionInRulesIsRefused() throws {
        let gate = "rules:\n  - name: m\n    kind: profile\n    frames: '(x+)+$'\n    threshold: 5\n"
        let e = try #require(throws: InputError.self) { _ = try GateRulesFile.parse(gate, source: "g.yml") }
        #expect(e.description.hasPrefix("g.yml:4:13: frames regex '(x+)+$' repeats a repeated group"), "\(e)")
        let finding = "rules:\n  - id: x\n    frames: y\n    under: '(a|b)*c'\n    min_share: 5\n"
        let f = try #require(throws: InputError.self) { _ = try FindingRules.parse(finding, source: "f.yml") }
        #expect(f.description.hasPrefix("f.yml:4:12: under regex '(a|b)*c' repeats a repeated group"), "\(f)")
        // The shipped rules and the CI example still load.
        _ = try FindingRules.parse(FindingRules.defaultRulesYAML, source: "builtin")
        _ = try GateRulesFile.read(Fixtures.root + "/Examples/ci/gate.yml")
    }

    // MARK: the CLI: exit status 2 and one line naming the file

    static func command(_ reader: String, _ path: String) -> [String] {
        switch reader {
        case "rules": return ["explain", "--rules", path, Fixtures.path("pprof/go1.19/threadcreate.pb.gz")]
        case "gaterules": return ["gate", "--rules", path]
        case "gobench": return ["bench", "compare", path, path]
        case "goescape": return ["escape", "report", path]
        default: return ["top", path]
        }
    }

    @Test(arguments: readers)
    func cliExitsTwoWithOneLine(_ reader: String) throws {
        for path in Self.files(reader) {
            let r = try Self.run(Self.command(reader, path))
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

    // MARK: decompression cap

    @Test func sizeSyntax() {
        #expect(Gzip.parseSize("1048576") == 1 << 20)
        #expect(Gzip.parseSize("10MB") == 10 << 20)
        #expect(Gzip.parseSize("10m") == 10 << 20)
        #expect(Gzip.parseSize("512MiB") == 512 << 20)
        #expect(Gzip.parseSize("2G") == 2 << 30)
        #expect(Gzip.parseSize("64k") == 64 << 10)
        #expect(Gzip.parseSize("100b") == 100)
        #expect(Gzip.parseSize("lots") == nil)
        #expect(Gzip.parseSize("") == nil)
        #expect(Gzip.parseSize("-5M") == nil)
        #expect(Gzip.parseSize("99999999999T") == nil)
    }

    /// 50 MB of zeros, compressed to about 50 kB.
    static let bomb: [UInt8] = Gzip.deflate([UInt8](repeating: 0, count: 50_000_000), level: 9)

    @Test func gzipBombStopsAtTheLimit() throws {
        #expect(Self.bomb.count < 200_000)
        let e = try #require(throws: DecodeError.self) {
            _ = try Self.bomb.withUnsafeBytes { try Gzip.inflate($0, limit: 10 << 20) }
        }
        #expect(e.message.contains("10 MiB limit"))
        // Under a larger cap it inflates (and is then no profile).
        let all = try Self.bomb.withUnsafeBytes { try Gzip.inflate($0, limit: 64 << 20) }
        #expect(all.count == 50_000_000)
    }

    @Test func gzipBombThroughTheCLI() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-bomb-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bomb.pb.gz").path
        try Data(Self.bomb).write(to: URL(fileURLWithPath: path))

        let capped = try Self.run(["top", path], environment: ["FLAMEGATE_MAX_INFLATE": "10MB"])
        #expect(capped.status == 2)
        #expect(capped.stderr.contains("gzip data inflates past the 10 MiB limit"), "\(capped.stderr)")
        #expect(capped.stderr.contains("FLAMEGATE_MAX_INFLATE"))
        #expect(capped.stderr.dropLast().firstIndex(of: "\n") == nil, "not one line: \(capped.stderr)")

        // Raised: the zeros inflate, and are then refused as a profile — not as a bomb.
        let raised = try Self.run(["top", path], environment: ["FLAMEGATE_MAX_INFLATE": "64MiB"])
        #expect(raised.status == 2)
        #expect(!raised.stderr.contains("limit"), "\(raised.stderr)")

        let bad = try Self.run(["top", path], environment: ["FLAMEGATE_MAX_INFLATE": "lots"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("FLAMEGATE_MAX_INFLATE=\"lots\" is not a size"), "\(bad.stderr)")

        let help = try Self.run(["--help"])
        #expect(help.stdout.contains("FLAMEGATE_MAX_INFLATE"))
    }

    /// `Fixtures.run` with extra environment variables.
    static func run(_ args: [String], environment extra: [String: String] = [:]) throws -> Fixtures.Run {
        if extra.isEmpty { return try Fixtures.run(args) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Fixtures.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Fixtures.Run(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }
}
