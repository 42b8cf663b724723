/// A documented pattern `explain` looks for: which frames, how wide they must be,
/// what it usually means, and how to confirm it.
public struct FindingRule: Sendable {
    /// What is summed: `cum` = any matching frame on the stack, `flat` = the leaf frame matches.
    public enum Measure: String, Sendable { case cum, flat }
    /// Unique key of the rule (a user rule with a built-in's id replaces it).
    public var id: String
    /// Short headline shown for the finding; the id when the file gives none.
    public var title: String
    /// Frames whose presence (cum) or leaf position (flat) marks a sample.
    public var frames: Pattern
    /// Optional: only count samples where a frame matching this calls the matched frame.
    public var under: Pattern?
    /// `cum` (any frame on the stack) or `flat` (the leaf frame) decides whether a sample counts.
    public var measure: Measure = .cum
    /// Minimum share of the profile total, in percent.
    public var minShare: Double
    /// Sample types (by name) the rule applies to; empty = all.
    public var sampleTypes: [String] = []
    /// What the pattern usually means and what to do about it, shown with the finding.
    public var meaning: String
    /// Commands to confirm; `{profile}` is replaced by the profile path(s).
    public var check: [String] = []
}

/// Loads finding rules from YAML (the built-in set, or a user's file that adds to it).
public enum FindingRules {
    /// Parses a rules file: `rules:` a list of rules with keys id, title, frames, under,
    /// measure, min_share, sample_types, meaning, check.
    public static func parse(_ text: String, source: String) throws(InputError) -> [FindingRule] {
        let doc = try YAMLValue.parse(text, source: source)
        var rules: [FindingRule] = []
        for (key, value) in try doc.mapping(allowed: ["rules"], what: "the findings file") where key == "rules" {
            for item in try value.list(what: "rules") {
                rules.append(try rule(item))
            }
        }
        var seen = Set<String>()
        for r in rules {
            if seen.contains(r.id) { throw InputError(source: source, "rule id \"\(r.id)\" appears twice") }
            seen.insert(r.id)
        }
        return rules
    }

    static func rule(_ v: YAMLValue) throws(InputError) -> FindingRule {
        let keys = ["id", "title", "frames", "under", "measure", "min_share", "sample_types", "meaning", "check"]
        var id: String? = nil
        var title = ""
        var frames: Pattern? = nil
        var under: Pattern? = nil
        var measure = FindingRule.Measure.cum
        var minShare: Double? = nil
        var types: [String] = []
        var meaning = ""
        var check: [String] = []
        for (k, x) in try v.mapping(allowed: keys, what: "a rule") {
            switch k {
            case "id": id = try x.string(what: "id")
            case "title": title = try x.string(what: "title")
            case "frames": frames = try x.pattern(what: "frames")
            case "under": under = try x.pattern(what: "under")
            case "measure": measure = FindingRule.Measure(rawValue: try x.choice(["cum", "flat"], what: "measure"))!
            case "min_share":
                let m = try x.double(what: "min_share")
                if !(m >= 0 && m <= 100) { throw x.error("min_share must be a percentage between 0 and 100") }
                minShare = m
            case "sample_types": types = try x.strings(what: "sample_types")
            case "meaning": meaning = try x.string(what: "meaning")
            case "check": check = try x.strings(what: "check")
            default: break
            }
        }
        guard let id else { throw v.error("a rule needs an id") }
        guard let frames else { throw v.error("rule \(id) needs frames (a regex)") }
        guard let minShare else { throw v.error("rule \(id) needs min_share (percent of the profile)") }
        return FindingRule(
            id: id, title: title.isEmpty ? id : title, frames: frames, under: under, measure: measure,
            minShare: minShare, sampleTypes: types, meaning: meaning, check: check)
    }

    /// The built-in rules (the text of `flamegate explain --print-rules`).
    public static func builtIn() -> [FindingRule] {
        // The built-in text is tested to parse; a failure here is a programming error.
        (try? parse(defaultRulesYAML, source: "built-in rules")) ?? []
    }

    /// Built-in rules plus a user's: a user rule with the same id replaces the built-in one.
    public static func combined(user: [FindingRule]) -> [FindingRule] {
        let ids = Set(user.map(\.id))
        return builtIn().filter { !ids.contains($0.id) } + user
    }
}

