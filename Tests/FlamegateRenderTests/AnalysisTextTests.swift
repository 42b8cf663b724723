import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// diff's table (FunctionDiff) and its JSON, against each profile's own top.
@Suite struct AnalysisTextTests {
    static func profile(_ rel: String) throws -> Profile { try ProfileLoader.load([Fixtures.path("pprof/" + rel)]) }

    @Test func diffTableAgreesWithEachProfilesTop() throws {
        let base = try Self.profile("go1.27/cpu.pb.gz")
        let cand = try Self.profile("go1.27-fixed/cpu.pb.gz")
        let d = FunctionDiff(
            base: base, baseIndex: 1, candidate: cand, candidateIndex: 1, options: TableOptions(sampleIndex: 1))
        #expect(d.baseTotal == FunctionTable.reportTotal(base, 1))
        #expect(d.candTotal == FunctionTable.reportTotal(cand, 1))
        var o = TableOptions(sampleIndex: 1)
        o.nodeFraction = 0
        let bt = Dictionary(uniqueKeysWithValues: FunctionTable(profile: base, options: o).rows.map { ($0.name, $0) })
        let ct = Dictionary(uniqueKeysWithValues: FunctionTable(profile: cand, options: o).rows.map { ($0.name, $0) })
        let row = try #require(d.rows.first { $0.name == "main.buildLineItemsRegress" })
        #expect(row.baseCum == bt["main.buildLineItemsRegress"]?.cum)
        #expect(row.candCum == (ct["main.buildLineItemsRegress"]?.cum ?? 0))
        // Sorted by |flat delta|.
        #expect(zip(d.rows, d.rows.dropFirst()).allSatisfy { absSat($0.deltaFlat) >= absSat($1.deltaFlat) })
        let json = AnalysisText.diff(d, base: "b", candidate: "c", format: .json, limit: 5)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((obj?["rows"] as? [Any])?.count == d.rows.count)
    }
}
