import FlamegateCore

/// `flamegate bisect`: which stored profile, in commit order, is the first after the
/// frames' value jumped.
public struct BisectRequest: Sendable {
    /// What to measure per profile.
    public enum Measure: String, Sendable, CaseIterable {
        /// Flat value of the matching functions (the sample type's unit).
        case flat
        /// Value of the samples with a matching frame on their stack.
        case cum
        /// `cum` as a percentage of the profile's total (the default: comparable across
        /// profiles of different lengths).
        case share
    }
    public var selector: String
    public var frames: String
    public var measure: Measure = .share
    public var sampleIndex: String? = nil
    public var store: String? = nil
    public var json = false
    public init(selector: String, frames: String) { (self.selector, self.frames) = (selector, frames) }
}

/// The change point and the evidence for it.
public struct BisectResult: Sendable {
    /// The profiles in the order used, with their measured values.
    public var profiles: [StoredProfile]
    public var values: [Double]
    /// How they were ordered: the `commit_seq` label, or the store's time order.
    public var orderedBy: String
    /// Index in `profiles` of the first profile after the change.
    public var changeIndex: Int
    /// Medians before and after.
    public var before: Double
    public var after: Double
    /// The U test between the two sides (nil when a side has one value).
    public var test: Statistics.MannWhitney?
    /// The sample type measured (`type/unit`).
    public var sampleType: String
}

public enum Bisect {
    /// The label that gives commit order when every selected profile has it (an integer,
    /// e.g. `git rev-list --count HEAD` at the commit).
    public static let orderLabel = "commit_seq"

    /// Measures every selected profile and finds the change point: the split into a
    /// before and an after whose values each sit closest to their own mean (least squares
    /// over two constant segments), which is where a lasting jump is.
    public static func run(_ r: BisectRequest) throws(InputError) -> BisectResult {
        let pattern: Pattern
        do { pattern = try Pattern(r.frames, option: "--frames") } catch { throw InputError(source: "--frames", error.message) }
        let sel = try StoreSelector.parse(r.selector)
        let store = try ProfileStore.open(try StoreLocation.resolve(r.store))
        var found = try store.list(sel.filter)
        if found.count < 3 {
            throw InputError(
                source: r.selector, "matches \(found.count) stored profile\(found.count == 1 ? "" : "s"); bisect needs at least 3")
        }
        var orderedBy = "time"
        let seqs = found.map { $0.label(orderLabel).flatMap { Int64($0) } }
        if seqs.allSatisfy({ $0 != nil }) {
            orderedBy = orderLabel
            found = zip(found, seqs).sorted { ($0.1!, $0.0.atNanos, $0.0.id) < ($1.1!, $1.0.atNanos, $1.0.id) }.map(\.0)
        }
        var values: [Double] = []
        var sampleType = ""
        for p in found {
            let bytes = try store.bytes(p.id)
            let source = "store:id=\(p.id)"
            var profile = try FormatRegistry.read(source, opener: InputOpener { _ in bytes })
            do { try ProfileFilter.removeUninteresting(&profile) } catch { throw InputError(source: source, error.message) }
            let m = try measure(profile, pattern, r.measure, r.sampleIndex, source: source)
            if sampleType.isEmpty { sampleType = m.type }
            if m.type != sampleType {
                throw InputError(source: source, "sample type \(m.type) differs from the others' \(sampleType): select one kind of profile")
            }
            values.append(m.value)
        }
        let k = changePoint(values)
        let b = Array(values[..<k]), a = Array(values[k...])
        let test = (b.count >= 2 && a.count >= 2) ? Statistics.mannWhitney(b, a) : nil
        return BisectResult(
            profiles: found, values: values, orderedBy: orderedBy, changeIndex: k,
            before: Statistics.median(b) ?? 0, after: Statistics.median(a) ?? 0, test: test, sampleType: sampleType)
    }

    /// The index of the first value after the change: minimises the summed squared
    /// deviations of the two sides from their means.
    public static func changePoint(_ v: [Double]) -> Int {
        let n = v.count
        var prefix = [0.0], prefix2 = [0.0]
        for x in v {
            prefix.append(prefix.last! + x)
            prefix2.append(prefix2.last! + x * x)
        }
        func sse(_ i: Int, _ j: Int) -> Double {
            let m = Double(j - i)
            let s = prefix[j] - prefix[i]
            return (prefix2[j] - prefix2[i]) - s * s / m
        }
        var best = 1, bestCost = Double.infinity
        for k in 1..<n {
            let c = sse(0, k) + sse(k, n)
            if c < bestCost - 1e-12 {
                best = k
                bestCost = c
            }
        }
        return best
    }

    /// The frames' value in one profile.
    static func measure(
        _ p: Profile, _ frames: Pattern, _ measure: BisectRequest.Measure, _ sampleIndex: String?, source: String
    ) throws(InputError) -> (value: Double, type: String) {
        let si = try ProfileLoader.sampleIndex(p, sampleIndex, source: source)
        let nodes = NodeTable(profile: p)
        let hit = nodes.names.map { frames.matches($0) }
        let s = p.samples
        var value: Int64 = 0
        var total: Int64 = 0
        for i in 0..<s.count {
            let w = s.value(i, si)
            total &+= w.magnitude > Int64.max.magnitude ? 0 : abs(w)
            if w == 0 { continue }
            var matched = false
            outer: for k in s.locationRange(i) {
                let loc = Int(s.locations[k])
                guard loc >= 0 && loc + 1 < nodes.frameStart.count else { continue }
                for j in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                    if hit[Int(nodes.frames[j])] { matched = true }
                    // flat: only the leaf frame counts.
                    if matched || measure == .flat { break outer }
                }
            }
            if matched { value &+= w }
        }
        let st = p.sampleTypes[si]
        let type = "\(st.type)/\(st.unit)"
        if measure == .share {
            return (total == 0 ? 0 : Double(value) / Double(total) * 100, type)
        }
        return (Double(value), type)
    }
}
