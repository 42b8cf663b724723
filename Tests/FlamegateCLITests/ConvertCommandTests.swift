import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate convert` to pprof, folded and speedscope.
@Suite struct ConvertTests {
    static func tempPath(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-convert-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// perf → pprof → read back: the same folded stacks as `collapse --demangle simplified`.
    @Test(arguments: ["cwork.perf.txt", "swiftwork.perf.txt", "gowork.perf.txt", "cwork-dwarf.perf.txt"])
    func perfToPprofRoundTrip(_ input: String) throws {
        let out = try Self.tempPath(input + ".pb.gz")
        let r = try Fixtures.run(["convert", Fixtures.path("perf/" + input), "--to", "pprof", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        // The file's own names (readProfile would show them as pprof does, simplified).
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        let p = try bytes.withUnsafeBytes { try PprofDecoder.decode(possiblyCompressed: $0) }
        let si = try p.sampleIndex(named: "")
        let folded = String(decoding: FoldedStacks.write(StackProfile.folded(p, sampleIndex: si)), as: UTF8.self)
        let collapsed = try Fixtures.run(["collapse", "--demangle", "simplified", Fixtures.path("perf/" + input)])
        #expect(folded == collapsed.stdout)
        // And the folded output of convert is the same.
        let f = try Fixtures.run(["convert", Fixtures.path("perf/" + input), "--to", "folded", "-o", "-"])
        #expect(f.stdout == collapsed.stdout)
        // Sample counts are kept beside the periods.
        #expect(p.sampleTypes.first?.description == "samples/count")
    }

    @Test func perfToSpeedscope() throws {
        let out = try Self.tempPath("swiftwork.speedscope.json")
        let r = try Fixtures.run(["convert", Fixtures.path("perf/swiftwork.perf.txt"), "--to", "speedscope", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out)))
        let doc = try #require(json as? [String: Any])
        #expect(doc["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        #expect(doc["exporter"] as? String == "flamegate")
        #expect(doc["name"] as? String == "swiftwork.perf.txt")
        let frames = try #require((doc["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(!frames.isEmpty)
        #expect(frames.allSatisfy { $0["name"] is String })
        #expect(frames.contains { $0["name"] as? String == "Item.encode(to:)" })
        let profiles = try #require(doc["profiles"] as? [[String: Any]])
        #expect(profiles.count == 2)
        let active = try #require(doc["activeProfileIndex"] as? Int)
        #expect(active == 1)
        #expect(profiles[1]["name"] as? String == "cpu-clock/nanoseconds")
        #expect(profiles[1]["unit"] as? String == "nanoseconds")
        #expect(profiles[0]["unit"] as? String == "none")
        let collapsed = try Fixtures.read("perf/swiftwork.collapsed.default.txt")
        let total = collapsed.split(separator: "\n").reduce(0) { $0 + Int($1.split(separator: " ").last!)! }
        for prof in profiles {
            #expect(prof["type"] as? String == "sampled")
            #expect(prof["startValue"] as? Int == 0)
            let samples = try #require(prof["samples"] as? [[Int]])
            let weights = try #require(prof["weights"] as? [Int])
            #expect(samples.count == weights.count)
            #expect(samples.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < frames.count } })
            #expect(prof["endValue"] as? Int == weights.reduce(0, +))
        }
        #expect(profiles[1]["endValue"] as? Int == total)
        // Root first: every stack starts with the process name.
        let s0 = try #require((profiles[1]["samples"] as? [[Int]])?.first)
        #expect(frames[s0[0]]["name"] as? String == "swiftwork")
    }

    @Test func pprofToSpeedscopeAndFolded() throws {
        let input = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let r = try Fixtures.run(["convert", input, "--to", "speedscope", "--sample-index", "cpu", "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let profiles = try #require(doc["profiles"] as? [[String: Any]])
        #expect(profiles.count == 1)
        #expect(profiles[0]["unit"] as? String == "nanoseconds")
        let frames = try #require((doc["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(frames.contains { $0["file"] is String && $0["line"] is Int })
        let f = try Fixtures.run(["convert", input, "--to", "folded", "-o", "-"])
        #expect(f.status == 0)
        #expect(f.stdout.split(separator: "\n").allSatisfy { $0.contains(";") || $0.contains(" ") })
        #expect(f.stdout.contains("runtime."))
    }

    @Test func foldedToFoldedAndPprof() throws {
        let input = Fixtures.path("perf/gowork.collapsed.all.txt")
        let f = try Fixtures.run(["convert", input, "--to", "folded", "-o", "-"])
        #expect(f.stdout == (try Fixtures.read("perf/gowork.collapsed.all.txt")))
        let out = try Self.tempPath("gowork.pb.gz")
        #expect(try Fixtures.run(["convert", input, "--to", "pprof", "-o", out]).status == 0)
        let back = try Fixtures.run(["convert", out, "--to", "folded", "-o", "-"])
        #expect(back.stdout == f.stdout)
    }

    @Test func errors() throws {
        let r = try Fixtures.run(["convert", "/nonexistent/x", "--to", "folded", "-o", "-"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no such file"))
        let bad = try Fixtures.run(["convert", Fixtures.path("perf/cwork.perf.txt"), "--to", "svg", "-o", "-"])
        #expect(bad.status == 2)
    }
}
