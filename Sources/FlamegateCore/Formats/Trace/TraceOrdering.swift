/// Puts a generation's per-thread batches into one order, as Go's `internal/trace`
/// reader does (`reader.go`, `order.go`, `batchcursor.go`): every thread's events are a
/// cursor; the earliest cursor's event is tried first, and it goes out only when the
/// state it needs holds (a goroutine's or proc's sequence number, its status, the GC
/// sequence); otherwise the others are tried in time order. Durations computed from the
/// result equal `go tool trace`'s only if this order, the synthesized events and the
/// clamping of times to a strictly increasing clock are the same — so the rules here are
/// Go's, restated.
struct TraceOrdering {
    typealias Ev = TraceWire.Ev

    final class GState {
        var status: UInt64  // wire GoStatus
        var seqGen: UInt64
        var seq: UInt64
        var ranges: [(UInt8, UInt64)] = []
        var regions: [(UInt64, String)] = []
        init(status: UInt64, gen: UInt64) {
            self.status = status
            seqGen = gen
            seq = 0
        }
    }
    final class PState {
        var status: UInt64  // wire ProcStatus
        var seqGen: UInt64
        var seq: UInt64 = 0
        var ranges: [(UInt8, UInt64)] = []
        init(status: UInt64, gen: UInt64) {
            self.status = status
            seqGen = gen
        }
    }
    final class MState {
        var g: Int64 = -1
        var p: Int64 = -1
    }

    // wire GoStatus / ProcStatus values
    static let goRunnable: UInt64 = 1, goRunning: UInt64 = 2, goSyscall: UInt64 = 3, goWaiting: UInt64 = 4
    static let procRunning: UInt64 = 1, procIdle: UInt64 = 2, procSyscall: UInt64 = 3, procAbandoned: UInt64 = 4

    var version: Int
    var gStates: [Int64: GState] = [:]
    var pStates: [Int64: PState] = [:]
    var mStates: [Int64: MState] = [:]
    var activeTasks: [UInt64: Bool] = [:]
    var gcSeq: UInt64 = 0
    var gcState = 0  // 0 undetermined, 1 not running, 2 running
    var initialGen: UInt64 = 0
    var queue: [TraceEvent] = []

    init(version: Int) { self.version = version }

    struct Failure: Error { var message: String }

    private func require(_ ctx: (g: Int64, p: Int64, m: Int64), m: Int, p: Int, g: Int, _ name: @autoclosure () -> String) throws(Failure) {
        // 0 must not have, 1 may have, 2 must have
        func check(_ v: Int64, _ c: Int, _ what: String) throws(Failure) {
            if c == 2 && v == -1 { throw Failure(message: "\(name()) without a \(what)") }
            if c == 0 && v != -1 { throw Failure(message: "\(name()) with a \(what) already") }
        }
        try check(ctx.m, m, "thread")
        try check(ctx.p, p, "proc")
        try check(ctx.g, g, "goroutine")
    }

    private func userGo(_ ctx: (g: Int64, p: Int64, m: Int64), _ name: @autoclosure () -> String) throws(Failure) {
        try require(ctx, m: 2, p: 2, g: 2, name())
    }

    private mutating func push(_ ev: TraceEvent, _ ctx: (g: Int64, p: Int64, m: Int64)) {
        var e = ev
        e.g = ctx.g
        e.p = ctx.p
        e.m = ctx.m
        queue.append(e)
    }

