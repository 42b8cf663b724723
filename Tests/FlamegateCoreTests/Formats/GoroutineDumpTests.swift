import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Goroutine dumps (`/debug/pprof/goroutine?debug=2`) captured from Fixtures/go/service
/// by Fixtures/goroutine/capture.sh.
@Suite struct GoroutineDumpTests {
    static let dumps = ["go1.19-busy.txt", "go1.19-idle.txt", "go1.27-busy.txt", "go1.27-idle.txt"]

    static func headers(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("goroutine ") }.map(String.init)
    }

    func labels(_ p: Profile, _ i: Int) -> [String: String] {
        var out: [String: String] = [:]
        for k in p.samples.labelRange(i) {
            let l = p.samples.labels[k]
            out[p.strings[l.key]] = l.isString ? p.strings[l.str] : "\(l.num) \(p.strings[l.unit])"
        }
        return out
    }

    func stack(_ p: Profile, _ i: Int) -> [String] {
        p.samples.locationRange(i).map { k in
            p.functionName(p.lines(ofLocation: Int(p.samples.locations[k])).first!.function)
        }
    }

    @Test(arguments: dumps)
    func parsesEveryGoroutine(_ name: String) throws {
        let path = Fixtures.path("goroutine/" + name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let p = try ProfileInput.readAny(path)
        #expect(p.sampleTypes == [ValueType(type: "goroutine", unit: "count")])
        let headers = Self.headers(text)
        #expect(p.totals()[0] == Int64(headers.count))
        // Counts per wait state match the headers.
        var want: [String: Int64] = [:]
        for h in headers {
            let inside = h[h.range(of: "[")!.upperBound..<h.range(of: "]:", options: .backwards)!.lowerBound]
            want[String(inside.split(separator: ",")[0]), default: 0] += 1
        }
        var got: [String: Int64] = [:]
        for i in 0..<p.samples.count {
            let st = try #require(labels(p, i)["state"])
            got[st, default: 0] += p.samples.value(i, 0)
            // The root frame is the wait state.
            #expect(stack(p, i).last == "[\(st)]")
        }
        #expect(got == want)
    }

    @Test func keepsFunctionsFilesLinesAndCreators() throws {
        let p = try ProfileInput.readAny(Fixtures.path("goroutine/go1.27-busy.txt"))
        // Both fraud workers park in the same place: one sample, value 2.
        let i = try #require(
            (0..<p.samples.count).first {
                stack(p, $0).first == "main.startFraudWorkers.func1" && labels(p, $0)["state"] == "chan receive"
            })
        #expect(p.samples.value(i, 0) == 2)
        #expect(labels(p, i)["created_by"] == "main.startFraudWorkers")
        let loc = Int(p.samples.locations[p.samples.locationRange(i).first!])
        let line = p.lines(ofLocation: loc).first!
        #expect(line.line == 146)
        #expect(p.strings[p.functions[Int(line.function)].filename].hasSuffix("Fixtures/go/service/main.go"))
        // Method names keep their receivers, arguments are gone.
        let names = Set(p.functions.map { p.strings[$0.name] })
        #expect(names.contains("net/http.(*conn).serve"))
        #expect(names.contains("internal/poll.runtime_pollWait"))
        #expect(!names.contains { $0.contains("0x") })
    }

    @Test func waitMinutesAreALabel() throws {
        for name in ["go1.19-idle.txt", "go1.27-idle.txt"] {
            let p = try ProfileInput.readAny(Fixtures.path("goroutine/" + name))
            let waits = (0..<p.samples.count).compactMap { labels(p, $0)["wait"] }
            #expect(waits.contains("1 minutes"), "\(name)")
            let main = try #require((0..<p.samples.count).first { stack(p, $0).first == "main.main" }, "\(name)")
            #expect(labels(p, main)["state"] == "select")
            #expect(labels(p, main)["wait"] == "1 minutes")
        }
    }

    @Test func leakShapedDump() throws {
        let p = try GoroutineDump.profile(Array(SampleInputs.goroutineLeak.utf8), source: "leak.txt")
        #expect(p.totals() == [5])
        // Same stack, state and minutes: one sample.
        let workers = (0..<p.samples.count).filter { stack(p, $0).first == "main.worker" }
        #expect(workers.map { p.samples.value($0, 0) }.sorted() == [1, 2])
        let twelve = try #require(workers.first { labels(p, $0)["wait"] == "12 minutes" })
        #expect(p.samples.value(twelve, 0) == 2)
        #expect(labels(p, twelve)["created_by"] == "main.spawn")
        let sem = try #require((0..<p.samples.count).first { labels(p, $0)["state"] == "semacquire" })
        #expect(stack(p, sem) == ["sync.runtime_SemacquireMutex", "sync.(*Mutex).lockSlow", "[semacquire]"])
        #expect(labels(p, sem)["wait"] == "1 minutes")

    }

    @Test func detectionDoesNotMisfire() throws {
        for rel in ["perf/cwork.perf.txt", "perf/cwork.collapsed.default.txt"] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(rel))))
            #expect(!GoroutineDump.recognizes(bytes), "\(rel)")
        }
        #expect(!GoroutineDump.recognizes(Array("goroutine profile: total 4\n".utf8)))
        #expect(!GoroutineDump.recognizes(Array("goroutine x [running]:\n".utf8)))
        #expect(GoroutineDump.recognizes(Array("\n goroutine 1 [running]:\r\n".utf8)))
    }

    @Test func malformedDumpsNeverTrap() throws {
        let text = Array(SampleInputs.goroutineLeak.utf8)
        // Every prefix, and a few corruptions: parse or throw, never trap.
        for n in stride(from: 0, through: text.count, by: 7) {
            _ = try? GoroutineDump.profile(Array(text[0..<n]), source: "cut")
        }
        var corrupt = text
        for i in stride(from: 3, to: corrupt.count, by: 13) {
            corrupt[i] = [0x28, 0x29, 0x5B, 0x5D, 0x3A, 0x09, 0x0A][i % 7]
        }
        _ = try? GoroutineDump.profile(corrupt, source: "corrupt")
        let weird =
            "goroutine 1 []:\ngoroutine 2 [a, b, c, 99999999999999999999 minutes]:\n(\n)\n\t:\n\t:x +0x\ncreated by \n\n"
        _ = try? GoroutineDump.profile(Array(weird.utf8), source: "weird")
        #expect(throws: InputError.self) { try GoroutineDump.profile(Array("hello".utf8), source: "x") }
    }

    /// `Tests/Fixtures/malformed/goroutine/`: each a clean error.
    @Test(arguments: Fixtures.malformed("goroutine"))
    func goroutine(_ path: String) throws {
        let b = try Fixtures.bytes(atPath: path)
        #expect(throws: InputError.self) { _ = try GoroutineDump.profile(b, source: path) }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }
}
