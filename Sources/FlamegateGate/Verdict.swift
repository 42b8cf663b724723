import FlamegateCore
import FlamegateRender

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What a rule decided about one item (the profile, a benchmark, a metric key, escapes).
public struct GateRow: Sendable {
    /// A row's (and rule's) outcome, ordered pass < inconclusive < warn < fail so `max` is the worst.
    public enum Status: String, Sendable, Comparable {
        case pass, inconclusive, warn, fail
        var rank: Int {
            switch self {
            case .pass: return 0
            case .inconclusive: return 1
            case .warn: return 2
            case .fail: return 3
            }
        }
        /// Orders by severity: pass, inconclusive, warn, fail.
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    /// The benchmark, metric key or "" (profile, escape).
    public var item: String = ""
    /// The base and candidate medians (single values when one per side) in the measured
    /// quantity: a share in percent for profile share/relative/limit rules, the raw value
    /// for profile absolute rules, the unit's value for bench and metric rules, a count for
    /// escape and `new` rules.
    public var base: Double? = nil
    /// The candidate median (see `base`); nil when the candidate had no value.
    public var cand: Double? = nil
    /// Number of base values behind `base`.
    public var baseN = 0
    /// Number of candidate values behind `cand`.
    public var candN = 0
    /// The change in the rule's comparison (percent, percentage points, unit, count); for
    /// `limit` the candidate's median.
    public var change: Double? = nil
    /// A confidence interval for the change (from the medians' intervals) when tested.
    public var changeLo: Double? = nil
    /// Upper end of the change's interval (see `changeLo`).
    public var changeHi: Double? = nil
    /// The Mann–Whitney p-value when a test was made.
    public var p: Double? = nil
    /// The U test's method (`exact`, `exact-ties`, `normal`, `all-equal`) when a test was made.
    public var method: String? = nil
    /// The change is beyond the threshold in the bad direction.
    public var exceeds = false
    /// The rule tripped on this row (exceeds, and significant where a test was possible).
    public var tripped = false
    /// `fail`/`warn` per the rule's severity when tripped, `inconclusive` with too few samples, else pass.
    public var status: Status = .pass
    /// How the decision was made ("U test", "no test possible: …", "too few samples …").
    public var note: String = ""
    /// The new items (`compare: new`) or other evidence.
    public var details: [String] = []
}

/// A frame contributing to a profile rule: its share of the total on each side.
public struct GateContributor: Sendable {
    /// Frame name as pprof prints it.
    public var name: String
    /// Share of the base's summed totals, in percent.
    public var baseShare: Double
    /// Share of the candidate's summed totals, in percent.
    public var candShare: Double
    /// The frame's summed value in the base, in the sample type's unit.
    public var baseValue: Int64 = 0
    /// The frame's summed value in the candidate, in the sample type's unit.
    public var candValue: Int64 = 0
    /// Change in percentage points (candidate − base).
    public var delta: Double { candShare - baseShare }
}

/// One rule's result.
public struct GateResult: Sendable {
    /// The rule as read from the rules file.
    public var rule: GateRule
    /// One row per matching benchmark; a single row for profile, escape and metric rules.
    public var rows: [GateRow]
    /// The worst row status (pass when there is no row).
    public var status: GateRow.Status
    /// profile rules: the matching frames that changed most.
    public var contributors: [GateContributor] = []
    /// The sample type (profile), unit (bench) or "" of the measured values.
    public var valueUnit: String = ""
    /// Remarks (benchmarks on one side only, sample types…).
    public var notes: [String] = []
    /// The base inputs the rule read (its own, else the top-level ones).
    public var baseInputs: [String] = []
    /// The candidate inputs the rule read.
    public var candInputs: [String] = []
}

/// The whole gate's outcome.
public struct GateOutcome: Sendable {
    /// One result per rule, in rules-file order.
    public var results: [GateResult]
    /// The significance level the tests used.
    public var alpha: Double
    /// The rules file's path.
    public var source: String
    /// `--fail-on-inconclusive`: a rule that could not decide fails the gate.
    public var failOnInconclusive = false
    /// fail if a `fail` rule tripped, warn if a `warn` rule tripped, inconclusive when no
    /// rule could decide, else pass.
    public var verdict: GateRow.Status {
        var v = GateRow.Status.pass
        for r in results where r.status == .fail || r.status == .warn { v = max(v, r.status) }
        if v == .pass && !results.isEmpty && results.allSatisfy({ $0.status == .inconclusive }) { return .inconclusive }
        return v
    }
    /// The report's first word: FAIL, INCONCLUSIVE, "PASS with N warnings" or PASS — a gate
    /// that decided nothing never reads PASS.
    public var headline: String {
        switch verdict {
        case .fail: return "FAIL"
        case .inconclusive: return "INCONCLUSIVE"
        case .warn:
            let n = count.warn
            return "PASS with \(n) warning\(n == 1 ? "" : "s")"
        case .pass: return "PASS"
        }
    }
    /// 1 when a `fail` rule tripped (or, with `failOnInconclusive`, a rule could not
    /// decide), else 0.
    public var exitCode: Int32 {
        if verdict == .fail { return 1 }
        if failOnInconclusive && results.contains(where: { $0.status == .inconclusive }) { return 1 }
        return 0
    }
    /// Rules per status (results, not rows); pass + warn + fail + inconclusive = rule count.
    public var count: (pass: Int, warn: Int, fail: Int, inconclusive: Int) {
        var c = (0, 0, 0, 0)
        for r in results {
            switch r.status {
            case .pass: c.0 += 1
            case .warn: c.1 += 1
            case .fail: c.2 += 1
            case .inconclusive: c.3 += 1
            }
        }
        return c
    }
}

/// Evaluates rules against inputs.
public enum Gate {
    /// Runs `flamegate gate`: reads the rules file, applies the overrides, runs every rule.
    public static func run(_ r: GateRequest) throws(InputError) -> GateOutcome {
        var config = try GateRulesFile.read(r.rules)
        if let alpha = r.alpha { config.alpha = alpha }
        var outcome = try run(config, base: r.base, candidate: r.candidate)
        outcome.failOnInconclusive = r.failOnInconclusive
        return outcome
    }

