/// How an old-format trace's per-P event streams are merged (Go 1.27's
/// `tracev1/order.go`): each goroutine state change carries the goroutine's sequence
/// number (or "the same P as the last event"), and an event is taken only once its
/// goroutine is in the state it leaves; among those ready, the earliest by time.
enum OldTraceOrder {
    enum Status: UInt8 { case dead, runnable, running, waiting }

    struct State: Equatable {
        var seq: UInt64 = 0
        var status: Status = .dead
    }

    /// The goroutine of events that change no goroutine's state.
    static let unordered = UInt64.max
    /// The pseudo goroutine that orders GC starts by their sequence number.
    static let garbage = UInt64.max - 1
    /// Any sequence number (as initial state) / keep the sequence number (as next state).
    static let noseq = UInt64.max
    /// Sequence number + 1 (as next state).
    static let seqinc = UInt64.max - 1

    /// The goroutine an event moves, the state it must find, and the state it leaves.
    static func transition(_ ev: OldTraceEvent) -> (g: UInt64, initial: State, next: State) {
        typealias Ev = OldTraceWire.Ev
        switch ev.type {
        case Ev.goCreate: return (ev.a0, State(seq: 0, status: .dead), State(seq: 1, status: .runnable))
        case Ev.goWaiting, Ev.goInSyscall: return (ev.g, State(seq: 1, status: .runnable), State(seq: 2, status: .waiting))
        case Ev.goStart, Ev.goStartLabel:
            return (ev.g, State(seq: ev.a1, status: .runnable), State(seq: ev.a1 &+ 1, status: .running))
        case Ev.goStartLocal: return (ev.g, State(seq: noseq, status: .runnable), State(seq: seqinc, status: .running))
        case Ev.goBlock, Ev.goBlockSend, Ev.goBlockRecv, Ev.goBlockSelect, Ev.goBlockSync, Ev.goBlockCond, Ev.goBlockNet,
            Ev.goSleep, Ev.goSysBlock, Ev.goBlockGC:
            return (ev.g, State(seq: noseq, status: .running), State(seq: noseq, status: .waiting))
        case Ev.goSched, Ev.goPreempt: return (ev.g, State(seq: noseq, status: .running), State(seq: noseq, status: .runnable))
        case Ev.goUnblock, Ev.goSysExit:
            return (ev.a0, State(seq: ev.a1, status: .waiting), State(seq: ev.a1 &+ 1, status: .runnable))
        case Ev.goUnblockLocal, Ev.goSysExitLocal:
            return (ev.a0, State(seq: noseq, status: .waiting), State(seq: seqinc, status: .runnable))
        case Ev.gcStart: return (garbage, State(seq: ev.a0, status: .dead), State(seq: ev.a0 &+ 1, status: .dead))
        default: return (unordered, State(), State())
        }
    }

    static func ready(_ g: UInt64, _ current: State, _ initial: State) -> Bool {
        g == unordered || (initial.seq == noseq || initial.seq == current.seq) && initial.status == current.status
    }

    // The frontier is a binary min-heap on time with Go's container/heap sift rules, so
    // that equal times resolve the same way.
    typealias Entry = (ev: OldTraceEvent, proc: Int)

    static func push(_ h: inout [Entry], _ x: Entry) {
        h.append(x)
        var j = h.count - 1
        while j > 0 {
            let i = (j - 1) / 2
            if !(h[j].ev.ts < h[i].ev.ts) { break }
            h.swapAt(i, j)
            j = i
        }
    }

    static func pop(_ h: inout [Entry]) -> Entry {
        let n = h.count - 1
        h.swapAt(0, n)
        var i = 0
        while true {
            let j1 = 2 * i + 1
            if j1 >= n { break }
            var j = j1
            if j1 + 1 < n && h[j1 + 1].ev.ts < h[j1].ev.ts { j = j1 + 1 }
            if !(h[j].ev.ts < h[i].ev.ts) { break }
            h.swapAt(i, j)
            i = j
        }
        return h.removeLast()
    }
}

