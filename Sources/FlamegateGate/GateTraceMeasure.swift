import FlamegateCore

/// What a `kind: trace` rule measures in each Go execution trace (`TraceStats`).
public enum TraceMeasure: String, Sendable, CaseIterable {
    case stwP99 = "stw_p99"
    case stwMax = "stw_max"
    case stwTotal = "stw_total"
    case gcCount = "gc_count"
    case schedLatencyP99 = "sched_latency_p99"
    case taskP50 = "task_p50"
    case taskP90 = "task_p90"
    case taskP99 = "task_p99"
    case taskMax = "task_max"

    /// Whether the measure needs `task: TYPE`.
    public var needsTask: Bool { rawValue.hasPrefix("task_") }

    /// The unit of the measure in reports.
    public var unit: String { self == .gcCount ? "" : "ns" }

    /// The measure's value in one trace's stats; a trace without the events it needs (no
    /// pause, no scheduling, no task of the type) is an input error: a gate that cannot
    /// measure must not pass.
    func value(_ s: TraceStats, task: String?, source: String, rule: String) throws(InputError) -> Double {
        func need(_ d: TraceDistribution, _ what: String) throws(InputError) -> TraceDistribution {
            if d.count == 0 { throw InputError(source: source, "rule \"\(rule)\": the trace has no \(what)") }
            return d
        }
        switch self {
        case .stwP99: return Double(try need(s.stw, "stop-the-world pauses").percentile(99))
        case .stwMax: return Double(try need(s.stw, "stop-the-world pauses").max)
        case .stwTotal: return Double(s.stw.total)
        case .gcCount: return Double(s.gcCount)
        case .schedLatencyP99: return Double(try need(s.schedLatency, "scheduling events").percentile(99))
        case .taskP50, .taskP90, .taskP99, .taskMax:
            let type = task ?? ""
            guard let d = s.tasks[type], d.count > 0 else {
                let known = s.tasks.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                throw InputError(
                    source: source,
                    "rule \"\(rule)\": the trace has no completed task of type \"\(type)\" (its task types: \(known.isEmpty ? "none" : known))")
            }
            switch self {
            case .taskP50: return Double(d.percentile(50))
            case .taskP90: return Double(d.percentile(90))
            case .taskP99: return Double(d.percentile(99))
            default: return Double(d.max)
            }
        }
    }
}

extension GateInputCache {
    /// A trace's stats, computed once per file.
    func traceStats(_ path: String) throws(InputError) -> TraceStats {
        if let s = traces[path] { return s }
        let bytes = try read(path)
        let r = bytes.withUnsafeBytes { b -> Result<TraceStats, InputError> in
            do throws(InputError) { return .success(try TraceStats.compute(b, source: path)) } catch { return .failure(error) }
        }
        let s = try r.get()
        traces[path] = s
        return s
    }
}

extension Gate {
    /// A `kind: trace` rule: the measure of every base and candidate trace; one trace per
    /// side is compared as exact figures, several per side with the U test.
    static func traceRule(
        _ rule: GateRule, _ bp: [String], _ cp: [String], _ config: GateConfig, _ cache: GateInputCache
    ) throws(InputError) -> GateResult {
        guard let m = rule.traceMeasure else { return GateResult(rule: rule, rows: [], status: .pass) }
        func values(_ paths: [String]) throws(InputError) -> [Double] {
            var out: [Double] = []
            for p in paths { out.append(try m.value(try cache.traceStats(p), task: rule.task, source: p, rule: rule.name)) }
            return out
        }
        let b = rule.needsBase ? try values(bp) : []
        let c = try values(cp)
        let exact = b.count <= 1 && c.count <= 1
        var row = try decide(
            rule, b, c, alpha: config.alpha, confidence: config.confidence,
            deterministicNote: exact ? "one trace per side: exact figures, no test needed" : nil)
        row.item = m.rawValue + (rule.task.map { " of task \($0)" } ?? "")
        var result = GateResult(rule: rule, rows: [row], status: .pass)
        result.valueUnit = m.unit
        return result
    }
}