    /// Runs every rule. `base`/`candidate` (when not nil) replace the rules file's
    /// top-level inputs. Throws an `InputError` for a missing or unreadable input, a rule
    /// without base or candidate inputs, or a selector that matches nothing in an input.
    public static func run(
        _ config: GateConfig, base: [String]? = nil, candidate: [String]? = nil,
        cache: GateInputCache = GateInputCache()
    ) throws(InputError) -> GateOutcome {
        // A `store:` selector stands for each profile it matches: repeated runs.
        let topBase = try InputSources.expand(base ?? config.base)
        let topCand = try InputSources.expand(candidate ?? config.candidate)
        var results: [GateResult] = []
        for rule in config.rules {
            let b = try inputs(rule, rule.base, topBase, side: "base", cache)
            let c = try inputs(rule, rule.candidate, topCand, side: "candidate", cache)
            if rule.needsBase && b.isEmpty { throw missing(rule, "base") }
            if c.isEmpty { throw missing(rule, "candidate") }
            var r: GateResult
            switch rule.kind {
            case .profile: r = try profileRule(rule, b, c, config, cache)
            case .bench: r = try benchRule(rule, b, c, config, cache)
            case .escape: r = try escapeRule(rule, b, c, cache)
            case .metric: r = try metricRule(rule, b, c, config, cache)
            case .trace: r = try traceRule(rule, b, c, config, cache)
            }
            r.baseInputs = b
            r.candInputs = c
            r.status = r.rows.map(\.status).max() ?? .pass
            // A fail rule that cannot decide is a gate that cannot fail: refuse it.
            if rule.severity == .fail, let undecided = r.rows.first(where: { $0.status == .inconclusive }) {
                throw InputError(
                    source: rule.location,
                    "rule \"\(rule.name)\" (severity: fail) cannot decide\(undecided.item.isEmpty ? "" : " on " + undecided.item): \(undecided.note); give it ≥ \(Statistics.minimumSamples) runs per side (or one profile per side), set assume: exact, or make it severity: warn"
                )
            }
            results.append(r)
        }
        return GateOutcome(results: results, alpha: config.alpha, source: config.source)
    }

