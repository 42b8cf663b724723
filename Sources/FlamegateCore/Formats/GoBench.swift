/// One unit's measurements of one benchmark: every run's value, in file order.
public struct GoBenchMetric: Sendable, Equatable {
    /// The unit as written (`ns/op`, `B/op`, `allocs/op`, `p99-ns`, `items/s`…).
    public var unit: String
    public var values: [Double]
    public init(unit: String, values: [Double]) {
        self.unit = unit
        self.values = values
    }
}

/// One benchmark (name and package) with all its runs (`-count N` gives N per unit).
public struct GoBenchmark: Sendable, Equatable {
    /// The name without the `Benchmark` prefix, with the GOMAXPROCS suffix: `MapPerCall-8`,
    /// `Parse/small-8` (as benchstat prints it).
    public var name: String
    /// The `pkg:` in effect when the results were printed ("" when none).
    public var pkg: String
    /// The `-N` GOMAXPROCS suffix, when present.
    public var procs: Int?
    /// Iteration counts of the runs.
    public var iterations: [Int]
    /// Units in first-appearance order.
    public var metrics: [GoBenchMetric]

    /// The values recorded for `unit` (empty when none).
    public func values(_ unit: String) -> [Double] { metrics.first { $0.unit == unit }?.values ?? [] }
    /// The name without the GOMAXPROCS suffix.
    public var baseName: String {
        guard let procs else { return name }
        return String(name.dropLast(String(procs).count + 1))
    }
}

/// A parsed `go test -bench` output file.
public struct GoBenchFile: Sendable {
    public var source: String
    /// Benchmarks in first-appearance order; one entry per (pkg, name).
    public var benchmarks: [GoBenchmark]
    /// Configuration lines (`goos`, `goarch`, `pkg`, `cpu`, any `key: value`), first value
    /// of each key, in order.
    public var config: [(key: String, value: String)]
    /// Lines that began like a result but could not be read (`line N: …`); they are skipped,
    /// as benchstat skips them with a warning.
    public var warnings: [String]

    /// benchmark name → unit → values (benchmarks of several packages with one name are
    /// merged, in file order).
    public var byName: [String: [String: [Double]]] {
        var out: [String: [String: [Double]]] = [:]
        for b in benchmarks {
            for m in b.metrics { out[b.name, default: [:]][m.unit, default: []].append(contentsOf: m.values) }
        }
        return out
    }

    /// The first value of a configuration key.
    public func configValue(_ key: String) -> String? { config.first { $0.key == key }?.value }
}

