/// The share of the CPU the garbage collector took over a trace, counted as the runtime's
/// `/cpu/classes/gc/total` counts it: a GC stop-the-world takes every P (GOMAXPROCS) for its
/// duration; otherwise a P is doing GC while it runs a background mark worker (a goroutine
/// the runtime labels `GC (dedicated)`, `GC (fractional)` or `GC (idle)`) or a goroutine
/// inside a `GC mark assist` range. The fraction is that P-time over all P-time
/// (GOMAXPROCS × time) from the first GOMAXPROCS event to the trace's end.
///
/// (`go tool trace`'s MMU page answers a different question — how much CPU the mutator
/// had in the worst window — and, on Go 1.22+ traces, counts a P as doing GC once for every
/// worker label event it sees, so its curve can stay at 0 after the first GC.)
struct TraceGCUtilization {
    private var procs = 0
    /// The goroutine running on each P (-1: none).
    private var running: [Int64] = []
    private var stwDepth = 0
    private var stwOpen: [Int64: Bool] = [:]
    private var bgMark: Set<Int64> = []
    private var inAssist: Set<Int64> = []
    private var start: Int64? = nil
    private var lastTime: Int64 = 0
    private var gcPs = 0
    private var gcNs = 0.0
    private var allNs = 0.0

    typealias Ev = TraceWire.Ev

    private func isGC(_ g: Int64) -> Bool { bgMark.contains(g) || inAssist.contains(g) }

    private func countGCPs() -> Int {
        if stwDepth > 0 { return procs }
        var n = 0
        for g in running where g >= 0 && isGC(g) { n += 1 }
        return n
    }

    /// Feeds one event (in the reader's order).
    mutating func visit(_ ev: TraceEvent, _ g: TraceWire.Generation?) {
        if start != nil {
            let dt = Double(ev.time &- lastTime)
            gcNs += Double(gcPs) * dt
            allNs += Double(procs) * dt
        }
        lastTime = ev.time
        switch ev.type {
        case Ev.procsChange:
            if start == nil { start = ev.time }
            procs = Int(clamping: ev.a0)
            if running.count > procs { running.removeLast(running.count - procs) }
            while running.count < procs { running.append(-1) }
        case Ev.stwBegin:
            let gc = (g?.string(ev.a0) ?? "").contains("GC")
            stwOpen[ev.g] = gc
            if gc { stwDepth += 1 }
        case Ev.stwEnd:
            if stwOpen.removeValue(forKey: ev.g) == true { stwDepth -= 1 }
        case Ev.goLabel:
            if let label = g?.string(ev.a0), label.hasPrefix("GC ") { bgMark.insert(ev.g) }
        case Ev.gcMarkAssistBegin:
            inAssist.insert(ev.g)
        case Ev.gcMarkAssistActive:
            inAssist.insert(Int64(bitPattern: ev.a0))
        case Ev.gcMarkAssistEnd:
            inAssist.remove(ev.g)
        default:
            if let st = ev.goTransition, st.from != st.to, ev.p >= 0, Int(ev.p) < running.count {
                if st.to == .running {
                    running[Int(ev.p)] = st.id
                } else if st.from == .running, running[Int(ev.p)] == st.id {
                    running[Int(ev.p)] = -1
                }
            }
        }
        gcPs = countGCPs()
    }

    /// The GC's share of the CPU, 0…1 (0 when the trace has no GOMAXPROCS event).
    func gcFraction() -> Double { allNs > 0 ? gcNs / allNs : 0 }
}
