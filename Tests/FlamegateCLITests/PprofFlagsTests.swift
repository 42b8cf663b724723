import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// pprof's spellings through the binary (`flamegate -top -nodecount=40 cpu.pb.gz`, run in
/// the references' folder), against `go tool pprof`'s own output: reports on real Go
/// profiles (Fixtures/pprof/capture.sh) and the analysis references (filters,
/// granularities, tree, peek, diffs; Fixtures/pprof/analysis-refs.sh).
///
/// Every reference runs through the library in FlamegateRenderTests (PprofParityTests,
/// AnalysisParityTests), read as the CLI reads it. Here the binary runs the fewest
/// references that together use every flag — and every Go version's set, and several
/// inputs at once — so that each spelling passes through the real parser.
@Suite struct PprofFlagsTests {
    /// What the CLI has to parse in a reference: its flags (names before `=`), several
    /// inputs, and the fixture set it belongs to.
    static func features(_ r: Fixtures.Reference) -> Set<String> {
        var f = Set(r.args.filter { $0.hasPrefix("-") }.map { String($0.prefix { $0 != "=" }) })
        if r.args.filter({ !$0.hasPrefix("-") }).count > 1 { f.insert("several inputs") }
        f.insert("set " + r.set)
        return f
    }

    /// The fewest references, chosen greedily (the first in file order on ties), that
    /// together have every feature any of `refs` has.
    static func cover(_ refs: [Fixtures.Reference]) -> [Fixtures.Reference] {
        var missing = refs.reduce(into: Set<String>()) { $0.formUnion(features($1)) }
        var chosen: [Fixtures.Reference] = []
        while !missing.isEmpty {
            var best = refs[0]
            var bestCount = -1
            for r in refs {
                let n = features(r).intersection(missing).count
                if n > bestCount { (best, bestCount) = (r, n) }
            }
            chosen.append(best)
            missing.subtract(features(best))
        }
        return chosen
    }

    static let reports = cover(Fixtures.pprofReferences(sets: ["go1.19", "go1.27", "go1.27-fixed"]))
    static let analysis = cover(Fixtures.analysisReferences)

    @Test func subsetsUseEveryFlag() {
        let all = Fixtures.pprofReferences(sets: ["go1.19", "go1.27", "go1.27-fixed"]) + Fixtures.analysisReferences
        let used = (Self.reports + Self.analysis).reduce(into: Set<String>()) { $0.formUnion(Self.features($1)) }
        for f in all.reduce(into: Set<String>(), { $0.formUnion(Self.features($1)) }) {
            #expect(used.contains(f), "no reference with \(f) runs through the binary")
        }
        #expect(Self.reports.count >= 3 && Self.analysis.count >= 10)
    }

    @Test(arguments: reports)
    func reportsMatchPprof(_ ref: Fixtures.Reference) throws {
        // The pprof spelling as typed, e.g. `flamegate -top -nodecount=40 cpu.pb.gz`.
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(run.stderr)")
        if let d = Golden.difference(run.stdout, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }

    @Test(arguments: analysis)
    func analysisMatchesPprof(_ ref: Fixtures.Reference) throws {
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(run.stderr)")
        if let d = Golden.difference(run.stdout, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }
}
