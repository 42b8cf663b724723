import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// pprof's analysis (filters, granularities, tree, peek, diffs) against `go tool pprof`'s
/// own output (Tests/Fixtures/pprof/analysis, made by Fixtures/pprof/analysis-refs.sh),
/// with the arguments exactly as given to pprof, read as the CLI reads them
/// (PprofCommandLine) and run through the library. FlamegateCLITests' PprofFlagsTests runs
/// the references that together use every flag through the binary.
@Suite struct AnalysisParityTests {
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

    @Test(arguments: Fixtures.analysisReferences)
    func libraryMatchesPprof(_ ref: Fixtures.Reference) throws {
        let got = try PprofCommandLine(ref.args, in: ref.dir).output()
        if let d = Golden.difference(got, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }
}
