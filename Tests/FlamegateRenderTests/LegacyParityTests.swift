import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// Flamegate's reports of legacy-format profiles (Go's ?debug=1 text, tcmalloc, threadz,
/// Java, gperftools' binary CPU profile) against `go tool pprof` 1.27's own output on the
/// same files (Tests/Fixtures/legacy, references by Fixtures/legacy/refs.sh), read as
/// the CLI reads each command line. Byte for byte: refs.sh runs pprof twice per reference
/// and reports rows whose order differs between runs (pprof issue 966); none did on these
/// files, so no rows need comparing as a set.
@Suite struct LegacyParityTests {
    @Test func referencesExist() {
        // Guards the parameterised test against silently running on nothing.
        #expect(Fixtures.legacyReferences.count >= 160)
        #expect(Set(Fixtures.legacyReferences.map(\.set)) == Set(Fixtures.legacySets))
        let reports = Set(Fixtures.legacyReferences.compactMap(\.args.first))
        #expect(reports.isSuperset(of: ["-top", "-traces", "-raw", "-tags"]))
    }

    @Test(arguments: Fixtures.legacyReferences)
    func matchesPprof(_ ref: Fixtures.Reference) throws {
        let got = try PprofCommandLine(ref.args, in: ref.dir).output()
        if let d = Golden.difference(got, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }

    /// What pprof refuses (Go 1.19's threadcreate text: a record without addresses),
    /// Flamegate refuses, naming the line.
    @Test func refusesWhatPprofRefuses() throws {
        #expect(!Fixtures.legacyRefusals.isEmpty)
        for r in Fixtures.legacyRefusals {
            let path = Fixtures.path("legacy/\(r.set)/\(r.input)")
            let e = try #require(throws: InputError.self) { try ProfileLoader.load([path]) }
            #expect(e.description.contains(path), "\(e)")
            #expect(e.description.contains("line "), "\(e)")
        }
    }
}
