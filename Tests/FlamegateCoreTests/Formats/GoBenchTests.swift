import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Reading `go test -bench` output (Tests/Fixtures/bench, made by Fixtures/bench/make-bench.sh).
@Suite struct GoBenchTests {
    static func parse(_ text: String) throws -> GoBenchFile {
        let bytes = Array(text.utf8)
        do throws(InputError) { return try GoBench.parse(bytes, source: "t.txt") } catch { throw error }
    }

    static func error(_ text: String) -> InputError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? InputError
        }
    }

    @Test func realRun() throws {
        let f = try GoBench.read(Fixtures.path("bench/base.txt"))
        #expect(f.benchmarks.map(\.name) == ["Count-2", "Sum-2", "Latency-2", "Logging-2"])
        #expect(f.configValue("goos") == "linux")
        #expect(f.configValue("pkg") == "flamegate.example/wordcount")
        #expect(f.configValue("cpu") != nil)
        let count = f.benchmarks[0]
        #expect(count.procs == 2 && count.baseName == "Count")
        #expect(count.pkg == "flamegate.example/wordcount")
        #expect(count.iterations.count == 6)
        #expect(count.values("ns/op") == [20310, 28524, 26039, 19432, 23751, 20699])
        #expect(count.values("B/op") == Array(repeating: 8648, count: 6))
        #expect(count.values("allocs/op") == Array(repeating: 4, count: 6))
        let lat = f.benchmarks[2]
        #expect(lat.metrics.map(\.unit) == ["ns/op", "items/s", "p99-ns", "B/op", "allocs/op"])
        #expect(lat.values("p99-ns").count == 6)
        // Logging interleaves `--- BENCH:` blocks and indented log lines: still 6 runs.
        #expect(f.benchmarks[3].values("ns/op").count == 6)
        #expect(f.warnings.isEmpty)
        #expect(f.byName["Sum-2"]?["ns/op"]?.count == 6)
    }

    @Test func formatDetails() throws {
        let f = try Self.parse(
            """
            goos: darwin
            pkg: example.com/a
            BenchmarkA-8   1000   12.5 ns/op   3 B/op   1 allocs/op
            Benchmarkfoo   1000   1 ns/op
            BenchmarkB
                some log output
            BenchmarkB     \t2000\t 7 ns/op\t 1.5e+03 p99-ns
            BenchmarkA-8   1000   13.5 ns/op   3 B/op   1 allocs/op
            pkg: example.com/b
            BenchmarkA-8   10   1 ns/op
            BenchmarkC/sub-case=1-4   5   100 ns/op   12.5 MB/s\r
            Benchmark   1   2 ns/op
            PASS
            ok  \texample.com/a\t1.2s
            """)
        #expect(f.benchmarks.map(\.name) == ["A-8", "B", "A-8", "C/sub-case=1-4", ""])
        #expect(f.benchmarks[0].values("ns/op") == [12.5, 13.5])
        #expect(f.benchmarks[1].procs == nil)
        #expect(f.benchmarks[1].values("p99-ns") == [1500])
        #expect(f.benchmarks[2].pkg == "example.com/b")
        #expect(f.benchmarks[3].procs == 4 && f.benchmarks[3].baseName == "C/sub-case=1")
        #expect(f.benchmarks[3].values("MB/s") == [12.5])
        #expect(f.configValue("goos") == "darwin")
        #expect(f.byName["A-8"]?["ns/op"] == [12.5, 13.5, 1])
        #expect(GoBench.tidyUnit("ns/op") == ("sec/op", 1e-9))
        #expect(GoBench.tidyUnit("MB/s") == ("B/s", 1e6))
        #expect(GoBench.tidyUnit("p99-ns") == ("p99-sec", 1e-9))  // benchunit.Tidy: every ns becomes sec
    }

    @Test func malformedResultLinesAreWarnings() throws {
        let f = try Self.parse(
            "BenchmarkA 10 5 ns/op\nBenchmarkA 10 5\nBenchmarkA 10 x ns/op\nBenchmarkA 1x 5 ns/op\nBenchmarkA 10 inf ns/op\n"
        )
        #expect(f.benchmarks.count == 1)
        #expect(f.warnings.count == 4)
        #expect(f.warnings[0].hasPrefix("line 2: expected '<value> <unit>' pairs"))
        #expect(f.warnings[1].hasPrefix("line 3: expected a number before unit 'ns/op'"))
    }

    @Test func unusableInput() {
        #expect(Self.error("")?.description.contains("empty file") == true)
        #expect(Self.error("PASS\nok  x 1s\n")?.description.contains("no benchmark results") == true)
        let e = Self.error("goos: linux\nBenchmarkA 10 5\n")
        #expect(
            e?.description
                == "t.txt: at byte 12: line 2: expected '<value> <unit>' pairs after the iteration count of BenchmarkA (no readable benchmark result in the file)"
        )
        #expect(Self.error("\u{FF}\u{FE}garbage") != nil)
    }

    @Test func compareTables() throws {
        let b = try GoBench.read(Fixtures.path("bench/base.txt"))
        let c = try GoBench.read(Fixtures.path("bench/cand.txt"))
        let tables = BenchCompare.compare(base: b, cand: c)
        #expect(tables.map(\.unit) == ["sec/op", "B/op", "allocs/op", "items/s", "p99-sec"])
        let time = tables[0]
        // Hand-checked: base Count ns/op sorted 19432 20310 20699 23751 26039 28524 → 22225 ns.
        #expect(abs(time.rows[0].base!.center - 22225e-9) < 1e-15)
        #expect(BenchCompare.formatValue(22225e-9, unit: "sec/op") == "22.23µ")
        let allocs = tables[2]
        let count = try #require(allocs.rows.first { $0.name == "Count-2" }?.comparison)
        #expect(count.base.center == 4 && count.cand.center == 1)
        #expect(count.p < 0.01 && count.deltaLabel == "-75.00%")
        let sum = try #require(allocs.rows.first { $0.name == "Sum-2" }?.comparison)
        #expect(sum.deltaLabel == "~" && sum.test?.method == .allEqual)
        // benchstat: no geomean of centers with a 0 among them; the ratio is the geomean of
        // the per-row ratios, 0/0 counting 1: (1/4 · 1 · 1/4 · 1)^(1/4) = 1/2 ("-50.00%").
        #expect(allocs.geomeanBase == nil && allocs.geomeanCand == nil)
        #expect(abs((allocs.geomeanRatio ?? 0) - 0.5) < 1e-12)
        #expect(BenchCompare.formatValue(4096, unit: "B/op") == "4.000Ki")
        #expect(BenchCompare.formatValue(0, unit: "allocs/op") == "0.000")
        #expect(BenchCompare.formatValue(338_400, unit: "items/s") == "338.4k")
    }

    /// `Tests/Fixtures/malformed/gobench/`: each a clean error.
    @Test(arguments: Fixtures.malformed("gobench"))
    func gobench(_ path: String) throws {
        let b = try Fixtures.bytes(atPath: path)
        #expect(throws: InputError.self) { _ = try GoBench.parse(b, source: path) }
    }
}
