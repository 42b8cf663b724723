/// Turns the events of an old-format trace (Go 1.11–1.21) into the events of the current
/// format, as Go 1.27's reader does (`internal/trace/tracev1.go`), so that every report
/// reads old and new traces alike and gets what `go tool trace` 1.27 shows for them:
///
/// - one generation holds the whole trace, opened by a sync event 1 ns before the first
///   event and closed by one 1 ns after the last;
/// - goroutines that exist when tracing starts get a `GoStatus` of unknown prior state
///   (runnable, running, waiting or in a syscall) at the first `Gomaxprocs` event;
/// - block kinds become block reasons (`GoBlockSend` → "chan send", `GoBlockNet` →
///   "network", `GoSleep` → "sleep", `GoStop` → "forever", `GoSched` → a stop for
///   "runtime.Gosched"…); stop-the-world kinds become their names;
/// - a syscall that does not block (no `GoSysBlock` before the goroutine's next event)
///   is a 1 ns syscall; a blocking one ends at the `GoSysExit` (`GoSyscallEndBlocked`);
/// - a P's first start or stop is its status;
/// - times are made strictly increasing (an event no later than the previous one moves to
///   1 ns after it).
enum OldTraceConversion {
    /// The reason and stop-the-world names Go adds to the string table, in its order.
    static let builtins = [
        "forever", "preempted", "runtime.Gosched", "sleep", "chan send", "chan receive", "network", "sync",
        "sync.(*Cond).Wait", "select", "", "GC mark assist wait for work",
        // Stop-the-world reasons, by `tracev1.STWReason` (0: unknown).
        "", "GC mark termination", "GC sweep termination", "write heap dump", "goroutine profile",
        "goroutine profile cleanup", "all goroutine stack trace", "read mem stats", "AllThreadsSyscall", "GOMAXPROCS",
        "start trace", "stop trace", "CountPagesInUse (test)", "ReadMetricsSlow (test)", "ReadMemStatsSlow (test)",
        "PageCachePagesLeaked (test)", "ResetDebugLog (test)",
    ]
    static let sForever = 0, sPreempted = 1, sGosched = 2, sSleep = 3, sChanSend = 4, sChanRecv = 5, sNetwork = 6
    static let sSync = 7, sSyncCond = 8, sSelect = 9, sEmpty = 10, sMarkAssistWait = 11, sSTWUnknown = 12
    static let stwReasons = 17

    /// The stop-the-world reason of a kind id: before 1.21 only 0 (mark termination) and 1
    /// (sweep termination) exist; 1.21 writes the runtime's reason numbers.
    static func stwReason(_ kind: UInt64, version: Int) -> Int {
        if version < 21 { return kind <= 1 ? Int(kind) + 1 : 0 }
        return kind < UInt64(stwReasons) ? Int(kind) : 0
    }

