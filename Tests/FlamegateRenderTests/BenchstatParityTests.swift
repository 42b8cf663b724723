import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// `bench compare` against benchstat's own answers: Tests/Fixtures/bench/benchstat holds
/// pairs of `go test -bench` files (Fixtures/bench/make-benchstat-pairs.py) and what
/// golang.org/x/perf/cmd/benchstat printed for them, as text and as `-format csv`
/// (Fixtures/bench/run-benchstat.sh; VERSION names benchstat's commit). Every pair is also
/// run the other way round (`NAME.swapped`).
///
/// Compared: centers (exactly, from the CSV's full-precision numbers), interval cells, p to
/// the printed precision, `~` verdicts, delta cells, the geomean row, and `renderText`'s
/// cells and footnotes against the text. The one deliberate difference (docs/benchstat.md):
/// with ties, an exact test and the base above the candidate (U1 > U2), benchstat's p comes
/// from the other tail of an asymmetric distribution; there Flamegate's p must equal what
/// benchstat prints for the same pair swapped, capped at 1 (benchstat can print p > 1).
@Suite struct BenchstatParityTests {
    struct Run: CustomStringConvertible, Sendable {
        var name: String
        var base: String
        var cand: String
        var alpha: Double
        var description: String { name }
        /// The same pair the other way round.
        var mirror: String { name.hasSuffix(".swapped") ? String(name.dropLast(".swapped".count)) : name + ".swapped" }
    }

    static let dir = "bench/benchstat/"

    static let runs: [Run] = {
        guard let text = try? Fixtures.read(dir + "MANIFEST.tsv") else { return [] }
        return text.split(separator: "\n").compactMap { line -> Run? in
            if line.hasPrefix("#") { return nil }
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 4, let a = Double(f[3]) else { return nil }
            return Run(name: f[0], base: f[1], cand: f[2], alpha: a)
        }
    }()

    // MARK: benchstat's CSV

    struct RefRow {
        var name: String
        var baseCenter: String
        var baseCI: String
        var candCenter: String
        var candCI: String
        var delta: String
        var note: String  // "p=0.132 n=6", "n=8+6"
    }

    struct RefTable {
        var unit: String
        var rows: [RefRow]
        var geomean: RefRow
    }

    /// benchstat -format csv: per unit a block `,base,,cand,,,` / `,unit,CI,unit,CI,vs base,P`
    /// / rows / `geomean,…`, blocks separated by blank lines, configuration lines before.
    static func parseCSV(_ text: String) -> [RefTable] {
        var tables: [RefTable] = []
        var block: [[String]] = []
        func flush() {
            defer { block = [] }
            guard block.count >= 3 else { return }
            let rows = block[2...].map { f -> RefRow in
                let g = f + Array(repeating: "", count: max(0, 7 - f.count))
                return RefRow(
                    name: g[0], baseCenter: g[1], baseCI: g[2], candCenter: g[3], candCI: g[4], delta: g[5], note: g[6])
            }
            tables.append(RefTable(unit: block[1][1], rows: Array(rows.dropLast()), geomean: rows.last!))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                flush()
                continue
            }
            if block.isEmpty && !line.hasPrefix(",") { continue }
            block.append(line.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        }
        flush()
        return tables
    }

    static func ours(_ run: Run) throws -> (tables: [BenchTable], base: GoBenchFile, cand: GoBenchFile) {
        let b = try GoBench.read(Fixtures.path(dir + run.base))
        let c = try GoBench.read(Fixtures.path(dir + run.cand))
        return (BenchCompare.compare(base: b, cand: c, alpha: run.alpha), b, c)
    }

    /// The p benchstat printed in a "p=0.053 n=7+5" note (0 when it printed none).
    static func printedP(_ note: String) -> Double? {
        guard note.hasPrefix("p=") else { return note.hasPrefix("n=") ? 0 : nil }
        return Double(note.dropFirst(2).prefix { $0 != " " })
    }

    /// The rows where Flamegate deliberately differs: an exact test with ties and U1 > U2.
    static func takesOtherTail(_ c: Statistics.Comparison) -> Bool {
        guard let t = c.test, t.method == .exactTies else { return false }
        return t.u1 > t.u
    }

    static func pCell(_ p: Double) -> String { Units.cFormat("%0.3f", p) }

    /// "unit name" of the rows where the p differs by design: the other tail, or benchstat's
    /// p above 1.
    static func deliberateRows(_ run: Run, _ tables: [BenchTable]) throws -> Set<String> {
        let ref = parseCSV(try Fixtures.read(dir + run.name + ".benchstat.csv"))
        var out = Set<String>()
        for t in tables {
            for r in t.rows {
                guard let c = r.comparison else { continue }
                let note = ref.first { $0.unit == t.unit }?.rows.first { $0.name == r.name }?.note ?? ""
                if takesOtherTail(c) || (printedP(note) ?? 0) > 1 { out.insert(t.unit + " " + r.name) }
            }
        }
        return out
    }

