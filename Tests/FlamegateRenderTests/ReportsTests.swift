import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// The whole reports: the same after a pprof write and read, and on goroutine dumps.
@Suite struct ReportsTests {
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

    /// A leak-shaped goroutine dump through top: the parked place leads the flat column.
    @Test func leakShapedGoroutineDumpTop() throws {
        let p = try GoroutineDump.profile(Array(SampleInputs.goroutineLeak.utf8), source: "leak.txt")
        let sel = try ProfileSelection.select(p, sampleIndex: nil, filters: FilterOptions(), source: "leak.txt")
        var o = TableOptions(sampleIndex: 0)
        o.nodeFraction = 0
        let text = Reports.top(sel, options: o, style: ReportStyle(), format: .text)
        let rows = text.split(separator: "\n").filter { $0.contains("main.worker") }
        #expect(rows.count == 1)
        #expect(rows.first?.hasPrefix("         3 60.00% 60.00%") == true, "\(text)")
    }
}
