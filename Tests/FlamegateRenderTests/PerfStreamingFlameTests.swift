import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// A perf script read by `PerfScriptFile` (two threads, mapped windows, never held whole)
/// gives the profile — and so the flame graphs — of the whole-bytes reader, byte for byte.
@Suite struct PerfStreamingFlameTests {
    /// Every perf fixture (all the recordings the collapse references were made from).
    static let inputs: [String] = {
        let dir = Fixtures.path("perf")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".perf.txt") }.sorted()
    }()

    @Test func fixturesAreFound() { #expect(Self.inputs.count >= 20) }

    static func wholeBytes(_ path: String, _ mode: DemangleMode) throws -> Profile {
        let bytes = try Fixtures.bytes(atPath: path)
        return try bytes.withUnsafeBytes { b in
            try StackProfile.profile(fromPerfScript: b, source: path, demangle: mode)
        }
    }

    static func drawings(_ p: Profile) -> [[UInt8]] {
        let si = (try? p.sampleIndex(named: "")) ?? 0
        let layout = FlameLayout(CallTree(profile: p, sampleIndex: si))
        var o = FlameGraphOptions()
        o.hash = true
        o.sampleType = p.sampleTypes[si].type
        o.unit = p.sampleTypes[si].unit
        return [FlameGraphSVG.renderBytes(layout, options: o), FlameGraphHTML.render(layout, options: o)]
    }

    @Test(arguments: inputs)
    func streamedProfileAndFlameGraphsEqualWholeBytes(_ input: String) throws {
        let path = Fixtures.path("perf/" + input)
        for mode in [DemangleMode.simplified, .none] {
            let want = try Self.wholeBytes(path, mode)
            // minimumBytes 0: every fixture with a blank line after its middle is split in two.
            guard let got = try PerfScriptFile.profile(path: path, demangle: mode, minimumBytes: 0) else {
                // Only a small edge case with no blank line after its middle may take the serial path.
                #expect(try Fixtures.bytes(atPath: path).count < 100_000, "\(input) was not streamed")
                continue
            }
            #expect(PprofEncoder.encode(got) == PprofEncoder.encode(want), "\(input) \(mode)")
            #expect(Self.drawings(got) == Self.drawings(want), "\(input) \(mode)")
        }
    }

    /// Below the size limit, or not perf script at all, the ordinary reader is used.
    @Test func smallOrOtherFilesAreLeftToTheOrdinaryReader() throws {
        let perf = Fixtures.path("perf/cwork.perf.txt")
        #expect(try PerfScriptFile.profile(path: perf, demangle: .simplified) == nil)
        let folded = Fixtures.path("perf/cwork.collapsed.default.txt")
        #expect(try PerfScriptFile.profile(path: folded, demangle: .simplified, minimumBytes: 0) == nil)
        let pprof = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        #expect(try PerfScriptFile.profile(path: pprof, demangle: .none, minimumBytes: 0) == nil)
        #expect(try PerfScriptFile.profile(path: "/nonexistent/x.perf.txt", demangle: .none, minimumBytes: 0) == nil)
    }
}
