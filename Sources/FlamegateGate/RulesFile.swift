import FlamegateCore
import FlamegateRender

/// Reads `flamegate gate` rules files (YAML). Every error names the file, line and column.
///
/// ```yaml
/// base: [base/cpu.pb.gz, base/bench.txt]     # paths or a list, relative to this file
/// candidate: [cand/cpu.pb.gz, cand/bench.txt]
/// alpha: 0.05                                # U-test significance level
/// rules:
///   - name: map work
///     kind: profile                          # profile | bench | escape | metric
///     frames: '^(runtime\.map|internal/runtime/maps\.)'
///     measure: cum                           # flat | cum
///     sample_type: cpu
///     compare: share                         # relative | absolute | share | new | limit
///     threshold: 15
///     severity: fail                         # fail | warn
/// ```
public enum GateRulesFile {
    static let topKeys = ["base", "candidate", "alpha", "confidence", "rules"]
    static let commonKeys = [
        "name", "kind", "severity", "compare", "threshold", "direction", "assume", "base", "candidate",
        "allow_no_match",
    ]
    static let kindKeys: [GateRule.Kind: [String]] = [
        .profile: ["frames", "measure", "sample_type"],
        .bench: ["benchmark", "unit"],
        .escape: ["file", "function", "escape", "profile", "hot"],
        .metric: ["key"],
        .trace: ["measure", "task"],
    ]
    static let allowedCompares: [GateRule.Kind: [GateRule.Compare]] = [
        .profile: [.share, .relative, .absolute, .new, .limit],
        .bench: [.relative, .absolute, .new, .limit],
        .escape: [.new, .absolute, .relative, .limit],
        .metric: [.relative, .absolute, .limit],
        .trace: [.relative, .absolute, .limit],
    ]

    /// Parses `text` read from `source`; relative paths are resolved against `directory`
    /// (the rules file's folder; "" = as written).
    public static func parse(_ text: String, source: String, directory: String = "") throws(InputError) -> GateConfig {
        let doc = try YAMLValue.parse(text, source: source)
        var config = GateConfig()
        config.source = source
        var sawRules = false
        for (key, v) in try doc.mapping(allowed: topKeys, what: "the rules file") {
            switch key {
            case "base": config.base = try paths(v, "base", directory)
            case "candidate": config.candidate = try paths(v, "candidate", directory)
            case "alpha":
                config.alpha = try v.double(what: "alpha")
                if !(config.alpha > 0 && config.alpha < 1) { throw v.error("alpha must be between 0 and 1") }
            case "confidence":
                config.confidence = try v.double(what: "confidence")
                if !(config.confidence > 0 && config.confidence < 1) {
                    throw v.error("confidence must be between 0 and 1")
                }
            case "rules":
                sawRules = true
                for item in try v.list(what: "rules") { config.rules.append(try rule(item, directory)) }
            default: break
            }
        }
        if !sawRules || config.rules.isEmpty {
            throw InputError(source: source, "no rules: expected `rules:` with a list of rules")
        }
        var seen = Set<String>()
        for r in config.rules {
            if seen.contains(r.name) { throw InputError(source: r.location, "rule name \"\(r.name)\" appears twice") }
            seen.insert(r.name)
        }
        return config
    }

    /// Reads and parses a rules file.
    public static func read(_ path: String) throws(InputError) -> GateConfig {
        let bytes = try ProfileInput.readBytes(path)
        return try parse(String(decoding: bytes, as: UTF8.self), source: path, directory: directory(of: path))
    }

    /// The folder part of a path ("" for a bare name, "/" for a file at the root).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `path` resolved against `dir` unless absolute, `-`, or `dir` is empty.
    public static func resolve(_ path: String, against dir: String) -> String {
        if dir.isEmpty || path.hasPrefix("/") || path == "-" { return path }
        // A stored-profile selector is not a path.
        if path.hasPrefix("store:") { return path }
        return dir.hasSuffix("/") ? dir + path : dir + "/" + path
    }

    static func paths(_ v: YAMLValue, _ what: String, _ dir: String) throws(InputError) -> [String] {
        let list = try v.strings(what: what)
        if list.contains(where: \.isEmpty) { throw v.error("\(what) paths must not be empty") }
        return list.map { resolve($0, against: dir) }
    }

