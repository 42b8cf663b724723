import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate trace …`, `--kind` on the reports and the gate's `kind: trace` through the CLI.
@Suite struct TraceCommandTests {
    static func trace(_ mode: String) -> String { Fixtures.path("trace/go127-\(mode).trace") }

    /// `top --kind KIND trace` prints what `top` prints for go tool trace's profile (rows
    /// of equal value compared as a set: their order is not pprof's to keep).
    @Test(arguments: ["sched", "sync", "syscall"]) func topReadsTracesWithKind(kind: String) throws {
        let ours = try Fixtures.run(["top", "--kind", kind, Self.trace("http")])
        let ref = try Fixtures.run(["top", Fixtures.path("trace/go127-http.\(kind).pb")])
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stdout.split(separator: "\n").sorted() == ref.stdout.split(separator: "\n").sorted())
    }

    @Test func pprofWritesTheProfile() throws {
        let dir = try TempDir([:])
        let out = dir.path + "/sched.pb.gz"
        let r = try Fixtures.run(["trace", "pprof", "--kind", "sched", Self.trace("gc"), "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try Fixtures.run(["top", "-nodecount=1000", out])
        let ref = try Fixtures.run(["top", "-nodecount=1000", Fixtures.path("trace/go127-gc.sched.pb")])
        #expect(ours.stdout.split(separator: "\n").sorted() == ref.stdout.split(separator: "\n").sorted())
    }

    /// A Go 1.19 trace (the format of Go 1.11–1.21): `trace pprof` writes what Go 1.27's
    /// `go tool trace -pprof=KIND` writes for it, as `top` shows both.
    @Test(arguments: ["sched", "sync", "net", "syscall"]) func pprofReadsOldTraces(kind: String) throws {
        let dir = try TempDir([:])
        let out = dir.path + "/\(kind).pb.gz"
        let r = try Fixtures.run(["trace", "pprof", "--kind", kind, Fixtures.path("trace/go1.19/http.trace"), "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try Fixtures.run(["top", "-nodecount=1000", out])
        let ref = try Fixtures.run(["top", "-nodecount=1000", Fixtures.path("trace/go1.19/http.\(kind).pb")])
        #expect(ours.status == 0 && ref.status == 0)
        #expect(ours.stdout.split(separator: "\n").sorted() == ref.stdout.split(separator: "\n").sorted())
    }

    @Test func oldTraceStatsAndBadOldTraces() throws {
        let s = try Fixtures.run(["trace", "stats", "--format", "json", Fixtures.path("trace/go1.19/gc.trace")])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("\"stw\""))
        let bytes = try Fixtures.bytes("trace/go1.19/gc.trace")
        let dir = try TempDir([:])
        let cut = dir.path + "/cut.trace"
        FileManager.default.createFile(atPath: cut, contents: Data(bytes.prefix(bytes.count * 2 / 3)))
        for args in [["trace", "stats", cut], ["trace", "pprof", "--kind", "sync", cut, "-o", dir.path + "/x.pb"]] {
            let r = try Fixtures.run(args)
            #expect(r.status == 2)
            #expect(r.stderr.contains("cut.trace"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }

    @Test func badInputsExit2WithOneLine() throws {
        let notTrace = try Fixtures.run(["trace", "pprof", "--kind", "sched", Fixtures.path("pprof/go1.27/cpu.pb.gz"), "-o", "-"])
        #expect(notTrace.status == 2)
        #expect(notTrace.stderr.contains("not a Go execution trace"))
        let badKind = try Fixtures.run(["trace", "pprof", "--kind", "cpu", Self.trace("gc"), "-o", "-"])
        #expect(badKind.status == 2)
        let bytes = try Fixtures.bytes("trace/go127-chan.trace")
        let dir = try TempDir([:])
        let cut = dir.path + "/cut.trace"
        FileManager.default.createFile(atPath: cut, contents: Data(bytes.prefix(bytes.count / 2)))
        let r = try Fixtures.run(["trace", "stats", cut])
        #expect(r.status == 2)
        #expect(r.stderr.contains("at byte"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        let noKind = try Fixtures.run(["top", Self.trace("gc")])
        #expect(noKind.status == 2)
        #expect(noKind.stderr.contains("--kind"))
    }

    @Test func statsJSONHasTheDocumentedKeys() throws {
        let r = try Fixtures.run(["trace", "stats", "--format", "json", Self.trace("tasks")])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let stw = doc?["stw"] as? [String: Any]
        for k in ["count", "total_ns", "p50_ns", "p99_ns", "max_ns"] { #expect(stw?[k] != nil, "stw.\(k)") }
        #expect((doc?["gc"] as? [String: Any])?["count"] != nil)
        #expect((doc?["sched_latency"] as? [String: Any])?["p99_ns"] != nil)
        let block = doc?["block"] as? [String: Any]
        for reason in ["sync", "channel", "select", "network", "syscall", "sleep"] { #expect(block?[reason] != nil) }
        let request = (doc?["tasks"] as? [String: Any])?["request"] as? [String: Any]
        #expect(request?["count"] as? Int == 200)
        for k in ["p50_ns", "p90_ns", "p99_ns", "max_ns"] { #expect(request?[k] != nil) }
        let text = try Fixtures.run(["trace", "stats", Self.trace("tasks")])
        #expect(text.stdout.contains("stop-the-world") && text.stdout.contains("task request"))
    }

    /// The example: the gate trips on the slow-request trace and passes on the fix.
    @Test func gateTripsOnTheRegressionAndPassesOnTheFix() throws {
        let ex = Fixtures.root + "/Examples/ci"
        let trip = try Fixtures.run(["gate", "--rules", ex + "/trace-gate.yml"])
        #expect(trip.status == 1, "\(trip.stdout)\(trip.stderr)")
        #expect(trip.stdout.contains("request p99"))
        let fixed = try Fixtures.run([
            "gate", "--rules", ex + "/trace-gate.yml", "--candidate", ex + "/captured/fix/cpu.pb.gz", ex + "/captured/fix/tasks.trace",
        ])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
    }

    @Test func gateFailsClosed() throws {
        let dir = try TempDir([
            "unknown-task.yml": """
            base: [\(Self.trace("fasttask"))]
            candidate: [\(Self.trace("slowtask"))]
            rules:
              - name: p99
                kind: trace
                measure: task_p99
                task: checkout
                compare: relative
                threshold: 10
            """,
            "no-task.yml": """
            base: [\(Self.trace("fasttask"))]
            candidate: [\(Self.trace("slowtask"))]
            rules:
              - name: p99
                kind: trace
                measure: task_p99
                compare: relative
                threshold: 10
            """,
            "no-events.yml": """
            base: [\(Self.trace("mutex"))]
            candidate: [\(Self.trace("mutex"))]
            rules:
              - name: p99
                kind: trace
                measure: task_p99
                task: request
                compare: relative
                threshold: 10
            """,
        ])
        for (file, says) in [
            ("unknown-task.yml", "no completed task of type \"checkout\""), ("no-task.yml", "needs task"),
            ("no-events.yml", "its task types: none"),
        ] {
            let r = try Fixtures.run(["gate", "--rules", dir.path + "/" + file])
            #expect(r.status == 2, "\(file): \(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains(says), "\(file): \(r.stderr)")
        }
    }
}
