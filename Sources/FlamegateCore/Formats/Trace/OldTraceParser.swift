/// The Go execution trace format of Go 1.11–1.21 (headers `go 1.11 trace` — written by Go
/// 1.11 to 1.18 —, `go 1.19 trace` — 1.19 and 1.20 — and `go 1.21 trace`): after the
/// 16-byte header, per-P batches (`Batch p ticks`) of events whose first byte is the type in
/// its low 6 bits and the argument count − 1 in its top 2 (3: a length-prefixed argument
/// list), a timestamp delta as first argument, and string, stack and frequency entries in
/// between. Events of different Ps are merged by time and by per-goroutine sequence
/// numbers (a goroutine's state machine decides which P's next event may come first).
///
/// Semantics read from Go 1.27's `internal/trace/internal/tracev1` (`parser.go`,
/// `order.go`), which is how Go 1.27's `go tool trace` still reads these traces: every
/// check it makes is made here, so a trace it refuses is refused.
enum OldTraceWire {
    /// Event types (`tracev1.Ev*`).
    enum Ev {
        static let none: UInt8 = 0
        static let batch: UInt8 = 1
        static let frequency: UInt8 = 2
        static let stack: UInt8 = 3
        static let gomaxprocs: UInt8 = 4
        static let procStart: UInt8 = 5
        static let procStop: UInt8 = 6
        static let gcStart: UInt8 = 7
        static let gcDone: UInt8 = 8
        static let stwStart: UInt8 = 9
        static let stwDone: UInt8 = 10
        static let gcSweepStart: UInt8 = 11
        static let gcSweepDone: UInt8 = 12
        static let goCreate: UInt8 = 13
        static let goStart: UInt8 = 14
        static let goEnd: UInt8 = 15
        static let goStop: UInt8 = 16
        static let goSched: UInt8 = 17
        static let goPreempt: UInt8 = 18
        static let goSleep: UInt8 = 19
        static let goBlock: UInt8 = 20
        static let goUnblock: UInt8 = 21
        static let goBlockSend: UInt8 = 22
        static let goBlockRecv: UInt8 = 23
        static let goBlockSelect: UInt8 = 24
        static let goBlockSync: UInt8 = 25
        static let goBlockCond: UInt8 = 26
        static let goBlockNet: UInt8 = 27
        static let goSysCall: UInt8 = 28
        static let goSysExit: UInt8 = 29
        static let goSysBlock: UInt8 = 30
        static let goWaiting: UInt8 = 31
        static let goInSyscall: UInt8 = 32
        static let heapAlloc: UInt8 = 33
        static let heapGoal: UInt8 = 34
        static let timerGoroutine: UInt8 = 35
        static let futileWakeup: UInt8 = 36
        static let string: UInt8 = 37
        static let goStartLocal: UInt8 = 38
        static let goUnblockLocal: UInt8 = 39
        static let goSysExitLocal: UInt8 = 40
        static let goStartLabel: UInt8 = 41
        static let goBlockGC: UInt8 = 42
        static let gcMarkAssistStart: UInt8 = 43
        static let gcMarkAssistDone: UInt8 = 44
        static let userTaskCreate: UInt8 = 45
        static let userTaskEnd: UInt8 = 46
        static let userRegion: UInt8 = 47
        static let userLog: UInt8 = 48
        static let cpuSample: UInt8 = 49
        static let count: UInt8 = 50
    }

    /// An event type's name, its argument count (after the timestamp, without the stack),
    /// whether a stack id follows them, and the first format version that has it.
    struct Spec {
        var name: String
        var args: Int
        var stack: Bool
        var minVersion = 11
    }

