import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// blame, explain and diff on fixtures whose answer is known by construction: the
/// "regress" Go service builds a map per request in main.buildLineItemsRegress; its
/// "fixed" twin reuses a pre-sized map.
@Suite struct BlameExplainTests {
    static func profile(_ rel: String) throws -> Profile { try ProfileLoader.load([Fixtures.path("pprof/" + rel)]) }

    static let mapFrames =
        #"^runtime\.(makemap|makemap_small|hashGrow|growWork.*|evacuate.*|mapassign.*)$|^internal/runtime/maps\."#

    @Test(arguments: ["go1.27", "go1.19"])
    func mapWorkIsChargedToTheHandlerThatBuildsMaps(_ set: String) throws {
        var p = try Self.profile("\(set)/cpu.pb.gz")
        var f = FilterOptions()
        f.focus = Self.mapFrames
        _ = try ProfileFilter.apply(&p, f)
        let b = Blame(profile: p, sampleIndex: 1)
        let top = try #require(b.perUser.first)
        #expect(top.name == "main.buildLineItemsRegress")
        // Every row's entry is a runtime frame, never user code.
        #expect(b.rows.allSatisfy { Blame.UserCode.isGoStandardLibrary($0.entry) || !$0.entry.contains(".") })
        #expect(b.rows.contains { $0.user == "main.buildLineItemsRegress" && $0.entry.hasPrefix("runtime.mapassign") })
    }

    @Test func blameChargesEveryRuntimeLeafOnce() throws {
        let p = try Self.profile("go1.27/cpu.pb.gz")
        let b = Blame(profile: p, sampleIndex: 1)
        #expect(b.rows.reduce(0) { $0 + $1.value } == b.runtimeTotal)
        #expect(b.perUser.reduce(0) { $0 + $1.value } == b.runtimeTotal)
        #expect(b.runtimeTotal <= b.total)
        #expect(!b.perUser.contains { $0.name.hasPrefix("runtime.") || $0.name == "gcWriteBarrier" })
    }

    @Test func userCodeRule() {
        let u = Blame.UserCode()
        #expect(Blame.UserCode.isGoStandardLibrary("runtime.mallocgc"))
        #expect(Blame.UserCode.isGoStandardLibrary("internal/runtime/maps.(*Map).putSlotSmall"))
        #expect(Blame.UserCode.isGoStandardLibrary("encoding/json.(*encodeState).marshal"))
        #expect(!Blame.UserCode.isGoStandardLibrary("main.buildLineItemsRegress"))
        #expect(!Blame.UserCode.isGoStandardLibrary("github.com/acme/svc.(*Server).Handle"))
        #expect(!u.isUser(name: "malloc", mappingFile: "/usr/lib/x86_64-linux-gnu/libc.so.6"))
        #expect(!u.isUser(name: "swift_retain", mappingFile: "/opt/swift/usr/lib/swift/linux/libswiftCore.so"))
        #expect(!u.isUser(name: "do_syscall_64_[k]", mappingFile: ""))
        #expect(u.isUser(name: "encodeRecords", mappingFile: "/tmp/app"))
        let custom = Blame.UserCode(pattern: try! Pattern("^runtime\\.", option: "user"))
        #expect(custom.isUser(name: "runtime.mallocgc", mappingFile: ""))
    }

