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
    /// benchstat's footnotes for the base cell, the candidate cell and the comparison, in
    /// the order it numbers them ("need >= 6 samples for confidence interval at level 0.95",
    /// "all samples are equal", "need >= 4 samples to detect a difference at alpha level 0.05").
    public var baseNotes: [String] = []
    public var candNotes: [String] = []
    public var comparisonNotes: [String] = []
}

/// benchstat's table for one unit: a row per benchmark and the geomean row.
public struct BenchTable: Sendable {
    /// The tidied unit (`sec/op`, `B/op`, `allocs/op`, `p99-sec`…).
    public var unit: String
    /// One row per benchmark: base rows in base order, then candidate-only ones.
    public var rows: [BenchRow]
    /// Geomean of the base column's centers (every benchmark in the base); nil when a center
    /// is ≤ 0 or there is none — benchstat prints no value then.
    public var geomeanBase: Double?
    /// Geomean of the candidate column's centers, likewise.
    public var geomeanCand: Double?
    /// Geomean of the per-benchmark ratios cand/base over benchmarks on both sides (equal
    /// centers count 1, so 0/0 is 1); nil — benchstat's "?" — when a base center is 0 under
    /// a different candidate, when a ratio is 0, or when no benchmark is on both sides.
    public var geomeanRatio: Double?
    /// benchstat's footnotes on the geomean row ("summaries must be >0 to compute geomean",
    /// "benchmark set differs from baseline; geomeans may not be comparable", "ratios must
    /// be >0 to compute geomean").
    public var geomeanBaseNotes: [String] = []
    public var geomeanCandNotes: [String] = []