    static func missing(_ rule: GateRule, _ side: String) -> InputError {
        let what = rule.kind.rawValue + (rule.sampleType.map { " input carrying sample type \($0)" } ?? " input")
        return InputError(
            source: rule.location,
            "rule \"\(rule.name)\": no \(what) for the \(side) (give \(side): in the rule, \(side): at the top of the rules file, or --\(side))"
        )
    }

    /// The smallest two-sided p-value the U test can give with n1 and n2 values (no ties:
    /// all of one side above the other), 2 / C(n1+n2, n1).
    static func smallestP(_ n1: Int, _ n2: Int) -> Double {
        var logC = 0.0
        for i in 0..<min(n1, n2) { logC += log(Double(n1 + n2 - i)) - log(Double(i + 1)) }
        return min(1, 2 * exp(-logC))
    }

    /// Runs per side needed for the U test to reach `alpha` at all.
    static func runsNeeded(alpha: Double) -> Int {
        var k = Statistics.minimumSamples
        while smallestP(k, k) > alpha && k < 1000 { k += 1 }
        return k
    }

    /// The rule's own inputs, else the top-level ones of the rule's kind.
    static func inputs(_ rule: GateRule, _ own: [String], _ top: [String], side: String, _ cache: GateInputCache)
        throws(InputError) -> [String]
    {
        if !own.isEmpty { return try InputSources.expand(own) }
        var out: [String] = []
        for p in top where try cache.kind(p) == rule.kind { out.append(p) }
        guard rule.kind == .profile else { return out }
        // Profiles route by sample type: CPU and allocs profiles can sit side by side, and a
        // rule reads the ones that carry its sample type — one kind of profile only.
        if let st = rule.sampleType {
            var carrying: [String] = []
            for p in out where try cache.profile(p).sampleTypes.contains(where: { $0.type == st }) {
                carrying.append(p)
            }
            out = carrying
        }
        var kinds: [String: String] = [:]  // default sample type → first input
        for p in out { kinds[try cache.defaultSampleType(p)] = kinds[try cache.defaultSampleType(p)] ?? p }
        if kinds.count > 1 {
            let list = kinds.sorted { $0.key < $1.key }.map { "\($0.value): \($0.key)" }.joined(separator: ", ")
            throw InputError(
                source: rule.location,
                "rule \"\(rule.name)\": the \(side) inputs hold several kinds of profile\(rule.sampleType.map { " carrying \($0)" } ?? "") (\(list)); give the rule sample_type: or its own \(side): inputs"
            )
        }
        return out
    }

    // MARK: - Deciding

