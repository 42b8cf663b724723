/// Goroutines grouped by start function, with where their time went — the figures of
/// `go tool trace`'s goroutine analysis (Go 1.27's `internal/trace/summary.go`, restated):
///
/// - a goroutine's name is its start function: the outermost frame of the first stack seen
///   for it (its creation stack, or its stack at the trace's start);
/// - execution, scheduler wait (runnable, and a blocking syscall's time after its proc was
///   taken away), block time by reason, syscall time, and time inside ranges (GC mark
///   assist, GC sweeping, stop-the-world) are summed over the goroutine's life inside the
///   trace; a goroutine alive at the end is counted up to the end;
/// - total is from its creation (or the start of the trace) to its end (or the trace's end).
public struct TraceGoroutines: Sendable {
    /// One goroutine's figures, nanoseconds.
    public struct Goroutine: Sendable {
        public var id: Int64
        public var name = ""
        public var total: Int64 = 0
        public var exec: Int64 = 0
        public var schedWait: Int64 = 0
        public var syscall: Int64 = 0
        public var syscallBlock: Int64 = 0
        public var blockByReason: [String: Int64] = [:]
        public var rangeTime: [String: Int64] = [:]
        /// GC mark assist time.
        public var gcAssist: Int64 { rangeTime["GC mark assist"] ?? 0 }
        /// Block time over all reasons.
        public var block: Int64 { blockByReason.values.reduce(0, &+) }

        // Pending spans (0: none), as the summarizer keeps them.
        var creation: Int64 = 0
        var lastStart: Int64 = 0
        var lastRunnable: Int64 = 0
        var lastBlock: Int64 = 0
        var lastBlockReason = ""
        var lastSyscall: Int64 = 0
        var lastSyscallBlock: Int64 = 0
        var lastRange: [String: Int64] = [:]
        var finalized = false

        /// Adds what is still open at `ts` (`snapshotStat`) and closes the goroutine.
        mutating func finalize(_ ts: Int64) {
            if finalized { return }
            total = ts &- creation
            if lastStart != 0 { exec &+= ts &- lastStart }
            if lastRunnable != 0 { schedWait &+= ts &- lastRunnable }
            if lastBlock != 0 { blockByReason[lastBlockReason, default: 0] &+= ts &- lastBlock }
            if lastSyscall != 0 { syscall &+= ts &- lastSyscall }
            if lastSyscallBlock != 0 { schedWait &+= ts &- lastSyscallBlock }
            for (name, t) in lastRange { rangeTime[name, default: 0] &+= ts &- t }
            finalized = true
        }
    }

    /// A start function's goroutines.
    public struct Group: Sendable {
        public var name: String
        public var goroutines: [Goroutine]
        public var count: Int { goroutines.count }
        func sum(_ f: (Goroutine) -> Int64) -> Int64 { goroutines.reduce(0) { $0 &+ f($1) } }
        public var total: Int64 { sum(\.total) }
        public var exec: Int64 { sum(\.exec) }
        public var schedWait: Int64 { sum(\.schedWait) }
        public var syscall: Int64 { sum(\.syscall) }
        public var syscallBlock: Int64 { sum(\.syscallBlock) }
        public var gcAssist: Int64 { sum(\.gcAssist) }
        public var block: Int64 { sum(\.block) }
        /// Block time by reason over the group.
        public var blockByReason: [String: Int64] {
            var out: [String: Int64] = [:]
            for g in goroutines { for (r, v) in g.blockByReason { out[r, default: 0] &+= v } }
            return out
        }
    }

    /// The groups, by total execution time, largest first (as the tool sorts them).
    public var groups: [Group]