extension OldTraceParser {
    /// Checks the ordered events against the goroutine and P state machine
    /// (`postProcessTrace`), refusing what Go refuses, and drops stack ids the trace does
    /// not define (refusing ids that are not in the table at all).
    func checkStates(_ events: inout [OldTraceEvent]) throws(DecodeError) {
        typealias Ev = OldTraceWire.Ev
        enum G { case dead, runnable, running, waiting }
        struct GDesc {
            var state = G.dead
            var lastBlock: UInt8? = nil
            var creating: Int? = nil
            var assisting = false
        }
        struct PDesc {
            var running = false
            var g: UInt64 = 0
            var sweeping = false
        }
        var gs: [UInt64: GDesc] = [0: GDesc(state: .running)]
        var ps: [Int32: PDesc] = [:]
        var tasks: Set<UInt64> = []
        var regions: [UInt64: [(task: UInt64, name: UInt64)]] = [:]
        var inGC = false
        var inSTW = false

        for i in events.indices {
            let ev = events[i]
            let name = OldTraceWire.specs[Int(ev.type)].name
            func fail(_ what: String) -> DecodeError { DecodeError(offset: ev.at, "broken trace: \(what) (\(name) at \(ev.ts) ns)") }
            func checkRunning(allowG0: Bool) throws(DecodeError) {
                let g = gs[ev.g] ?? GDesc()
                guard g.state == .running else { throw fail("goroutine \(ev.g) is not running") }
                guard (ps[ev.p] ?? PDesc()).g == ev.g else { throw fail("P \(ev.p) is not running goroutine \(ev.g)") }
                guard allowG0 || ev.g != 0 else { throw fail("goroutine 0 cannot do this") }
            }
            switch ev.type {
            case Ev.procStart:
                guard !(ps[ev.p]?.running ?? false) else { throw fail("P \(ev.p) is running before it starts") }
                ps[ev.p, default: PDesc()].running = true
            case Ev.procStop:
                let p = ps[ev.p] ?? PDesc()
                guard p.running else { throw fail("P \(ev.p) is not running before it stops") }
                guard p.g == 0 else { throw fail("P \(ev.p) stops while running goroutine \(p.g)") }
                ps[ev.p, default: PDesc()].running = false
            case Ev.gcStart:
                guard !inGC else { throw fail("a GC starts before the previous one ended") }
                inGC = true
                events[i].p = OldTraceWire.gcP
            case Ev.gcDone:
                guard inGC else { throw fail("a GC ends that did not start") }
                inGC = false
            case Ev.stwStart:
                guard !inSTW else { throw fail("a stop-the-world starts before the previous one ended") }
                inSTW = true
            case Ev.stwDone:
                guard inSTW else { throw fail("a stop-the-world ends that did not start") }
                inSTW = false
            case Ev.gcSweepStart:
                guard !(ps[ev.p]?.sweeping ?? false) else { throw fail("a sweep starts before the previous one ended") }
                ps[ev.p, default: PDesc()].sweeping = true
            case Ev.gcSweepDone:
                guard ps[ev.p]?.sweeping ?? false else { throw fail("a sweep ends that did not start") }
                ps[ev.p, default: PDesc()].sweeping = false
            case Ev.gcMarkAssistStart:
                guard !(gs[ev.g]?.assisting ?? false) else { throw fail("a mark assist starts before the previous one ended") }
                gs[ev.g, default: GDesc()].assisting = true
            case Ev.gcMarkAssistDone:
                gs[ev.g, default: GDesc()].assisting = false
            case Ev.goWaiting, Ev.goInSyscall:
                guard (gs[ev.g] ?? GDesc()).state == .runnable else { throw fail("goroutine \(ev.g) is not runnable") }
                gs[ev.g, default: GDesc()].state = .waiting
                gs[ev.g, default: GDesc()].lastBlock = ev.type
            case Ev.goCreate:
                try checkRunning(allowG0: true)
                guard gs[ev.a0] == nil else { throw fail("goroutine \(ev.a0) already exists") }
                gs[ev.a0] = GDesc(state: .runnable, lastBlock: nil, creating: i)
            case Ev.goStart, Ev.goStartLabel:
                var g = gs[ev.g] ?? GDesc()
                guard g.state == .runnable else { throw fail("goroutine \(ev.g) is not runnable before it starts") }
                let pg = (ps[ev.p] ?? PDesc()).g
                guard pg == 0 else { throw fail("P \(ev.p) is already running goroutine \(pg)") }
                g.state = .running
                ps[ev.p, default: PDesc()].g = ev.g
                if let c = g.creating {
                    events[i].stack = UInt32(truncatingIfNeeded: events[c].a1)
                    g.creating = nil
                }
                g.lastBlock = nil
                gs[ev.g] = g
            case Ev.goEnd, Ev.goStop:
                try checkRunning(allowG0: false)
                gs[ev.g, default: GDesc()].state = .dead
                ps[ev.p, default: PDesc()].g = 0
                if ev.type == Ev.goEnd { regions[ev.g] = nil }
            case Ev.goSched, Ev.goPreempt:
                try checkRunning(allowG0: false)
                gs[ev.g, default: GDesc()].state = .runnable
                gs[ev.g, default: GDesc()].lastBlock = ev.type
                ps[ev.p, default: PDesc()].g = 0
            case Ev.goUnblock:
                guard (gs[ev.g] ?? GDesc()).state == .running else { throw fail("goroutine \(ev.g) is not running while it unblocks another") }
                guard ev.p == OldTraceWire.timerP || (ps[ev.p] ?? PDesc()).g == ev.g else {
                    throw fail("P \(ev.p) is not running goroutine \(ev.g)")
                }
                var g1 = gs[ev.a0] ?? GDesc()
                guard g1.state == .waiting else { throw fail("goroutine \(ev.a0) is not waiting before it is unblocked") }
                if g1.lastBlock == Ev.goBlockNet { events[i].p = OldTraceWire.netpollP }
                g1.state = .runnable
                g1.lastBlock = ev.type
                gs[ev.a0] = g1
            case Ev.goSysCall:
                try checkRunning(allowG0: false)
                gs[ev.g, default: GDesc()].lastBlock = ev.type
            case Ev.goSysBlock:
                try checkRunning(allowG0: false)
                gs[ev.g, default: GDesc()].state = .waiting
                ps[ev.p, default: PDesc()].g = 0
            case Ev.goSysExit:
                guard (gs[ev.g] ?? GDesc()).state == .waiting else { throw fail("goroutine \(ev.g) is not waiting at its syscall exit") }
                gs[ev.g, default: GDesc()].state = .runnable
                gs[ev.g, default: GDesc()].lastBlock = ev.type
            case Ev.goSleep, Ev.goBlock, Ev.goBlockSend, Ev.goBlockRecv, Ev.goBlockSelect, Ev.goBlockSync, Ev.goBlockCond,
                Ev.goBlockNet, Ev.goBlockGC:
                try checkRunning(allowG0: false)
                gs[ev.g, default: GDesc()].state = .waiting
                gs[ev.g, default: GDesc()].lastBlock = ev.type
                ps[ev.p, default: PDesc()].g = 0
            case Ev.userTaskCreate:
                guard tasks.insert(ev.a0).inserted else { throw fail("task id \(ev.a0) is used twice") }
            case Ev.userTaskEnd:
                tasks.remove(ev.a0)
            case Ev.userRegion:
                if ev.a1 == 0 {
                    regions[ev.g, default: []].append((ev.a0, ev.a2))
                } else if ev.a1 == 1 {
                    if let top = regions[ev.g]?.last {
                        guard top.task == ev.a0 && top.name == ev.a2 else {
                            throw fail("region end does not match the innermost region of goroutine \(ev.g)")
                        }
                        regions[ev.g]!.removeLast()
                        if regions[ev.g]!.isEmpty { regions[ev.g] = nil }
                    }
                } else {
                    throw fail("invalid region mode \(ev.a1)")
                }
            default: break
            }
            if events[i].stack != 0 && (stacks[events[i].stack]?.isEmpty ?? true) {
                // Go reads an unknown stack as none; a trace cut before its stack table
                // would read that way, so it is refused (the runtime defines every id it writes).
                guard emptyStacks.contains(events[i].stack) || ev.type == Ev.goStart || ev.type == Ev.goStartLabel else {
                    throw fail("stack \(events[i].stack) is not in the trace's stack table")
                }
                events[i].stack = 0
            }
        }
    }
}
