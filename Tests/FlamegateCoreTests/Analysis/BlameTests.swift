import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// blame on fixtures whose answer is known by construction: the "regress" Go service
/// builds a map per request in main.buildLineItemsRegress; its "fixed" twin reuses a
/// pre-sized map.
@Suite struct BlameTests {
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
}
