import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// The pieces of `-raw` the Go references don't exercise (they all run under TZ=UTC with
/// durations of a few seconds): Go's `time.Duration.String()` and `time.Time.String()`.
@Suite struct PprofRawTests {
    @Test func durationsAsGoPrintsThem() {
        // Outputs of fmt.Println(time.Duration(n)) for each n.
        let cases: [(Int64, String)] = [
            (0, "0s"), (999, "999ns"), (1_500, "1.5µs"), (1_500_000, "1.5ms"), (5_000_383_141, "5.000383141s"),
            (90_000_000_000, "1m30s"), (3_661_000_000_000, "1h1m1s"), (3_600_000_000_000, "1h0m0s"),
            (-2_000_000, "-2ms"),
        ]
        for (n, want) in cases { #expect(PprofRaw.goDuration(n) == want, "\(n)") }
    }

    @Test func timesAsGoPrintsThem() {
        // time.Unix(0, n).UTC().String()
        #expect(PprofRaw.goTime(1_764_185_773_014_216_509, utc: true) == "2025-11-26 19:36:13.014216509 +0000 UTC")
        #expect(PprofRaw.goTime(1_764_185_773_000_000_000, utc: true) == "2025-11-26 19:36:13 +0000 UTC")
        #expect(PprofRaw.goTime(1_764_185_773_010_000_000, utc: true) == "2025-11-26 19:36:13.01 +0000 UTC")
    }

    /// A file without period_type: pprof's decoder gives every profile one (empty), so
    /// `go tool pprof -raw` (1.27) prints "PeriodType:  " for these very bytes.
    @Test func aMissingPeriodTypeIsPrintedEmpty() throws {
        let path = try Fixtures.tempFile("noperiodtype.pb", MalformedPprof.profile(), group: "raw")
        let p = try ProfileInput.readAny(path)
        #expect(p.periodType == nil)
        #expect(PprofRaw.render(p, utc: true).hasPrefix("PeriodType:  \nPeriod: 0\nSamples:\n"))
    }
}

/// `-comments`: the profile's comments, one per line, nothing else.
@Suite struct CommentsReportTests {
    @Test func commentsOnePerLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fg-comments.pb").path
        var p = Profile(sampleTypes: [ValueType(type: "samples", unit: "count")])
        p.comments = ["built by ci #42", "# a hash-prefixed note"]
        try Data(PprofEncoder.encode(p)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Reports.run(ProfileReportRequest(.comments, query: ProfileQuery(inputs: [path])))
        #expect(r.text == "built by ci #42\n# a hash-prefixed note\n")
    }
}

/// `-list` when the source is not there, or nothing matches: pprof's words.
@Suite struct ListReportEdgeTests {
    static let cpu = Fixtures.path("pprof/options/cpu.pb.gz")

    @Test func missingSourceSaysWhereItLooked() throws {
        var r = ProfileReportRequest(.list("main\\.payHandler$"), query: ProfileQuery(inputs: [Self.cpu]))
        (r.sourcePath, r.trimPath) = ("/nonexistent", "/work/main")
        let text = try Reports.run(r).text
        #expect(
            text.hasPrefix(
                "Total: 3.49s\nROUTINE ======================== main.payHandler in Fixtures/go/service/main.go\n"))
        #expect(
            text.contains(" Error: could not find file Fixtures/go/service/main.go on path /nonexistent\n"), "\(text)")
    }

    @Test func noMatchIsAnError() {
        let r = ProfileReportRequest(.list("^nosuchfunction$"), query: ProfileQuery(inputs: [Self.cpu]))
        let e = #expect(throws: InputError.self) { try Reports.run(r) }
        #expect(e?.message == "no matches found for regexp: ^nosuchfunction$")
    }
}