    /// benchstat prints the geomean row only for tables of more than one benchmark.
    public var showsGeomean: Bool { rows.count > 1 }
    /// The geomean row's change (ratio − 1).
    public var geomeanDelta: Double? { geomeanRatio.map { $0 - 1 } }
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
            for k in keys {
                let bv = values(base, k.pkg, k.name, unit)
                let cv = values(cand, k.pkg, k.name, unit)
                if bv.isEmpty && cv.isEmpty { continue }
                var row = BenchRow(
                    name: k.name, pkg: k.pkg,
                    base: Statistics.summary(bv, confidence: confidence),
                    cand: Statistics.summary(cv, confidence: confidence),
                    comparison: Statistics.compare(base: bv, cand: cv, alpha: alpha, confidence: confidence))
                row.baseNotes = row.base.map { Statistics.summaryNotes($0, confidence: confidence) } ?? []
                row.candNotes = row.cand.map { Statistics.summaryNotes($0, confidence: confidence) } ?? []
                row.comparisonNotes = row.comparison?.notes ?? []
                rows.append(row)
            }
            tables.append(geomeanRow(BenchTable(unit: unit, rows: rows)))
        }
        return tables
    }

    /// benchstat's summary row: each column's geomean of the centers it has, and the geomean
    /// of the per-benchmark ratios (benchstat's reasoning: with different benchmark sets on
    /// the two sides, the ratio of two geomeans would compare incomparable numbers).
    static func geomeanRow(_ table: BenchTable) -> BenchTable {
        var t = table
        let baseCenters = t.rows.compactMap { $0.base?.center }
        let candCenters = t.rows.compactMap { $0.cand?.center }
        var ratios: [Double] = []
        var badRatio = false
        for r in t.rows {
            guard let c = r.cand?.center, let b = r.base?.center else { continue }
            if c == b {
                ratios.append(1)
            } else if b == 0 {
                badRatio = true
                ratios.append(0)
            } else {
                ratios.append(c / b)
            }
        }
        let summariesNote = "summaries must be >0 to compute geomean"
        t.geomeanBase = Statistics.geomean(baseCenters)
        if t.geomeanBase == nil { t.geomeanBaseNotes.append(summariesNote) }
        if baseCenters.count != ratios.count {
            t.geomeanCandNotes.append("benchmark set differs from baseline; geomeans may not be comparable")
        }
        t.geomeanCand = Statistics.geomean(candCenters)
        if t.geomeanCand == nil { t.geomeanCandNotes.append(summariesNote) }
        if !badRatio {
            t.geomeanRatio = Statistics.geomean(ratios)
            if t.geomeanRatio == nil { t.geomeanCandNotes.append("ratios must be >0 to compute geomean") }
        }
        return t
    }

    /// A value with benchstat's 4 significant digits and SI (or, for bytes, binary) prefix:
    /// `12.34µ`, `4.000Ki`, `2.000`, `0.000` (benchunit's `Scale`).
    public static func formatValue(_ v: Double, unit: String) -> String {
        commonScale([v], unit: unit).format(v)
    }

    /// benchunit's scaler: a prefix and a number of decimals chosen for a set of values (a
    /// table row shares one, so its cells line up: `1168.0` beside `712.0`, not `1.141Ki`).
    public struct Scaler: Sendable, Equatable {
        public var decimals: Int
        public var factor: Double
        public var prefix: String

        /// The value in this scale: `%.Nf` of v/factor, then the prefix.
        public func format(_ v: Double) -> String {
            if v.isNaN { return "NaN" }
            if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
            return Units.cFormat("%.\(decimals)f", v / factor) + prefix
        }
    }

    /// The scaler benchstat uses for `values` in `unit` (benchunit's `CommonScale`): the
    /// smallest non-zero magnitude picks the prefix and leaves 4 significant digits.
    public static func commonScale(_ values: [Double], unit: String) -> Scaler {
        var least = 0.0
        for v in values {
            let a = abs(v)
            if a != 0 && (least == 0 || a < least) { least = a }
        }
        if least == 0 { return Scaler(decimals: 3, factor: 1, prefix: "") }
        let factors = isBinary(unit) ? binaryFactors : decimalFactors
        for f in factors {
            if least >= f.t100 { return Scaler(decimals: 1, factor: f.factor, prefix: f.prefix) }
            if least >= f.t10 { return Scaler(decimals: 2, factor: f.factor, prefix: f.prefix) }
            if least >= f.t1 { return Scaler(decimals: 3, factor: f.factor, prefix: f.prefix) }
        }
        // Below the smallest prefix: more decimals, up to 10.
        let f = factors[factors.count - 1]
        let v = least / f.factor
        for (i, thresh) in sigfigs.enumerated() where v >= thresh || i == sigfigs.count - 1 {
            return Scaler(decimals: i + 3, factor: f.factor, prefix: f.prefix)
        }
        return Scaler(decimals: 3, factor: f.factor, prefix: f.prefix)
    }

    /// 9.9995e-1 … 9.9995e-8: below the smallest prefix, the value needs 3…10 decimals.
    static let sigfigs: [Double] = (1...8).map { Double("9.9995e-\($0)")! }

    struct Factor {
        var factor: Double
        var prefix: String
        /// The smallest values that still print as 100.0, 10.00 and 1.000 in this prefix.
        var t100: Double
        var t10: Double
        var t1: Double
    }

    static let decimalFactors: [Factor] = {
        var out: [Factor] = []
        var exp = 12
        for p in ["T", "G", "M", "k", "", "m", "µ", "n"] {
            out.append(
                Factor(
                    factor: Double("1e\(exp)")!, prefix: p, t100: Double("99.995e\(exp)")!,
                    t10: Double("9.9995e\(exp)")!, t1: Double(".99995e\(exp)")!))
            exp -= 3
        }
        return out
    }()

    static let binaryFactors: [Factor] = {
        var out: [Factor] = []
        var exp = 40
        for p in ["Ti", "Gi", "Mi", "Ki", ""] {
            // 99.995, 9.9995 and 0.99995 times 2^exp, rounded as benchunit writes them.
            out.append(
                Factor(
                    factor: pow2(exp), prefix: p, t100: 0x1.8ffae147ae148p6 * pow2(exp),
                    t10: 0x1.3ffbe76c8b439p3 * pow2(exp), t1: 0x1.fff972474538fp-1 * pow2(exp)))
            exp -= 10
        }
        return out
    }()

    /// benchunit's class of a unit: binary (Ki, Mi…) when a numerator part is B, MB or bytes.
    public static func isBinary(_ unit: String) -> Bool {
        GoBench.unitTokens(unit).contains {
            !$0.denominator && ($0.token == "B" || $0.token == "MB" || $0.token == "bytes")
        }
    }

    static func pow2(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<e { r *= 2 }
        return r
    }
}