    /// Tries to put `ev` (from thread `m`) next: false when the state it needs does not hold yet.
    mutating func advance(_ ev: inout TraceEvent, table: TraceWire.Generation, m: Int64, gen: UInt64) throws(Failure) -> Bool {
        if initialGen == 0 { initialGen = gen }
        let ms: MState?
        var cur: (g: Int64, p: Int64, m: Int64) = (-1, -1, m)
        if m == -1 {
            ms = nil
        } else {
            let s = mStates[m] ?? { let n = MState(); mStates[m] = n; return n }()
            ms = s
            cur.p = s.p
            cur.g = s.g
        }
        // Only messages use the name: made when one is written, not for every event.
        let type = ev.type
        var name: String { TraceWire.specs[Int(type)]?.name ?? "event \(type)" }
        var new = cur
        switch ev.type {
        case Ev.procStatus:
            let pid = Int64(bitPattern: ev.a0)
            let status = ev.a1
            guard status >= 1 && status <= 4 else { throw Failure(message: "invalid status \(status) for proc \(pid)") }
            // old state in Go's ProcState terms: 0 undetermined, 1 not exist, 2 running, 3 idle
            var old: UInt64 = status == Self.procRunning || status == Self.procSyscall ? 2 : 3
            if let s = pStates[pid] {
                if status == Self.procAbandoned && s.status == Self.procSyscall {
                    old = 2
                    ev.a1 = Self.procSyscall
                } else if status == Self.procAbandoned && s.status == Self.procAbandoned {
                    old = 3
                    ev.a1 = Self.procAbandoned
                } else if s.status != status {
                    throw Failure(message: "inconsistent status for proc \(pid): \(s.status) then \(status)")
                }
                s.seqGen = gen
                s.seq = 0
            } else {
                pStates[pid] = PState(status: status, gen: gen)
                old = gen == initialGen ? 0 : 1
            }
            ev.extra = old
            if status == Self.procRunning || status == Self.procSyscall { new.p = pid }
            if status == Self.procAbandoned && old == 2 {
                var found = false
                for (mid, st) in mStates where st.p == pid {
                    cur = (st.g, pid, mid)
                    found = true
                }
                if !found { throw Failure(message: "no thread holds proc \(pid), which is about to be stolen") }
            }
            push(ev, cur)
        case Ev.procStart:
            let pid = Int64(bitPattern: ev.a0)
            guard let s = pStates[pid], s.status == Self.procIdle, s.seqGen == gen, ev.a1 == s.seq + 1, cur.p == -1 else {
                return false
            }
            try require(cur, m: 2, p: 0, g: 1, name)
            s.status = Self.procRunning
            s.seq = ev.a1
            new.p = pid
            push(ev, cur)
        case Ev.procStop:
            guard let s = pStates[cur.p] else { throw Failure(message: "\(name) for proc \(cur.p) that doesn't exist") }
            guard s.status == Self.procRunning || s.status == Self.procSyscall else {
                throw Failure(message: "\(name) for a proc that is neither running nor in a syscall")
            }
            try require(cur, m: 2, p: 2, g: 1, name)
            s.status = Self.procIdle
            new.p = -1
            push(ev, cur)
        case Ev.procSteal:
            let pid = Int64(bitPattern: ev.a0)
            guard let s = pStates[pid], s.status == Self.procSyscall || s.status == Self.procAbandoned,
                s.seqGen == gen, ev.a1 == s.seq + 1
            else { return false }
            try require(cur, m: 2, p: 1, g: 1, name)
            let oldStatus = s.status
            ev.extra = oldStatus
            s.status = Self.procIdle
            s.seq = ev.a1
            if oldStatus == Self.procAbandoned {
                push(ev, cur)
                return true
            }
            let mid = Int64(bitPattern: ev.a2)
            if mid == cur.m {
                guard cur.p == pid else { throw Failure(message: "self-steal of proc \(pid) by a thread holding \(cur.p)") }
                new.p = -1
                push(ev, cur)
            } else {
                guard let other = mStates[mid] else { throw Failure(message: "proc stolen from unknown thread \(mid)") }
                guard other.p == pid else { throw Failure(message: "proc \(pid) stolen from thread \(mid), which holds \(other.p)") }
                other.p = -1
                push(ev, cur)
            }
        case Ev.goStatus, Ev.goStatusStack:
            let gid = Int64(bitPattern: ev.a0)
            let mid = Int64(bitPattern: ev.a1)
            let status = ev.a2
            guard status >= 1 && status <= 4 else { throw Failure(message: "invalid status \(status) for goroutine \(gid)") }
            var old = TraceGoState.ofWire(status)
            if let s = gStates[gid] {
                guard s.status == status else {
                    throw Failure(message: "inconsistent status for goroutine \(gid): \(s.status) then \(status)")
                }
                s.seqGen = gen
                s.seq = 0
            } else if gen == initialGen {
                gStates[gid] = GState(status: status, gen: gen)
                old = .undetermined
            } else {
                throw Failure(message: "status for new goroutine \(gid) after the first generation")
            }
            ev.extra = UInt64(old.rawValue)
            switch status {
            case Self.goRunning: new.g = gid
            case Self.goSyscall:
                guard mid != -1 && ev.a1 != UInt64.max else { throw Failure(message: "goroutine \(gid) in syscall without a thread") }
                if mid == cur.m {
                    if gen != initialGen && cur.g != gid {
                        throw Failure(message: "thread of syscalling goroutine \(gid) has goroutine \(cur.g)")
                    }
                    new.g = gid
                    break
                }
                if let other = mStates[mid] {
                    guard other.g == gid else {
                        throw Failure(message: "thread of syscalling goroutine \(gid) has goroutine \(other.g)")
                    }
                    cur.g = other.g
                } else {
                    let n = MState()
                    n.g = gid
                    mStates[mid] = n
                }
                cur.m = mid
            default: break
            }
            push(ev, cur)
        case Ev.goCreate, Ev.goCreateBlocked:
            try require(cur, m: 2, p: 2, g: 1, name)
            if let s = gStates[cur.g], s.status != Self.goRunning {
                throw Failure(message: "\(name) by goroutine \(cur.g) that is not running")
            }
            let gid = Int64(bitPattern: ev.a0)
            guard gStates[gid] == nil else { throw Failure(message: "goroutine \(gid) created twice") }
            gStates[gid] = GState(status: ev.type == Ev.goCreateBlocked ? Self.goWaiting : Self.goRunnable, gen: gen)
            push(ev, cur)
        case Ev.goStart:
            let gid = Int64(bitPattern: ev.a0)
            guard let s = gStates[gid], s.status == Self.goRunnable, s.seqGen == gen, ev.a1 == s.seq + 1 else {
                return false
            }
            try require(cur, m: 2, p: 2, g: 0, name)
            s.status = Self.goRunning
            s.seq = ev.a1
            new.g = gid
            push(ev, cur)
        case Ev.goUnblock:
            let gid = Int64(bitPattern: ev.a0)
            guard let s = gStates[gid], s.status == Self.goWaiting, s.seqGen == gen, ev.a1 == s.seq + 1 else {
                return false
            }
            s.status = Self.goRunnable
            s.seq = ev.a1
            push(ev, cur)
        case Ev.goDestroy, Ev.goStop, Ev.goBlock:
            try userGo(cur, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) that doesn't exist") }
            guard s.status == Self.goRunning else { throw Failure(message: "\(name) for goroutine \(cur.g) that is not running") }
            switch ev.type {
            case Ev.goDestroy: gStates[cur.g] = nil
            case Ev.goStop: s.status = Self.goRunnable
            default: s.status = Self.goWaiting
            }
            new.g = -1
            push(ev, cur)
        case Ev.goSwitch, Ev.goSwitchDestroy:
            try userGo(cur, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) that doesn't exist") }
            guard s.status == Self.goRunning else { throw Failure(message: "\(name) for goroutine \(cur.g) that is not running") }
            let next = Int64(bitPattern: ev.a0)
            guard let n = gStates[next], n.status == Self.goWaiting, n.seqGen == gen, ev.a1 == n.seq + 1 else {
                return false
            }
            push(ev, cur)
            if ev.type == Ev.goSwitch {
                s.status = Self.goWaiting
                push(TraceEvent(type: Ev.goBlock, time: ev.time), cur)
            } else {
                gStates[cur.g] = nil
                push(TraceEvent(type: Ev.goDestroy, time: ev.time), cur)
            }
            n.status = Self.goRunning
            n.seq = ev.a1
            new.g = next
            var start = TraceEvent(type: Ev.goStart, time: ev.time)
            start.a0 = ev.a0
            start.a1 = ev.a1
            push(start, (-1, cur.p, cur.m))
        case Ev.goSyscallBegin:
            try userGo(cur, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) that doesn't exist") }
            guard s.status == Self.goRunning else { throw Failure(message: "\(name) for goroutine \(cur.g) that is not running") }
            s.status = Self.goSyscall
            guard let p = pStates[cur.p] else { throw Failure(message: "uninitialized proc \(cur.p) in \(name)") }
            p.status = Self.procSyscall
            guard p.seqGen == gen, ev.a0 == p.seq + 1 else {
                throw Failure(message: "\(name): proc \(cur.p) sequence \(p.seq) cannot advance to \(ev.a0)")
            }
            p.seq = ev.a0
            push(ev, cur)
        case Ev.goSyscallEnd:
            try userGo(cur, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) that doesn't exist") }
            guard s.status == Self.goSyscall else { throw Failure(message: "\(name) for goroutine \(cur.g) not in a syscall") }
            s.status = Self.goRunning
            guard let p = pStates[cur.p] else { throw Failure(message: "uninitialized proc \(cur.p) in \(name)") }
            guard p.status == Self.procSyscall else { throw Failure(message: "\(name): proc \(cur.p) is not in a syscall") }
            p.status = Self.procRunning
            push(ev, cur)
        case Ev.goSyscallEndBlocked:
            if cur.p != -1 {
                guard let p = pStates[cur.p] else { throw Failure(message: "uninitialized proc \(cur.p) in \(name)") }
                if p.status == Self.procSyscall { return false }
            }
            try require(cur, m: 2, p: 1, g: 2, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) that doesn't exist") }
            guard s.status == Self.goSyscall else { throw Failure(message: "\(name) for goroutine \(cur.g) not in a syscall") }
            new.g = -1
            s.status = Self.goRunnable
            push(ev, cur)
        case Ev.goCreateSyscall:
            try require(cur, m: 2, p: 1, g: 0, name)
            let gid = Int64(bitPattern: ev.a0)
            guard gStates[gid] == nil else { throw Failure(message: "goroutine \(gid) created twice (in syscall)") }
            gStates[gid] = GState(status: Self.goSyscall, gen: gen)
            new.g = gid
            push(ev, cur)
        case Ev.goDestroySyscall:
            try require(cur, m: 2, p: 1, g: 2, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) that doesn't exist") }
            guard s.status == Self.goSyscall else { throw Failure(message: "\(name) for goroutine \(cur.g) not in a syscall") }
            gStates[cur.g] = nil
            new.g = -1
            if cur.p != -1 {
                guard let p = pStates[cur.p] else { throw Failure(message: "invalid proc \(cur.p) in \(name)") }
                guard p.status == Self.procSyscall else { throw Failure(message: "\(name): proc \(cur.p) not in a syscall") }
                p.status = Self.procAbandoned
                new.p = -1
                var steal = TraceEvent(type: Ev.procSteal, time: ev.time)
                steal.a0 = UInt64(bitPattern: cur.p)
                steal.extra = Self.procSyscall
                push(steal, cur)
            }
            push(ev, cur)
        case Ev.userTaskBegin:
            guard activeTasks[ev.a0] == nil else { throw Failure(message: "task id \(ev.a0) begun twice") }
            if ev.a1 == 0 { ev.a1 = 0 }
            guard table.string(ev.a2) != nil else { throw Failure(message: "invalid string id \(ev.a2) in \(name)") }
            activeTasks[ev.a0] = true
            try userGo(cur, name)
            push(ev, cur)
        case Ev.userTaskEnd:
            activeTasks[ev.a0] = nil
            try userGo(cur, name)
            push(ev, cur)
        case Ev.userRegionBegin, Ev.userRegionEnd:
            try userGo(cur, name)
            guard let rname = table.string(ev.a1) else { throw Failure(message: "invalid string id \(ev.a1) in \(name)") }
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) of unknown state") }
            if ev.type == Ev.userRegionBegin {
                s.regions.append((ev.a0, rname))
            } else if let last = s.regions.last {
                guard last.0 == ev.a0 && last.1 == rname else {
                    throw Failure(message: "region end \(rname) in goroutine \(cur.g) while \(last.1) is the innermost")
                }
                s.regions.removeLast()
            }
            push(ev, cur)
        case Ev.gcActive:
            let seq = ev.a0
            if gen == initialGen {
                guard gcState == 0 else { throw Failure(message: "GCActive in the first generation is not the first GC event") }
                gcSeq = seq
                gcState = 2
                push(ev, cur)
                return true
            }
            if seq != gcSeq &+ 1 { return false }
            guard gcState == 2 else { throw Failure(message: "GCActive while no GC is in progress") }
            gcSeq = seq
            try userGo(cur, name)
            push(ev, cur)
        case Ev.gcBegin:
            let seq = ev.a0
            if gcState == 0 {
                gcSeq = seq
                gcState = 2
                push(ev, cur)
                return true
            }
            if seq != gcSeq &+ 1 { return false }
            guard gcState != 2 else { throw Failure(message: "GCBegin while a GC is in progress") }
            gcSeq = seq
            gcState = 2
            try userGo(cur, name)
            push(ev, cur)
        case Ev.gcEnd:
            let seq = ev.a0
            if seq != gcSeq &+ 1 { return false }
            guard gcState == 2 else { throw Failure(message: "GCEnd while no GC is in progress") }
            gcSeq = seq
            gcState = 1
            try userGo(cur, name)
            push(ev, cur)
        case Ev.procsChange, Ev.goLabel, Ev.userLog:
            try userGo(cur, name)
            push(ev, cur)
        case Ev.heapAlloc, Ev.heapGoal:
            try require(cur, m: 2, p: 2, g: 1, name)
            push(ev, cur)
        case Ev.gcSweepBegin:
            try require(cur, m: 2, p: 2, g: 1, name)
            guard let p = pStates[cur.p] else { throw Failure(message: "\(name) on unknown proc \(cur.p)") }
            guard !p.ranges.contains(where: { $0.0 == Ev.gcSweepBegin }) else { throw Failure(message: "\(name) while one is in flight") }
            p.ranges.append((Ev.gcSweepBegin, 0))
            push(ev, cur)
        case Ev.gcSweepActive:
            let pid = Int64(bitPattern: ev.a0)
            guard let p = pStates[pid] else { throw Failure(message: "GCSweepActive for unknown proc \(pid)") }
            let has = p.ranges.contains(where: { $0.0 == Ev.gcSweepBegin })
            if gen == initialGen {
                guard !has else { throw Failure(message: "GCSweepActive twice in the first generation") }
                p.ranges.append((Ev.gcSweepBegin, 0))
            } else if !has {
                throw Failure(message: "GCSweepActive for a proc not sweeping")
            }
            push(ev, cur)
        case Ev.gcSweepEnd:
            try require(cur, m: 2, p: 2, g: 1, name)
            guard let p = pStates[cur.p] else { throw Failure(message: "\(name) on unknown proc \(cur.p)") }
            _ = try Self.endRange(&p.ranges, Ev.gcSweepBegin, name)
            push(ev, cur)
        case Ev.stwBegin, Ev.gcMarkAssistBegin:
            try userGo(cur, name)
            let desc = ev.type == Ev.stwBegin ? ev.a0 : 0
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) of unknown state") }
            guard !s.ranges.contains(where: { $0.0 == ev.type && $0.1 == desc }) else {
                throw Failure(message: "\(name) while one is in flight")
            }
            s.ranges.append((ev.type, desc))
            push(ev, cur)
        case Ev.gcMarkAssistActive:
            let gid = Int64(bitPattern: ev.a0)
            guard let s = gStates[gid] else { throw Failure(message: "\(name) for unknown goroutine \(gid)") }
            let has = s.ranges.contains(where: { $0.0 == Ev.gcMarkAssistBegin && $0.1 == 0 })
            if gen == initialGen {
                guard !has else { throw Failure(message: "\(name) twice in the first generation") }
                s.ranges.append((Ev.gcMarkAssistBegin, 0))
            } else if !has {
                throw Failure(message: "\(name) for a goroutine not assisting")
            }
            push(ev, cur)
        case Ev.stwEnd, Ev.gcMarkAssistEnd:
            try userGo(cur, name)
            guard let s = gStates[cur.g] else { throw Failure(message: "\(name) for goroutine \(cur.g) of unknown state") }
            let desc = try Self.endRange(&s.ranges, ev.type == Ev.stwEnd ? Ev.stwBegin : Ev.gcMarkAssistBegin, name)
            if ev.type == Ev.stwEnd { ev.a0 = desc }
            push(ev, cur)
        default:
            throw Failure(message: "unexpected event type \(ev.type) in an event batch")
        }
        if let ms {
            ms.p = new.p
            ms.g = new.g
        }
        return true
    }

    /// Ends the first in-flight range begun by `begin`, returning its description.
    static func endRange(_ ranges: inout [(UInt8, UInt64)], _ begin: UInt8, _ name: String) throws(Failure) -> UInt64 {
        guard let i = ranges.firstIndex(where: { $0.0 == begin }) else {
            throw Failure(message: "\(name) without its begin event in flight")
        }
        let desc = ranges[i].1
        ranges.swapAt(i, ranges.count - 1)
        ranges.removeLast()
        return desc
    }
}
