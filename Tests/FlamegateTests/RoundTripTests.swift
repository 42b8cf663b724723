import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

@Suite struct RoundTripTests {
    static let profiles = ["cpu", "heap", "allocs", "block", "mutex", "goroutine", "threadcreate"]

    func reports(_ p: Profile) throws -> [String] {
        var style = ReportStyle()
        style.utc = true
        return try p.sampleTypes.indices.flatMap { si -> [String] in
            var o = TableOptions(sampleIndex: si)
            o.nodeCount = 0
            return [
                Reports.top(p, options: o, style: style, format: .text),
                Reports.traces(p, sampleIndex: si, style: style, format: .text),
                Reports.info(p, source: "x", style: style, format: .text),
            ] + [try String(p.sampleIndex(named: ""))]
        }
    }

    @Test(arguments: profiles)
    func writeThenReadGivesSameReports(_ name: String) throws {
        let p = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/\(name).pb.gz"))
        let gz = PprofEncoder.encodeGzip(p)
        let back = try gz.withUnsafeBytes { try PprofDecoder.decode(possiblyCompressed: $0) }
        #expect(back.samples.count == p.samples.count)
        #expect(back.locations.count == p.locations.count)
        #expect(back.functions.count == p.functions.count)
        #expect(back.mappings.count == p.mappings.count)
        #expect(back.totals() == p.totals())
        #expect(try reports(back) == reports(p))
        // Raw (uncompressed) output too.
        let raw = PprofEncoder.encode(p)
        let back2 = try raw.withUnsafeBytes { try PprofDecoder.decode($0) }
        #expect(try reports(back2) == reports(p))
    }

    @Test func mergingAProfileWithItselfDoublesEveryValue() throws {
        let p = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let m = try ProfileMerge.merge([p, p])
        #expect(m.totals() == p.totals().map { $0 * 2 })
        #expect(m.durationNanos == p.durationNanos * 2)
        // Identical stacks and labels collapse into one sample.
        #expect(m.samples.count <= p.samples.count)
        let single = FunctionTable(profile: p, options: TableOptions(sampleIndex: 1))
        let double = FunctionTable(profile: m, options: TableOptions(sampleIndex: 1))
        #expect(single.rows.map(\.name) == double.rows.map(\.name))
        #expect(single.rows.map { $0.flat * 2 } == double.rows.map(\.flat))
        #expect(single.rows.map { $0.cum * 2 } == double.rows.map(\.cum))
    }

    @Test func mergingIncompatibleProfilesIsAnError() throws {
        let cpu = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let heap = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/heap.pb.gz"))
        #expect(throws: ProfileError.self) { try ProfileMerge.merge([cpu, heap]) }
    }

    @Test func decodedModelKeepsInlinedFramesInnermostFirst() throws {
        let p = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let multi = p.locations.indices.filter { p.locations[$0].lineCount > 1 }
        #expect(!multi.isEmpty, "Go CPU profiles carry inlined frames")
        #expect(
            p.sampleTypes == [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")])
        #expect(p.period == 10_000_000)
        #expect(p.periodType == ValueType(type: "cpu", unit: "nanoseconds"))
        // Every sample's location indices resolve.
        #expect(p.samples.locations.allSatisfy { $0 >= 0 && Int($0) < p.locations.count })
    }
}
