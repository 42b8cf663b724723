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
}