/// Reader of Go's benchmark format (golang.org/design/14313-benchmark-format): result lines
/// `BenchmarkName-N  <iterations>  <value> <unit> [<value> <unit>…]`, configuration lines
/// `key: value`, everything else (PASS, ok, logs, test output) ignored.
public enum GoBench {
    /// Parses `go test -bench [-benchmem] [-count N]` output. Throws when the input holds no
    /// benchmark result at all (naming the first unreadable result line if there was one).
    public static func parse(_ bytes: [UInt8], source: String) throws(InputError) -> GoBenchFile {
        var file = GoBenchFile(source: source, benchmarks: [], config: [], warnings: [])
        if bytes.isEmpty {
            throw InputError(
                source: source,
                "empty file: expected `go test -bench` output (lines like 'BenchmarkName-8  1000  123 ns/op')")
        }
        var index: [String: Int] = [:]  // pkg + "\u{0}" + name → benchmarks index
        var pkg = ""
        var firstBad: (offset: Int, message: String)? = nil
        var lineNo = 0
        var start = 0
        let n = bytes.count
        while start < n {
            lineNo += 1
            var end = start
            while end < n && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var stop = end
            if stop > start && bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            let line = String(decoding: bytes[start..<stop], as: UTF8.self)
            let lineStart = start
            start = end + 1

            if let (k, v) = configLine(line) {
                if k == "pkg" { pkg = v }
                if !file.config.contains(where: { $0.key == k }) { file.config.append((k, v)) }
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            guard let first = fields.first, isBenchmarkName(first) else { continue }
            if fields.count == 1 { continue }  // the name printed before a benchmark's log output
            func bad(_ msg: String) {
                let m = "line \(lineNo): \(msg)"
                file.warnings.append(m)
                if firstBad == nil { firstBad = (lineStart, m) }
            }
            guard let iters = Int(fields[1]), iters >= 0 else {
                // A benchmark name followed by log text (no iteration count): not a result.
                if fields[1].first?.isNumber == true {
                    bad("expected an iteration count after \(first), found '\(fields[1])'")
                }
                continue
            }
            if fields.count < 4 || fields.count % 2 != 0 {
                bad("expected '<value> <unit>' pairs after the iteration count of \(first)")
                continue
            }
            var metrics: [GoBenchMetric] = []
            var ok = true
            var i = 2
            while i + 1 < fields.count {
                guard let v = Double(fields[i]), v.isFinite else {
                    bad("expected a number before unit '\(fields[i + 1])' of \(first), found '\(fields[i])'")
                    ok = false
                    break
                }
                let unit = String(fields[i + 1])
                if !metrics.contains(where: { $0.unit == unit }) {
                    metrics.append(GoBenchMetric(unit: unit, values: [v]))
                }
                i += 2
            }
            if !ok { continue }
            let full = String(first)
            let name = String(full.dropFirst("Benchmark".count))
            let key = pkg + "\u{0}" + name
            let bi: Int
            if let existing = index[key] {
                bi = existing
            } else {
                bi = file.benchmarks.count
                index[key] = bi
                file.benchmarks.append(
                    GoBenchmark(name: name, pkg: pkg, procs: procsSuffix(name), iterations: [], metrics: []))
            }
            file.benchmarks[bi].iterations.append(iters)
            for m in metrics {
                if let j = file.benchmarks[bi].metrics.firstIndex(where: { $0.unit == m.unit }) {
                    file.benchmarks[bi].metrics[j].values.append(contentsOf: m.values)
                } else {
                    file.benchmarks[bi].metrics.append(m)
                }
            }
        }
        if file.benchmarks.isEmpty {
            if let firstBad {
                throw InputError(
                    source: source, offset: firstBad.offset,
                    firstBad.message + " (no readable benchmark result in the file)")
            }
            throw InputError(
                source: source,
                "no benchmark results: expected `go test -bench` output with lines like 'BenchmarkName-8  1000  123 ns/op'"
            )
        }
        return file
    }

    /// Reads a file (or `-` for stdin) and parses it.
    public static func read(_ path: String) throws(InputError) -> GoBenchFile {
        try parse(ProfileInput.readBytes(path), source: path)
    }

    /// `Benchmark` followed by nothing or by a character that is not a lower-case letter.
    static func isBenchmarkName(_ s: Substring) -> Bool {
        guard s.hasPrefix("Benchmark") else { return false }
        let rest = s.dropFirst("Benchmark".count)
        guard let c = rest.first else { return true }
        return !c.isLowercase
    }

    /// `key: value` where the key starts with a lower-case letter and holds no space or
    /// upper-case letter.
    static func configLine(_ line: String) -> (String, String)? {
        // The first character decides most lines (results start with "Benchmark") before
        // the whole line is searched for a colon.
        guard let c = line.first, c.isLowercase, let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        if key.contains(where: { $0.isWhitespace || $0.isUppercase }) { return nil }
        let after = line[line.index(after: colon)...]
        // The value follows ": " (or is empty).
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        let value = after.drop(while: { $0 == " " || $0 == "\t" })
        var v = String(value)
        while let l = v.last, l == " " || l == "\t" { v.removeLast() }
        return (String(key), v)
    }

    static func procsSuffix(_ name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let digits = name[name.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// benchstat's unit tidying: `ns/op` → `sec/op` (×1e-9), any `ns/X` → `sec/X`,
    /// `MB/s` → `B/s` (×1e6). Other units are kept.
    public static func tidyUnit(_ unit: String) -> (unit: String, factor: Double) {
        if unit.hasPrefix("ns/") { return ("sec/" + unit.dropFirst(3), 1e-9) }
        if unit == "MB/s" { return ("B/s", 1e6) }
        return (unit, 1)
    }
}

// MARK: - Comparison tables

/// One benchmark in a comparison table.
public struct BenchRow: Sendable {
    public var name: String
    public var pkg: String
    /// Base summary (nil when the benchmark is only in the candidate).
    public var base: Statistics.Summary?
    /// Candidate summary (nil when the benchmark is only in the base).
    public var cand: Statistics.Summary?
    /// The comparison when both sides have values.
    public var comparison: Statistics.Comparison?
}

/// benchstat's table for one unit: a row per benchmark and the geomean row.
public struct BenchTable: Sendable {
    /// The tidied unit (`sec/op`, `B/op`, `allocs/op`, `p99-ns`…).
    public var unit: String
    public var rows: [BenchRow]
    /// Geomean of the base and candidate centers over benchmarks present on both sides with
    /// positive centers; nil when there is no such benchmark.
    public var geomean: (base: Double, cand: Double)?
    /// Number of benchmarks left out of the geomean (missing on a side, or a center ≤ 0).
    public var geomeanExcluded: Int

    /// Relative change of the geomeans (cand/base − 1).
    public var geomeanDelta: Double? { geomean.map { $0.cand / $0.base - 1 } }
}

/// Compares two `go test -bench` outputs as `benchstat base.txt cand.txt` does.
public enum BenchCompare {
    /// One table per unit (units in first-appearance order, base file first); rows in base
    /// order, then benchmarks only in the candidate.
    public static func compare(
        base: GoBenchFile, cand: GoBenchFile, alpha: Double = Statistics.defaultAlpha,
        confidence: Double = Statistics.defaultConfidence
    ) -> [BenchTable] {
        var units: [String] = []
        var rawUnits: [String: [String]] = [:]  // tidied → raw spellings
        for f in [base, cand] {
            for b in f.benchmarks {
                for m in b.metrics {
                    let t = GoBench.tidyUnit(m.unit).unit
                    if !units.contains(t) { units.append(t) }
                    if !(rawUnits[t]?.contains(m.unit) ?? false) { rawUnits[t, default: []].append(m.unit) }
                }
            }
        }
        var keys: [(pkg: String, name: String)] = []
        for f in [base, cand] {
            for b in f.benchmarks where !keys.contains(where: { $0.pkg == b.pkg && $0.name == b.name }) {
                keys.append((b.pkg, b.name))
            }
        }
        func values(_ f: GoBenchFile, _ pkg: String, _ name: String, _ unit: String) -> [Double] {
            guard let b = f.benchmarks.first(where: { $0.pkg == pkg && $0.name == name }) else { return [] }
            var out: [Double] = []
            for raw in rawUnits[unit] ?? [] {
                let factor = GoBench.tidyUnit(raw).factor
                out += b.values(raw).map { $0 * factor }
            }
            return out
        }
        var tables: [BenchTable] = []
        for unit in units {
            var rows: [BenchRow] = []
            var gb: [Double] = []
            var gc: [Double] = []
            var excluded = 0
            for k in keys {
                let bv = values(base, k.pkg, k.name, unit)
                let cv = values(cand, k.pkg, k.name, unit)
                if bv.isEmpty && cv.isEmpty { continue }
                let row = BenchRow(
                    name: k.name, pkg: k.pkg,
                    base: Statistics.summary(bv, confidence: confidence),
                    cand: Statistics.summary(cv, confidence: confidence),
                    comparison: Statistics.compare(base: bv, cand: cv, alpha: alpha, confidence: confidence))
                if let b = row.base, let c = row.cand, b.center > 0, c.center > 0 {
                    gb.append(b.center)
                    gc.append(c.center)
                } else {
                    excluded += 1
                }
                rows.append(row)
            }
            var geo: (Double, Double)? = nil
            if let b = Statistics.geomean(gb), let c = Statistics.geomean(gc) { geo = (b, c) }
            tables.append(BenchTable(unit: unit, rows: rows, geomean: geo, geomeanExcluded: excluded))
        }
        return tables
    }

    // MARK: Rendering

    /// A value with benchstat's 4 significant digits and SI (or, for bytes, binary) prefix:
    /// `12.34µ`, `4.000Ki`, `2.000`, `0.000`.
    public static func formatValue(_ v: Double, unit: String) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return "0.000" }
        let binary = unit.hasPrefix("B/") || unit == "B"
        let a = abs(v)
        var scaled = v
        var prefix = ""
        if binary {
            let ps = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            var i = 0
            while i + 1 < ps.count && a / pow2(10 * (i + 1)) >= 1 { i += 1 }
            // 4 digits: move up when the scaled value would need ≥ 1000 … but binary keeps ≤ 1023
            scaled = v / pow2(10 * i)
            prefix = ps[i]
        } else {
            let big: [(Double, String)] = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
            let small: [(Double, String)] = [(1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p")]
            var chosen: (Double, String) = (1e-12, "p")
            if a >= 1000 {
                chosen = big.first { a >= $0.0 } ?? (1, "")
            } else if let s = small.first(where: { a >= $0.0 }) {
                chosen = s
            }
            scaled = v / chosen.0
            prefix = chosen.1
        }
        let s = abs(scaled)
        let fmt = s >= 1000 ? "%.0f" : (s >= 100 ? "%.1f" : (s >= 10 ? "%.2f" : "%.3f"))
        return Units.cFormat(fmt, scaled) + prefix
    }

    static func pow2(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<e { r *= 2 }
        return r
    }

    /// benchstat-style text: configuration lines, then per unit a header with the two file
    /// names, rows `name  base ± spread  cand ± spread  delta (p=… n=…)`, and a geomean row.
    public static func renderText(_ tables: [BenchTable], base: GoBenchFile, cand: GoBenchFile, alpha: Double) -> String
    {
        var out = ""
        for key in ["goos", "goarch", "pkg", "cpu"] {
            let b = base.configValue(key)
            let c = cand.configValue(key)
            if let b, b == c || c == nil {
                out += "\(key): \(b)\n"
            } else if let c, b == nil {
                out += "\(key): \(c)\n"
            } else if let b, let c {
                out += "\(key): \(b) (base) / \(c) (cand)\n"
            }
        }
        let pkgs = Set(tables.flatMap { $0.rows.map(\.pkg) })
        let multiPkg = pkgs.count > 1
        var notes: [String] = []
        for (ti, t) in tables.enumerated() {
            if ti > 0 || !out.isEmpty { out += "\n" }
            var lines: [[String]] = []
            lines.append(["", displayName(base.source), displayName(cand.source), ""])
            lines.append(["", t.unit, t.unit, "vs base"])
            for r in t.rows {
                let name = multiPkg && !r.pkg.isEmpty ? r.pkg + "." + r.name : r.name
                let b = r.base.map { formatValue($0.center, unit: t.unit) + " ± " + $0.spreadLabel } ?? ""
                let c = r.cand.map { formatValue($0.center, unit: t.unit) + " ± " + $0.spreadLabel } ?? ""
                var d = ""
                if let cmp = r.comparison {
                    d = cmp.deltaLabel + " " + cmp.pLabel
                    if cmp.tooFewSamples && !cmp.significant {
                        let note =
                            "need ≥ \(Statistics.minimumSamples) samples per side to detect a difference at alpha \(trimmed(alpha))"
                        if !notes.contains(note) { notes.append(note) }
                    }
                } else if r.base == nil {
                    d = "(only in candidate)"
                } else {
                    d = "(only in base)"
                }
                lines.append([name, b, c, d])
            }
            if let g = t.geomean {
                let delta = t.geomeanDelta.map { Units.cFormat("%+.2f", $0 * 100) + "%" } ?? ""
                let mark = t.geomeanExcluded > 0 ? " (\(t.geomeanExcluded) left out)" : ""
                lines.append([
                    "geomean", formatValue(g.base, unit: t.unit), formatValue(g.cand, unit: t.unit), delta + mark,
                ])
            }
            var widths = [0, 0, 0, 0]
            for l in lines { for (i, f) in l.enumerated() { widths[i] = max(widths[i], f.count) } }
            for (li, l) in lines.enumerated() {
                let sep = li < 2 ? "│" : " "
                var s = pad(l[0], widths[0]) + " " + sep + " " + pad(l[1], widths[1]) + " " + sep + " "
                s += pad(l[2], widths[2]) + "  " + l[3]
                while s.last == " " { s.removeLast() }
                out += s + "\n"
            }
        }
        for n in notes { out += "\n" + n + "\n" }
        return out
    }

    static func trimmed(_ d: Double) -> String {
        var s = Units.cFormat("%g", d)
        if s.isEmpty { s = "0" }
        return s
    }

    static func displayName(_ path: String) -> String {
        if path == "-" { return "stdin" }
        return String(path.split(separator: "/").last ?? Substring(path))
    }

    static func pad(_ s: String, _ w: Int) -> String {
        let n = s.count
        return n >= w ? s : s + String(repeating: " ", count: w - n)
    }

    /// Machine-readable comparison: every table, row, summary and test.
    public static func renderJSON(_ tables: [BenchTable], base: GoBenchFile, cand: GoBenchFile, alpha: Double) -> String
    {
        var j = JSONWriter()
        j.beginObject()
        j.field("base", base.source)
        j.field("cand", cand.source)
        j.field("alpha", alpha)
        j.beginObject("config")
        for (k, v) in base.config where ["goos", "goarch", "pkg", "cpu"].contains(k) { j.field(k, v) }
        j.endObject()
        j.beginArray("tables")
        for t in tables {
            j.beginObject()
            j.field("unit", t.unit)
            j.beginArray("rows")
            for r in t.rows {
                j.beginObject()
                j.field("name", r.name)
                j.field("pkg", r.pkg)
                func summary(_ key: String, _ s: Statistics.Summary?) {
                    guard let s else { return }
                    j.beginObject(key)
                    j.field("median", s.center)
                    j.field("lo", s.lo)
                    j.field("hi", s.hi)
                    j.field("confidence", s.confidence)
                    j.field("n", s.n)
                    j.endObject()
                }
                summary("base", r.base)
                summary("cand", r.cand)
                if let c = r.comparison {
                    j.field("delta", c.delta)
                    j.field("p", c.p)
                    j.field("significant", c.significant)
                    j.field("too_few_samples", c.tooFewSamples)
                    if let t = c.test {
                        j.field("u", t.u)
                        j.field("method", t.method.rawValue)
                    }
                    j.field("label", c.deltaLabel)
                }
                j.endObject()
            }
            j.endArray()
            if let g = t.geomean {
                j.beginObject("geomean")
                j.field("base", g.base)
                j.field("cand", g.cand)
                j.field("delta", g.cand / g.base - 1)
                j.field("excluded", t.geomeanExcluded)
                j.endObject()
            }
            j.endObject()
        }
        j.endArray()
        j.endObject()
        return j.text + "\n"
    }
}
