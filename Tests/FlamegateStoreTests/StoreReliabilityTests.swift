import FlamegateTestSupport
import Foundation
import Testing

/// Adding is one transaction, and concurrent writers lose nothing.
@Suite(.timeLimit(.minutes(1))) struct StoreReliabilityTests {
    /// `store add` killed (SIGKILL, as a crash or an OOM kill) inside its open transaction,
    /// after it wrote some of its profiles: none of them is in the store, and the store
    /// still works.
    @Test(arguments: StoreBackendKind.allCases)
    func aKilledAddLeavesNoPartialProfile(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("killed") else { return }
        #expect(try s.run(["store", "add", "--label", "k=before", StoreFixtures.heap]).status == 0)
        let files = MapChurnSeries.entries.prefix(6).map(\.path)
        // The test hook stops the add after 4 of 6 profiles were written, inside the transaction.
        let p = try TimedRun.start(
            Fixtures.binary, ["store", "add", "--label", "k=killed"] + files,
            environment: ["FLAMEGATE_STORE": s.spec, "FLAMEGATE_STORE_TEST_PAUSE_AFTER": "4"])
        let deadline = Date().addingTimeInterval(30)
        var paused = false
        while Date() < deadline && p.process.isRunning {
            if let e = try? String(contentsOfFile: p.err, encoding: .utf8), e.contains("paused inside the transaction") {
                paused = true
                break
            }
            usleep(20_000)
        }
        kill(p.process.processIdentifier, SIGKILL)
        p.process.waitUntilExit()
        let r = p.result(timedOut: false)
        #expect(paused, "never reached the pause: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        // Nothing of the killed add: no profile, no label row, no blob.
        #expect(try s.list(["k=killed"]).isEmpty)
        #expect(try s.list().count == 1)
        // The store takes the same add afterwards (SQLite: the hot journal is rolled back;
        // PostgreSQL: the dead connection's transaction is aborted).
        let again = try s.run(["store", "add", "--label", "k=killed"] + files)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try s.list(["k=killed"]).count == 6)
    }

    /// Eight `store add` processes at once, each with its own profiles and some shared
    /// content: every profile is there afterwards, shared content once.
    @Test(arguments: StoreBackendKind.allCases)
    func parallelAddsLoseNothing(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("parallel") else { return }
        // The store exists before the writers start (as in CI, where main's first job makes it).
        #expect(try s.run(["store", "add", "--label", "k=first", StoreFixtures.heap]).status == 0)
        let e = MapChurnSeries.entries
        var started: [TimedRun.Started] = []
        for w in 0..<8 {
            let mine = [e[w * 2].path, e[w * 2 + 1].path, StoreFixtures.cpu]
            started.append(
                try TimedRun.start(
                    Fixtures.binary, ["store", "add", "--label", "writer=\(w)"] + mine, environment: ["FLAMEGATE_STORE": s.spec]))
        }
        let deadline = Date().addingTimeInterval(50)
        for p in started {
            while p.process.isRunning && Date() < deadline { usleep(10_000) }
            if p.process.isRunning { kill(p.process.processIdentifier, SIGKILL) }
            p.process.waitUntilExit()
            let r = p.result(timedOut: false)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let rows = try s.list()
        #expect(rows.count == 1 + 8 * 3)
        for w in 0..<8 { #expect(try s.list(["writer=\(w)"]).count == 3) }
        #expect(Set(rows.compactMap { $0["id"] as? Int }).count == rows.count)
        // cpu.pb.gz, added by all eight, is one content.
        let cpuHashes = Set(rows.filter { ($0["source"] as? String) == StoreFixtures.cpu }.compactMap { $0["sha256"] as? String })
        #expect(cpuHashes.count == 1)
    }
}