    static let specs: [Spec] = [
        Spec(name: "None", args: 0, stack: false),
        Spec(name: "Batch", args: 2, stack: false),
        Spec(name: "Frequency", args: 1, stack: false),
        Spec(name: "Stack", args: 2, stack: false),
        Spec(name: "Gomaxprocs", args: 1, stack: true),
        Spec(name: "ProcStart", args: 1, stack: false),
        Spec(name: "ProcStop", args: 0, stack: false),
        Spec(name: "GCStart", args: 1, stack: true),
        Spec(name: "GCDone", args: 0, stack: false),
        Spec(name: "GCSTWStart", args: 1, stack: false),
        Spec(name: "GCSTWDone", args: 0, stack: false),
        Spec(name: "GCSweepStart", args: 0, stack: true),
        Spec(name: "GCSweepDone", args: 2, stack: false),
        Spec(name: "GoCreate", args: 2, stack: true),
        Spec(name: "GoStart", args: 2, stack: false),
        Spec(name: "GoEnd", args: 0, stack: false),
        Spec(name: "GoStop", args: 0, stack: true),
        Spec(name: "GoSched", args: 0, stack: true),
        Spec(name: "GoPreempt", args: 0, stack: true),
        Spec(name: "GoSleep", args: 0, stack: true),
        Spec(name: "GoBlock", args: 0, stack: true),
        Spec(name: "GoUnblock", args: 2, stack: true),
        Spec(name: "GoBlockSend", args: 0, stack: true),
        Spec(name: "GoBlockRecv", args: 0, stack: true),
        Spec(name: "GoBlockSelect", args: 0, stack: true),
        Spec(name: "GoBlockSync", args: 0, stack: true),
        Spec(name: "GoBlockCond", args: 0, stack: true),
        Spec(name: "GoBlockNet", args: 0, stack: true),
        Spec(name: "GoSysCall", args: 0, stack: true),
        Spec(name: "GoSysExit", args: 3, stack: false),
        Spec(name: "GoSysBlock", args: 0, stack: false),
        Spec(name: "GoWaiting", args: 1, stack: false),
        Spec(name: "GoInSyscall", args: 1, stack: false),
        Spec(name: "HeapAlloc", args: 1, stack: false),
        Spec(name: "HeapGoal", args: 1, stack: false),
        Spec(name: "TimerGoroutine", args: 1, stack: false),
        Spec(name: "FutileWakeup", args: 0, stack: false),
        Spec(name: "String", args: 0, stack: false),
        Spec(name: "GoStartLocal", args: 1, stack: false),
        Spec(name: "GoUnblockLocal", args: 1, stack: true),
        Spec(name: "GoSysExitLocal", args: 2, stack: false),
        Spec(name: "GoStartLabel", args: 3, stack: false),
        Spec(name: "GoBlockGC", args: 0, stack: true),
        Spec(name: "GCMarkAssistStart", args: 0, stack: true),
        Spec(name: "GCMarkAssistDone", args: 0, stack: false),
        Spec(name: "UserTaskCreate", args: 3, stack: true),
        Spec(name: "UserTaskEnd", args: 1, stack: true),
        Spec(name: "UserRegion", args: 3, stack: true),
        Spec(name: "UserLog", args: 2, stack: true),
        Spec(name: "CPUSample", args: 3, stack: true, minVersion: 19),
    ]

    /// Pseudo-Ps the parser files some events under (`tracev1.FakeP`…).
    static let timerP: Int32 = 1_000_001
    static let netpollP: Int32 = 1_000_002
    static let syscallP: Int32 = 1_000_003
    static let gcP: Int32 = 1_000_004
    static let profileP: Int32 = 1_000_005

    /// The number of arguments an event of `type` must carry on the wire (with the
    /// timestamp, except for the events that have none; a stack entry's are its own).
    static func wireArgs(_ type: UInt8, got: Int) -> Int {
        if type == Ev.stack { return got }
        let s = specs[Int(type)]
        let n = s.args + (s.stack ? 1 : 0)
        return type == Ev.batch || type == Ev.frequency || type == Ev.timerGoroutine ? n : n + 1
    }
}

/// One event of an old-format trace after ordering.
struct OldTraceEvent {
    var ts: Int64
    /// The goroutine the event happened on (or is about, for GoSysExit, GoWaiting, GoInSyscall).
    var g: UInt64
    var a0: UInt64 = 0
    var a1: UInt64 = 0
    var a2: UInt64 = 0
    var a3: UInt64 = 0
    var stack: UInt32 = 0
    var p: Int32
    var type: UInt8
    /// Where the event is in the file, for messages.
    var at: Int

    mutating func setArg(_ i: Int, _ v: UInt64) {
        switch i {
        case 0: a0 = v
        case 1: a1 = v
        case 2: a2 = v
        default: a3 = v
        }
    }
}

/// A parsed old-format trace: its events in order (nanoseconds from the first event), and
/// its tables.
struct OldTrace {
    var version: Int
    var events: [OldTraceEvent]
    var stacks: [UInt32: [UInt64]]
    var frames: [UInt64: TraceWire.Frame]
    var strings: [UInt64: String]
    /// The `trace.Log` messages, which the format writes inline, in order of first use.
    var inlineStrings: [String]
}

