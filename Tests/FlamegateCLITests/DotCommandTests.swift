import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate dot|svg|png` and pprof's `-dot`/`-svg`/`-png` through the binary.
///
/// Every line of Tests/Fixtures/pprof/dot/references.tsv runs as typed (`flamegate -dot
/// -nodecount=10 ../go1.27/cpu.pb.gz` in the references' folder) and must print
/// `go tool pprof -dot`'s bytes; where pprof itself is not deterministic (call trees,
/// `-files`, comparisons: see DotParityTests and DotGraph), a graph pprof made.
/// The image tests need Graphviz's `dot` (CI installs it) and skip, saying so, without it.
@Suite struct DotCommandTests {
    static let references = Fixtures.dotReferences

    /// Graphviz's dot on PATH, or nil.
    static let graphviz: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/dot"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    static func skipWithoutGraphviz(_ test: String) -> Bool {
        if graphviz == nil { print("DotCommandTests.\(test): skipped, Graphviz's dot is not on PATH") }
        return graphviz == nil
    }

    @Test(arguments: references)
    func pprofSpellingMatchesPprof(_ ref: Fixtures.Reference) throws {
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(run.stderr)")
        if let d = try DotGraph.pprofDifference(run.stdout, ref) { Issue.record("\(d)") }
    }

    @Test func subcommandSpellingAndOutputFile() throws {
        let ref = Self.references.first { $0.file == "cpu.nodecount10.dot" }!
        let out = try Fixtures.tempFile("cpu.dot", [], group: "dot")
        let r = try Fixtures.run(["dot", "--nodecount", "10", "../go1.27/cpu.pb.gz", "-o", out], cwd: ref.dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == ref.expected())
        let stdout = try Fixtures.run(["-dot", "-nodecount=10", "-output=-", "../go1.27/cpu.pb.gz"], cwd: ref.dir)
        #expect(stdout.stdout == (try ref.expected()))
    }

    @Test func jsonIsRefused() throws {
        let r = try Fixtures.run(["dot", "--format", "json", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no --format json"), "\(r.stderr)")
    }

    /// Without Graphviz: one line naming the package to install, exit 2, no output file.
    @Test(arguments: ["svg", "png", "-svg", "-png"])
    func imageWithoutGraphvizSaysWhatToInstall(_ command: String) throws {
        let empty = try TempDir()
        let out = empty.path + "/graph.img"
        let r = try Fixtures.run(
            [command, Fixtures.path("pprof/go1.27/cpu.pb.gz"), "-o", out], environment: ["PATH": empty.path])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("apt-get install graphviz"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func svgIsGraphvizsPictureOfTheDot() throws {
        if Self.skipWithoutGraphviz("svg") { return }
        let dir = try TempDir()
        let r = try Fixtures.run(["-svg", "-output=\(dir.path)/cpu.svg", Fixtures.path("pprof/go1.27/cpu.pb.gz")])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: dir.path + "/cpu.svg", encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("<title>N1</title>"))
        #expect(svg.contains("payHandler"))
        #expect(svg.contains("Showing nodes accounting for"))
    }

    @Test func pngIsAPNG() throws {
        if Self.skipWithoutGraphviz("png") { return }
        let dir = try TempDir()
        let r = try Fixtures.run([
            "png", "--call-tree", "--nodecount", "20", Fixtures.path("pprof/go1.27/heap.pb.gz"),
            "-o", dir.path + "/heap.png",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let png = try Fixtures.bytes(atPath: dir.path + "/heap.png")
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(png.count > 10_000)
    }

    /// Names with `"`, `\` and line breaks (functions, file, label, binary) reach Graphviz
    /// as valid DOT: its parser accepts the text and the image shows the names.
    @Test func awkwardNamesAreValidDot() throws {
        let bytes = try FormatRegistry.write(SampleInputs.awkwardNames(), as: "pprof", source: "awkward")
        let profile = try Fixtures.tempFile("awkward.pb.gz", bytes, group: "dot")
        for args in [["dot"], ["dot", "--lines"], ["dot", "--call-tree", "--addresses"]] {
            let r = try Fixtures.run(args + [profile])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(DotGraph.openString(r.stdout) == nil, "\(DotGraph.openString(r.stdout) ?? "")")
        }
        if Self.skipWithoutGraphviz("awkwardNamesAreValidDot") { return }
        let dir = try TempDir()
        let r = try Fixtures.run(["svg", profile, "-o", dir.path + "/a.svg"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "Graphviz complained: \(r.stderr)")
        let svg = try String(contentsOfFile: dir.path + "/a.svg", encoding: .utf8)
        #expect(svg.contains("&quot;quoted&quot;"))
        #expect(svg.contains("back\\slash\\"))
    }
}
