/// A distribution of exact event durations (nanoseconds), with nearest-rank percentiles:
/// the p-th percentile of n values is the value at rank ⌈p/100 × n⌉ in ascending order.
public struct TraceDistribution: Sendable, Equatable {
    /// The durations, ascending.
    public private(set) var values: [Int64]

    /// A distribution of `values` (any order).
    public init(_ values: [Int64]) { self.values = values.sorted() }

    public var count: Int { values.count }
    public var total: Int64 { values.reduce(0, &+) }
    public var max: Int64 { values.last ?? 0 }

    /// Nearest-rank percentile (0 when empty).
    public func percentile(_ p: Int) -> Int64 {
        guard !values.isEmpty else { return 0 }
        let rank = Swift.max(1, (p * values.count + 99) / 100)
        return values[Swift.min(rank, values.count) - 1]
    }
}

/// The numbers `go tool trace` shows only as pictures, from a Go execution trace.
///
/// Definitions (as the reader delivers the events, in Go's order and clock):
/// - duration: from the first event (the first generation's start) to the trace's end;
/// - a stop-the-world pause is every completed `stop-the-world (REASON)` range, all
///   reasons (GC phases, `start trace`, profile reads…); ranges open at either end are left out;
/// - a GC cycle counts when its mark phase begins inside the trace (`GCBegin`);
///   `gc.mark_total_ns` is the time with a mark phase in progress inside the trace;
/// - `gc.cpu_fraction`: the GC's share of all P-time (GOMAXPROCS × time): GC stop-the-world
///   pauses × GOMAXPROCS, background mark workers and mark assists while they run — what the
///   runtime's `/cpu/classes/gc/total` counts (`TraceGCUtilization`);
/// - scheduler latency: every runnable → running span whose start is inside the trace;
/// - blocking by reason: every span in the waiting state entered inside the trace, by the
///   block reason: sync (`sync`, `sync.(*Cond).Wait`…), channel (`chan send`, `chan
///   receive`), select, network, sleep; syscall is time in system calls; other reasons
///   (GC and runtime-internal waits) are left out;
/// - goroutines: created inside the trace, and the most alive at once;
/// - tasks and regions: every task (region) that begins and ends inside the trace, by type.
public struct TraceStats: Sendable {
    public var durationNs: Int64 = 0
    public var gcCount = 0
    public var gcMarkNs: Int64 = 0
    public var gcAssistNs: Int64 = 0
    /// The GC's share of the CPU (0…1): P-time in GC pauses, mark workers and assists.
    public var gcCPUFraction = 0.0
    public var stw = TraceDistribution([])
    public var stwByReason: [String: TraceDistribution] = [:]
    public var schedLatency = TraceDistribution([])
    public var block: [String: TraceDistribution] = [:]
    public var goroutinesCreated = 0
    public var goroutinesPeak = 0
    public var tasks: [String: TraceDistribution] = [:]
    public var regions: [String: TraceDistribution] = [:]

    /// The block reasons reported, in order.
    public static let blockReasons = ["sync", "channel", "select", "network", "syscall", "sleep"]

    /// Which reported reason a runtime block reason belongs to (nil: not reported).
    static func blockKey(_ reason: String) -> String? {
        if reason.hasPrefix("chan") { return "channel" }
        if reason == "select" { return "select" }
        if reason.hasPrefix("sync") { return "sync" }
        if reason == "network" { return "network" }
        if reason == "sleep" { return "sleep" }
        return nil
    }

