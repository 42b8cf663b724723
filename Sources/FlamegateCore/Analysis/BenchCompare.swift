/// One benchmark in a comparison table.
public struct BenchRow: Sendable {
    /// Benchmark name as benchstat prints it (no `Benchmark` prefix, with the `-N` GOMAXPROCS suffix).
    public var name: String
    /// The `pkg:` the benchmark was reported under ("" when none).
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
    /// One row per benchmark: base rows in base order, then candidate-only ones.
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
}
