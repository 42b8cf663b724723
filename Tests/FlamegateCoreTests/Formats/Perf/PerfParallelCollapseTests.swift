import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// The two-thread fold (PerfParallelCollapse) against the serial one.
@Suite struct PerfParallelCollapseTests {
    /// Serial fold of a file: the reference behaviour.
    static func serial(_ path: String, _ options: PerfCollapseOptions) throws -> PerfCollapser {
        var c = PerfCollapser(options: options)
        try PerfScriptReader.forEachChunk(path: path) { c.feedLines($0, final: $1) }
        return c
    }

    /// The two-thread fold gives the serial result (and the same warnings' facts), split
    /// after the blank line nearest each of `fractions` of the file.
    static func expectParallelMatches(
        _ path: String, _ options: PerfCollapseOptions, fractions: [Double] = [0.5], _ label: String,
        requireSplit: Bool = false
    ) throws {
        let want = try serial(path, options)
        let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
        for f in fractions {
            // Copied in small reads; mapped in two-page windows; mapped whole.
            for (readSize, map, window) in [(1 << 12, false, 0), (1 << 12, true, 1 << 13), (1 << 20, true, 8 << 20)] {
                let near = Int(Double(size) * f)
                let result = try PerfParallelCollapse.collapse(
                    path: path, options: options, minimumBytes: 0, readSize: readSize, splitNear: near, map: map,
                    mapWindow: window)
                guard let (got, n) = result else {
                    #expect(!requireSplit, "no split: \(label) at \(f)")
                    continue
                }
                #expect(n == size, "\(label)")
                #expect(got.folded() == want.folded(), "\(label) split near \(f) read \(readSize) map \(map) \(window)")
                #expect(got.unrecognizedLines == want.unrecognizedLines, "\(label)")
                #expect(got.eventLines == want.eventLines, "\(label)")
                #expect(got.keptEvent == want.keptEvent, "\(label)")
                #expect(got.firstRejectedEvent == want.firstRejectedEvent, "\(label)")
                #expect(got.sawPeriod == want.sawPeriod && got.firstPeriod == want.firstPeriod, "\(label)")
                #expect(got.sawNulByte == want.sawNulByte, "\(label)")
                #expect(got.stackCount == want.stackCount, "\(label)")
            }
        }
    }

    /// Every reference input and option set: the split fold equals the serial one.
    @Test(arguments: PerfCollapseTests.rows)
    func parallelMatchesSerial(_ row: PerfCollapseTests.Row) throws {
        let options = PerfCollapseOptions(perlArguments: row.options)
        let path = Fixtures.path("perf/" + row.input)
        try Self.expectParallelMatches(path, options, fractions: [0.1, 0.5, 0.9], "\(row)")
        // And the result is the reference itself.
        if let (got, _) = try PerfParallelCollapse.collapse(path: path, options: options, minimumBytes: 0) {
            #expect(got.folded() == (try Fixtures.bytes("perf/" + row.reference)), "\(row)")
        }
    }

    /// `input` with every sample header's first number (pid or tid) raised by `shift`.
    static func shiftedPids(_ input: [UInt8], by shift: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 20)
        for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if let b = line.first, b != 0x23, b != 0x09, b != 0x20,
                let sp = line.firstIndex(of: 0x20),
                let d = line[sp...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }),
                line[sp..<d].allSatisfy({ $0 == 0x20 })
            {
                let e = line[d...].firstIndex(where: { !($0 >= 0x30 && $0 <= 0x39) }) ?? line.endIndex
                let n = (Int(String(decoding: line[d..<e], as: UTF8.self)) ?? 0) + shift
                out += line[line.startIndex..<d]
                out += Array(String(n).utf8)
                out += line[e...]
            } else {
                out += line
            }
            out.append(0x0A)
        }
        out.removeLast()
        return out
    }

    /// Several recordings one after another (pids shifted), written once for all option sets.
    static let concatenation = Result<String, any Error> {
        var all: [UInt8] = []
        for (k, name) in ["cwork", "cwork-multi", "gowork", "edge-events", "pywork", "edge-noframes", "swiftwork"]
            .enumerated()
        {
            all += Self.shiftedPids(try Fixtures.bytes("perf/\(name).perf.txt"), by: 100_000 * k)
            all += Array("\n".utf8)
        }
        return try Fixtures.tempFile("concat.perf.txt", all, group: "collapse")
    }

    /// Several recordings one after another (pids shifted), split at many places, with
    /// every option set (a case each); and multi-event inputs where the first event decides the filter.
    @Test(arguments: [[], ["--pid"], ["--tid", "--all", "--addrs"], ["--event-filter=task-clock"], ["--jit"]])
    func parallelMatchesSerialOnConcatenations(_ args: [String]) throws {
        let path = try Self.concatenation.get()
        let fractions = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]
        try Self.expectParallelMatches(
            path, PerfCollapseOptions(perlArguments: args), fractions: fractions, "concat \(args)",
            requireSplit: true)
    }

    @Test func parallelMultipleEvents() throws {
        let sample = { (comm: String, pid: Int, event: String, leaf: String) -> String in
            "\(comm) \(pid) [000] 1.000000: 250000 \(event): \n\t1 \(leaf)+0x1 (/opt/app/prog)\n\t2 main (/opt/app/prog)\n\n"
        }
        // The first event decides the filter; later parts have other events first.
        var a = ""
        for i in 0..<200 { a += sample("prog", 10 + i % 3, i % 5 == 0 ? "task-clock" : "cpu-clock", "f\(i % 7)") }
        for i in 0..<200 { a += sample("other", 20, i % 2 == 0 ? "task-clock" : "cycles:u", "g\(i % 4)") }
        // No event name in the first part (tracepoint payloads, period 1): the filter is only
        // chosen in the second part.
        var b = ""
        for i in 0..<300 {
            b += "prog 7 [000] 1.000000: 1 sched:sched_switch: prev=\(i)\n\t1 sw\(i % 5) (/k)\n\n"
        }
        for i in 0..<300 { b += sample("late", 8, i % 3 == 0 ? "cycles" : "instructions", "h\(i % 6)") }
        // A sample left open (no blank line) right before other event lines, and comments.
        var c = "# header\n" + sample("x", 1, "cpu-clock", "a")
        c += "x 1 [000] 1.0: 5 cpu-clock: \n\t1 glued (/p)\n"
        c += "y 2 [000] 1.0: 7 task-clock: \n\t1 filtered (/p)\n\n"
        for i in 0..<100 { c += sample("z", i, "cpu-clock", "k\(i % 9)") + "# between\n" }
        for (name, text) in [("a", a), ("b", b), ("c", c)] {
            let path = try Fixtures.tempFile("multi-\(name).perf.txt", Array(text.utf8), group: "collapse")
            for args in [[], ["--tid"], ["--event-filter=task-clock"], ["--event-filter", "cycles"]] {
                try Self.expectParallelMatches(
                    path, PerfCollapseOptions(perlArguments: args), fractions: [0.1, 0.3, 0.5, 0.7, 0.9],
                    "multi-\(name) \(args)", requireSplit: true)
            }
        }
    }
}