    /// The goroutine analysis of the trace in `bytes`.
    public static func compute(_ bytes: UnsafeRawBufferPointer, source: String, release: TraceRelease? = nil) throws(InputError) -> TraceGoroutines {
        var gs: [Int64: Goroutine] = [:]
        var syncTs: Int64 = 0
        var lastTs: Int64 = 0
        var syscallingP: [Int64: Int64] = [:]
        var syscallingG: [Int64: Int64] = [:]
        var rangesP: [String: Int64] = [:]  // "proc name" → goroutine
        typealias Ev = TraceWire.Ev

        func rangeBegin(_ g: Int64, _ name: String, _ t: Int64) { if gs[g] != nil { gs[g]!.lastRange[name] = t } }
        func rangeEnd(_ g: Int64, _ name: String, _ t: Int64) {
            guard gs[g] != nil, let start = gs[g]!.lastRange.removeValue(forKey: name), start != 0 else { return }
            gs[g]!.rangeTime[name, default: 0] &+= t &- start
        }
        func procIdle(_ p: Int64, _ t: Int64) {
            if let g = syscallingP.removeValue(forKey: p), gs[g] != nil { gs[g]!.lastSyscallBlock = t }
        }

        do {
            try TraceReader.read(bytes, release: release) { ev, table in
                if syncTs == 0 { syncTs = ev.time }
                lastTs = ev.time
                if ev.type == TraceEvent.sync {
                    syncTs = ev.time
                    return
                }
                guard let table else { return }
                if let st = ev.goTransition {
                    if st.from == st.to { return }
                    let id = st.id
                    let reason = table.string(st.reason) ?? ""
                    switch st.from {
                    case .undetermined, .notExist:
                        var g = Goroutine(id: id)
                        g.creation = st.from == .undetermined ? syncTs : ev.time
                        if st.from == .undetermined {
                            let d = ev.time &- syncTs
                            switch st.to {
                            case .running: g.exec &+= d
                            case .waiting: g.blockByReason[reason, default: 0] &+= d
                            case .runnable: g.schedWait &+= d
                            case .syscall:
                                if ev.p == -1 { g.syscallBlock &+= d } else { g.syscall &+= d }
                            default: break
                            }
                        }
                        gs[id] = g
                    case .running:
                        if let g = gs[id] {
                            gs[id]!.exec &+= ev.time &- g.lastStart
                            gs[id]!.lastStart = 0
                        }
                    case .waiting:
                        if let g = gs[id], g.lastBlock != 0 {
                            gs[id]!.blockByReason[g.lastBlockReason, default: 0] &+= ev.time &- g.lastBlock
                            gs[id]!.lastBlock = 0
                        }
                    case .runnable:
                        if let g = gs[id], g.lastRunnable != 0 {
                            gs[id]!.schedWait &+= ev.time &- g.lastRunnable
                            gs[id]!.lastRunnable = 0
                        }
                    case .syscall:
                        if let g = gs[id], g.lastSyscall != 0 {
                            if g.lastSyscallBlock != 0 {
                                gs[id]!.syscallBlock &+= ev.time &- g.lastSyscallBlock
                                gs[id]!.syscall &+= g.lastSyscallBlock &- g.lastSyscall
                            } else {
                                gs[id]!.syscall &+= ev.time &- g.lastSyscall
                            }
                            gs[id]!.lastSyscall = 0
                            gs[id]!.lastSyscallBlock = 0
                            if let p = syscallingG.removeValue(forKey: id) { syscallingP[p] = nil }
                        }
                    }
                    guard gs[id] != nil else { return }
                    if gs[id]!.name.isEmpty, st.stack != 0, let pcs = table.stacks[st.stack], let outer = pcs.last,
                        let f = table.frames[outer]
                    {
                        gs[id]!.name = table.string(f.funcID) ?? ""
                    }
                    switch st.to {
                    case .running:
                        gs[id]!.lastStart = ev.time
                    case .runnable:
                        gs[id]!.lastRunnable = ev.time
                    case .waiting where reason != "forever":
                        gs[id]!.lastBlock = ev.time
                        gs[id]!.lastBlockReason = reason
                    case .waiting, .notExist:
                        gs[id]!.finalize(ev.time)
                    case .syscall:
                        syscallingP[ev.p] = id
                        syscallingG[id] = ev.p
                        gs[id]!.lastSyscall = ev.time
                    default: break
                    }
                    return
                }
                switch ev.type {
                case Ev.procStop: procIdle(ev.p, ev.time)
                case Ev.procSteal where ev.extra != TraceOrdering.procAbandoned:
                    procIdle(Int64(bitPattern: ev.a0), ev.time)
                case Ev.procStatus where ev.a1 == TraceOrdering.procIdle && ev.extra != 3:
                    procIdle(Int64(bitPattern: ev.a0), ev.time)
                case Ev.stwBegin: rangeBegin(ev.g, "stop-the-world (\(table.string(ev.a0) ?? ""))", ev.time)
                case Ev.stwEnd: rangeEnd(ev.g, "stop-the-world (\(table.string(ev.a0) ?? ""))", ev.time)
                case Ev.gcMarkAssistBegin: rangeBegin(ev.g, "GC mark assist", ev.time)
                case Ev.gcMarkAssistActive:
                    let g = Int64(bitPattern: ev.a0)
                    if let t = gs[g]?.lastRange["GC mark assist"], t != 0 {
                        gs[g]!.rangeTime["GC mark assist", default: 0] &+= syncTs &- t
                    }
                    if gs[g] != nil { gs[g]!.lastRange["GC mark assist"] = syncTs }
                case Ev.gcMarkAssistEnd: rangeEnd(ev.g, "GC mark assist", ev.time)
                case Ev.gcSweepBegin:
                    if gs[ev.g] != nil {
                        rangesP["\(ev.p) sweep"] = ev.g
                        rangeBegin(ev.g, "GC incremental sweep", ev.time)
                    }
                case Ev.gcSweepEnd:
                    if let g = rangesP.removeValue(forKey: "\(ev.p) sweep"), g == ev.g {
                        rangeEnd(g, "GC incremental sweep", ev.time)
                    }
                default: break
                }
            }
        } catch let e as DecodeError {
            throw InputError(source: source, offset: e.offset, "Go execution trace: " + e.message)
        } catch {
            throw InputError(source: source, "Go execution trace: \(error)")
        }
        var byName: [String: [Goroutine]] = [:]
        for (_, var g) in gs {
            g.finalize(lastTs)
            byName[g.name, default: []].append(g)
        }
        var groups = byName.map { Group(name: $0.key, goroutines: $0.value.sorted { ($0.total, $1.id) > ($1.total, $0.id) }) }
        groups.sort { ($0.exec, $1.name) > ($1.exec, $0.name) }
        return TraceGoroutines(groups: groups)
    }
}

