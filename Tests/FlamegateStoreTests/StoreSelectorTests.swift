import FlamegateTestSupport
import Foundation
import Testing

/// `store:` selectors wherever a profile goes: merged as pprof merges several files, and
/// the gate's repeated runs.
@Suite(.timeLimit(.minutes(1))) struct StoreSelectorTests {
    @Test(arguments: StoreBackendKind.allCases)
    func aSelectorReadsAsTheMergedFiles(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("selmerge") else { return }
        try MapChurnSeries.add(s, seqs: Array(1...24))
        let e = MapChurnSeries.entries
        // last=3: the newest three by the profiles' own time.
        let fromStore = try s.run(["top", "store:branch=main,service=pay,last=3"])
        let fromFiles = try s.run(["top"] + e[21...23].map(\.path))
        #expect(fromStore.status == 0, "\(fromStore.stderr)")
        #expect(fromStore.stdout == fromFiles.stdout)
        // commit=… is a label: one profile.
        let one = try s.run(["top", "store:commit=\(e[4].commit)"])
        #expect(one.stdout == (try s.run(["top", e[4].path])).stdout)
        // since=TIME: that profile and the later ones.
        let rows = try s.list()
        let t = try #require(rows.first { ($0["labels"] as? [String: String])?["commit_seq"] == "20" }?["time"] as? String)
        let since = try s.run(["top", "store:branch=main,since=\(t)"])
        #expect(since.stdout == (try s.run(["top"] + e[19...23].map(\.path))).stdout)
        // A single-input reader takes a selector that matches one profile.
        let info = try s.run(["info", "store:commit_seq=7"])
        #expect(info.status == 0, "\(info.stderr)")
        // The same facts; only the "Source:" line names what was typed.
        let fileInfo = try s.run(["info", e[6].path]).stdout
        #expect(info.stdout.hasPrefix("Source: store:commit_seq=7\n"), "\(info.stdout)")
        #expect(info.stdout.split(separator: "\n").dropFirst() == fileInfo.split(separator: "\n").dropFirst())
    }

    @Test(arguments: StoreBackendKind.allCases)
    func aSelectorThatMatchesNothingIsAnError(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("selnone") else { return }
        try MapChurnSeries.add(s, seqs: [1])
        let none = try s.run(["top", "store:branch=release"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("store:branch=release: matches no stored profile"), "\(none.stderr)")
        for bad in ["store:branch", "store:last=0", "store:since=yesterday-ish", "store:id=x"] {
            let r = try s.run(["top", bad])
            #expect(r.status == 2, "\(bad)")
            #expect(r.stderr.hasPrefix("flamegate: \(bad)"), "\(r.stderr)")
        }
        let many = try s.run(["info", "store:branch=main"])
        #expect(many.status == 0)
        try MapChurnSeries.add(s, seqs: [2])
        let two = try s.run(["info", "store:branch=main"])
        #expect(two.status == 2)
        #expect(two.stderr.contains("matches 2 stored profiles where one is read"), "\(two.stderr)")
    }

    static let rules = """
        rules:
          - name: map work
            kind: profile
            frames: '^(runtime\\.map|internal/runtime/maps\\.)'
            measure: cum
            compare: share
            threshold: 10
            allow_no_match: true          # a PR without map work against a main without it
        """

    /// The CI recipe: main's profiles are stored on each merge; a PR's runs are
    /// gated against `store:branch=main,last=5`, each stored profile one run of the U test.
    @Test(arguments: StoreBackendKind.allCases)
    func theGateReadsItsBaselineFromTheStore(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("gate") else { return }
        try MapChurnSeries.add(s, seqs: Array(1...14))
        let rules = s.dir + "/gate.yml"
        try Self.rules.write(toFile: rules, atomically: true, encoding: .utf8)
        let e = MapChurnSeries.entries
        // A PR that adds map churn: five runs against main's newest five.
        let json = s.dir + "/gate.json"
        let fail = try s.run([
            "gate", "--rules", rules, "--base", "store:branch=main,service=pay,last=5", "--candidate",
        ] + e[14...18].map(\.path) + ["--json", json])
        #expect(fail.status == 1, "\(fail.stdout)\(fail.stderr)")
        let report = try String(contentsOfFile: json, encoding: .utf8)
        // Five stored runs were the base (ids of seq 10…14 in the store).
        let ids = try s.list().filter { Int(($0["labels"] as? [String: String])?["commit_seq"] ?? "0")! >= 10 }.map { $0["id"] as! Int }
        #expect(ids.count == 5)
        for id in ids { #expect(report.contains("store:id=\(id)"), "\(report)") }
        #expect(fail.stdout.contains("map work"), "\(fail.stdout)")
        // A PR without churn passes against the same baseline.
        let pass = try s.run(["gate", "--rules", rules, "--base", "store:branch=main,last=5", "--candidate"] + e[0...4].map(\.path))
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        // A baseline that is not there fails closed.
        let missing = try s.run(["gate", "--rules", rules, "--base", "store:branch=nope,last=5", "--candidate", e[0].path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("matches no stored profile"), "\(missing.stderr)")
    }

    /// `--store` on any command that reads profiles names the store its selectors read,
    /// before FLAMEGATE_STORE; a bad one stops the command with one line (exit 2).
    @Test(arguments: StoreBackendKind.allCases)
    func theStoreOptionNamesTheStoreOfSelectors(_ kind: StoreBackendKind) throws {
        guard let s = try kind.freshStore("storeopt") else { return }
        try MapChurnSeries.add(s, seqs: Array(1...14))
        let e = MapChurnSeries.entries
        // FLAMEGATE_STORE names a store that isn't there: only --store can make these work.
        let env = ["FLAMEGATE_STORE": "sqlite:" + s.dir + "/absent.sqlite"]
        func run(_ args: [String]) throws -> TimedRun.Result { try TimedRun.run(Fixtures.binary, args, environment: env) }
        let files = try run(["top"] + e[11...13].map(\.path))
        #expect(files.status == 0, "\(files.stderr)")
        for args in [
            ["top", "--store", s.spec, "store:branch=main,service=pay,last=3"],
            ["top", "store:branch=main,last=3", "--store=\(s.spec)"],
            ["--store", s.spec, "-top", "store:branch=main,last=3"],  // pprof's spelling
        ] {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout == files.stdout, "\(args)")
        }
        let tree = try run(["tree", "--store", s.spec, "store:branch=main,last=3"])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(tree.stdout == (try run(["tree"] + e[11...13].map(\.path))).stdout)
        // Without --store, FLAMEGATE_STORE is the store (here: none).
        let fromEnv = try run(["top", "store:branch=main,last=3"])
        #expect(fromEnv.status == 2)
        #expect(fromEnv.stderr.contains("absent.sqlite: no store here"), "\(fromEnv.stderr)")
        // The gate's baseline from --store.
        let rules = s.dir + "/gate.yml"
        try Self.rules.write(toFile: rules, atomically: true, encoding: .utf8)
        let gate = try run([
            "gate", "--store", s.spec, "--rules", rules, "--base", "store:branch=main,last=5", "--candidate",
        ] + e[14...18].map(\.path))
        #expect(gate.status == 1, "\(gate.stdout)\(gate.stderr)")
        #expect(gate.stdout.contains("map work"), "\(gate.stdout)")
        // The store commands take it before or after their name.
        let list = try run(["--store", s.spec, "store", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").count == 15)
        // A bad --store: one line, exit 2, whichever command.
        for (args, start) in [
            (["top", "--store", "mysql://db/x", "store:branch=main"], "flamegate: mysql://db/x: unknown store"),
            (["gate", "--rules", rules, "--base", "store:branch=main", "--candidate", e[0].path, "--store=sqlite:"], "flamegate: sqlite:: expected sqlite:PATH"),
            (["top", e[0].path, "--store"], "flamegate: --store: expected sqlite:PATH or postgres://"),
        ] {
            let r = try run(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.hasPrefix(start) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }
}
