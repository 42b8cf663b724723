import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateGate

/// Every way a gate used to pass by mistake now stops it with exit 2 and one line naming
/// the file or rule and the reason (issue 14), beside controls that still decide: 1 on a
/// real regression, 0 on identical inputs.
@Suite struct GateFailClosedTests {
    /// A temporary folder of inputs and `gate.yml`, with the gate fixtures copied in.
    final class Dir {
        let path: String
        init(_ files: [String: String], copy: [String: String] = [:]) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("fg-closed-\(UUID().uuidString)").path
            let fm = FileManager.default
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            for name in ["base.folded", "cand.folded"] {
                try fm.copyItem(atPath: Fixtures.path("gate/" + name), toPath: path + "/" + name)
            }
            for (name, fixture) in copy { try fm.copyItem(atPath: Fixtures.path(fixture), toPath: path + "/" + name) }
            for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var rules: String { path + "/gate.yml" }
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
        }
    }

    static func bench(_ name: String, _ values: [Double], unit: String = "ns/op") -> String {
        var s = "goos: linux\npkg: example.com/x\n"
        for v in values { s += "Benchmark\(name)-8   \t 1000\t \(v) \(unit)\n" }
        return s + "PASS\n"
    }

    static let folded = "base: base.folded\ncandidate: cand.folded\nrules:\n"
    static let mapFrames = "'^(runtime\\.map(access|assign)|internal/runtime/maps\\.)'"

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var files: [String: String]
        var copy: [String: String] = [:]
        /// Fragments the one-line message must hold.
        var message: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "frames regex with a typo",
            files: [
                "gate.yml": folded + "  - {name: map, kind: profile, frames: 'runtime\\.mapasign', threshold: 5}\n"
            ],
            message: [
                "gate.yml:4:5", "rule \"map\"", "frames /runtime\\.mapasign/ match no function", "allow_no_match",
            ]),
        Case(
            name: "duplicate threshold",
            files: [
                "gate.yml": folded
                    + "  - name: map\n    kind: profile\n    frames: \(mapFrames)\n    threshold: 5\n    threshold: 50\n"
            ],
            message: ["gate.yml:8:5", "duplicate key \"threshold\"", "first at line 7"]),
        Case(
            name: "two rules blocks",
            files: [
                "gate.yml": folded + "  - {name: a, kind: profile, frames: main, threshold: 5}\n"
                    + "rules:\n  - {name: b, kind: profile, frames: main, threshold: 5}\n"
            ],
            message: ["gate.yml:5:1", "duplicate key \"rules\""]),
        Case(
            name: "zero total",
            files: [
                "zero.folded": "main;work 0\nmain;other 0\n",
                "gate.yml": "base: zero.folded\ncandidate: cand.folded\nrules:\n"
                    + "  - {name: w, kind: profile, frames: work, threshold: 5}\n",
            ],
            message: ["zero.folded", "the total of samples is zero", "rule \"w\""]),
        Case(
            name: "heap against allocs",
            files: [
                "gate.yml": "base: heap.pb.gz\ncandidate: allocs.pb.gz\nrules:\n"
                    + "  - {name: m, kind: profile, frames: main, threshold: 5}\n"
            ],
            copy: ["heap.pb.gz": "pprof/go1.27/heap.pb.gz", "allocs.pb.gz": "pprof/go1.27/allocs.pb.gz"],
            message: ["rule \"m\"", "default sample type is inuse_space but the candidate's is alloc_space"]),
        Case(
            name: "sample type missing on one side",
            files: [
                "gate.yml": "rules:\n  - name: m\n    kind: profile\n    frames: main\n    sample_type: cpu\n"
                    + "    threshold: 5\n    base: [cpu.pb.gz]\n    candidate: [allocs.pb.gz]\n"
            ],
            copy: ["cpu.pb.gz": "pprof/go1.27/cpu.pb.gz", "allocs.pb.gz": "pprof/go1.27/allocs.pb.gz"],
            message: ["allocs.pb.gz", "cpu", "rule \"m\""]),
        Case(
            name: "several kinds of profile carry the sample type",
            files: [
                "gate.yml": "base: [heap.pb.gz, allocs.pb.gz]\ncandidate: [heap.pb.gz, allocs.pb.gz]\nrules:\n"
                    + "  - {name: m, kind: profile, frames: main, sample_type: alloc_space, threshold: 5}\n"
            ],
            copy: ["heap.pb.gz": "pprof/go1.27/heap.pb.gz", "allocs.pb.gz": "pprof/go1.27/allocs.pb.gz"],
            message: ["rule \"m\"", "several kinds of profile carrying alloc_space", "alloc_space", "inuse_space"]),
        Case(
            name: "negative threshold",
            files: ["gate.yml": folded + "  - {name: m, kind: profile, frames: main, threshold: -5}\n"],
            message: ["gate.yml:4:5", "threshold must be ≥ 0"]),
        Case(
            name: "share above 100 points",
            files: ["gate.yml": folded + "  - {name: m, kind: profile, frames: main, threshold: 150}\n"],
            message: ["gate.yml:4:5", "above 100 percentage points"]),
        Case(
            name: "decrease with compare new",
            files: [
                "gate.yml": folded
                    + "  - {name: m, kind: profile, frames: main, compare: new, direction: decrease, threshold: 0}\n"
            ],
            message: ["gate.yml:4:5", "direction: decrease does not apply to compare: new"]),
        Case(
            name: "alpha out of reach",
            files: [
                "base.txt": bench("Map", [100, 101, 102, 103, 104, 105]),
                "cand.txt": bench("Map", [200, 201, 202, 203, 204, 205]),
                "gate.yml": "base: base.txt\ncandidate: cand.txt\nalpha: 0.001\nrules:\n"
                    + "  - {name: speed, kind: bench, benchmark: Map, threshold: 5}\n",
            ],
            message: ["rule \"speed\"", "α=0.001 cannot be reached with 6+6 runs", "at least 7 runs per side"]),
        Case(
            name: "fail rule with too few runs",
            files: [
                "base.txt": bench("Map", [100, 101, 102]), "cand.txt": bench("Map", [200, 201, 202]),
                "gate.yml": "base: base.txt\ncandidate: cand.txt\nrules:\n"
                    + "  - {name: speed, kind: bench, benchmark: Map, threshold: 5}\n",
            ],
            message: ["rule \"speed\" (severity: fail) cannot decide", "too few samples (n=3+3"]),
        Case(
            name: "one base profile against two candidates",
            files: [
                "gate.yml": "base: [base.folded]\ncandidate: [cand.folded, cand2.folded]\nrules:\n"
                    + "  - {name: map, kind: profile, frames: \(mapFrames), threshold: 5}\n"
            ],
            copy: ["cand2.folded": "gate/cand.folded"],
            message: ["rule \"map\" (severity: fail) cannot decide", "n=1+2"]),
        Case(
            name: "benchmark renamed in the candidate",
            files: [
                "base.txt": bench("Map", [100, 101, 102, 103, 104, 105]) + bench("Old", [1, 1, 1, 1, 1, 1]),
                "cand.txt": bench("Map", [100, 101, 102, 103, 104, 105]) + bench("New", [9, 9, 9, 9, 9, 9]),
                "gate.yml": "base: base.txt\ncandidate: cand.txt\nrules:\n"
                    + "  - {name: speed, kind: bench, benchmark: '.', threshold: 5}\n",
            ],
            message: ["cand.txt", "BenchmarkOld-8 is in the base but not in the candidate", "allow_no_match"]),
        Case(
            name: "escape file selector that matches nothing",
            files: [
                "gate.yml": "base: base.mm.txt\ncandidate: cand.mm.txt\nrules:\n"
                    + "  - {name: e, kind: escape, file: 'hander\\.go', threshold: 0}\n"
            ],
            copy: ["base.mm.txt": "escape/base.mm.txt", "cand.mm.txt": "escape/cand.mm.txt"],
            message: ["rule \"e\"", "file /hander\\.go/ matches no diagnostic"]),
        Case(
            name: "empty bench file at the top",
            files: [
                "base.txt": bench("Map", [100, 101, 102, 103]), "cand.txt": "",
                "gate.yml": "base: base.txt\ncandidate: cand.txt\nrules:\n"
                    + "  - {name: speed, kind: bench, benchmark: Map, threshold: 5}\n",
            ],
            message: ["cand.txt: empty file"]),
    ]

    @Test(arguments: cases) func refused(_ c: Case) throws {
        let d = try Dir(c.files, copy: c.copy)
        let r = try Fixtures.run(["gate", "--rules", d.rules], cwd: d.path)
        #expect(r.status == 2, "\(c.name): \(r.stdout) \(r.stderr)")
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        for m in c.message { #expect(r.stderr.contains(m), "\(c.name): \(r.stderr) lacks \(m)") }
    }

    @Test func emptyProfileIsRefused() throws {
        let d = try Dir([
            "gate.yml":
                "base: empty.pb\ncandidate: cand.folded\nrules:\n  - {name: m, kind: profile, frames: main, threshold: 5}\n"
        ])
        try d.write("empty.pb", PprofEncoder.encode(Profile(sampleTypes: [ValueType(type: "samples", unit: "count")])))
        let r = try Fixtures.run(["gate", "--rules", d.rules], cwd: d.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("empty.pb: no samples (rule \"m\""), "\(r.stderr)")
    }

    @Test func optOutsAndLegitimateZeros() throws {
        // allow_no_match: frames expected to be gone, a benchmark deleted on purpose.
        let d = try Dir([
            "base.txt": Self.bench("Map", [100, 101, 102, 103, 104, 105]) + Self.bench("Old", [1, 1, 1, 1, 1, 1]),
            "cand.txt": Self.bench("Map", [100, 101, 102, 103, 104, 105]),
            "gate.yml": Self.folded
                + "  - {name: gone, kind: profile, frames: 'legacyCodec', threshold: 5, allow_no_match: true}\n"
                + "  - {name: nothing new, kind: profile, frames: 'legacyCodec', compare: new, threshold: 0}\n"
                + "  - {name: speed, kind: bench, benchmark: '.', threshold: 5, allow_no_match: true,"
                + " base: [base.txt], candidate: [cand.txt]}\n",
        ])
        let o = try Gate.run(try GateRulesFile.read(d.rules))
        #expect(o.results.map(\.status) == [.pass, .pass, .pass])
        #expect(o.results[2].notes.contains { $0.contains("BenchmarkOld-8: only in the base") })
        #expect(o.exitCode == 0)
    }

    @Test func controlsStillDecide() throws {
        // The real regression in the fixtures: map work 20% → 50% of the samples.
        let rule = "  - {name: map, kind: profile, frames: \(Self.mapFrames), threshold: 10}\n"
        let regressed = try Dir(["gate.yml": Self.folded + rule])
        let r1 = try Fixtures.run(["gate", "--rules", regressed.rules], cwd: regressed.path)
        #expect(r1.status == 1, "\(r1.stderr)")
        #expect(r1.stdout.hasPrefix("flamegate gate: FAIL"))
        let same = try Dir(["gate.yml": "base: base.folded\ncandidate: base.folded\nrules:\n" + rule])
        let r0 = try Fixtures.run(["gate", "--rules", same.rules], cwd: same.path)
        #expect(r0.status == 0, "\(r0.stderr)")
        #expect(r0.stdout.hasPrefix("flamegate gate: PASS —"))
    }

    @Test func profilesRouteBySampleType() throws {
        // CPU and allocs profiles side by side at the top: each rule reads the kind that
        // carries its sample type.
        let d = try Dir(
            [
                "gate.yml": "base: [cpu.pb.gz, allocs.pb.gz]\ncandidate: [cpu.pb.gz, allocs.pb.gz]\nrules:\n"
                    + "  - {name: cpu, kind: profile, frames: main, sample_type: cpu, threshold: 5}\n"
                    + "  - {name: bytes, kind: profile, frames: main, sample_type: alloc_space, threshold: 5}\n"
            ],
            copy: ["cpu.pb.gz": "pprof/go1.27/cpu.pb.gz", "allocs.pb.gz": "pprof/go1.27/allocs.pb.gz"])
        let o = try Gate.run(try GateRulesFile.read(d.rules))
        #expect(o.results[0].baseInputs.map { ($0 as NSString).lastPathComponent } == ["cpu.pb.gz"])
        #expect(o.results[1].baseInputs.map { ($0 as NSString).lastPathComponent } == ["allocs.pb.gz"])
        #expect(o.results[0].valueUnit == "cpu/nanoseconds")
        #expect(o.results[1].valueUnit == "alloc_space/bytes")
        #expect(o.exitCode == 0)
        // A rule naming no sample type over both kinds cannot know which one it means.
        let d2 = try Dir(
            [
                "gate.yml": "base: [cpu.pb.gz, allocs.pb.gz]\ncandidate: [cpu.pb.gz, allocs.pb.gz]\nrules:\n"
                    + "  - {name: any, kind: profile, frames: main, threshold: 5}\n"
            ],
            copy: ["cpu.pb.gz": "pprof/go1.27/cpu.pb.gz", "allocs.pb.gz": "pprof/go1.27/allocs.pb.gz"])
        let e = try #require(throws: InputError.self) { try Gate.run(try GateRulesFile.read(d2.rules)) }
        #expect(e.description.contains("several kinds of profile"), "\(e)")
    }

    @Test func headlines() throws {
        let undecided = try Dir([
            "base.txt": Self.bench("Map", [100, 101]), "cand.txt": Self.bench("Map", [200, 201]),
            "gate.yml": "base: base.txt\ncandidate: cand.txt\nrules:\n"
                + "  - {name: speed, kind: bench, benchmark: Map, threshold: 5, severity: warn}\n",
        ])
        let r = try Fixtures.run(["gate", "--rules", undecided.rules], cwd: undecided.path)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("flamegate gate: INCONCLUSIVE"), "\(r.stdout)")
        #expect(r.stdout.contains("too few samples"))
        let strict = try Fixtures.run(
            ["gate", "--rules", undecided.rules, "--fail-on-inconclusive"], cwd: undecided.path)
        #expect(strict.status == 1)
        let json = try Fixtures.run(
            ["gate", "--rules", undecided.rules, "--quiet", "--json", "-"], cwd: undecided.path)
        #expect(
            json.stdout.contains("\"headline\": \"INCONCLUSIVE\"")
                || json.stdout.contains("\"headline\":\"INCONCLUSIVE\""))
    }

    @Test func garbageBenchLinesAreCounted() throws {
        let d = try Dir([
            "base.txt": Self.bench("Map", [100, 101, 102, 103, 104, 105]) + "BenchmarkBroken-8 12 ns/op\n",
            "cand.txt": Self.bench("Map", [100, 101, 102, 103, 104, 105]),
            "gate.yml": "base: base.txt\ncandidate: cand.txt\nrules:\n"
                + "  - {name: speed, kind: bench, benchmark: Map, threshold: 5}\n",
        ])
        let o = try Gate.run(try GateRulesFile.read(d.rules))
        #expect(
            o.results[0].notes.contains { $0.contains("base.txt: 1 unrecognized line skipped") },
            "\(o.results[0].notes)")
    }
}

