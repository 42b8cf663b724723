import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Legacy-format profiles through the binary: every `go tool pprof` reference
/// (Tests/Fixtures/legacy/*/references.tsv, typed as pprof's command line in the set's
/// folder) gives pprof's stdout; what pprof refuses exits 2 with one line.
@Suite struct LegacyInputTests {
    @Test(arguments: Fixtures.legacyReferences)
    func replaysPprofReference(_ ref: Fixtures.Reference) throws {
        let run = try Fixtures.run(ref.args, cwd: ref.dir)
        #expect(run.status == 0, "\(ref): \(run.stderr)")
        if let d = Golden.difference(run.stdout, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }

    @Test func refusalsExitTwoWithOneLine() throws {
        for r in Fixtures.legacyRefusals {
            let run = try Fixtures.run(["-top", r.input], cwd: Fixtures.path("legacy/\(r.set)"))
            #expect(run.status == 2, "\(r.input): \(run.stderr)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(run.stderr.contains(r.input))
        }
    }

    /// Every broken legacy input Flamegate refuses (malformed/legacy) is one pprof refuses
    /// too: refs.sh records pprof's error for each in malformed-pprof.tsv.
    @Test func malformedInputsArePprofRefusals() throws {
        let verdicts = Dictionary(
            uniqueKeysWithValues: Fixtures.tsv("legacy/malformed-pprof.tsv").map { ($0[0], $0[1]) })
        let files = Fixtures.malformed("legacy").map { ($0 as NSString).lastPathComponent }
        #expect(files.count >= 10)
        #expect(Set(files) == Set(verdicts.keys), "malformed/legacy and malformed-pprof.tsv differ: rerun refs.sh")
        for f in files { #expect(verdicts[f]?.contains(f) == true, "\(f): \(verdicts[f] ?? "no verdict")") }
    }
}