    /// Compares two samples of the measured quantity. `deterministic`: the values are exact
    /// (compiler output, a single profile per side): decide on them without a test.
    static func decide(
        _ rule: GateRule, _ b: [Double], _ c: [Double], alpha: Double, confidence: Double,
        deterministicNote: String? = nil
    ) throws(InputError) -> GateRow {
        var row = GateRow()
        row.baseN = b.count
        row.candN = c.count
        let mb = Statistics.median(b)
        let mc = Statistics.median(c)
        row.base = mb
        row.cand = mc
        guard let mc else {
            // Nothing measured: undecided, never a silent pass.
            row.status = .inconclusive
            row.note = "no candidate values"
            return row
        }
        if rule.compare == .limit {
            row.change = mc
            row.exceeds = rule.direction == .increase ? mc > rule.threshold : mc < rule.threshold
            row.tripped = row.exceeds
            row.note = "limit: candidate median (n=\(c.count)) against \(fmtNum(rule.threshold)); no test needed"
            row.status = row.tripped ? status(rule.severity) : .pass
            return row
        }
        guard let mb else {
            row.status = .inconclusive
            row.note = "no base values"
            return row
        }
        let change = changeOf(rule.compare, mb, mc)
        row.change = change
        row.exceeds = exceeds(rule, change)
        if let deterministicNote {
            row.tripped = row.exceeds
            row.note = deterministicNote
        } else {
            let cmp = Statistics.compare(base: b, cand: c, alpha: alpha, confidence: confidence)
            if let cmp {
                row.p = cmp.p
                row.method = cmp.test?.method.rawValue
                let lo = changeOf(rule.compare, cmp.base.hi, cmp.cand.lo)
                let hi = changeOf(rule.compare, cmp.base.lo, cmp.cand.hi)
                if lo.isFinite || hi.isFinite {
                    row.changeLo = lo.isNaN ? nil : lo
                    row.changeHi = hi.isNaN ? nil : hi
                }
            }
            let few = b.count < Statistics.minimumSamples || c.count < Statistics.minimumSamples
            if few && !rule.assumeExact {
                row.note =
                    "too few samples (n=\(b.count)+\(c.count), need \(Statistics.minimumSamples) per side): not decided"
                row.status = .inconclusive
                return row
            }
            if !few && smallestP(b.count, c.count) > alpha {
                // Not even the clearest difference could be significant: the rule could never trip.
                throw InputError(
                    source: rule.location,
                    "rule \"\(rule.name)\": α=\(fmtNum(alpha)) cannot be reached with \(b.count)+\(c.count) runs (the smallest possible p is \(Units.cFormat("%.3g", smallestP(b.count, c.count)))); give it at least \(runsNeeded(alpha: alpha)) runs per side or raise alpha"
                )
            }
            if few {
                row.tripped = row.exceeds
                row.note = "assume: exact — decided on the medians (n=\(b.count)+\(c.count)) without a test"
            } else {
                let significant = cmp?.significant ?? false
                row.tripped = row.exceeds && significant
                row.note = "U test: " + (significant ? "significant" : "not significant") + " at α=\(fmtNum(alpha))"
            }
        }
        row.status = row.tripped ? status(rule.severity) : .pass
        return row
    }

    static func status(_ s: GateRule.Severity) -> GateRow.Status { s == .fail ? .fail : .warn }

    /// The change from base `b` to candidate `c` in a comparison's unit.
    static func changeOf(_ compare: GateRule.Compare, _ b: Double, _ c: Double) -> Double {
        switch compare {
        case .relative:
            if b == c { return 0 }
            if b == 0 { return c > 0 ? .infinity : -.infinity }
            if !b.isFinite || !c.isFinite { return .nan }
            return (c / b - 1) * 100
        case .absolute, .share, .new: return c - b
        case .limit: return c
        }
    }

    static func exceeds(_ rule: GateRule, _ change: Double) -> Bool {
        if change.isNaN { return false }
        return rule.direction == .increase ? change > rule.threshold : change < -rule.threshold
    }

    static func newRow(_ rule: GateRule, items: [String], baseCount: Int, candCount: Int) -> GateRow {
        var row = GateRow()
        row.base = Double(baseCount)
        row.cand = Double(candCount)
        row.baseN = 1
        row.candN = 1
        row.change = Double(items.count)
        row.exceeds = Double(items.count) > rule.threshold
        row.tripped = row.exceeds
        row.details = items
        row.note = "\(items.count) new (threshold \(fmtNum(rule.threshold))); a count: no test needed"
        row.status = row.tripped ? status(rule.severity) : .pass
        return row
    }

    // MARK: - profile rules

    /// A profile's matched value and total for a rule.
    struct ProfileMeasure {
        var value: Int64
        var total: Int64
        var share: Double { total == 0 ? 0 : Double(value) / Double(total) * 100 }
        /// Matching function name → flat or cum value.
        var frames: [String: Int64]
        var sampleType: String
        /// How many distinct frame names the rule's regex matched (0: a typo, or gone).
        var matchedNames: Int
        /// The profile's default sample type (what a rule without sample_type reads).
        var defaultType: String
    }

