import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// The house rules of issue 16 that a test can hold: layers import only downward, the CLI
/// stays thin, every format goes through the registry, exit statuses come from one place.
@Suite struct ArchitectureTests {
    /// What each target may import from the package (the compiler enforces the same with
    /// `--explicit-target-dependency-import-check error`; this names the rule in a test).
    static let allowed: [String: Set<String>] = [
        "FlamegateCore": ["CZlib"],
        "FlamegateRender": ["FlamegateCore"],
        "FlamegateGate": ["FlamegateCore", "FlamegateRender"],
        "FlamegateCapture": ["FlamegateCore"],
        "flamegate": [
            "FlamegateCore", "FlamegateRender", "FlamegateGate", "FlamegateCapture", "FlamegateStore", "FlamegateServer",
        ],
        "FlamegateStore": ["FlamegateCore"],
        // `flamegate serve` (issue 17): a front end on Render and Capture, not on Gate.
        "FlamegateServer": ["FlamegateCore", "FlamegateRender", "FlamegateCapture"],
    ]
    static let packageModules: Set<String> = [
        "CZlib", "FlamegateCore", "FlamegateRender", "FlamegateGate", "FlamegateCapture",
        "FlamegateStore", "FlamegateServer",
    ]

    static func swiftFiles(_ target: String) -> [String] {
        let dir = Fixtures.root + "/Sources/" + target
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let f = e?.nextObject() as? String {
            if f.hasSuffix(".swift") { out.append(dir + "/" + f) }
        }
        return out.sorted()
    }

    @Test func layersImportOnlyDownward() throws {
        for (target, ok) in Self.allowed {
            let files = Self.swiftFiles(target)
            #expect(!files.isEmpty, "\(target) has no sources")
            for f in files {
                let text = try String(contentsOfFile: f, encoding: .utf8)
                for line in text.split(separator: "\n")
                where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                    let module = String(line.split(separator: " ").last ?? "")
                    if Self.packageModules.contains(module) {
                        #expect(ok.contains(module), "\(f): imports \(module), above \(target)")
                    }
                }
            }
        }
    }

    @Test func cliFilesStayThin() throws {
        for f in Self.swiftFiles("flamegate") {
            let text = try String(contentsOfFile: f, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 160, "\(f): \(lines) lines; move logic into a library target")
            // Exit statuses come from ExitStatus (via main.swift) only.
            if !f.hasSuffix("/main.swift") {
                #expect(!text.contains("exit("), "\(f) calls exit()")
            }
        }
        // One subcommand per file under Commands/.
        for f in Self.swiftFiles("flamegate/Commands") {
            let text = try String(contentsOfFile: f, encoding: .utf8)
            let commands = text.components(separatedBy: ": ParsableCommand").count - 1
            #expect(commands == 1, "\(f) holds \(commands) commands")
        }
    }

    @Test func noScriptOrStyleInSwiftStrings() throws {
        for target in ["FlamegateRender", "FlamegateGate", "FlamegateCore"] {
            for f in Self.swiftFiles(target) {
                let text = try String(contentsOfFile: f, encoding: .utf8)
                for marker in ["function(", "addEventListener", "document.getElement", "getElementById", "{ font-family"] {
                    #expect(!text.contains(marker), "\(f) holds script or style (\(marker))")
                }
            }
        }
    }

    @Test func registryServesEveryFormat() throws {
        let names = FormatRegistry.formats.map(\.name)
        #expect(Set(names).count == names.count, "format names are unique: \(names)")
        #expect(FormatRegistry.writableNames == ["pprof", "folded", "speedscope"])
        // Detection by content, through the registry, for each readable fixture kind.
        let cases: [(String, String)] = [
            ("pprof/go1.27/cpu.pb.gz", "pprof"), ("perf/cwork.perf.txt", "perf script"),
            ("perf/cwork.collapsed.default.txt", "folded"), ("gate/base.json", "metric JSON"),
            ("bench/base.txt", "go test -bench"), ("escape/base.mm.txt", "go build -gcflags=-m"),
        ]
        for (path, want) in cases {
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path(path))))
            _ = try ProfileInput.inflateIfGzip(&bytes, source: path, prefix: "")
            let got = bytes.withUnsafeBytes { b in
                FormatRegistry.formats.first { $0.sniff(FormatRegistry.head(b)) }?.name
            }
            #expect(got == want, "\(path): \(got ?? "nil")")
        }
    }

    @Test func exitStatusesComeFromOnePlace() throws {
        // A reader that goes away early is not an error.
        let big = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [
            "-c", "\"$0\" traces \"$1\" | head -c 10 >/dev/null; exit ${PIPESTATUS[0]}", Fixtures.binary, big,
        ]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        // Usage and input errors are 2 with one line.
        let usage = try Fixtures.run(["convert", "--to", "bogus", "-o", "-", big])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--to must be one of pprof, folded, speedscope"), "\(usage.stderr)")
        let missing = try Fixtures.run(["top", "/nonexistent.pb.gz"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "flamegate: /nonexistent.pb.gz: no such file\n")
    }
}
