import FlamegateTestSupport
import Foundation
import Testing

/// Tests/Fixtures/store/mapchurn: 24 CPU profiles of one service, one per commit of main;
/// commit 15 introduced per-request map churn (Fixtures/go/mapchurn/make-series.sh).
enum MapChurnSeries {
    struct Entry {
        var seq: Int
        var commit: String
        var churn: Bool
        var path: String
        /// `go tool pprof -top -focus=frames`'s share of the total, in percent.
        var pprofShare: Double
    }

    static let frames = #"^(runtime\.map|internal/runtime/maps\.)"#

    static let entries: [Entry] = {
        let text = (try? Fixtures.read("store/mapchurn/series.tsv")) ?? ""
        return text.split(separator: "\n").dropFirst().map { line in
            let r = line.split(separator: "\t").map(String.init)
            return Entry(
            seq: Int(r[0])!, commit: r[1], churn: r[2] == "true", path: Fixtures.path("store/mapchurn/" + r[3]),
                pprofShare: Double(r[4].dropLast())!)
        }
    }()

    /// The commit that introduced the churn.
    static var culprit: Entry { entries.first { $0.churn }! }

    /// Stores the series' profiles `seqs` (in that order) with branch, service and commit
    /// labels, and commit_seq when `withSeq`.
    static func add(_ s: TestStore, seqs: [Int], withSeq: Bool = true, branch: String = "main") throws {
        for seq in seqs {
            let e = entries[seq - 1]
            var args = ["store", "add", "--label", "branch=\(branch)", "--label", "service=pay", "--label", "commit=\(e.commit)"]
            if withSeq { args += ["--label", "commit_seq=\(e.seq)"] }
            let r = try s.run(args + [e.path])
            try #require(r.status == 0, "\(r.stderr)")
        }
    }
}
