import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// `flamegate bench compare` through the CLI.
@Suite struct BenchCommandTests {
    @Test func compareText() throws {
        let r = try Fixtures.run(["bench", "compare", Fixtures.path("bench/base.txt"), Fixtures.path("bench/cand.txt")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("goos: linux\ngoarch: amd64\npkg: flamegate.example/wordcount\n"))
        #expect(r.stdout.contains("sec/op"))
        #expect(r.stdout.contains("allocs/op"))
        #expect(r.stdout.contains("p99-sec"))
        let countAllocs = r.stdout.split(separator: "\n").filter {
            $0.hasPrefix("Count-2") && $0.contains("4.000 ± 0%")
        }
        #expect(countAllocs.count == 1)
        #expect(countAllocs.first?.hasSuffix("-75.00% (p=0.002 n=6)") == true)
    }

    @Test func compareJSONAndAlpha() throws {
        let r = try Fixtures.run([
            "bench", "compare", "--format", "json", "--alpha", "0.001", Fixtures.path("bench/base.txt"),
            Fixtures.path("bench/cand.txt"),
        ])
        #expect(r.status == 0)
        let obj = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["alpha"] as? Double == 0.001)
        let tables = try #require(obj["tables"] as? [[String: Any]])
        let allocs = try #require(tables.first { $0["unit"] as? String == "allocs/op" })
        let rows = try #require(allocs["rows"] as? [[String: Any]])
        let count = try #require(rows.first { $0["name"] as? String == "Count-2" })
        // p = 0.002 > 0.001: not significant at this alpha.
        #expect(count["significant"] as? Bool == false)
        #expect(count["label"] as? String == "~")
        #expect(count["method"] as? String == "exact-ties" || count["method"] as? String == "normal")
    }

    @Test func badInputExitsTwo() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("fg-bench-\(getpid()).txt").path
        try "PASS\nok x 1s\n".write(toFile: tmp, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let r = try Fixtures.run(["bench", "compare", tmp, Fixtures.path("bench/cand.txt")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no benchmark results"))
        let r2 = try Fixtures.run(["bench", "compare", "/nonexistent", Fixtures.path("bench/cand.txt")])
        #expect(r2.status == 2)
        let r3 = try Fixtures.run([
            "bench", "compare", "--alpha", "2", Fixtures.path("bench/base.txt"), Fixtures.path("bench/cand.txt"),
        ])
        #expect(r3.status == 2)
    }
}
