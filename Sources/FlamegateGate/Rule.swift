import FlamegateCore
import FlamegateRender

/// One rule of `flamegate gate`: what to measure on the base and the candidate, how to
/// compare the two, and what a change beyond the threshold means.
public struct GateRule: Sendable {
    /// The kind of input a rule reads.
    public enum Kind: String, Sendable, CaseIterable {
        /// pprof / perf script / folded profiles.
        case profile
        /// `go test -bench` output.
        case bench
        /// `go build -gcflags=-m` logs.
        case escape
        /// JSON files of numbers.
        case metric
        /// A Go execution trace (`trace stats` figures).
        case trace
    }

    /// How base and candidate are compared.
    public enum Compare: String, Sendable, CaseIterable {
        /// Relative change of the medians, in percent.
        case relative
        /// Change of the medians in the measure's unit (profile: the sample type's unit).
        case absolute
        /// Change of the share of the profile total, in percentage points (profiles only).
        case share
        /// Number of items in the candidate that the base does not have.
        case new
        /// The candidate's median against a fixed value (the base is not needed).
        case limit
    }

    /// What a tripped rule does to the verdict: `fail` fails the gate (exit 1), `warn` only reports.
    public enum Severity: String, Sendable, CaseIterable { case fail, warn }
    /// Which way is bad: `increase` trips on a rise beyond the threshold, `decrease` on a fall.
    public enum Direction: String, Sendable, CaseIterable { case increase, decrease }
    /// profile: `cum` counts samples with a matching frame anywhere, `flat` only where the leaf matches.
    public enum Measure: String, Sendable, CaseIterable { case flat, cum }

    /// What escapes an escape rule counts.
    public enum EscapeKind: String, Sendable, CaseIterable {
        /// Every heap allocation (`escapes to heap`, `moved to heap`).
        case heap
        case escapes
        case movedToHeap = "moved-to-heap"
        case map
        case slice

        /// Whether a finding counts for this kind; only heap allocations ever do.
        public func matches(_ f: EscapeFinding) -> Bool {
            guard f.isHeap else { return false }
            switch self {
            case .heap: return true
            case .escapes: return f.kind == .escapes
            case .movedToHeap: return f.kind == .movedToHeap
            case .map: return f.isMap
            case .slice: return f.isSlice
            }
        }
    }

    /// The rule's name in reports (and JUnit's testcase name).
    public var name: String
    /// Which input kind the rule reads; it also decides which selector keys are allowed.
    public var kind: Kind
    /// `fail` (default) or `warn`.
    public var severity: Severity = .fail
    /// How base and candidate are compared, and so the unit of `threshold`.
    public var compare: Compare
    /// In the comparison's unit: percent (`relative`), percentage points (`share`), the
    /// measure's unit (`absolute`, `limit`), a count (`new`).
    public var threshold: Double
    /// The bad direction; for `limit` the threshold is a ceiling (`increase`) or a floor (`decrease`).
    public var direction: Direction = .increase
    /// Decide without a significance test even with fewer than `Statistics.minimumSamples`
    /// values per side (`assume: exact`).
    public var assumeExact = false
    /// Frames, benchmarks or escapes the selectors name may be absent on both sides (or,
    /// for benchmarks, gone from the candidate) without an error (`allow_no_match: true`).
    public var allowNoMatch = false

    // Selectors.
    /// profile: frames whose samples count (regex on function names).
    public var frames: Pattern? = nil
    /// profile: `cum` (default) or `flat` value of the matching frames.
    public var measure: Measure = .cum
    /// profile: the sample type (`cpu`, `alloc_space`…); nil = the profile's default.
    public var sampleType: String? = nil
    /// bench: regex on the benchmark name as printed (`BenchmarkMapassign-8`).
    public var benchmark: Pattern? = nil
    /// bench: the unit as printed (`ns/op`, `B/op`, `allocs/op`, `p99-ns`…).
    public var unit = "ns/op"
    /// escape: regexes on the file and the function; the kind of escape.
    public var file: Pattern? = nil
    /// escape: regex on the enclosing function (known only in `-m -m` logs).
    public var function: Pattern? = nil
    /// escape: which heap escapes count (default: all of them).
    public var escapeKind: EscapeKind = .heap
    /// escape: allocation profiles of the candidate; with them only new escapes whose line
    /// allocates at least `hot` percent of alloc_space count.
    public var profile: [String] = []
    /// escape: with `profile`, the minimum share of alloc_space (percent) for a new escape's line to count.
    public var hot: Double = 1
    /// metric: key (dotted path) in the JSON files.
    public var key: String? = nil
    /// trace: what is measured in each trace (`stw_p99`, `task_p99`…).
    public var traceMeasure: TraceMeasure? = nil
    /// trace: the task type for the `task_*` measures.
    public var task: String? = nil

    /// The rule's own inputs (already resolved against the rules file's folder); empty =
    /// the top-level ones.
    public var base: [String] = []
    /// The rule's own candidate inputs, like `base`; empty = the top-level ones.
    public var candidate: [String] = []

    /// Where the rule is in the rules file (`gate.yml:12:5`).
    public var location: String = ""

    /// A rule with the defaults: severity `fail`, direction `increase`, no selectors, top-level inputs.
    public init(name: String, kind: Kind, compare: Compare, threshold: Double) {
        self.name = name
        self.kind = kind
        self.compare = compare
        self.threshold = threshold
    }

    /// Whether the rule compares against a base at all.
    public var needsBase: Bool { compare != .limit }

    /// The unit of the rule's change, for reports.
    public var changeUnit: String {
        switch compare {
        case .relative: return "%"
        case .share: return "pp"
        case .new: return "new"
        case .absolute, .limit:
            switch kind {
            case .bench: return unit
            case .escape: return "escapes"
            case .profile: return compare == .limit ? "%" : ""
            case .metric: return ""
            case .trace: return traceMeasure?.unit ?? ""
            }
        }
    }
}

/// A parsed rules file.
public struct GateConfig: Sendable {
    /// Top-level inputs (resolved against the rules file's folder).
    public var base: [String] = []
    /// Top-level candidate inputs, used by rules that name none (`--candidate` replaces them).
    public var candidate: [String] = []
    /// Significance level for the U tests (the file's `alpha`, overridden by `--alpha`); 0.05 by default.
    public var alpha = Statistics.defaultAlpha
    /// Confidence level for the medians' intervals (the file's `confidence`); 0.95 by default.
    public var confidence = Statistics.defaultConfidence
    /// The rules, in file order (and report order).
    public var rules: [GateRule] = []
    /// The rules file's path, for reports and messages.
    public var source: String = ""
    /// An empty configuration with benchstat's alpha and confidence.
    public init() {}
}