    static func measureProfile(_ rule: GateRule, _ path: String, _ cache: GateInputCache) throws(InputError)
        -> ProfileMeasure
    {
        let p = try cache.profile(path)
        let si: Int
        do { si = try p.sampleIndex(named: rule.sampleType ?? "") } catch {
            throw InputError(source: path, "\(error.message) (rule \"\(rule.name)\" at \(rule.location))")
        }
        let defaultType = try cache.defaultSampleType(path)
        guard let frames = rule.frames else {
            return ProfileMeasure(
                value: 0, total: 0, frames: [:], sampleType: "", matchedNames: 0, defaultType: defaultType)
        }
        // An empty profile, or one with nothing of this sample type, gives every rule 0 on
        // that side: a comparison against it means nothing.
        if p.samples.count == 0 {
            throw InputError(source: path, "no samples (rule \"\(rule.name)\" at \(rule.location))")
        }
        let total = FunctionTable.reportTotal(p, si)
        if total == 0 {
            throw InputError(
                source: path,
                "the total of \(p.sampleTypes[si].type) is zero (rule \"\(rule.name)\" at \(rule.location))")
        }
        let nodes = NodeTable(profile: p)
        let hit = nodes.names.map { frames.matches($0) }
        let s = p.samples
        var value: Int64 = 0
        for i in 0..<s.count {
            let w = s.value(i, si)
            if w == 0 { continue }
            var matched = false
            outer: for k in s.locationRange(i) {
                let loc = Int(s.locations[k])
                guard loc >= 0 && loc + 1 < nodes.frameStart.count else { continue }
                for j in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                    if hit[Int(nodes.frames[j])] { matched = true }
                    if matched || rule.measure == .flat { break outer }
                }
            }
            if matched { value &+= w }
        }
        var o = TableOptions(sampleIndex: si)
        o.nodeFraction = 0
        let table = FunctionTable(profile: p, nodes: nodes, options: o)
        var byName: [String: Int64] = [:]
        for r in table.rows where hit[Int(r.node)] {
            let v = rule.measure == .flat ? r.flat : r.cum
            if v != 0 { byName[r.name, default: 0] &+= v }
        }
        let st = p.sampleTypes[si]
        return ProfileMeasure(
            value: value, total: total, frames: byName, sampleType: "\(st.type)/\(st.unit)",
            matchedNames: hit.filter { $0 }.count, defaultType: defaultType)
    }