    static func rule(_ v: YAMLValue, _ dir: String) throws(InputError) -> GateRule {
        // The kind decides which keys are allowed: read it first.
        let all = commonKeys + kindKeys.values.flatMap { $0 }
        let entries = try v.mapping(allowed: all, what: "a rule")
        guard let kv = entries.first(where: { $0.0 == "kind" })?.1 else {
            throw v.error(
                "a rule needs a kind (one of: \(GateRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let kind = GateRule.Kind(rawValue: try kv.choice(GateRule.Kind.allCases.map(\.rawValue), what: "kind"))!
        let allowed = commonKeys + (kindKeys[kind] ?? [])
        for (k, x) in entries where !allowed.contains(k) {
            // Point at the key's value (the key itself has no node of its own here).
            throw x.error(
                "key \"\(k)\" does not apply to a \(kind.rawValue) rule (its keys: \(allowed.joined(separator: ", ")))")
        }
        var name: String? = nil
        var compare: GateRule.Compare? = nil
        var threshold: Double? = nil
        var r = GateRule(name: "", kind: kind, compare: .relative, threshold: 0)
        r.location = v.location
        for (k, x) in entries {
            switch k {
            case "name":
                name = try x.string(what: "name")
                if name?.isEmpty == true { throw x.error("name must not be empty") }
            case "kind": break
            case "severity":
                r.severity = .init(
                    rawValue: try x.choice(GateRule.Severity.allCases.map(\.rawValue), what: "severity"))!
            case "compare":
                let c = GateRule.Compare(
                    rawValue: try x.choice(GateRule.Compare.allCases.map(\.rawValue), what: "compare"))!
                let ok = allowedCompares[kind] ?? []
                if !ok.contains(c) {
                    throw x.error(
                        "compare: \(c.rawValue) does not apply to a \(kind.rawValue) rule (use one of: \(ok.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                compare = c
            case "threshold":
                let t = try x.double(what: "threshold")
                if !t.isFinite { throw x.error("threshold must be a finite number") }
                threshold = t
            case "direction":
                r.direction = .init(
                    rawValue: try x.choice(GateRule.Direction.allCases.map(\.rawValue), what: "direction"))!
            case "assume": r.assumeExact = try x.choice(["exact", "nothing"], what: "assume") == "exact"
            case "allow_no_match": r.allowNoMatch = try x.bool(what: "allow_no_match")
            case "base": r.base = try paths(x, "base", dir)
            case "candidate": r.candidate = try paths(x, "candidate", dir)
            case "frames": r.frames = try x.pattern(what: "frames")
            case "measure" where kind == .trace:
                r.traceMeasure = .init(rawValue: try x.choice(TraceMeasure.allCases.map(\.rawValue), what: "measure"))!
            case "task":
                r.task = try x.string(what: "task")
                if r.task?.isEmpty == true { throw x.error("task must not be empty") }
            case "measure":
                r.measure = .init(rawValue: try x.choice(GateRule.Measure.allCases.map(\.rawValue), what: "measure"))!
            case "sample_type": r.sampleType = try x.string(what: "sample_type")
            case "benchmark": r.benchmark = try x.pattern(what: "benchmark")
            case "unit":
                r.unit = try x.string(what: "unit")
                if r.unit.isEmpty || r.unit.contains(" ") {
                    throw x.error("unit must be one word, as printed (ns/op, B/op, allocs/op, p99-ns…)")
                }
            case "file": r.file = try x.pattern(what: "file")
            case "function": r.function = try x.pattern(what: "function")
            case "escape":
                r.escapeKind = .init(
                    rawValue: try x.choice(GateRule.EscapeKind.allCases.map(\.rawValue), what: "escape"))!
            case "profile": r.profile = try paths(x, "profile", dir)
            case "hot":
                r.hot = try x.double(what: "hot")
                if !(r.hot >= 0 && r.hot <= 100) { throw x.error("hot must be a percentage between 0 and 100") }
            case "key":
                r.key = try x.string(what: "key")
                if r.key?.isEmpty == true { throw x.error("key must not be empty") }
            default: break
            }
        }
        guard let name else { throw v.error("a rule needs a name") }
        r.name = name
        r.compare = compare ?? (kind == .escape ? .new : (kind == .profile ? .share : .relative))
        switch kind {
        case .profile: if r.frames == nil { throw v.error("rule \"\(name)\" needs frames (a regex on function names)") }
        case .bench:
            if r.benchmark == nil { throw v.error("rule \"\(name)\" needs benchmark (a regex on benchmark names)") }
        case .metric: if r.key == nil { throw v.error("rule \"\(name)\" needs key (a key of the JSON files)") }
        case .escape: break
        case .trace:
            guard let m = r.traceMeasure else {
                throw v.error(
                    "rule \"\(name)\" needs measure (one of: \(TraceMeasure.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if m.needsTask && r.task == nil { throw v.error("rule \"\(name)\": measure \(m.rawValue) needs task: TYPE") }
            if !m.needsTask && r.task != nil { throw v.error("rule \"\(name)\": task: applies only to the task_* measures") }
        }
        if let threshold {
            r.threshold = threshold
        } else if r.compare != .new {
            throw v.error("rule \"\(name)\" needs threshold (a number: \(thresholdMeaning(r)))")
        }
        // Thresholds are magnitudes: `direction` says which way is bad. A negative or
        // impossible one would make a rule that can never trip.
        if r.threshold < 0 {
            throw v.error(
                "rule \"\(name)\": threshold must be ≥ 0 (\(thresholdMeaning(r)); use direction: decrease for drops)")
        }
        if r.compare == .share && r.threshold > 100 {
            throw v.error("rule \"\(name)\": a share threshold above 100 percentage points can never be exceeded")
        }
        if r.compare == .new && r.direction == .decrease {
            throw v.error("rule \"\(name)\": direction: decrease does not apply to compare: new (it counts new items)")
        }
        return r
    }

    static func thresholdMeaning(_ r: GateRule) -> String {
        switch r.compare {
        case .relative: return "percent change"
        case .absolute: return "change in the measure's unit"
        case .share: return "percentage points of the profile total"
        case .new: return "count of new items"
        case .limit: return "the most the candidate may have"
        }
    }
}

/// `flamegate gate`: a rules file and the command line's overrides.
public struct GateRequest: Sendable {
    /// The rules file (YAML).
    public var rules: String
    /// Significance level of the U test (overrides the file's `alpha:`).
    public var alpha: Double?
    /// Base inputs (replace the file's top-level `base:`).
    public var base: [String]?
    /// Candidate inputs (replace the file's top-level `candidate:`).
    public var candidate: [String]?
    /// A rule that could not decide fails the gate (exit 1) instead of reading INCONCLUSIVE.
    public var failOnInconclusive = false
    /// A request for `rules` with these overrides.
    public init(
        rules: String, alpha: Double? = nil, base: [String]? = nil, candidate: [String]? = nil,
        failOnInconclusive: Bool = false
    ) {
        (self.rules, self.alpha, self.base, self.candidate) = (rules, alpha, base, candidate)
        self.failOnInconclusive = failOnInconclusive
    }
}
