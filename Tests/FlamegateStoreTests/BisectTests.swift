import FlamegateStore
import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate bisect` on the map-churn series: 24 commits of main, churn from commit 15.
@Suite(.timeLimit(.minutes(1))) struct BisectTests {
    func json(_ r: TimedRun.Result) throws -> [String: Any] {
        try #require(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test(arguments: StoreBackendKind.allCases)
    func bisectFindsTheCommitThatIntroducedMapChurn(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("bisect") else { return }
        // Stored out of order: commit order comes from commit_seq, not from when they were added.
        var order = Array(1...24)
        var rng = SystemRandomNumberGenerator()
        order.shuffle(using: &rng)
        try MapChurnSeries.add(s, seqs: order)
        let culprit = MapChurnSeries.culprit
        let text = try s.run(["bisect", "store:branch=main,service=pay", "--frames", MapChurnSeries.frames])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("ordered by commit_seq"), "\(text.stdout)")
        #expect(text.stdout.contains("first profile after the change: id ") && text.stdout.contains("commit \(culprit.commit)"), "\(text.stdout)")
        #expect(text.stdout.contains("\nsure: Mann–Whitney U test p = "), "\(text.stdout)")
        let j = try json(try s.run(["bisect", "store:branch=main,service=pay", "--frames", MapChurnSeries.frames, "--format", "json"]))
        let first = try #require(j["first_after"] as? [String: Any])
        #expect(first["commit"] as? String == culprit.commit)
        #expect((first["labels"] as? [String: String])?["commit_seq"] == "\(culprit.seq)")
        #expect(j["before_count"] as? Int == 14 && j["after_count"] as? Int == 10)
        #expect(j["sure"] as? Bool == true)
        // Each value is the share pprof prints for the same focus (Showing nodes accounting for …, X% of total).
        let series = try #require(j["series"] as? [[String: Any]])
        #expect(series.count == 24)
        for (row, e) in zip(series, MapChurnSeries.entries) {
            #expect(row["commit"] as? String == e.commit)
            let v = try #require(row["value"] as? Double)
            #expect(abs(v - e.pprofShare) < 0.006, "seq \(e.seq): \(v) vs pprof \(e.pprofShare)")
        }
        #expect((j["before_median"] as? Double) == 0)
        #expect(((j["after_median"] as? Double) ?? 0) > 20)
    }

    /// Without commit_seq the store's time order (the profiles' own times) is used.
    @Test func bisectOrdersByTimeWithoutCommitSeq() throws {
        guard let s = try StoreBackendKind.sqlite.freshStore("bisecttime") else { return }
        try MapChurnSeries.add(s, seqs: Array(1...24).reversed(), withSeq: false)
        let j = try json(try s.run(["bisect", "store:service=pay", "--frames", MapChurnSeries.frames, "--format", "json"]))
        #expect(j["ordered_by"] as? String == "time")
        #expect((j["first_after"] as? [String: Any])?["commit"] as? String == MapChurnSeries.culprit.commit)
        // cum in the sample type's unit (cpu nanoseconds, the default type).
        let cum = try json(
            try s.run(["bisect", "store:service=pay", "--frames", MapChurnSeries.frames, "--measure", "cum", "--format", "json"]))
        #expect(cum["sample_type"] as? String == "cpu/nanoseconds")
        #expect((cum["first_after"] as? [String: Any])?["commit"] as? String == MapChurnSeries.culprit.commit)
    }

    @Test func bisectRefusesWhatItCannotAnswer() throws {
        guard let s = try StoreBackendKind.sqlite.freshStore("bisectbad") else { return }
        try MapChurnSeries.add(s, seqs: [1, 2])
        let few = try s.run(["bisect", "store:branch=main", "--frames", "map"])
        #expect(few.status == 2)
        #expect(few.stderr.contains("bisect needs at least 3"), "\(few.stderr)")
        let re = try s.run(["bisect", "store:branch=main", "--frames", "(", "--measure", "share"])
        #expect(re.status == 2)
        let m = try s.run(["bisect", "store:branch=main", "--frames", "map", "--measure", "median"])
        #expect(m.status == 2)
    }

    /// The split itself, on plain numbers.
    @Test func changePointIsWhereTheLevelMoves() {
        #expect(Bisect.changePoint([1, 1, 1, 1, 9, 9, 9]) == 4)
        #expect(Bisect.changePoint([5, 5.2, 4.9, 5.1, 20, 21, 19.5, 20.4, 20]) == 4)
        #expect(Bisect.changePoint([0, 0, 0, 3]) == 3)
    }
}