    // MARK: numbers

    @Test func manifestIsComplete() {
        #expect(Self.runs.count >= 30)
        for r in Self.runs { #expect(Self.runs.contains { $0.name == r.mirror }, "\(r.name) has no mirror run") }
    }

    @Test(arguments: runs) func numbersMatchBenchstat(_ run: Run) throws {
        let (tables, _, _) = try Self.ours(run)
        let ref = Self.parseCSV(try Fixtures.read(Self.dir + run.name + ".benchstat.csv"))
        let mirror = Self.parseCSV(try Fixtures.read(Self.dir + run.mirror + ".benchstat.csv"))
        #expect(tables.map(\.unit) == ref.map(\.unit))
        for (t, r) in zip(tables, ref) {
            #expect(t.rows.map(\.name) == r.rows.map(\.name), "\(t.unit)")
            for (row, rr) in zip(t.rows, r.rows) {
                let at = "\(run.name) \(t.unit) \(row.name)"
                // Centers are computed in benchstat's steps: equal to the last bit.
                #expect(row.base?.center == Double(rr.baseCenter), "\(at) base center")
                #expect(row.cand?.center == Double(rr.candCenter), "\(at) cand center")
                #expect((row.base?.spreadLabel ?? "") == rr.baseCI, "\(at) base CI")
                #expect((row.cand?.spreadLabel ?? "") == rr.candCI, "\(at) cand CI")
                guard let cmp = row.comparison else {
                    #expect(rr.delta.isEmpty && rr.note.isEmpty, "\(at)")
                    continue
                }
                let refP = try #require(Self.printedP(rr.note), "\(at): \(rr.note)")
                if Self.takesOtherTail(cmp) || refP > 1 {
                    // Deliberate: the p benchstat gives the swapped pair, capped at 1.
                    let m = try #require(
                        mirror.first { $0.unit == t.unit }?.rows.first { $0.name == row.name }, "\(at) in mirror")
                    let mirrorP = try #require(Self.printedP(m.note))
                    let expected = min(1, Self.takesOtherTail(cmp) ? mirrorP : refP)
                    #expect(Self.pCell(cmp.p) == Self.pCell(expected), "\(at): p \(cmp.p), benchstat swapped \(m.note)")
                    #expect(cmp.significant == (expected <= run.alpha), "\(at) verdict")
                    continue
                }
                #expect(cmp.pLabel == "(" + rr.note + ")", "\(at): p \(cmp.p)")
                #expect(cmp.deltaLabel == rr.delta, "\(at) delta")
                #expect(cmp.significant == (rr.delta != "~"), "\(at) verdict")
            }
            // The geomean row (benchstat's CSV has it even for one benchmark).
            let g = r.geomean
            let at = "\(run.name) \(t.unit) geomean"
            #expect((t.geomeanBase == nil) == g.baseCenter.isEmpty, "\(at) base")
            #expect((t.geomeanCand == nil) == g.candCenter.isEmpty, "\(at) cand")
            if let b = t.geomeanBase, let rb = Double(g.baseCenter) { #expect(abs(b / rb - 1) < 1e-13, "\(at) base") }
            if let c = t.geomeanCand, let rc = Double(g.candCenter) { #expect(abs(c / rc - 1) < 1e-13, "\(at) cand") }
            let ratio = t.geomeanRatio.map { Units.cFormat("%+.2f", ($0 - 1) * 100) + "%" } ?? "?"
            // Rows whose p differs change no ratio: the geomean row has no test.
            #expect(ratio == g.delta, "\(at) ratio")
        }
    }

    // MARK: text

    /// One table of benchstat-style text: unit, rows as whitespace-separated tokens with
    /// footnote marks replaced by their messages, so that numbering shifts do not matter.
    struct TextTableRef: Equatable {
        var unit: String
        var rows: [[String]]
    }

    static func parseText(_ text: String) -> [TextTableRef] {
        let supers = Set("⁰¹²³⁴⁵⁶⁷⁸⁹")
        var out: [TextTableRef] = []
        for block in text.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map(String.init).filter {
                $0.contains("│") || !$0.contains(": ") || $0.first.map(supers.contains) == true
            }
            let header = lines.filter { $0.contains("│") }
            guard header.count >= 2 else { continue }
            let unit = header[1].split(separator: "│")[1].trimmingCharacters(in: .whitespaces)
            var notes: [String: String] = [:]
            var rows: [[String]] = []
            for l in lines where !l.contains("│") {
                if let f = l.first, supers.contains(f) {
                    let parts = l.split(separator: " ", maxSplits: 1)
                    notes[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
                } else {
                    rows.append(l.split(separator: " ").map(String.init))
                }
            }
            rows = rows.map {
                $0.map { tok in tok.allSatisfy(supers.contains) ? "[" + (notes[tok] ?? tok) + "]" : tok }
            }
            out.append(TextTableRef(unit: unit, rows: rows))
        }
        return out
    }

    @Test(arguments: runs) func textMatchesBenchstat(_ run: Run) throws {
        let (tables, b, c) = try Self.ours(run)
        let text = BenchCompare.renderText(tables, base: b, cand: c, alpha: run.alpha)
        let refText = try Fixtures.read(Self.dir + run.name + ".benchstat.txt")
        let deliberate = try Self.deliberateRows(run, tables)
        if deliberate.isEmpty {
            // Same cells, same layout: benchstat's text to the byte.
            #expect(text == refText)
            return
        }
        let ours = Self.parseText(text)
        let ref = Self.parseText(refText)
        #expect(ours.map(\.unit) == ref.map(\.unit))
        for (o, r) in zip(ours, ref) {
            #expect(o.rows.count == r.rows.count, "\(o.unit)")
            for (orow, rrow) in zip(o.rows, r.rows) {
                if deliberate.contains(o.unit + " " + (orow.first ?? "")) {
                    // The verdict and p differ by design (checked above); the summaries do not.
                    let cut = { (row: [String]) in Array(row.prefix(while: { !$0.hasPrefix("(") }).dropLast()) }
                    #expect(cut(orow) == cut(rrow), "\(run.name) \(o.unit)")
                } else {
                    #expect(orow == rrow, "\(run.name) \(o.unit)")
                }
            }
        }
    }

    // MARK: the deliberate difference, shown

    @Test func lopsidedTiesTakeTheTailTheDataAreIn() throws {
        // Issue 14's example: base allocs 3,3,3,3,3,2,2 against 2,2,2,2,2.
        let run = try #require(Self.runs.first { $0.name == "lopsided" })
        let (tables, _, _) = try Self.ours(run)
        let allocs = try #require(tables.first { $0.unit == "allocs/op" })
        let row = try #require(allocs.rows.first { $0.name == "Lopsided0-8" }?.comparison)
        let ref = Self.parseCSV(try Fixtures.read(Self.dir + "lopsided.benchstat.csv"))
        let swapped = Self.parseCSV(try Fixtures.read(Self.dir + "lopsided.swapped.benchstat.csv"))
        let refRow = try #require(ref.first { $0.unit == "allocs/op" }?.rows.first { $0.name == "Lopsided0-8" })
        let swappedRow = try #require(swapped.first { $0.unit == "allocs/op" }?.rows.first { $0.name == "Lopsided0-8" })
        // benchstat: P(U1 ≤ U2)·2 = 0.0025, "-33.33%"; the other way round it says 0.053.
        #expect(refRow.note == "p=0.003 n=7+5" && refRow.delta == "-33.33%")
        #expect(swappedRow.note == "p=0.053 n=5+7" && swappedRow.delta == "~")
        // Flamegate: P(U1 ≥ observed)·2 = 35/660 = 0.053 either way round, and no change.
        #expect(abs(row.p - 35.0 / 660) < 1e-12)
        #expect(row.deltaLabel == "~")
        let x: [Double] = [3, 3, 3, 3, 3, 2, 2]
        let y: [Double] = [2, 2, 2, 2, 2]
        #expect(Statistics.mannWhitney(y, x)?.p == Statistics.mannWhitney(x, y)?.p)

        // Two distinct values, the base all 3s: benchstat prints no p at all (p=0) and a
        // "0.00%" change; the permutation test says 0.33.
        let zero = try #require(ref.first { $0.unit == "allocs/op" }?.rows.first { $0.name == "Lopsided2-8" })
        #expect(zero.note == "n=8+6" && zero.delta == "0.00%")
        let mine = try #require(allocs.rows.first { $0.name == "Lopsided2-8" }?.comparison)
        #expect(Self.pCell(mine.p) == "0.330" && mine.deltaLabel == "~")
    }

    // MARK: coverage of the fixtures

    @Test func fixturesCoverTheIssue() throws {
        var ties = 0
        var exactTies = 0
        var unequal = 0
        var nearAlpha = 0
        var sizes = Set<Int>()
        var compared = 0
        var same = 0
        var differ = 0
        var tiesSame = 0
        var nearAlphaSame = 0
        for run in Self.runs where !run.name.hasSuffix(".swapped") {
            let (tables, _, _) = try Self.ours(run)
            let ref = Self.parseCSV(try Fixtures.read(Self.dir + run.name + ".benchstat.csv"))
            for t in tables {
                for r in t.rows {
                    guard let c = r.comparison, let test = c.test else { continue }
                    compared += 1
                    let rr = ref.first { $0.unit == t.unit }?.rows.first { $0.name == r.name }
                    let equal = c.pLabel == "(" + (rr?.note ?? "") + ")" && c.deltaLabel == rr?.delta
                    if equal { same += 1 } else { differ += 1 }
                    if equal && test.hasTies { tiesSame += 1 }
                    if equal && abs(c.p - run.alpha) <= 0.02 { nearAlphaSame += 1 }
                    sizes.insert(test.n1)
                    sizes.insert(test.n2)
                    if test.n1 != test.n2 { unequal += 1 }
                    if abs(c.p - run.alpha) <= 0.02 { nearAlpha += 1 }
                    if test.method == .exactTies { exactTies += 1 }
                    if test.hasTies { ties += 1 }
                }
            }
        }
        // At this writing: 329 comparisons (the swapped runs not counted), 290 printed exactly
        // as benchstat prints them — 162 of them with ties, 46 within 0.02 of alpha — and 39
        // the deliberate difference (each checked against the swapped run above); 201 with
        // ties (140 exact), 165 with unequal n, n from 1 to 60.
        #expect(compared >= 300)
        #expect(same >= 280)
        #expect(tiesSame >= 40)
        #expect(nearAlphaSame >= 10)
        #expect(ties >= 40)
        #expect(exactTies >= 40)
        #expect(unequal >= 40)
        #expect(nearAlpha >= 10)
        #expect(sizes.contains(4) && sizes.contains(60))
        #expect((4...60).filter { sizes.contains($0) }.count >= 25)
    }
}

/// `bench compare --format json` carries what the text shows: per row the medians, the
/// change, p and the verdict; per table benchstat's geomean row.
@Suite struct BenchJSONParityTests {
    @Test func jsonCarriesMediansChangePAndVerdict() throws {
        let dir = Fixtures.path("bench/benchstat/")
        let r = try Fixtures.run([
            "bench", "compare", "--format", "json", dir + "lopsided.base.txt", dir + "lopsided.cand.txt",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let tables = try #require(obj["tables"] as? [[String: Any]])
        #expect(tables.compactMap { $0["unit"] as? String } == ["sec/op", "B/op", "allocs/op"])
        let allocs = try #require(tables.first { $0["unit"] as? String == "allocs/op" })
        let rows = try #require(allocs["rows"] as? [[String: Any]])
        #expect(rows.count == 9)
        for row in rows {
            let base = try #require(row["base"] as? [String: Any])
            let cand = try #require(row["candidate"] as? [String: Any])
            #expect(base["median"] is Double && cand["median"] is Double)
            #expect(row["delta"] is Double && row["p"] is Double)
            #expect(row["significant"] is Bool && row["label"] is String && row["p_label"] is String)
        }
        let first = try #require(rows.first)
        #expect((first["base"] as? [String: Any])?["median"] as? Double == 3)
        #expect((first["candidate"] as? [String: Any])?["median"] as? Double == 2)
        #expect(abs((first["p"] as? Double ?? 0) - 35.0 / 660) < 1e-6)
        #expect(first["significant"] as? Bool == false && first["label"] as? String == "~")
        #expect(first["p_label"] as? String == "(p=0.053 n=7+5)")
        #expect(first["notes"] as? [String] == ["need >= 6 samples for confidence interval at level 0.95"])
        let geo = try #require(allocs["geomean"] as? [String: Any])
        #expect(abs((geo["base"] as? Double ?? 0) - 3.67567) < 1e-4)
        #expect(abs((geo["delta"] as? Double ?? 0) + 0.0725) < 1e-4)  // benchstat: -7.25%

        // A base of 0 under a non-zero candidate: no ratio, no geomean of centers — and the
        // notes say why, as benchstat's footnotes do.
        let z = try Fixtures.run([
            "bench", "compare", "--format", "json", dir + "geomean-base0.base.txt", dir + "geomean-base0.cand.txt",
        ])
        let zobj = try #require(JSONSerialization.jsonObject(with: Data(z.stdout.utf8)) as? [String: Any])
        let zb = try #require((zobj["tables"] as? [[String: Any]])?.first { $0["unit"] as? String == "B/op" })
        let zg = try #require(zb["geomean"] as? [String: Any])
        #expect(zg["base"] == nil && zg["candidate"] == nil && zg["ratio"] == nil)
        #expect(
            zg["notes"] as? [String] == [
                "summaries must be >0 to compute geomean", "summaries must be >0 to compute geomean",
            ])
        let from0 = try #require((zb["rows"] as? [[String: Any]])?.first)
        #expect(from0["label"] as? String == "?" && from0["delta"] is NSNull)
    }
}