    /// The stats of the trace in `bytes`.
    public static func compute(_ bytes: UnsafeRawBufferPointer, source: String, release: TraceRelease? = nil) throws(InputError) -> TraceStats {
        var s = TraceStats()
        var first: Int64? = nil
        var last: Int64 = 0
        var stwOpen: [Int64: (Int64, String)] = [:]
        var stwAll: [Int64] = []
        var stwReason: [String: [Int64]] = [:]
        var gcOpen: Int64? = nil
        var assistOpen: [Int64: Int64] = [:]
        var runnableSince: [Int64: Int64] = [:]
        var waitingSince: [Int64: (Int64, String)] = [:]
        var syscallSince: [Int64: Int64] = [:]
        var sched: [Int64] = []
        var blocks: [String: [Int64]] = [:]
        var alive = 0
        var taskOpen: [UInt64: (Int64, String)] = [:]
        var taskDur: [String: [Int64]] = [:]
        var regionOpen: [Int64: [(String, Int64)]] = [:]
        var regionDur: [String: [Int64]] = [:]
        var gcUtil = TraceGCUtilization()
        typealias Ev = TraceWire.Ev
        do {
            try TraceReader.read(bytes, release: release) { ev, g in
                gcUtil.visit(ev, g)
                if first == nil { first = ev.time }
                last = ev.time
                guard let g else { return }
                if let st = ev.goTransition {
                    if st.from == st.to { return }
                    let id = st.id
                    switch st.from {
                    case .runnable:
                        if let t = runnableSince.removeValue(forKey: id), st.to == .running { sched.append(ev.time &- t) }
                    case .waiting:
                        if let (t, key) = waitingSince.removeValue(forKey: id) { blocks[key, default: []].append(ev.time &- t) }
                    case .syscall:
                        if let t = syscallSince.removeValue(forKey: id) { blocks["syscall", default: []].append(ev.time &- t) }
                    default: break
                    }
                    if st.from == .notExist || st.from == .undetermined {
                        if st.to != .notExist {
                            alive += 1
                            s.goroutinesPeak = Swift.max(s.goroutinesPeak, alive)
                        }
                        if st.from == .notExist { s.goroutinesCreated += 1 }
                    } else if st.to == .notExist {
                        alive -= 1
                    }
                    // Spans are timed only when they start inside the trace.
                    if st.from == .undetermined { return }
                    switch st.to {
                    case .runnable: runnableSince[id] = ev.time
                    case .waiting:
                        if let key = blockKey(g.string(st.reason) ?? "") { waitingSince[id] = (ev.time, key) }
                    case .syscall: syscallSince[id] = ev.time
                    case .notExist: regionOpen[id] = nil
                    default: break
                    }
                    return
                }
                switch ev.type {
                case Ev.stwBegin:
                    stwOpen[ev.g] = (ev.time, g.string(ev.a0) ?? "")
                case Ev.stwEnd:
                    if let (t, reason) = stwOpen.removeValue(forKey: ev.g) {
                        stwAll.append(ev.time &- t)
                        stwReason[reason, default: []].append(ev.time &- t)
                    }
                case Ev.gcBegin:
                    s.gcCount += 1
                    gcOpen = ev.time
                case Ev.gcEnd:
                    if let t = gcOpen { s.gcMarkNs &+= ev.time &- t }
                    gcOpen = nil
                case Ev.gcActive:
                    gcOpen = gcOpen ?? ev.time
                case Ev.gcMarkAssistBegin:
                    assistOpen[ev.g] = ev.time
                case Ev.gcMarkAssistEnd:
                    if let t = assistOpen.removeValue(forKey: ev.g) { s.gcAssistNs &+= ev.time &- t }
                case Ev.userTaskBegin:
                    taskOpen[ev.a0] = (ev.time, g.string(ev.a2) ?? "")
                case Ev.userTaskEnd:
                    if let (t, name) = taskOpen.removeValue(forKey: ev.a0) { taskDur[name, default: []].append(ev.time &- t) }
                case Ev.userRegionBegin:
                    regionOpen[ev.g, default: []].append((g.string(ev.a1) ?? "", ev.time))
                case Ev.userRegionEnd:
                    let name = g.string(ev.a1) ?? ""
                    if var open = regionOpen[ev.g], let i = open.lastIndex(where: { $0.0 == name }) {
                        regionDur[name, default: []].append(ev.time &- open[i].1)
                        open.remove(at: i)
                        regionOpen[ev.g] = open
                    }
                default: break
                }
            }
        } catch let e as DecodeError {
            throw InputError(source: source, offset: e.offset, "Go execution trace: " + e.message)
        } catch {
            throw InputError(source: source, "Go execution trace: \(error)")
        }
        if let t = gcOpen { s.gcMarkNs &+= last &- t }
        s.durationNs = last &- (first ?? last)
        s.gcCPUFraction = gcUtil.gcFraction()
        s.stw = TraceDistribution(stwAll)
        s.stwByReason = stwReason.mapValues(TraceDistribution.init)
        s.schedLatency = TraceDistribution(sched)
        s.block = blocks.mapValues(TraceDistribution.init)
        s.tasks = taskDur.mapValues(TraceDistribution.init)
        s.regions = regionDur.mapValues(TraceDistribution.init)
        return s
    }
}