    /// Reads the old-format trace in `bytes` and calls `visit` with every event as the
    /// current reader delivers it (the table for every event but CPU samples and the last
    /// sync).
    static func read(
        _ bytes: UnsafeRawBufferPointer, version: Int, visit: (TraceEvent, TraceWire.Generation?) throws -> Void
    ) throws {
        let trace = try OldTraceParser.parse(bytes, version: version)
        guard !trace.events.isEmpty else { throw DecodeError(offset: 16, "truncated: the trace has a header and no events") }
        typealias Ev = OldTraceWire.Ev
        typealias New = TraceWire.Ev

        // The table: the trace's strings, then the log messages, then the built-in names.
        let table = TraceWire.Generation()
        table.gen = 1
        table.freq = 1
        table.strings = trace.strings
        let maxID = trace.strings.keys.max() ?? 0
        let inlineBase = maxID &+ 1
        for (i, s) in trace.inlineStrings.enumerated() { table.strings[inlineBase &+ UInt64(i)] = s }
        let builtinBase = inlineBase &+ UInt64(trace.inlineStrings.count)
        for (i, s) in builtins.enumerated() { table.strings[builtinBase &+ UInt64(i)] = s }
        var nextExtra = builtinBase &+ UInt64(builtins.count)
        func builtin(_ i: Int) -> UInt64 { builtinBase &+ UInt64(i) }
        for (id, pcs) in trace.stacks { table.stacks[UInt64(id)] = pcs }
        table.frames = trace.frames

        // For each event, the index of the next event of the same goroutine: a syscall that
        // is followed by its goroutine's GoSysBlock blocked.
        let events = trace.events
        var nextOfG = [Int](repeating: -1, count: events.count)
        var seen: [UInt64: Int] = [:]
        for i in events.indices.reversed() {
            nextOfG[i] = seen[events[i].g] ?? -1
            seen[events[i].g] = i
        }

        var lastTs: Int64 = -1
        var preInit = true
        var createdPreInit: Set<UInt64> = []
        var seenProcs: Set<Int32> = []
        var procMs: [Int32: Int64] = [:]
        var lastStwReason: UInt64 = 0
        var tasks: [UInt64: (name: String, parent: UInt64)] = [:]
        let noTask = UInt64.max

        func emit(_ e: TraceEvent) throws {
            var e = e
            if e.time <= lastTs { e.time = lastTs &+ 1 }
            lastTs = e.time
            try visit(e, e.type == New.cpuSample ? nil : table)
        }
        func make(_ type: UInt8, _ ev: OldTraceEvent, _ args: [UInt64]) -> TraceEvent {
            var e = TraceEvent(type: type, time: ev.ts)
            for (i, a) in args.enumerated() {
                switch i {
                case 0: e.a0 = a
                case 1: e.a1 = a
                case 2: e.a2 = a
                default: e.a3 = a
                }
            }
            e.g = ev.g == 0 ? -1 : Int64(bitPattern: ev.g)
            e.p = Int64(ev.p)
            if ev.p != -1 && ev.type != Ev.cpuSample, let m = procMs[ev.p] { e.m = m }
            return e
        }

        var sync = TraceEvent(type: TraceEvent.sync, time: events[0].ts &- 1)
        sync.g = -1
        try visit(sync, table)

        for (i, ev) in events.enumerated() {
            var type: UInt8
            var args = [ev.a0, ev.a1, ev.a2, ev.a3]
            switch ev.type {
            case Ev.gomaxprocs:
                type = New.procsChange
                if preInit {
                    preInit = false
                    // Goroutines created before tracing started and not otherwise described.
                    for g in createdPreInit.sorted() {
                        var e = TraceEvent(type: New.goStatus, time: ev.ts)
                        e.a0 = g
                        e.a1 = UInt64.max
                        e.a2 = 1  // runnable
                        try emit(e)
                    }
                    createdPreInit = []
                    continue
                }
            case Ev.procStart:
                procMs[ev.p] = Int64(bitPattern: ev.a0)
                if seenProcs.contains(ev.p) {
                    type = New.procStart
                    args = [UInt64(bitPattern: Int64(ev.p))]
                } else {
                    seenProcs.insert(ev.p)
                    type = New.procStatus
                    args = [UInt64(bitPattern: Int64(ev.p)), 1]  // running
                }
            case Ev.procStop:
                if seenProcs.contains(ev.p) {
                    type = New.procStop
                    args = [UInt64(bitPattern: Int64(ev.p))]
                } else {
                    seenProcs.insert(ev.p)
                    type = New.procStatus
                    args = [UInt64(bitPattern: Int64(ev.p)), 2]  // idle
                }
            case Ev.gcStart: type = New.gcBegin
            case Ev.gcDone: type = New.gcEnd
            case Ev.stwStart:
                let sid = builtin(sSTWUnknown + stwReason(ev.a0, version: trace.version))
                lastStwReason = sid
                type = New.stwBegin
                args = [sid]
            case Ev.stwDone:
                type = New.stwEnd
                args = [lastStwReason]
            case Ev.gcSweepStart: type = New.gcSweepBegin
            case Ev.gcSweepDone: type = New.gcSweepEnd
            case Ev.goCreate:
                if preInit {
                    createdPreInit.insert(ev.a0)
                    continue
                }
                type = New.goCreate
            case Ev.goStart:
                if preInit {
                    type = New.goStatus
                    args = [ev.a0, UInt64.max, 2]  // running
                    createdPreInit.remove(ev.a0)
                } else {
                    type = New.goStart
                }
            case Ev.goStartLabel:
                try emit(make(New.goStart, ev, args))
                try emit(make(New.goLabel, ev, [ev.a2]))
                continue
            case Ev.goEnd: type = New.goDestroy
            case Ev.goStop: (type, args) = (New.goBlock, [builtin(sForever), UInt64(ev.stack)])
            case Ev.goSched: (type, args) = (New.goStop, [builtin(sGosched), UInt64(ev.stack)])
            case Ev.goPreempt: (type, args) = (New.goStop, [builtin(sPreempted), UInt64(ev.stack)])
            case Ev.goSleep: (type, args) = (New.goBlock, [builtin(sSleep), UInt64(ev.stack)])
            case Ev.goBlock: (type, args) = (New.goBlock, [builtin(sEmpty), UInt64(ev.stack)])
            case Ev.goUnblock: type = New.goUnblock
            case Ev.goBlockSend: (type, args) = (New.goBlock, [builtin(sChanSend), UInt64(ev.stack)])
            case Ev.goBlockRecv: (type, args) = (New.goBlock, [builtin(sChanRecv), UInt64(ev.stack)])
            case Ev.goBlockSelect: (type, args) = (New.goBlock, [builtin(sSelect), UInt64(ev.stack)])
            case Ev.goBlockSync: (type, args) = (New.goBlock, [builtin(sSync), UInt64(ev.stack)])
            case Ev.goBlockCond: (type, args) = (New.goBlock, [builtin(sSyncCond), UInt64(ev.stack)])
            case Ev.goBlockNet: (type, args) = (New.goBlock, [builtin(sNetwork), UInt64(ev.stack)])
            case Ev.goBlockGC: (type, args) = (New.goBlock, [builtin(sMarkAssistWait), UInt64(ev.stack)])
            case Ev.goSysCall:
                let n = nextOfG[i]
                if n >= 0 && events[n].type == Ev.goSysBlock {
                    (type, args) = (New.goSyscallBegin, [0, UInt64(ev.stack)])
                } else {
                    // A syscall that did not block: 1 ns in the syscall state.
                    try emit(make(New.goSyscallBegin, ev, [0, UInt64(ev.stack)]))
                    var end = ev
                    end.ts &+= 1
                    try emit(make(New.goSyscallEnd, end, []))
                    continue
                }
            case Ev.goSysExit: type = New.goSyscallEndBlocked
            case Ev.goSysBlock: continue
            case Ev.goWaiting:
                (type, args) = (New.goStatus, [ev.a0, UInt64.max, 4])  // waiting
                createdPreInit.remove(ev.a0)
            case Ev.goInSyscall:
                (type, args) = (New.goStatus, [ev.a0, UInt64.max, 3])  // syscall
                createdPreInit.remove(ev.a0)
            case Ev.heapAlloc: type = New.heapAlloc
            case Ev.heapGoal: type = New.heapGoal
            case Ev.gcMarkAssistStart: type = New.gcMarkAssistBegin
            case Ev.gcMarkAssistDone: type = New.gcMarkAssistEnd
            case Ev.userTaskCreate:
                type = New.userTaskBegin
                args = [ev.a0, ev.a1 == 0 ? noTask : ev.a1, ev.a2, UInt64(ev.stack)]
                tasks[ev.a0] = (table.string(ev.a2) ?? "", ev.a1)
            case Ev.userTaskEnd:
                type = New.userTaskEnd
                let t = tasks.removeValue(forKey: ev.a0) ?? ("", noTask)
                table.strings[nextExtra] = t.name
                args = [ev.a0, ev.a1, t.parent, nextExtra]
                nextExtra &+= 1
            case Ev.userRegion:
                type = ev.a1 == 0 ? New.userRegionBegin : New.userRegionEnd
                args = [ev.a0, ev.a2, UInt64(ev.stack)]
            case Ev.userLog:
                type = New.userLog
                args = [ev.a0, ev.a1, inlineBase &+ ev.a3, UInt64(ev.stack)]
            case Ev.cpuSample:
                type = New.cpuSample
                args = [UInt64(ev.stack), UInt64.max, UInt64(bitPattern: Int64(ev.p)), ev.g]
            default:
                throw DecodeError(offset: ev.at, "unexpected event \(OldTraceWire.specs[Int(ev.type)].name) in a go 1.\(version) trace")
            }
            // The old event's stack goes where the new event keeps its own stack.
            if OldTraceWire.specs[Int(ev.type)].stack, let spec = TraceWire.specs[Int(type)], let s = spec.stackArgs.first {
                while args.count < s { args.append(0) }
                args[s - 1] = UInt64(ev.stack)
            }
            let e = make(type, ev, args)
            if ev.type == Ev.procStop { procMs[ev.p] = nil }
            try emit(e)
        }
        var end = TraceEvent(type: TraceEvent.sync, time: lastTs &+ 1)
        end.g = -1
        try visit(end, nil)
    }
}
