import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

enum PprofParityReferences {
    static let all = Fixtures.pprofReferences(sets: ["go1.19", "go1.27", "go1.27-fixed"])
}

/// pprof's spellings through the CLI (`flamegate -top -nodecount=40 cpu.pb.gz`), against
/// `go tool pprof`'s own output: reports on real Go profiles (Fixtures/pprof/capture.sh) and
/// the analysis references (filters, granularities, tree, peek, diffs; made by
/// Fixtures/pprof/analysis-refs.sh), with the arguments exactly as given to pprof.
@Suite struct PprofFlagsTests {
    @Test func referencesCoverEveryFeature() {
        let all = Fixtures.analysisReferences.flatMap(\.args).joined(separator: " ")
        #expect(Fixtures.analysisReferences.count >= 90)
        for flag in [
            "-focus=", "-ignore=", "-hide=", "-show=", "-show_from=", "-prune_from=", "-tagfocus=", "-tagignore=",
            "-tagshow=", "-taghide=", "-lines", "-files", "-filefunctions", "-addresses", "-noinlines", "-peek=",
            "-tree", "-diff_base=", "-base=",
            "-normalize", "-drop_negative", "-relative_percentages",
        ] {
            #expect(all.contains(flag), "no reference exercises \(flag)")
        }
    }

    @Test(arguments: PprofParityReferences.all)
    func reportsMatchPprof(_ ref: Fixtures.Reference) throws {
        // The pprof spelling as typed, e.g. `flamegate -top -nodecount=40 cpu.pb.gz`.
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(run.stderr)")
        if let d = Golden.difference(run.stdout, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }

    @Test(arguments: Fixtures.analysisReferences)
    func analysisMatchesPprof(_ ref: Fixtures.Reference) throws {
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(run.stderr)")
        if let d = Golden.difference(run.stdout, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }
}