/// One rule that fired on a profile, with the numbers behind it.
public struct Finding: Sendable {
    /// The input the finding was made on.
    public var source: String = ""
    /// The rule that fired.
    public var rule: FindingRule
    /// The sample type the share was measured on.
    public var sampleType: ValueType
    /// Sum of the matching samples' values, in `sampleType.unit`.
    public var value: Int64
    /// pprof's report total for the sample type (sum of |values|).
    public var total: Int64
    /// `value` as a percent of `total` (≥ the rule's `minShare`).
    public var share: Double
    /// The widest matching frames with their cum value.
    public var frames: [(name: String, cum: Int64)]
    /// The user frames these samples are charged to (blame).
    public var chargedTo: [(name: String, value: Int64)]
}

/// Evaluates finding rules against a profile.
public enum Findings {
    /// Evaluates on `sampleIndex`, or on the profile's default sample type (pprof's choice).
    public static func evaluate(_ p: Profile, rules: [FindingRule], sampleIndex: Int? = nil, source: String = "")
        -> [Finding]
    {
        var out: [Finding] = []
        let nodes = NodeTable(profile: p)
        guard let si = sampleIndex ?? (try? p.sampleIndex(named: "")) else { return [] }
        let indices = [si]
        for rule in rules {
            for si in indices {
                let st = p.sampleTypes[si]
                if !rule.sampleTypes.isEmpty && !rule.sampleTypes.contains(st.type) { continue }
                if var f = evaluate(p, nodes, rule, si) {
                    f.source = source
                    out.append(f)
                }
            }
        }
        return out.sorted { $0.share > $1.share }
    }

    static func evaluate(_ p: Profile, _ nodes: NodeTable, _ rule: FindingRule, _ si: Int) -> Finding? {
        let total = FunctionTable.reportTotal(p, si)
        if total == 0 { return nil }
        let hit = nodes.names.map { rule.frames.matches($0) }
        let above = rule.under.map { u in nodes.names.map { u.matches($0) } }
        let s = p.samples
        var value: Int64 = 0
        var matched: [Int] = []
        for i in 0..<s.count {
            let w = s.value(i, si)
            if w == 0 { continue }
            var seenHit = false
            var qualifies = false
            var first = true
            outer: for k in s.locationRange(i) {
                let loc = Int(s.locations[k])
                for j in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                    let n = Int(nodes.frames[j])
                    if rule.measure == .flat && !first && !seenHit { break outer }
                    first = false
                    if hit[n] { seenHit = true }
                    if seenHit {
                        if let above {
                            if above[n] {
                                qualifies = true
                                break outer
                            }
                        } else {
                            qualifies = true
                            break outer
                        }
                    }
                }
            }
            if qualifies {
                value &+= w
                matched.append(i)
            }
        }
        let share = Double(value) / Double(total) * 100
        guard share >= rule.minShare, value != 0 else { return nil }
        // Evidence: the widest matching frames, and the user code charged for them.
        var o = TableOptions(sampleIndex: si)
        o.nodeFraction = 0
        let table = FunctionTable(profile: p, nodes: nodes, options: o)
        let frames = table.rows.filter { hit[Int($0.node)] }.sorted { $0.cum > $1.cum }.prefix(5).map {
            ($0.name, $0.cum)
        }
        var subset = p
        ProfileFilter.rebuildSamples(&subset, indices: matched)
        let blame = Blame(profile: subset, sampleIndex: si, total: total)
        var charged = blame.perUser.filter { $0.name != Blame.noUserFrame }.prefix(3).map { ($0.name, $0.value) }
        if charged.isEmpty {
            // Work with no runtime tail (e.g. a hot user function): name its callers instead.
            charged = []
        }
        return Finding(
            rule: rule, sampleType: p.sampleTypes[si], value: value, total: total, share: share, frames: Array(frames),
            chargedTo: charged)
    }
}

extension ProfileFilter {
    /// Keeps only the samples at `indices` (in order).
    static func rebuildSamples(_ p: inout Profile, indices: [Int]) {
        let old = p.samples
        var table = SampleTable(valueCount: old.valueCount)
        for s in indices {
            table.append(
                locations: old.locations[old.locationRange(s)],
                values: old.values[s * old.valueCount..<(s + 1) * old.valueCount],
                labels: Array(old.labels[old.labelRange(s)]))
        }
        p.samples = table
    }
}