extension TraceGoroutines {
    /// The groups as a table, with each group's block reasons and its slowest goroutines.
    public func text(slowest: Int = 3) -> String {
        let h = TraceStats.human
        var rows: [[String]] = [["goroutines", "total", "exec", "sched wait", "block", "syscall", "GC assist", "start function"]]
        for g in groups {
            rows.append([
                String(g.count), h(g.total), h(g.exec), h(g.schedWait), h(g.block), h(g.syscall + g.syscallBlock), h(g.gcAssist),
                g.name.isEmpty ? "(unknown)" : g.name,
            ])
        }
        var widths = [Int](repeating: 0, count: 7)
        for r in rows { for i in 0..<7 { widths[i] = Swift.max(widths[i], r[i].count) } }
        var out = ""
        for (n, r) in rows.enumerated() {
            var line = ""
            for i in 0..<7 { line += String(repeating: " ", count: widths[i] - r[i].count) + r[i] + "  " }
            out += line + r[7] + "\n"
            guard n > 0 else { continue }
            let g = groups[n - 1]
            let reasons = g.blockByReason.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            if !reasons.isEmpty {
                out += "      block by reason: " + reasons.map { "\($0.key.isEmpty ? "(none)" : $0.key) \(h($0.value))" }.joined(separator: ", ") + "\n"
            }
            if g.count > 1 && slowest > 0 {
                out += "      slowest: " + g.goroutines.prefix(slowest).map { "g\($0.id) \(h($0.total)) (exec \(h($0.exec)))" }.joined(separator: ", ") + "\n"
            }
        }
        return out
    }
}