    static func profileRule(
        _ rule: GateRule, _ bp: [String], _ cp: [String], _ config: GateConfig, _ cache: GateInputCache
    ) throws(InputError) -> GateResult {
        var bm: [ProfileMeasure] = []
        for p in bp { bm.append(try measureProfile(rule, p, cache)) }
        var cm: [ProfileMeasure] = []
        for p in cp { cm.append(try measureProfile(rule, p, cache)) }
        var result = GateResult(rule: rule, rows: [], status: .pass)
        result.valueUnit = cm.first?.sampleType ?? ""
        if rule.sampleType == nil, let b = bm.first, let c = cm.first(where: { $0.defaultType != b.defaultType }) {
            throw InputError(
                source: rule.location,
                "rule \"\(rule.name)\": the base's default sample type is \(b.defaultType) but the candidate's is \(c.defaultType) (a /heap profile against an /allocs one?); name one with sample_type:"
            )
        }
        if rule.compare != .new && !rule.allowNoMatch && (bm + cm).allSatisfy({ $0.matchedNames == 0 }) {
            throw InputError(
                source: rule.location,
                "rule \"\(rule.name)\": frames /\(rule.frames?.source ?? "")/ match no function in the base or the candidate (\((bp + cp).joined(separator: ", "))); check the regex, or set allow_no_match: true if the frames are expected to be gone"
            )
        }
        // Frames: summed values and their share of the summed totals per side.
        func sums(_ ms: [ProfileMeasure]) throws(InputError) -> (values: [String: Int64], shares: [String: Double]) {
            var sum: [String: Int64] = [:]
            var total: Int64 = 0
            do {
                for m in ms {
                    total = try CheckedSum.add(total, m.total, "the runs' totals")
                    for (k, v) in m.frames { sum[k] = try CheckedSum.add(sum[k] ?? 0, v, "the runs' values of \(k)") }
                }
            } catch {
                throw InputError(source: rule.location, "rule \"\(rule.name)\": \(error.message)")
            }
            var out: [String: Double] = [:]
            for (k, v) in sum { out[k] = total == 0 ? 0 : Double(v) / Double(total) * 100 }
            return (sum, out)
        }
        let (bv, bs) = try sums(bm)
        let (cv, cs) = try sums(cm)
        var contributors: [GateContributor] = []
        for name in Set(bs.keys).union(cs.keys) {
            contributors.append(
                GateContributor(
                    name: name, baseShare: bs[name] ?? 0, candShare: cs[name] ?? 0, baseValue: bv[name] ?? 0,
                    candValue: cv[name] ?? 0))
        }
        // The cause, both ways: the frames whose share changed most, grown or shrunk.
        contributors.sort { a, b in
            if abs(a.delta) != abs(b.delta) { return abs(a.delta) > abs(b.delta) }
            if a.candShare != b.candShare { return a.candShare > b.candShare }
            return a.name < b.name
        }
        result.contributors = Array(contributors.filter { $0.delta != 0 }.prefix(8))

        if rule.compare == .new {
            let baseNames = Set(bs.keys)
            let added = cs.keys.filter { !baseNames.contains($0) }.sorted { (cs[$0] ?? 0, $1) > (cs[$1] ?? 0, $0) }
            var row = newRow(rule, items: added, baseCount: bs.count, candCount: cs.count)
            row.details = added.map { $0 + " (" + fmtNum(cs[$0] ?? 0) + "%)" }
            result.rows = [row]
            return result
        }
        let values: (ProfileMeasure) -> Double = rule.compare == .absolute ? { Double($0.value) } : { $0.share }
        let single = bm.count <= 1 && cm.count == 1
        let note =
            single
            ? "no test possible: one profile per side; " + (rule.compare == .absolute ? "values" : "normalized shares")
                + " compared"
            : nil
        result.rows = [
            try decide(
                rule, bm.map(values), cm.map(values), alpha: config.alpha, confidence: config.confidence,
                deterministicNote: note)
        ]
        return result
    }

    // MARK: - bench rules

    static func benchRule(
        _ rule: GateRule, _ bp: [String], _ cp: [String], _ config: GateConfig, _ cache: GateInputCache
    ) throws(InputError) -> GateResult {
        guard let pattern = rule.benchmark else { return GateResult(rule: rule, rows: [], status: .pass) }
        // (pkg, name without GOMAXPROCS) → printed name and values, in first-appearance order.
        func collect(_ paths: [String]) throws(InputError) -> (
            keys: [String], names: [String: String], values: [String: [Double]]
        ) {
            var keys: [String] = []
            var names: [String: String] = [:]
            var values: [String: [Double]] = [:]
            for path in paths {
                let f = try cache.bench(path)
                for b in f.benchmarks where pattern.matches("Benchmark" + b.name) {
                    let v = b.values(rule.unit)
                    if v.isEmpty && rule.compare != .new { continue }
                    let key = b.pkg + "\u{0}" + b.baseName
                    if names[key] == nil {
                        keys.append(key)
                        names[key] = "Benchmark" + b.name
                    }
                    values[key, default: []] += v
                }
            }
            return (keys, names, values)
        }
        let b = try collect(bp)
        let c = try collect(cp)
        var result = GateResult(rule: rule, rows: [], status: .pass)
        result.valueUnit = rule.unit
        // Lines that are not benchmark results are counted, never dropped silently.
        for path in bp + cp {
            let w = try cache.bench(path).warnings
            if !w.isEmpty {
                result.notes.append(
                    "\(path): \(w.count) unrecognized line\(w.count == 1 ? "" : "s") skipped (first: \(w[0]))")
            }
        }
        let what = "no benchmark matching /\(pattern.source)/" + (rule.compare == .new ? "" : " with unit \(rule.unit)")
        if c.keys.isEmpty {
            throw InputError(
                source: cp.joined(separator: ", "),
                "\(what) in the candidate (rule \"\(rule.name)\" at \(rule.location))")
        }
        if rule.compare == .new {
            let bset = Set(b.keys)
            let added = c.keys.filter { !bset.contains($0) }.map { c.names[$0] ?? $0 }
            result.rows = [newRow(rule, items: added, baseCount: b.keys.count, candCount: c.keys.count)]
            return result
        }
        if rule.needsBase && b.keys.isEmpty {
            throw InputError(
                source: bp.joined(separator: ", "), "\(what) in the base (rule \"\(rule.name)\" at \(rule.location))")
        }
        for key in c.keys {
            let cv = c.values[key] ?? []
            let name = c.names[key] ?? key
            if rule.needsBase {
                guard let bv = b.values[key] else {
                    result.notes.append("\(name): only in the candidate (not compared)")
                    continue
                }
                var row = try decide(rule, bv, cv, alpha: config.alpha, confidence: config.confidence)
                row.item = name
                result.rows.append(row)
            } else {
                var row = try decide(rule, b.values[key] ?? [], cv, alpha: config.alpha, confidence: config.confidence)
                row.item = name
                result.rows.append(row)
            }
        }
        if rule.needsBase {
            for key in b.keys where c.values[key] == nil {
                // A regressed benchmark renamed or deleted in the candidate would pass unseen.
                if !rule.allowNoMatch {
                    throw InputError(
                        source: cp.joined(separator: ", "),
                        "\(b.names[key] ?? key) is in the base but not in the candidate (renamed or deleted?) (rule \"\(rule.name)\" at \(rule.location)); set allow_no_match: true if it is gone on purpose"
                    )
                }
                result.notes.append("\(b.names[key] ?? key): only in the base (not compared)")
            }
            if result.rows.isEmpty {
                throw InputError(
                    source: (bp + cp).joined(separator: ", "),
                    "no benchmark matching /\(pattern.source)/ is in both the base and the candidate (rule \"\(rule.name)\" at \(rule.location))"
                )
            }
        }
        return result
    }

