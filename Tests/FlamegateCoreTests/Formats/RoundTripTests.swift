import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Issue 18 §5: pprof → speedscope → read back, and pprof → folded → pprof, keep the
/// frame names and the values of every sample type written.
@Suite struct RoundTripTests {
    /// Folded stacks without the zero-valued ones (speedscope leaves those out).
    func stacks(_ p: Profile, _ si: Int) -> [[UInt8]: UInt64] {
        StackProfile.folded(p, sampleIndex: si).filter { $0.value > 0 }
    }

    func read(_ bytes: [UInt8], source: String) throws -> (format: String, profile: Profile) {
        var bytes = bytes
        let inflated = try ProfileInput.inflateIfGzip(&bytes, source: source, prefix: "")
        return try bytes.withUnsafeBytes { b in
            let f = try #require(FormatRegistry.detectProfile(b))
            return (f.name, try f.read(b, context: ProfileReadContext(source: source, inflated: inflated)))
        }
    }

    @Test(arguments: ["cpu", "heap", "block"])
    func pprofToSpeedscopeAndBack(_ name: String) throws {
        let p = try ProfileInput.readAny(Fixtures.path("pprof/go1.27/\(name).pb.gz"))
        let json = try FormatRegistry.write(p, as: "speedscope", source: name)
        #expect(json.withUnsafeBytes { FormatRegistry.kind(of: $0) } == .profile, "the gate reads it as a profile")
        let (format, q) = try read(json, source: "\(name).speedscope.json")
        #expect(format == "speedscope")
        #expect(q.sampleTypes == p.sampleTypes)
        #expect(try q.sampleIndex(named: "") == (try p.sampleIndex(named: "")))
        for si in p.sampleTypes.indices {
            #expect(stacks(q, si) == stacks(p, si), "\(p.sampleTypes[si])")
            #expect(q.totals()[si] == p.totals()[si])
        }
        // One sample type chosen: the file has just that one.
        let one = try FormatRegistry.write(
            p, as: "speedscope", options: ProfileWriteOptions(sampleIndex: "0"), source: name)
        let (_, q1) = try read(one, source: "one")
        #expect(q1.sampleTypes == [p.sampleTypes[0]])
        #expect(stacks(q1, 0) == stacks(p, 0))
    }

    @Test func pprofToFoldedAndBack() throws {
        let p = try ProfileInput.readAny(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        for (si, type) in p.sampleTypes.enumerated() {
            let folded = try FormatRegistry.write(
                p, as: "folded", options: ProfileWriteOptions(sampleIndex: type.type), source: "cpu")
            let (format, q) = try read(folded, source: "cpu.folded")
            #expect(format == "folded")
            #expect(stacks(q, 0) == stacks(p, si), "\(type)")
            let back = try FormatRegistry.write(q, as: "pprof", source: "cpu.folded")
            let (_, r) = try read(back, source: "cpu.pb.gz")
            #expect(stacks(r, 0) == stacks(p, si))
            #expect(
                try FormatRegistry.writeNote(
                    p, as: "folded", options: ProfileWriteOptions(sampleIndex: type.type), source: "cpu")?
                    .hasPrefix("folded values are \(type)") == true)
        }
        #expect(try FormatRegistry.writeNote(p, as: "pprof", source: "cpu") == nil)
    }

    @Test func speedscopeFromOtherExporters() throws {
        // An evented profile (speedscope's own exports): weights are the time between events.
        let evented = """
            {"exporter":"speedscope@1.20.0","name":"demo","activeProfileIndex":0,
             "$schema":"https://www.speedscope.app/file-format-schema.json",
             "shared":{"frames":[{"name":"main"},{"name":"work","file":"w.c","line":3},{"name":"idle"}]},
             "profiles":[{"type":"evented","name":"demo","unit":"milliseconds","startValue":0,"endValue":10,
               "events":[{"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":2},{"type":"C","frame":1,"at":7},
                         {"type":"O","frame":2,"at":7},{"type":"C","frame":2,"at":9},{"type":"C","frame":0,"at":10}]}]}
            """
        let (_, p) = try read(Array(evented.utf8), source: "demo.json")
        #expect(p.sampleTypes == [ValueType(type: "demo", unit: "milliseconds")])
        let want: [[UInt8]: UInt64] = [
            Array("main".utf8): 3, Array("main;work".utf8): 5, Array("main;idle".utf8): 2,
        ]
        #expect(stacks(p, 0) == want)
        // Bad frame indices are errors that say where.
        let bad =
            #"{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[]},"profiles":[{"type":"sampled","name":"x","unit":"none","samples":[[4]],"weights":[1]}]}"#
        #expect(throws: InputError.self) { _ = try read(Array(bad.utf8), source: "bad.json") }
        // A JSON file without the schema is still not a speedscope file.
        #expect(Array(#"{"profiles":[]}"#.utf8).withUnsafeBytes { FormatRegistry.detectProfile($0) } == nil)
    }
}

extension RoundTripTests {
    /// JSON that is not speedscope's names speedscope among the accepted formats.
    @Test func otherJSONIsNotAProfileAndNamesSpeedscope() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fg-json-\(UUID().uuidString).json")
        try Data(#"{"profiles":[]}"#.utf8).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            _ = try ProfileInput.readAny(dir.path)
        } throws: { e in
            let m = (e as? InputError)?.message ?? ""
            return m.hasPrefix("not a profile: it looks like JSON") && m.contains("a speedscope JSON file")
        }
    }
}