    @Test func foldRuntimeEndsStacksAtUserCode() throws {
        let p = try Self.profile("go1.27/cpu.pb.gz")
        let folded = Blame.foldRuntime(p)
        #expect(folded.totals() == p.totals())
        let nodes = NodeTable(profile: folded)
        let user = Blame.UserCode().adapted(to: folded)
        var changed = 0
        for i in 0..<folded.samples.count {
            let locs = folded.samples.locationRange(i)
            let original = p.samples.locationRange(i)
            if locs.count != original.count { changed += 1 }
            // If any user frame exists, the innermost frame is user code.
            var names: [(String, String)] = []
            for k in locs {
                let loc = Int(folded.samples.locations[k])
                let m = folded.locations[loc].mapping
                let file = m >= 0 ? folded.strings[folded.mappings[Int(m)].file] : ""
                for j in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                    names.append((nodes.names[Int(nodes.frames[j])], file))
                }
            }
            if names.contains(where: { user.isUser(name: $0.0, mappingFile: $0.1) }), let leaf = names.first {
                #expect(user.isUser(name: leaf.0, mappingFile: leaf.1), "leaf \(leaf.0)")
            }
        }
        #expect(changed > 0)
    }

    @Test(arguments: ["go1.27", "go1.19"])
    func mapFindingFiresOnTheRegressionOnly(_ set: String) throws {
        let rules = FindingRules.builtIn()
        let regress = Findings.evaluate(try Self.profile("\(set)/cpu.pb.gz"), rules: rules)
        let map = try #require(regress.first { $0.rule.id == "map-churn" })
        #expect(map.share >= map.rule.minShare)
        #expect(map.chargedTo.first?.name == "main.buildLineItemsRegress")
        #expect(!map.frames.isEmpty)
        if set == "go1.27" {
            let fixed = Findings.evaluate(try Self.profile("go1.27-fixed/cpu.pb.gz"), rules: rules)
            #expect(!fixed.contains { $0.rule.id == "map-churn" })
        }
    }

    @Test func builtInRulesParseAndCoverTheIssueList() {
        let ids = Set(FindingRules.builtIn().map(\.id))
        for id in [
            "map-churn", "gc-pressure", "scheduler-churn", "network-wait", "json-reflection", "lock-contention",
            "async-preemption", "syscalls",
        ] {
            #expect(ids.contains(id), "missing rule \(id)")
        }
    }

    @Test func userRulesExtendAndReplace() throws {
        let yaml = """
            rules:
              - id: gc-pressure
                title: Replaced
                frames: 'runtime\\.mallocgc'
                min_share: 1
              - id: sorting
                frames: '^sort\\.'
                min_share: 2
                meaning: Sorting on the hot path.
            """
        let user = try FindingRules.parse(yaml, source: "team.yml")
        let all = FindingRules.combined(user: user)
        #expect(all.filter { $0.id == "gc-pressure" }.map(\.title) == ["Replaced"])
        let found = Findings.evaluate(try Self.profile("go1.27/cpu.pb.gz"), rules: all)
        #expect(found.contains { $0.rule.id == "sorting" })
    }

    @Test func malformedRulesNameTheLineAndColumn() {
        func error(_ yaml: String) -> String {
            do {
                _ = try FindingRules.parse(yaml, source: "r.yml")
                return ""
            } catch { return error.description }
        }
        #expect(
            error("rules:\n  - id: a\n    frmes: x\n    min_share: 1\n").hasPrefix("r.yml:3:5: unknown key \"frmes\""))
        #expect(error("rules:\n  - id: a\n    frames: '('\n    min_share: 1\n").hasPrefix("r.yml:3:13:"))
        #expect(error("rules:\n  - id: a\n    frames: x\n    min_share: lots\n").contains("min_share must be a number"))
        #expect(error("rules: [\n").contains("invalid YAML"))
    }

    @Test func diffTableAgreesWithEachProfilesTop() throws {
        let base = try Self.profile("go1.27/cpu.pb.gz")
        let cand = try Self.profile("go1.27-fixed/cpu.pb.gz")
        let d = FunctionDiff(
            base: base, baseIndex: 1, candidate: cand, candidateIndex: 1, options: TableOptions(sampleIndex: 1))
        #expect(d.baseTotal == FunctionTable.reportTotal(base, 1))
        #expect(d.candTotal == FunctionTable.reportTotal(cand, 1))
        var o = TableOptions(sampleIndex: 1)
        o.nodeFraction = 0
        let bt = Dictionary(uniqueKeysWithValues: FunctionTable(profile: base, options: o).rows.map { ($0.name, $0) })
        let ct = Dictionary(uniqueKeysWithValues: FunctionTable(profile: cand, options: o).rows.map { ($0.name, $0) })
        let row = try #require(d.rows.first { $0.name == "main.buildLineItemsRegress" })
        #expect(row.baseCum == bt["main.buildLineItemsRegress"]?.cum)
        #expect(row.candCum == (ct["main.buildLineItemsRegress"]?.cum ?? 0))
        // Sorted by |flat delta|.
        #expect(zip(d.rows, d.rows.dropFirst()).allSatisfy { absSat($0.deltaFlat) >= absSat($1.deltaFlat) })
        let json = AnalysisText.diff(d, base: "b", candidate: "c", format: .json, limit: 5)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((obj?["rows"] as? [Any])?.count == d.rows.count)
    }

    @Test func cliCommandsRun() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let fixed = Fixtures.path("pprof/go1.27-fixed/cpu.pb.gz")
        let b = try Fixtures.run(["blame", cpu])
        #expect(b.status == 0)
        #expect(b.stdout.contains("main.buildLineItemsRegress"))
        let e = try Fixtures.run(["explain", "--format", "json", cpu])
        #expect(e.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any]
        let ids = (obj?["findings"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(ids.contains("map-churn"))
        let d = try Fixtures.run(["diff", "--nodecount", "5", cpu, fixed])
        #expect(d.status == 0)
        #expect(d.stdout.contains("Total: 3.49s → 3.27s"))
        let bad = try Fixtures.run(["explain", "--rules", "/nonexistent.yml", cpu])
        #expect(bad.status == 2)
        let svg = try Fixtures.run(["flame", "--blame", cpu, "-o", "-"])
        #expect(svg.status == 0)
        #expect(svg.stdout.contains("main.buildLineItemsRegress"))
        #expect(!svg.stdout.contains(">runtime.mapassign_faststr<"))
    }
}
