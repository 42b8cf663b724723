import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Reading `go build -gcflags=-m` logs (Tests/Fixtures/escape, made by
/// Fixtures/escape/make-escape.sh) and joining them with an allocs profile.
@Suite struct GoEscapeTests {
    static func parse(_ text: String) throws -> EscapeReport {
        do throws(InputError) { return try GoEscape.parse(Array(text.utf8), source: "b.txt") } catch { throw error }
    }

    @Test func plainM() throws {
        let r = try GoEscape.read(Fixtures.path("escape/cand.m.txt"))
        #expect(!r.verbose)
        let m = try #require(r.findings.first { $0.line == 261 && $0.kind == .escapes })
        #expect(m.file == "main.go" && m.column == 11)
        #expect(m.expression == "make(map[string]int)")
        #expect(m.isMap && !m.isSlice)
        #expect(m.function == "")
        #expect(m.package == "flamegate.example/service")
        let inl = try #require(r.findings.first { $0.kind == .inline && $0.expression == "hashString" })
        #expect(inl.line == 282 && inl.function == "hashString")
        let moved = r.findings.filter { $0.kind == .movedToHeap }.map(\.expression)
        #expect(moved == ["done", "wg"])
        #expect(r.findings.contains { $0.kind == .doesNotEscape && $0.expression == "job" })
        #expect(r.findings.contains { $0.kind == .leakingParam && $0.expression == "region" })
        #expect(r.findings.contains { $0.kind == .inliningCall })
        let slice = try #require(r.findings.first { $0.line == 218 && $0.isHeap })
        #expect(slice.isSlice && slice.expression == "make([]lineItem, 0, len(qty))")
        // Standard-library positions keep their absolute path.
        #expect(r.findings.contains { $0.file.hasPrefix("/") && $0.file.hasSuffix("sync/atomic/type.go") })
        #expect(r.heapEscapes.count == 83)
    }

    @Test func verboseMM() throws {
        let r = try GoEscape.read(Fixtures.path("escape/cand.mm.txt"))
        #expect(r.verbose)
        let plain = try GoEscape.read(Fixtures.path("escape/cand.m.txt"))
        // -m -m repeats every -m finding: the same heap escapes, now with functions.
        #expect(r.heapEscapes.map(\.position) == plain.heapEscapes.map(\.position))
        let m = try #require(r.findings.first { $0.line == 261 && $0.kind == .escapes })
        #expect(m.function == "buildLineItemsRegress")
        #expect(m.explanation.first == "flow: m ← &{storage for make(map[string]int)}:")
        #expect(m.explanation.count == 5)
        let done = try #require(r.findings.first { $0.kind == .movedToHeap && $0.expression == "done" })
        #expect(done.function == "runLoad")
        #expect(done.explanation.contains("from done (captured by a closure) at ./main.go:392:23"))
        #expect(r.findings.first { $0.line == 226 && $0.expression == "items" }?.function == "payHandler.func1")
        // Every heap escape in main.go gets a function.
        #expect(r.heapEscapes.filter { $0.file == "main.go" && $0.function.isEmpty }.isEmpty)
        // "does not escape" lines without an explicit function are mapped to the declaration above.
        #expect(r.findings.first { $0.kind == .doesNotEscape && $0.expression == "job" }?.function == "scoreFraud")
        #expect(r.findings.first { $0.kind == .cannotInline && $0.function == "payHandler" }?.line == 200)
    }

    @Test func syntheticLines() throws {
        let r = try Self.parse(
            """
            # example.com/p
            ./x.go:12:6: can inline f
            ./x.go:20:2: moved to heap: buf
            ./x.go:21:13: []int{...} escapes to heap
            ./x.go:22:9: &T{...} does not escape
            ./x.go:23:7: leaking param: p to result ~r0 level=0
            ./x.go:24: old-style position without column
            ./x.go:21:13: []int{...} escapes to heap
            go: downloading nothing
            """)
        #expect(r.findings.count == 6)  // the duplicate line is dropped
        #expect(r.findings[1].kind == .movedToHeap && r.findings[1].expression == "buf")
        #expect(r.findings[2].isSlice && r.findings[2].kind == .escapes)
        #expect(r.findings[3].kind == .doesNotEscape && r.findings[3].expression == "&T{...}")
        #expect(r.findings[4].kind == .leakingParam && r.findings[4].expression == "p")
        #expect(r.findings[5].column == 0 && r.findings[5].kind == .other)
        #expect(r.findings.allSatisfy { $0.package == "example.com/p" })
    }

    @Test func unusableInput() {
        #expect(throws: InputError.self) { try Self.parse("") }
        do {
            _ = try Self.parse("hello\nworld\n")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("no compiler diagnostics"))
        }
    }

    @Test func diffMatchesByFunctionAndExpression() throws {
        let base = try GoEscape.read(Fixtures.path("escape/base.mm.txt"))
        let cand = try GoEscape.read(Fixtures.path("escape/cand.mm.txt"))
        let d = EscapeDiff.compare(base: base, cand: cand)
        // base is shifted by two lines everywhere: only the real changes show.
        #expect(d.added.map(\.expression) == ["make(map[string]int)"])
        #expect(d.added.first?.function == "buildLineItemsRegress" && d.added.first?.line == 261)
        #expect(d.removed.map(\.expression) == ["n"])
        #expect(d.removed.first?.function == "renderInvoice")
        #expect(d.unchanged == 82)
        // Plain -m: matched by file and expression.
        let dm = EscapeDiff.compare(
            base: try GoEscape.read(Fixtures.path("escape/base.m.txt")),
            cand: try GoEscape.read(Fixtures.path("escape/cand.m.txt")))
        #expect(dm.added.map(\.expression) == ["make(map[string]int)"])
        #expect(dm.removed.map(\.expression) == ["n"])
        // Identical logs: nothing changes.
        #expect(EscapeDiff.compare(base: cand, cand: cand).added.isEmpty)
    }

    @Test func joinWithAllocsProfile() throws {
        let p = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/allocs.pb.gz"))
        let sites = try AllocSites(profile: p, source: "allocs.pb.gz", files: ["main.go"])
        // Profile paths are absolute build paths; the log's ./main.go matches on its suffix.
        #expect(sites.files(matching: "./main.go").count == 1)
        #expect(sites.files(matching: "main.go").first?.hasSuffix("/Fixtures/go/service/main.go") == true)
        #expect(sites.files(matching: "ain.go").isEmpty)
        let rep = try #require(sites.heat(file: "main.go", line: 320))  // map[string]string{...} in reportHandler
        #expect(rep.space > 0 && rep.objects > 0)
        #expect(sites.isHot(rep, fraction: 0.01))
        // A caller's line is not charged with its callees' allocations.
        #expect(sites.heat(file: "main.go", line: 202) == nil)
        #expect(sites.totalSpace == p.totals()[try p.sampleIndex(named: "alloc_space")])
        // A CPU profile has no allocation sample type.
        let cpu = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        #expect(throws: InputError.self) { try AllocSites(profile: cpu, source: "cpu.pb.gz") }
    }

    /// `Tests/Fixtures/malformed/goescape/`: each a clean error.
    @Test(arguments: Fixtures.malformed("goescape"))
    func goescape(_ path: String) throws {
        let b = try Fixtures.bytes(atPath: path)
        #expect(throws: InputError.self) { _ = try GoEscape.parse(b, source: path) }
    }
}