/// Parses Go 1.11–1.21 traces as Go 1.27's `tracev1.Parse` does: a first pass that finds
/// every P's batches (and the CPU samples), a merge of the Ps' events by time under the
/// goroutine sequence rules, the syscall-exit time fix, and a final pass that checks the
/// goroutine and P state machine.
struct OldTraceParser {
    let bytes: UnsafeRawBufferPointer
    let version: Int
    var off = 16

    var strings: [UInt64: String] = [:]
    var inlineStrings: [String] = []
    var inlineIndex: [String: Int] = [:]
    /// Each P's batches: where they start and how many events they hold, in file order.
    var batches: [Int32: [Int]] = [:]
    var batchPs: [Int32] = []
    var stacks: [UInt32: [UInt64]] = [:]
    /// Stack ids defined with no frames (events naming them have no stack, as in Go).
    var emptyStacks: Set<UInt32> = []
    var frames: [UInt64: TraceWire.Frame] = [:]
    var ticksPerSec: Int64 = 0
    var cpuSamples: [OldTraceEvent] = []
    var timerGoroutines: Set<UInt64> = []

    var lastTs: Int64 = 0
    var lastG: UInt64 = 0
    var lastGs: [Int32: UInt64] = [:]
    var lastP: Int32 = 0

    init(_ bytes: UnsafeRawBufferPointer, version: Int) {
        self.bytes = bytes
        self.version = version
    }

    /// A raw event as read off the wire.
    struct Raw {
        var type: UInt8 = 0
        var args: [UInt64] = []
        var text: String? = nil
        var batchP: Int32 = 0
        var at = 0
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, version: Int) throws(DecodeError) -> OldTrace {
        var p = OldTraceParser(bytes, version: version)
        try p.collectBatches()
        var events = try p.mergeBatches()
        if p.batchPs.isEmpty { throw DecodeError(offset: 16, "truncated: the trace has a header and no events") }
        guard p.ticksPerSec > 0 else { throw DecodeError(offset: bytes.count, "the trace has no Frequency event") }
        if let minTs = events.first?.ts {
            // Go's conversion exactly: float nanoseconds per tick, truncated.
            let freq = 1e9 / Double(p.ticksPerSec)
            for i in events.indices {
                let v = Double(events[i].ts &- minTs) * freq
                events[i].ts = v.magnitude < 9.2e18 ? Int64(v) : (v < 0 ? Int64.min : Int64.max)
                if events[i].type == OldTraceWire.Ev.goUnblock && p.timerGoroutines.contains(events[i].g) {
                    events[i].p = OldTraceWire.timerP
                }
                if events[i].type == OldTraceWire.Ev.goSysExit { events[i].p = OldTraceWire.syscallP }
            }
        }
        try p.checkStates(&events)
        // Fail closed where Go would quietly show unnamed frames: every frame's function
        // and file must be in the string table.
        for (id, pcs) in p.stacks {
            for pc in pcs {
                let f = p.frames[pc]!
                guard (f.funcID == 0 || p.strings[f.funcID] != nil) && (f.fileID == 0 || p.strings[f.fileID] != nil) else {
                    throw DecodeError(offset: bytes.count, "stack \(id) names a string the trace does not define")
                }
            }
        }
        return OldTrace(
            version: version, events: events, stacks: p.stacks, frames: p.frames, strings: p.strings,
            inlineStrings: p.inlineStrings)
    }

    // MARK: wire

    mutating func uvarint(_ what: @autoclosure () -> String) throws(DecodeError) -> UInt64 {
        var c = TraceWire.Cursor(bytes, from: off, to: bytes.count)
        let v = try c.uvarint(what())
        off = c.at
        return v
    }

    mutating func skip(_ n: UInt64, _ what: String) throws(DecodeError) {
        guard n <= UInt64(bytes.count - off) else {
            throw DecodeError(offset: off, "truncated: \(what) wants \(n) bytes, \(bytes.count - off) remain")
        }
        off += Int(n)
    }