/// The PR comment names the cause: the frames whose share changed most, both ways, with
/// their values, and a differential flame graph beside it.
@Suite struct GateCauseTests {
    @Test func markdownListsGrowthAndShrinkageAndLinksTheFlameDiff() throws {
        let d = try GateFailClosedTests.Dir([
            "b.folded": "main;a;runtime.mapaccess1 30\nmain;b;runtime.mapassign 10\nmain;c 60\n",
            "c.folded": "main;a;runtime.mapaccess1 10\nmain;b;runtime.mapassign 50\nmain;c 40\n",
            "gate.yml": "base: b.folded\ncandidate: c.folded\nrules:\n"
                + "  - {name: map, kind: profile, frames: '^runtime\\.map', measure: flat, threshold: 10}\n",
        ])
        let r = try Fixtures.run(
            ["gate", "--rules", d.rules, "--markdown", "comment.md", "--flame-diff", "diff.html", "--quiet"],
            cwd: d.path)
        #expect(r.status == 1, "\(r.stderr)")
        let md = try String(contentsOfFile: d.path + "/comment.md", encoding: .utf8)
        #expect(md.contains("| `runtime.mapassign` | 10% (10) | 50% (50) | +40 pp |"), "\(md)")
        #expect(md.contains("| `runtime.mapaccess1` | 30% (30) | 10% (10) | -20 pp |"), "\(md)")
        // Growth first: ordered by the size of the change.
        let grow = try #require(md.range(of: "runtime.mapassign` |"))
        let shrink = try #require(md.range(of: "runtime.mapaccess1` |"))
        #expect(grow.lowerBound < shrink.lowerBound)
        #expect(md.contains("[diff.html](diff.html)"))
        let html = try String(contentsOfFile: d.path + "/diff.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("runtime.mapassign") && html.contains("runtime.mapaccess1"))
    }
}
