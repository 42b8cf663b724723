import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate flame`: SVG and HTML files, differential inputs, bad options.
@Suite struct FlameCommandTests {
    @Test func svgAndHtmlFromCLI() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let svg = dir.appendingPathComponent("cpu.svg").path
        let html = dir.appendingPathComponent("cpu.html").path
        var r = try Fixtures.run(["flame", cpu, "-o", svg, "--title", "CPU", "-focus=main"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(s.hasPrefix("<?xml") && s.contains(">CPU</text>"))
        r = try Fixtures.run(["flame", cpu, "-o", html, "--colors", "hot"])
        #expect(r.status == 0, "\(r.stderr)")
        let h = try String(contentsOfFile: html, encoding: .utf8)
        #expect(
            h.hasPrefix("<!DOCTYPE html>") && h.contains("<canvas") && !h.contains("http://") && !h.contains("https://")
        )
        r = try Fixtures.run(["flame", cpu, "-o", "-"])
        #expect(r.status == 0 && r.stdout.hasPrefix("<?xml"))
        r = try Fixtures.run(["flame", cpu, "--diff-base", cpu, "-o", "-", "--format", "svg"])
        #expect(r.status == 0 && r.stdout.contains("Differential Flame Graph"))
        r = try Fixtures.run(["flame", cpu, "--colors", "nope", "-o", "-"])
        #expect(r.status == 2)
        r = try Fixtures.run(["flame", cpu, "--minwidth", "x%", "-o", "-"])
        #expect(r.status == 2)
    }

    @Test func twoCountFoldedIsDifferential() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("diff.folded").path
        try "main;work;parse 10 30\nmain;work;emit 10 15\nmain;idle 20 20\nmain;gone 5 0\n".write(
            toFile: f, atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["flame", f, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let frames = Flame.frames(r.stdout)
        let work = frames.first { $0.name == "work" }
        #expect(work?.title.contains("base 20 samples, candidate 45 samples, delta +25 samples") == true, "\(frames)")
        // Sized as flamegraph.pl sizes two-count lines (by the second count, issue 18): a frame
        // only in the base has no width and is not drawn.
        #expect(frames.first { $0.name == "gone" } == nil)
    }

    /// Item 1: without --title the graph names its input, sample type, total, samples and
    /// duration; SVG and HTML alike.
    @Test func defaultTitleAndSubtitleExplainTheGraph() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let r = try Fixtures.run(["flame", cpu, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let title = r.stdout.firstMatch(of: #/<text id="title"[^>]*>([^<]*)</text>/#).map { String($0.1) }
        #expect(title == "Flame Graph: cpu.pb.gz — cpu (nanoseconds)", "\(title ?? "none")")
        let sub = r.stdout.firstMatch(of: #/<text id="subtitle"[^>]*>([^<]*)</text>/#).map { String($0.1) } ?? ""
        #expect(sub.hasPrefix("Total ") && sub.contains("(cpu, nanoseconds)"), "\(sub)")
        #expect(
            sub.contains(#/, [0-9,]+ samples, duration [0-9.]+m?s, collected 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC/#),
            "\(sub)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("cpu.html").path
        #expect(try Fixtures.run(["flame", cpu, "-o", html]).status == 0)
        let h = try String(contentsOfFile: html, encoding: .utf8)
        #expect(h.contains("<h1 id=\"title\">Flame Graph: cpu.pb.gz — cpu (nanoseconds)</h1>"))
        #expect(h.contains("<h2 id=\"subtitle\">\(sub)</h2>"))
        // An explicit --subtitle wins; --subtitle "" drops it; --title drops the default one.
        var o = try Fixtures.run(["flame", cpu, "-o", "-", "--subtitle", "<mine>"])
        #expect(o.stdout.contains(">&lt;mine&gt;</text>"))
        o = try Fixtures.run(["flame", cpu, "-o", "-", "--subtitle", ""])
        #expect(!o.stdout.contains("id=\"subtitle\""))
        o = try Fixtures.run(["flame", cpu, "-o", "-", "--title", "T"])
        #expect(!o.stdout.contains("id=\"subtitle\"") && o.stdout.contains(">T</text>"))
        // Differential: both sides named.
        o = try Fixtures.run(["flame", cpu, "--diff-base", cpu, "-o", "-"])
        #expect(
            o.stdout.contains(
                ">Differential Flame Graph: go1.27/cpu.pb.gz vs go1.27/cpu.pb.gz — cpu (nanoseconds)</text>"))
        o = try Fixtures.run(["flame", cpu, "--diff-base", Fixtures.path("pprof/go1.27/cpu2.pb.gz"), "-o", "-"])
        #expect(o.stdout.contains(">Differential Flame Graph: cpu.pb.gz vs cpu2.pb.gz — cpu (nanoseconds)</text>"))
        #expect(o.stdout.contains(">Candidate total "))
    }

    /// The CLI keeps flamegraph.pl's geometry and image size when given --title (flamegraph.pl
    /// adds a line of height for a subtitle, so the default subtitle makes the image 2 × fontsize taller).
    @Test func cliMatchesFlamegraphPlWithExplicitTitle() throws {
        let folded = Fixtures.path("perf/cwork.collapsed.default.txt")
        let ref = try Fixtures.read("flame/cwork.hash.svg")
        let size = #/<svg version="1.1" width="(\d+)" height="(\d+)"/#
        func dims(_ s: String) -> [Int] { s.firstMatch(of: size).map { [Int($0.1)!, Int($0.2)!] } ?? [] }
        let r = try Fixtures.run(["flame", "--hash", "--colors", "hot", "--title", "Flame Graph", folded, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(dims(r.stdout) == dims(ref))
        let theirs = Flame.frames(ref)
        let ours = Flame.frames(r.stdout)
        #expect(ours.count == theirs.count && ours.count > 3)
        // Sorted by position (flamegraph.pl writes frames in its own order).
        func key(_ f: Flame.Frame) -> [Double] { [f.y, f.x, f.width] }
        let a = theirs.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        let b = ours.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        for (t, o) in zip(a, b) {
            #expect(
                abs(t.x - o.x) <= 0.01 && abs(t.width - o.width) <= 0.01 && t.y == o.y && t.fill == o.fill,
                "\(t) vs \(o)")
        }
        let d = try Fixtures.run(["flame", "--hash", "--colors", "hot", folded, "-o", "-"])
        #expect(dims(d.stdout) == [dims(ref)[0], dims(ref)[1] + 24])
        #expect(d.stdout.contains(">Flame Graph: cwork.collapsed.default.txt — samples</text>"))
    }

    /// Item 2: an output extension that names no format is refused (exit 2, the supported
    /// list, no file written) instead of getting SVG bytes.
    @Test func unsupportedOutputExtensionIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        for ext in ["png", "pdf", "PNG"] {
            let out = dir.appendingPathComponent("x.\(ext)").path
            let r = try Fixtures.run(["flame", cpu, "-o", out])
            #expect(r.status == 2, "\(ext): \(r.stderr)")
            #expect(r.stderr.contains("supported: .svg, .html, .htm"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // .HTM, no extension, and --format with any name still work.
        for (name, extra, prefix) in [
            ("x.HTM", [], "<!DOCTYPE html>"), ("noext", [], "<?xml"), ("x.png", ["--format", "svg"], "<?xml"),
        ] {
            let out = dir.appendingPathComponent(name).path
            let r = try Fixtures.run(["flame", cpu, "-o", out] + extra)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix(prefix))
        }
    }
}