    mutating func text(_ n: UInt64, _ what: String) throws(DecodeError) -> String {
        let start = off
        try skip(n, what)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<off]), as: UTF8.self)
    }

    /// Reads one raw event (`readRawEvent`); nil at the end of the data. With `skip`,
    /// arguments are checked but not kept (except a CPU sample's) and strings not stored.
    mutating func readRaw(skipping: Bool) throws(DecodeError) -> Raw? {
        guard off < bytes.count else { return nil }
        let at = off
        let b = bytes[off]
        off += 1
        let type = b & 0x3F
        let narg = Int(b >> 6) + 1
        guard type != OldTraceWire.Ev.none, type < OldTraceWire.Ev.count,
            OldTraceWire.specs[Int(type)].minVersion <= version
        else {
            throw DecodeError(offset: at, "unknown event type \(type) in a go 1.\(version) trace")
        }
        var raw = Raw(type: type, at: at)
        switch type {
        case OldTraceWire.Ev.string:
            let id = try uvarint("a string id")
            let n = try uvarint("a string length")
            if skipping {
                try skip(n, "a string")
            } else {
                guard id != 0 else { throw DecodeError(offset: at, "string has invalid id 0") }
                guard strings[id] == nil || strings[id] == "" else {
                    throw DecodeError(offset: at, "string id \(id) defined twice")
                }
                guard n != 0 else { throw DecodeError(offset: at, "string \(id) has length 0") }
                guard n <= 1_000_000 else { throw DecodeError(offset: at, "string \(id) has length \(n), above 1e6") }
                strings[id] = try text(n, "a string")
            }
            raw.type = OldTraceWire.Ev.none
            return raw
        case OldTraceWire.Ev.batch:
            guard narg == 2 else { throw DecodeError(offset: at, "Batch has \(narg) arguments, expected 2") }
            let p = try uvarint("a batch's P")
            guard p == UInt64.max || p <= UInt64(Int32.max) else {
                throw DecodeError(offset: at, "processor id \(p) is larger than \(Int32.max)")
            }
            raw.batchP = p == UInt64.max ? -1 : Int32(p)
            raw.args = [p, try uvarint("a batch's timestamp")]
            return raw
        default:
            let name = OldTraceWire.specs[Int(type)].name
            if narg <= 3 {
                for i in 0..<narg { raw.args.append(try uvarint("\(name)'s argument \(i + 1)")) }
                if skipping { raw.args.removeAll() }
            } else {
                let n = try uvarint("\(name)'s argument length")
                guard n <= 2048 else {
                    throw DecodeError(offset: at, "\(name)'s length-prefixed arguments are \(n) bytes, above the limit 2048")
                }
                if skipping && type != OldTraceWire.Ev.cpuSample {
                    try skip(n, "\(name)'s arguments")
                } else {
                    guard n <= UInt64(bytes.count - off) else {
                        throw DecodeError(offset: off, "truncated: \(name)'s arguments want \(n) bytes, \(bytes.count - off) remain")
                    }
                    var c = TraceWire.Cursor(bytes, from: off, to: off + Int(n))
                    while !c.atEnd { raw.args.append(try c.uvarint("\(name)'s argument \(raw.args.count + 1)")) }
                    off += Int(n)
                }
                if type == OldTraceWire.Ev.userLog {
                    let n = try uvarint("a log message's length")
                    if !skipping && n > 1_000_000 { throw DecodeError(offset: at, "log message of \(n) bytes, above 1e6") }
                    raw.text = try text(n, "a log message")
                }
            }
            return raw
        }
    }

    // MARK: pass 1

    /// Finds every batch and each P's batch offsets, and reads the CPU samples
    /// (`collectBatchesAndCPUSamples`).
    mutating func collectBatches() throws(DecodeError) {
        var curP: Int32 = 0
        while let raw = try readRaw(skipping: true) {
            if raw.type == OldTraceWire.Ev.none { continue }
            if raw.type == OldTraceWire.Ev.batch {
                if batches[raw.batchP] == nil { batchPs.append(raw.batchP) }
                batches[raw.batchP, default: []].append(raw.at)
                curP = raw.batchP
            }
            guard batches[curP] != nil else {
                throw DecodeError(offset: raw.at, "event type \(raw.type) before any batch of P \(curP)")
            }
            if raw.type == OldTraceWire.Ev.cpuSample {
                let want = OldTraceWire.wireArgs(raw.type, got: raw.args.count)
                guard raw.args.count == want else {
                    throw DecodeError(offset: raw.at, "CPUSample has \(raw.args.count) arguments, expected \(want)")
                }
                // [ts delta, real ts, P, G, stack]: the sample's own timestamp is the real one.
                var e = OldTraceEvent(
                    ts: Int64(bitPattern: raw.args[1]), g: raw.args[3], p: Int32(truncatingIfNeeded: raw.args[2]),
                    type: raw.type, at: raw.at)
                e.stack = UInt32(truncatingIfNeeded: raw.args[4])
                cpuSamples.append(e)
            }
        }
    }

    // MARK: pass 2

    /// A P's events not yet merged.
    struct Proc {
        var pid: Int32
        var events: [OldTraceEvent] = []
        var next = 0
        var done = false
    }

    /// The events of the P's next batch (`loadBatch`), nil when it has no more.
    mutating func loadBatch(_ pid: Int32) throws(DecodeError) -> [OldTraceEvent]? {
        guard var list = batches[pid], !list.isEmpty else { return nil }
        off = list.removeFirst()
        batches[pid] = list
        var out: [OldTraceEvent] = []
        var gotHeader = false
        while let raw = try readRaw(skipping: false) {
            if raw.type == OldTraceWire.Ev.none || raw.type == OldTraceWire.Ev.cpuSample { continue }
            if raw.type == OldTraceWire.Ev.batch {
                if gotHeader { break }
                gotHeader = true
            }
            if let e = try event(raw) { out.append(e) }
        }
        return out
    }

    /// The event of a raw event (`parseEvent`), nil for the ones that only fill tables.
    mutating func event(_ raw: Raw) throws(DecodeError) -> OldTraceEvent? {
        typealias Ev = OldTraceWire.Ev
        let spec = OldTraceWire.specs[Int(raw.type)]
        let narg = OldTraceWire.wireArgs(raw.type, got: raw.args.count)
        guard raw.args.count == narg else {
            throw DecodeError(offset: raw.at, "\(spec.name) has \(raw.args.count) arguments, expected \(narg)")
        }
        switch raw.type {
        case Ev.batch:
            lastGs[lastP] = lastG
            lastP = raw.batchP
            lastG = lastGs[lastP] ?? 0
            lastTs = Int64(bitPattern: raw.args[1])
            return nil
        case Ev.frequency:
            ticksPerSec = Int64(bitPattern: raw.args[0])
            guard ticksPerSec > 0 else { throw DecodeError(offset: raw.at, "timestamp frequency \(raw.args[0]) is not positive") }
            return nil
        case Ev.timerGoroutine:
            timerGoroutines.insert(raw.args[0])
            return nil
        case Ev.stack:
            guard raw.args.count >= 2 else {
                throw DecodeError(offset: raw.at, "Stack has \(raw.args.count) arguments, expected at least 2")
            }
            let size = raw.args[1]
            guard size <= 1000 else { throw DecodeError(offset: raw.at, "stack of \(size) frames, above 1000") }
            guard UInt64(raw.args.count) == 2 + 4 * size else {
                throw DecodeError(offset: raw.at, "Stack has \(raw.args.count) arguments, expected \(2 + 4 * size)")
            }
            let id = UInt32(truncatingIfNeeded: raw.args[0])
            if id != 0 && size > 0 {
                var pcs: [UInt64] = []
                pcs.reserveCapacity(Int(size))
                for i in 0..<Int(size) {
                    let pc = raw.args[2 + i * 4]
                    pcs.append(pc)
                    if frames[pc] == nil {
                        frames[pc] = TraceWire.Frame(
                            pc: pc, funcID: raw.args[3 + i * 4], fileID: raw.args[4 + i * 4], line: raw.args[5 + i * 4])
                    }
                }
                stacks[id] = pcs
            } else {
                emptyStacks.insert(id)
            }
            return nil
        case Ev.cpuSample:
            return nil
        default:
            var e = OldTraceEvent(ts: lastTs &+ Int64(bitPattern: raw.args[0]), g: lastG, p: lastP, type: raw.type, at: raw.at)
            lastTs = e.ts
            for i in 1..<narg {
                if i == narg - 1 && spec.stack {
                    e.stack = UInt32(truncatingIfNeeded: raw.args[i])
                } else {
                    e.setArg(i - 1, raw.args[i])
                }
            }
            switch raw.type {
            case Ev.goStart, Ev.goStartLocal, Ev.goStartLabel:
                lastG = e.a0
                e.g = lastG
            case Ev.goEnd, Ev.goStop, Ev.goSched, Ev.goPreempt, Ev.goSleep, Ev.goBlock, Ev.goBlockSend, Ev.goBlockRecv,
                Ev.goBlockSelect, Ev.goBlockSync, Ev.goBlockCond, Ev.goBlockNet, Ev.goSysBlock, Ev.goBlockGC:
                lastG = 0
            case Ev.goSysExit, Ev.goWaiting, Ev.goInSyscall:
                e.g = e.a0
            case Ev.userLog:
                let s = raw.text ?? ""
                if let id = inlineIndex[s] {
                    e.a3 = UInt64(id)
                } else {
                    inlineIndex[s] = inlineStrings.count
                    e.a3 = UInt64(inlineStrings.count)
                    inlineStrings.append(s)
                }
            default: break
            }
            return e
        }
    }

    /// Merges the Ps' events (`parseEventBatches`): repeatedly, every P whose next event's
    /// goroutine transition can happen now offers it; the earliest offered is taken.
    mutating func mergeBatches() throws(DecodeError) -> [OldTraceEvent] {
        cpuSamples.sort { $0.ts < $1.ts }
        var procs = batchPs.map { Proc(pid: $0) }
        procs.append(Proc(pid: OldTraceWire.profileP, events: cpuSamples))
        let profile = procs.count - 1
        var available = Array(procs.indices)
        var frontier: [(ev: OldTraceEvent, proc: Int)] = []
        var gs: [UInt64: OldTraceOrder.State] = [:]
        var events: [OldTraceEvent] = []

        while true {
            var i = 0
            nextProc: while i < available.count {
                let pi = available[i]
                while procs[pi].next == procs[pi].events.count {
                    let loaded = pi == profile ? nil : try loadBatch(procs[pi].pid)
                    guard let loaded else {
                        procs[pi].done = true
                        available.swapAt(i, available.count - 1)
                        available.removeLast()
                        continue nextProc
                    }
                    procs[pi].events = loaded
                    procs[pi].next = 0
                }
                let ev = procs[pi].events[procs[pi].next]
                let t = OldTraceOrder.transition(ev)
                if !OldTraceOrder.ready(t.g, gs[t.g] ?? .init(), t.initial) {
                    i += 1
                    continue
                }
                procs[pi].next += 1
                available.swapAt(i, available.count - 1)
                available.removeLast()
                OldTraceOrder.push(&frontier, (ev, pi))
            }
            if frontier.isEmpty {
                if let stuck = procs.first(where: { !$0.done }) {
                    throw DecodeError(
                        offset: stuck.events[stuck.next].at,
                        "broken trace: no consistent ordering of events possible (P \(stuck.pid)'s next event cannot happen)")
                }
                break
            }
            var f = OldTraceOrder.pop(&frontier)
            let t = OldTraceOrder.transition(f.ev)
            switch f.ev.type {
            case OldTraceWire.Ev.goStartLocal: f.ev.type = OldTraceWire.Ev.goStart
            case OldTraceWire.Ev.goUnblockLocal: f.ev.type = OldTraceWire.Ev.goUnblock
            case OldTraceWire.Ev.goSysExitLocal: f.ev.type = OldTraceWire.Ev.goSysExit
            default: break
            }
            events.append(f.ev)
            if t.g != OldTraceOrder.unordered {
                let cur = gs[t.g] ?? .init()
                guard OldTraceOrder.ready(t.g, cur, t.initial) else {
                    throw DecodeError(offset: f.ev.at, "broken trace: impossible goroutine state transition")
                }
                var next = t.next
                if next.seq == OldTraceOrder.noseq { next.seq = cur.seq } else if next.seq == OldTraceOrder.seqinc { next.seq = cur.seq &+ 1 }
                gs[t.g] = next
            }
            available.append(f.proc)
        }
        for i in events.indices.dropFirst() where events[i].ts < events[i - 1].ts {
            throw DecodeError(offset: events[i].at, "broken trace: time stamps out of order")
        }
        // A syscall exit carries the time the syscall really returned: it moves there.
        var lastSysBlock: [UInt64: Int64] = [:]
        for i in events.indices {
            switch events[i].type {
            case OldTraceWire.Ev.goSysBlock, OldTraceWire.Ev.goInSyscall:
                lastSysBlock[events[i].g] = events[i].ts
            case OldTraceWire.Ev.goSysExit:
                let ts = Int64(bitPattern: events[i].a2)
                if ts == 0 { continue }
                guard let block = lastSysBlock[events[i].g], block != 0 else {
                    throw DecodeError(offset: events[i].at, "broken trace: syscall exit of goroutine \(events[i].g) without a blocking syscall")
                }
                guard ts >= block else { throw DecodeError(offset: events[i].at, "broken trace: time stamps out of order") }
                events[i].ts = ts
            default: break
            }
        }
        // Stable, as Go's sort.Stable.
        if !zip(events, events.dropFirst()).allSatisfy({ $0.ts <= $1.ts }) {
            events = events.enumerated().sorted { ($0.element.ts, $0.offset) < ($1.element.ts, $1.offset) }.map(\.element)
        }
        return events
    }
}
