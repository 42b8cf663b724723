import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// pprof's analysis (filters, granularities, tree, peek, diffs) against `go tool pprof`'s
/// own output (Tests/Fixtures/pprof/analysis, made by Fixtures/pprof/analysis-refs.sh),
/// through the CLI with the arguments exactly as given to pprof.
@Suite struct AnalysisParityTests {
    static let references: [Fixtures.Reference] = {
        let dir = Fixtures.path("pprof/analysis")
        guard let tsv = try? String(contentsOfFile: dir + "/references.tsv", encoding: .utf8) else { return [] }
        return tsv.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            let args = parts[1].split(separator: " ").map(String.init)
            // pprof's -tags report is not implemented yet.
            if args.contains("-tags") || args.contains("-raw") { return nil }
            return Fixtures.Reference(set: "analysis", file: parts[0], args: args)
        }
    }()

    @Test func referencesCoverEveryFeature() {
        let all = Self.references.flatMap(\.args).joined(separator: " ")
        #expect(Self.references.count >= 90)
        for flag in [
            "-focus=", "-ignore=", "-hide=", "-show=", "-show_from=", "-prune_from=", "-tagfocus=", "-tagignore=",
            "-tagshow=", "-taghide=", "-lines", "-files", "-filefunctions", "-addresses", "-noinlines", "-peek=",
            "-tree", "-diff_base=", "-base=",
            "-normalize", "-drop_negative", "-relative_percentages",
        ] {
            #expect(all.contains(flag), "no reference exercises \(flag)")
        }
    }

    @Test(arguments: references)
    func cliMatchesPprof(_ ref: Fixtures.Reference) throws {
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(run.stderr)")
        let want = try String(contentsOfFile: ref.dir + "/" + ref.file, encoding: .utf8)
        let g = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let w = want.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<min(g.count, w.count) where g[i] != w[i] {
            Issue.record("\(ref): line \(i + 1) differs\n got: \(g[i])\nwant: \(w[i])")
            return
        }
        #expect(g.count == w.count, "\(ref): \(g.count) lines, pprof printed \(w.count)")
    }
}
