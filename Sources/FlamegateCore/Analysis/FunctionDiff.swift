/// Per-function comparison of two profiles: flat and cum in the base and the candidate,
/// the change and the relative change, sorted by the size of the change.
public struct FunctionDiff: Sendable {
    /// One function's flat and cum on both sides; the base values are already scaled by `baseScale`.
    public struct Row: Sendable {
        /// Function name as pprof prints it at the chosen granularity.
        public var name: String
        /// Base flat, after `baseScale`.
        public var baseFlat: Int64
        /// Candidate flat (never scaled).
        public var candFlat: Int64
        /// Base cum, after `baseScale`.
        public var baseCum: Int64
        /// Candidate cum (never scaled).
        public var candCum: Int64
        /// Candidate flat minus base flat.
        public var deltaFlat: Int64 { candFlat &- baseFlat }
        /// Candidate cum minus base cum.
        public var deltaCum: Int64 { candCum &- baseCum }
    }

    /// Functions whose flat or cum changed, largest |change| first (flat or cum per `sortByCum`), then by name.
    public var rows: [Row]
    /// The base's report total, before `baseScale`.
    public var baseTotal: Int64
    /// The candidate's report total.
    public var candTotal: Int64
    /// The candidate's sample type (the base's is not checked against it).
    public var sampleType: ValueType
    /// The factor base values were multiplied by (1 unless normalised).
    public var baseScale: Double

    /// `normalize`: scale the base to the candidate's total, so shares are compared.
    public init(
        base: Profile, baseIndex: Int, candidate: Profile, candidateIndex: Int, options: TableOptions,
        normalize: Bool = false, sortByCum: Bool = false
    ) {
        var o = options
        o.nodeFraction = 0
        o.nodeCount = 0
        o.sampleIndex = baseIndex
        let bt = FunctionTable(profile: base, options: o)
        o.sampleIndex = candidateIndex
        let ct = FunctionTable(profile: candidate, options: o)
        baseTotal = bt.total
        candTotal = ct.total
        sampleType = candidate.sampleTypes[candidateIndex]
        let scale = normalize && bt.total != 0 ? Double(ct.total) / Double(bt.total) : 1
        baseScale = scale
        func scaled(_ v: Int64) -> Int64 { scale == 1 ? v : int64Saturating((Double(v) * scale).rounded()) }
        var byName: [String: Row] = [:]
        var order: [String] = []
        for r in bt.rows {
            if byName[r.name] == nil { order.append(r.name) }
            byName[r.name, default: Row(name: r.name, baseFlat: 0, candFlat: 0, baseCum: 0, candCum: 0)].baseFlat &+=
                scaled(r.flat)
            byName[r.name]!.baseCum &+= scaled(r.cum)
        }
        for r in ct.rows {
            if byName[r.name] == nil { order.append(r.name) }
            byName[r.name, default: Row(name: r.name, baseFlat: 0, candFlat: 0, baseCum: 0, candCum: 0)].candFlat &+=
                r.flat
            byName[r.name]!.candCum &+= r.cum
        }
        rows = order.compactMap { byName[$0] }.filter { $0.deltaFlat != 0 || $0.deltaCum != 0 }
        rows.sort { a, b in
            let (x, y) =
                sortByCum ? (absSat(a.deltaCum), absSat(b.deltaCum)) : (absSat(a.deltaFlat), absSat(b.deltaFlat))
            if x != y { return x > y }
            let (x2, y2) =
                sortByCum ? (absSat(a.deltaFlat), absSat(b.deltaFlat)) : (absSat(a.deltaCum), absSat(b.deltaCum))
            if x2 != y2 { return x2 > y2 }
            return LosslessUTF8.precedes(a.name, b.name)
        }
    }

    /// Relative change in percent; nil when the base is zero (new).
    public static func percent(_ base: Int64, _ cand: Int64) -> Double? {
        base == 0 ? nil : Double(cand &- base) / Double(absSat(base)) * 100
    }
}