    // MARK: - escape rules

    static func escapeRule(_ rule: GateRule, _ bp: [String], _ cp: [String], _ cache: GateInputCache) throws(InputError)
        -> GateResult
    {
        func load(_ paths: [String]) throws(InputError) -> EscapeReport {
            var all = EscapeReport(source: paths.joined(separator: ", "), findings: [], verbose: true)
            for p in paths {
                let r = try cache.escape(p)
                all.verbose = all.verbose && r.verbose
                all.findings += r.findings.filter { f in
                    rule.escapeKind.matches(f) && (rule.file?.matches(f.file) ?? true)
                        && (rule.function?.matches(f.function) ?? true)
                }
            }
            return all
        }
        let b = try load(bp)
        let c = try load(cp)
        // A file or function selector that matches no diagnostic at all is a typo, or code
        // that moved: either way the rule would count 0 on both sides forever.
        if !rule.allowNoMatch {
            var all: [EscapeFinding] = []
            for p in bp + cp { all += try cache.escape(p).findings }
            for (what, pattern) in [("file", rule.file), ("function", rule.function)] {
                guard let pattern else { continue }
                let hit = all.contains { pattern.matches(what == "file" ? $0.file : $0.function) }
                if !hit {
                    throw InputError(
                        source: rule.location,
                        "rule \"\(rule.name)\": \(what) /\(pattern.source)/ matches no diagnostic in the base or the candidate (\((bp + cp).joined(separator: ", "))); check the regex, or set allow_no_match: true"
                    )
                }
            }
        }
        var result = GateResult(rule: rule, rows: [], status: .pass)
        result.valueUnit = "escapes"
        if rule.function != nil && (!b.verbose || !c.verbose) {
            result.notes.append("plain -m logs name few functions: build with -gcflags='-m -m' for function selectors")
        }
        if rule.compare == .new {
            let d = EscapeDiff.compare(base: b, cand: c)
            var added = d.added
            var sites: AllocSites? = nil
            if !rule.profile.isEmpty {
                var profiles: [Profile] = []
                for p in rule.profile { profiles.append(try cache.profile(p)) }
                let merged: Profile
                do { merged = try ProfileMerge.merge(profiles) } catch {
                    throw InputError(source: rule.profile.joined(separator: ", "), "cannot merge: \(error.message)")
                }
                let s = try AllocSites(
                    profile: merged, source: rule.profile.joined(separator: ", "),
                    files: Array(Set(c.findings.map(\.file))))
                sites = s
                added = added.filter { s.isHot(s.heat(file: $0.file, line: $0.line), fraction: rule.hot / 100) }
                result.notes.append(
                    "only new escapes allocating ≥ \(fmtNum(rule.hot))% of \(s.spaceType) in \(rule.profile.joined(separator: ", ")) count"
                )
            }
            let items = added.map { f -> String in
                var s = "\(f.position) \(f.function.isEmpty ? "" : f.function + ": ")\(f.expression)"
                if let sites, let h = sites.heat(file: f.file, line: f.line) {
                    s += " (" + Units.label(h.space, unit: "bytes") + ")"
                }
                return s
            }
            result.rows = [newRow(rule, items: items, baseCount: b.findings.count, candCount: c.findings.count)]
            return result
        }
        var row = try decide(
            rule, rule.needsBase ? [Double(b.findings.count)] : [], [Double(c.findings.count)], alpha: 1,
            confidence: 0.95,
            deterministicNote: "compiler output is exact: no test needed")
        row.details = []
        result.rows = [row]
        return result
    }