extension TraceStats {
    /// The stats as JSON (keys in docs/json.md: `stw.count`, `stw.p99_ns`, `gc.count`,
    /// `sched_latency.*`, `block.<reason>.*`, `tasks.<type>.*`…).
    public func json() -> String {
        var w = JSONWriter()
        func dist(_ key: String?, _ d: TraceDistribution, reason: String? = nil) {
            w.beginObject(key)
            if let reason { w.field("reason", reason) }
            w.field("count", d.count)
            w.field("total_ns", d.total)
            w.field("p50_ns", d.percentile(50))
            w.field("p90_ns", d.percentile(90))
            w.field("p99_ns", d.percentile(99))
            w.field("max_ns", d.max)
            w.endObject()
        }
        w.beginObject()
        w.field("duration_ns", durationNs)
        w.beginObject("stw")
        w.field("count", stw.count)
        w.field("total_ns", stw.total)
        w.field("p50_ns", stw.percentile(50))
        w.field("p90_ns", stw.percentile(90))
        w.field("p99_ns", stw.percentile(99))
        w.field("max_ns", stw.max)
        // Reasons are the runtime's words ("GC mark termination"): values, not keys.
        w.beginArray("by_reason")
        for r in stwByReason.keys.sorted() { dist(nil, stwByReason[r]!, reason: r) }
        w.endArray()
        w.endObject()
        w.beginObject("gc")
        w.field("count", gcCount)
        w.field("mark_total_ns", gcMarkNs)
        w.field("mark_wall_fraction", durationNs > 0 ? Double(gcMarkNs) / Double(durationNs) : 0)
        w.field("assist_total_ns", gcAssistNs)
        w.field("cpu_fraction", gcCPUFraction)
        w.endObject()
        dist("sched_latency", schedLatency)
        w.beginObject("block")
        for r in Self.blockReasons { dist(r, block[r] ?? TraceDistribution([])) }
        w.endObject()
        w.beginObject("goroutines")
        w.field("created", goroutinesCreated)
        w.field("peak", goroutinesPeak)
        w.endObject()
        w.beginObject("tasks")
        for t in tasks.keys.sorted() { dist(t, tasks[t]!) }
        w.endObject()
        w.beginObject("regions")
        for r in regions.keys.sorted() { dist(r, regions[r]!) }
        w.endObject()
        w.endObject()
        return w.text + "\n"
    }

    /// A duration for people: ns, µs, ms or s with up to 3 significant decimals.
    static func human(_ ns: Int64) -> String {
        let v = Double(ns)
        func f(_ x: Double, _ unit: String) -> String {
            let s = x >= 100 ? String(Int64(x.rounded())) : String(Double(Int64((x * 100).rounded())) / 100)
            return (s.hasSuffix(".0") ? String(s.dropLast(2)) : s) + unit
        }
        if ns < 1000 { return "\(ns)ns" }
        if v < 1e6 { return f(v / 1e3, "µs") }
        if v < 1e9 { return f(v / 1e6, "ms") }
        return f(v / 1e9, "s")
    }

    /// The stats as an aligned text table.
    public func text() -> String {
        var rows: [[String]] = [["", "count", "total", "p50", "p90", "p99", "max"]]
        func row(_ name: String, _ d: TraceDistribution) {
            rows.append(
                [name, String(d.count), Self.human(d.total)]
                    + (d.count == 0 ? ["-", "-", "-", "-"] : [50, 90, 99].map { Self.human(d.percentile($0)) } + [Self.human(d.max)]))
        }
        row("stop-the-world", stw)
        for r in stwByReason.keys.sorted() { row("  " + r, stwByReason[r]!) }
        row("sched latency", schedLatency)
        for r in Self.blockReasons { row("block " + r, block[r] ?? TraceDistribution([])) }
        for t in tasks.keys.sorted() { row("task " + t, tasks[t]!) }
        for r in regions.keys.sorted() { row("region " + r, regions[r]!) }
        var widths = [Int](repeating: 0, count: 7)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = Swift.max(widths[i], c.count) } }
        var out = "duration     \(Self.human(durationNs))\n"
        let frac = durationNs > 0 ? Double(gcMarkNs) * 100 / Double(durationNs) : 0
        out += "GC cycles    \(gcCount) (mark phase \(Self.human(gcMarkNs)), \(String(Double(Int64((frac * 10).rounded())) / 10))% of wall; assists \(Self.human(gcAssistNs)); \(String(Double(Int64((gcCPUFraction * 1000).rounded())) / 10))% of CPU)\n"
        out += "goroutines   \(goroutinesCreated) created, \(goroutinesPeak) alive at most\n\n"
        for r in rows {
            var line = r[0] + String(repeating: " ", count: widths[0] - r[0].count)
            for i in 1..<r.count { line += "  " + String(repeating: " ", count: widths[i] - r[i].count) + r[i] }
            out += line + "\n"
        }
        return out
    }
}
