/// `trace diff`: the `trace stats` figures of base and candidate traces side by side. One
/// trace per side: the exact figures and their change. Several per side (repeated runs):
/// each figure's medians, and the Mann–Whitney U test over the per-trace figures, as
/// `bench compare` does for benchmarks (benchstat's rules: "~" when not significant).
public struct TraceDiff: Sendable {
    /// One figure compared.
    public struct Row: Sendable {
        public var name: String
        public var unit: String
        public var base: [Double]
        public var cand: [Double]
        /// The U test and medians when a side has several traces.
        public var comparison: Statistics.Comparison?
    }

    public var rows: [Row]
    public var baseCount: Int
    public var candCount: Int

    /// The figures compared: name, unit, value in one trace's stats (nil: not in this trace).
    static func figures(_ s: [TraceStats]) -> [(String, String, (TraceStats) -> Double?)] {
        func dist(_ prefix: String, _ d: @escaping (TraceStats) -> TraceDistribution?) -> [(String, String, (TraceStats) -> Double?)] {
            [
                ("\(prefix) count", "", { d($0).map { Double($0.count) } }),
                ("\(prefix) p50", "ns", { d($0).flatMap { $0.count > 0 ? Double($0.percentile(50)) : nil } }),
                ("\(prefix) p99", "ns", { d($0).flatMap { $0.count > 0 ? Double($0.percentile(99)) : nil } }),
                ("\(prefix) max", "ns", { d($0).flatMap { $0.count > 0 ? Double($0.max) : nil } }),
            ]
        }
        var out: [(String, String, (TraceStats) -> Double?)] = [
            ("duration", "ns", { Double($0.durationNs) }),
            ("GC cycles", "", { Double($0.gcCount) }),
            ("GC mark time", "ns", { Double($0.gcMarkNs) }),
            ("GC assist time", "ns", { Double($0.gcAssistNs) }),
        ]
        out += dist("stop-the-world", { $0.stw })
        out.append(("stop-the-world total", "ns", { Double($0.stw.total) }))
        out += dist("sched latency", { $0.schedLatency })
        for r in TraceStats.blockReasons { out += dist("block \(r)", { $0.block[r] }) }
        var tasks = Set<String>()
        for x in s { tasks.formUnion(x.tasks.keys) }
        for t in tasks.sorted() { out += dist("task \(t)", { $0.tasks[t] }) }
        out.append(("goroutines created", "", { Double($0.goroutinesCreated) }))
        return out
    }

    /// Compares the stats of the base traces with the candidates'.
    public static func compare(base: [TraceStats], cand: [TraceStats], alpha: Double = Statistics.defaultAlpha) -> TraceDiff {
        var rows: [Row] = []
        for (name, unit, f) in figures(base + cand) {
            let b = base.compactMap(f)
            let c = cand.compactMap(f)
            if b.isEmpty && c.isEmpty { continue }
            if b.allSatisfy({ $0 == 0 }) && c.allSatisfy({ $0 == 0 }) && name.hasSuffix("count") && name.hasPrefix("block") { continue }
            var row = Row(name: name, unit: unit, base: b, cand: c)
            if b.count > 1 || c.count > 1 { row.comparison = Statistics.compare(base: b, cand: c, alpha: alpha) }
            rows.append(row)
        }
        return TraceDiff(rows: rows, baseCount: base.count, candCount: cand.count)
    }

    /// The figures side by side.
    public func text() -> String {
        func v(_ x: Double?, _ unit: String) -> String {
            guard let x else { return "–" }
            return unit == "ns" ? TraceStats.human(Int64(x)) : (x == x.rounded() ? String(Int64(x)) : String(x))
        }
        var table: [[String]] = [[baseCount > 1 || candCount > 1 ? "median of \(baseCount) vs \(candCount) traces" : "", "base", "candidate", "change", ""]]
        for r in rows {
            let mb = Statistics.median(r.base)
            let mc = Statistics.median(r.cand)
            var change = "–"
            if let mb, let mc {
                change = mb == mc ? "0%" : (mb == 0 ? "new" : Units.cFormat("%+.1f", (mc / mb - 1) * 100) + "%")
            }
            var note = ""
            if let cmp = r.comparison {
                note = cmp.pLabel
                if !cmp.significant { change = "~" }
            }
            table.append([r.name, v(mb, r.unit), v(mc, r.unit), change, note])
        }
        var widths = [Int](repeating: 0, count: 5)
        for t in table { for i in 0..<5 { widths[i] = Swift.max(widths[i], t[i].count) } }
        var out = ""
        for t in table {
            var line = t[0] + String(repeating: " ", count: widths[0] - t[0].count)
            for i in 1..<4 { line += "  " + String(repeating: " ", count: widths[i] - t[i].count) + t[i] }
            if !t[4].isEmpty { line += "  " + t[4] }
            out += line + "\n"
        }
        return out
    }
}