    // MARK: - metric rules

    static func metricRule(
        _ rule: GateRule, _ bp: [String], _ cp: [String], _ config: GateConfig, _ cache: GateInputCache
    ) throws(InputError) -> GateResult {
        guard let key = rule.key else { return GateResult(rule: rule, rows: [], status: .pass) }
        func values(_ paths: [String]) throws(InputError) -> [Double] {
            var out: [Double] = []
            for p in paths { out += try metricValues(try cache.metric(p), key: key, rule: rule) }
            return out
        }
        let b = rule.needsBase ? try values(bp) : []
        let c = try values(cp)
        var row = try decide(rule, b, c, alpha: config.alpha, confidence: config.confidence)
        row.item = key
        var result = GateResult(rule: rule, rows: [row], status: .pass)
        result.valueUnit = ""
        return result
    }

    /// The number(s) at `key` (a top-level key, or a dotted path `a.b.c`): a number or a
    /// list of numbers (repeated runs).
    static func metricValues(_ doc: YAMLValue, key: String, rule: GateRule) throws(InputError) -> [Double] {
        func lookup(_ v: YAMLValue, _ parts: ArraySlice<String>) throws(InputError) -> YAMLValue? {
            guard let first = parts.first else { return v }
            let entries = try v.mapping(what: "a JSON object")
            // The longest key made of the next parts joined with "." wins ("p99.ns" keys).
            var n = parts.count
            while n >= 1 {
                let k = parts.prefix(n).joined(separator: ".")
                if let e = entries.first(where: { $0.0 == k }) {
                    if let found = try lookup(e.1, parts.dropFirst(n)) { return found }
                }
                n -= 1
            }
            _ = first
            return nil
        }
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let v = try lookup(doc, parts[...]) else {
            throw doc.error("no key \"\(key)\" (rule \"\(rule.name)\" at \(rule.location))")
        }
        if let list = try? v.list(what: key) {
            var out: [Double] = []
            for x in list {
                let d = try x.double(what: "values of \"\(key)\"")
                if !d.isFinite { throw x.error("values of \"\(key)\" must be finite numbers") }
                out.append(d)
            }
            if out.isEmpty { throw v.error("\"\(key)\" is an empty list") }
            return out
        }
        let d = try v.double(what: "\"\(key)\"")
        if !d.isFinite { throw v.error("\"\(key)\" must be a finite number") }
        return [d]
    }
}

/// Numbers for reports: up to 4 significant digits, no exponent for ordinary magnitudes.
func fmtNum(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+∞" : "-∞" }
    if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
    let a = abs(v)
    let digits = a >= 1000 ? 0 : (a >= 100 ? 1 : (a >= 10 ? 2 : (a >= 1 ? 3 : 4)))
    var s = Units.cFormat("%.\(digits)f", v)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s
}
