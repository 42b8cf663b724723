import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate store add/list/rm/gc/export`, the same test bodies on SQLite and PostgreSQL.
@Suite(.timeLimit(.minutes(1))) struct StoreCommandTests {
    @Test(arguments: StoreBackendKind.allCases)
    func addListExportKeepTheProfileAndItsFacts(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("addlist") else { return }
        let add = try s.run(["store", "add", "--label", "branch=main", "--label", "commit=abc123", StoreFixtures.cpu, StoreFixtures.allocs])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("added ") }.count == 2, "\(add.stdout)")
        let rows = try s.list()
        try #require(rows.count == 2)
        let cpu = try #require(rows.first { ($0["source"] as? String) == StoreFixtures.cpu })
        #expect(cpu["sample_types"] as? [String] == ["samples/count", "cpu/nanoseconds"])
        #expect(cpu["labels"] as? [String: String] == ["branch": "main", "commit": "abc123"])
        // The profile's own time and duration (go tool pprof: Time 2026-11-26 19:36:13 UTC, Duration 5s).
        #expect(cpu["time"] as? String == "2026-11-26T19:36:13Z")
        #expect((cpu["duration_ns"] as? Int).map { $0 / 1_000_000 } == 5001)
        let bytes = try Fixtures.bytes(atPath: StoreFixtures.cpu)
        #expect(cpu["size"] as? Int == bytes.count)
        // export gives the bytes back exactly.
        let out = s.dir + "/exported.pb.gz"
        let ex = try s.run(["store", "export", "\(cpu["id"] as! Int)", "-o", out])
        #expect(ex.status == 0, "\(ex.stderr)")
        #expect(try Fixtures.bytes(atPath: out) == bytes)
        // The text table names both.
        let text = try s.run(["store", "list"])
        #expect(text.stdout.hasPrefix("ID  TIME"), "\(text.stdout)")
        #expect(text.stdout.contains("branch=main commit=abc123"))
    }

    @Test(arguments: StoreBackendKind.allCases)
    func identicalContentIsStoredOnce(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("dedupe") else { return }
        #expect(try s.run(["store", "add", "--label", "branch=main", StoreFixtures.cpu]).status == 0)
        let again = try s.run(["store", "add", "--label", "branch=main", StoreFixtures.cpu])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("already stored as "), "\(again.stdout)")
        #expect(try s.list().count == 1)
        // Other labels: a second entry, the same content (one blob).
        #expect(try s.run(["store", "add", "--label", "branch=pr-7", StoreFixtures.cpu]).status == 0)
        let rows = try s.list()
        #expect(rows.count == 2)
        #expect(Set(rows.compactMap { $0["sha256"] as? String }).count == 1)
        let n = try s.run(["store", "list", "--label", "branch=pr-7"])
        #expect(n.stdout.split(separator: "\n").count == 2)
    }

    @Test(arguments: StoreBackendKind.allCases)
    func listFiltersByEveryLabel(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("filter") else { return }
        #expect(try s.run(["store", "add", "--label", "branch=main", "--label", "service=pay", StoreFixtures.cpu]).status == 0)
        #expect(try s.run(["store", "add", "--label", "branch=main", "--label", "service=auth", StoreFixtures.cpu2]).status == 0)
        #expect(try s.run(["store", "add", "--label", "branch=dev", "--label", "service=pay", StoreFixtures.allocs]).status == 0)
        #expect(try s.list(["branch=main"]).count == 2)
        #expect(try s.list(["service=pay"]).count == 2)
        let both = try s.list(["branch=main", "service=pay"])
        #expect(both.count == 1)
        #expect(both.first?["source"] as? String == StoreFixtures.cpu)
        #expect(try s.list(["branch=nope"]).isEmpty)
    }

    @Test(arguments: StoreBackendKind.allCases)
    func rmRemovesAllOrNothing(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("rm") else { return }
        #expect(try s.run(["store", "add", "--label", "k=v", StoreFixtures.cpu, StoreFixtures.cpu2]).status == 0)
        let ids = try s.list().compactMap { $0["id"] as? Int }
        try #require(ids.count == 2)
        // An unknown id: exit 2, nothing removed.
        let bad = try s.run(["store", "rm", "\(ids[0])", "999999"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("no stored profile with id 999999; nothing was removed"), "\(bad.stderr)")
        #expect(try s.list().count == 2)
        let ok = try s.run(["store", "rm", "\(ids[0])"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try s.list().compactMap { $0["id"] as? Int } == [ids[1]])
        // Its id is not reused.
        #expect(try s.run(["store", "add", "--label", "k=w", StoreFixtures.cpu]).status == 0)
        #expect(!(try s.list().compactMap { $0["id"] as? Int }).contains(ids[0]))
    }

    @Test(arguments: StoreBackendKind.allCases)
    func gcKeepsTheNewestPerLabelSet(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("gc") else { return }
        // cpu (19:36:13) is older than cpu2 (19:36:18) in both label sets; allocs alone in its own.
        for branch in ["main", "dev"] {
            #expect(try s.run(["store", "add", "--label", "branch=\(branch)", StoreFixtures.cpu, StoreFixtures.cpu2]).status == 0)
        }
        #expect(try s.run(["store", "add", "--label", "branch=main", "--label", "kind=allocs", StoreFixtures.allocs]).status == 0)
        let gc = try s.run(["store", "gc", "--keep", "1"])
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(gc.stdout.hasPrefix("removed 2 profiles"), "\(gc.stdout)")
        let left = try s.list().map { "\(($0["labels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }) \($0["source"] as? String ?? "")" }
        #expect(left.count == 3)
        #expect(left.filter { $0.hasSuffix("cpu2.pb.gz") }.count == 2, "\(left)")
        #expect(left.filter { $0.hasSuffix("allocs.pb.gz") }.count == 1, "\(left)")
    }

    @Test(arguments: StoreBackendKind.allCases)
    func aBadInputStoresNothing(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("badinput") else { return }
        #expect(try s.run(["store", "add", "--label", "k=v", StoreFixtures.heap]).status == 0)
        let r = try s.run(["store", "add", "--label", "k=v", StoreFixtures.cpu, Fixtures.root + "/README.md"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("README.md: not a profile"), "\(r.stderr)")
        #expect(try s.list().count == 1)
        let bad = try s.run(["store", "add", "--label", "last=3", StoreFixtures.cpu])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("selector word"), "\(bad.stderr)")
    }

    @Test(arguments: StoreBackendKind.allCases)
    func aCorruptBlobIsAnError(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("corrupt") else { return }
        #expect(try s.run(["store", "add", "--label", "branch=main", StoreFixtures.cpu]).status == 0)
        // One byte changed behind flamegate's back.
        try s.sql(
            kind == .sqlite
                ? "UPDATE blobs SET data = X'00' || substr(data, 2)"
                : "UPDATE blobs SET data = overlay(data placing '\\x00'::bytea from 1 for 1)")
        let ex = try s.run(["store", "export", "1", "-o", s.dir + "/x.pb.gz"])
        #expect(ex.status == 2)
        #expect(ex.stderr.contains("stored profile 1 is corrupt"), "\(ex.stderr)")
        let top = try s.run(["top", "store:branch=main"])
        #expect(top.status == 2)
        #expect(top.stderr.contains("is corrupt"), "\(top.stderr)")
    }

    @Test(arguments: StoreBackendKind.allCases)
    func aStoreFromANewerSchemaIsRefused(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("newer") else { return }
        #expect(try s.run(["store", "add", "--label", "branch=main", StoreFixtures.cpu]).status == 0)
        try s.sql(
            kind == .sqlite
                ? "INSERT INTO grdb_migrations (identifier) VALUES ('v99')"
                : "INSERT INTO flamegate_migrations (identifier) VALUES ('v99')")
        for args in [["store", "list"], ["store", "add", "--label", "branch=x", StoreFixtures.cpu2], ["top", "store:branch=main"]] {
            let r = try s.run(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("schema version v99, newer than this flamegate knows"), "\(r.stderr)")
        }
    }

    /// No --store and no FLAMEGATE_STORE: $XDG_DATA_HOME/flamegate/store.sqlite.
    @Test func theDefaultStoreIsUnderXDGDataHome() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-store-xdg-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        let env = ["XDG_DATA_HOME": dir, "FLAMEGATE_STORE": ""]
        let r = try TimedRun.run(Fixtures.binary, ["store", "add", "--label", "k=v", StoreFixtures.cpu], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/flamegate/store.sqlite"))
        // --store wins over the environment.
        let other = dir + "/other.sqlite"
        let r2 = try TimedRun.run(
            Fixtures.binary, ["store", "add", "--store", "sqlite:" + other, "--label", "k=v", StoreFixtures.cpu2], environment: env)
        #expect(r2.status == 0, "\(r2.stderr)")
        let l = try TimedRun.run(Fixtures.binary, ["store", "list", "--format", "json"], environment: env)
        #expect(l.stdout.contains("cpu.pb.gz") && !l.stdout.contains("cpu2.pb.gz"), "\(l.stdout)")
        // A store that is not there is not made by a reader.
        let missing = try TimedRun.run(Fixtures.binary, ["store", "list", "--store", dir + "/none.sqlite"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no store here"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/none.sqlite"))
    }
}
