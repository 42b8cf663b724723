/// The four profiles `go tool trace -pprof=KIND` writes (Go 1.27's `cmd/trace/pprof.go`),
/// each a profile of `contentions/count` and `delay/nanoseconds` per stack:
///
/// - `sched`: time from a goroutine becoming runnable to running, charged to the stack at
///   which it became runnable (its creator's, unblocker's or its own preemption point);
/// - `sync`: time blocked on channels, `select` and `sync` (reasons containing "chan",
///   "sync" or "select"), charged to the blocking stack;
/// - `net`: time blocked on the network (reason "network"), charged to the blocking stack;
/// - `syscall`: time in system calls, charged to the stack that entered the call.
///
/// As Go counts them, a span only counts for the part inside the goroutine's life as the
/// trace's goroutine summary sees it: from its first start to its end (or the trace's
/// end). So the wait before a goroutine's first run — and every span that ends with its
/// first run — counts as 0 and is left out, as in the tool's output.
public enum TraceProfileKind: String, CaseIterable, Sendable {
    case sched, sync, net, syscall

    /// The goroutine state measured.
    var state: TraceGoState {
        switch self {
        case .sched: return .runnable
        case .sync, .net: return .waiting
        case .syscall: return .syscall
        }
    }

    /// Whether a transition into the state for `reason` is measured.
    func tracks(_ reason: String) -> Bool {
        switch self {
        case .sched, .syscall: return true
        case .sync: return reason.contains("chan") || reason.contains("sync") || reason.contains("select")
        case .net: return reason == "network"
        }
    }
}

public enum TracePprof {
    /// One stack's accumulated spans.
    struct Record {
        var count: Int64 = 0
        var time: Int64 = 0
        /// The stack the record is written with: the last one added to it (see `key`).
        var pcs: [UInt64] = []
        var lastAdd = -1
    }

    /// A goroutine's first start (the summary's StartTime; nil = 0) and the span being timed.
    struct GoroutineSpan {
        var started: Int64? = nil
        var tracking: (time: Int64, key: Int, pcs: [UInt64])? = nil
    }

    /// A span whose goroutine had not yet started when the span ended: it counts in full
    /// if the goroutine never starts, else not at all (it ends before the first start).
    struct Pending {
        var g: Int64
        var duration: Int64
        var key: Int
        var pcs: [UInt64]
        var order: Int
    }

    /// The profile of `kind` from the trace in `bytes`.
    public static func profile(_ bytes: UnsafeRawBufferPointer, kind: TraceProfileKind, source: String, release: TraceRelease? = nil) throws(InputError)
        -> Profile
    {
        var stackIndex: [[UInt64]: Int] = [:]
        var stacks: [[UInt64]] = []
        var records: [Record] = []
        var frames: [UInt64: (fn: String, file: String, line: Int64)] = [:]
        var goroutines: [Int64: GoroutineSpan] = [:]
        var adds = 0
        var pending: [Pending] = []
        let state = kind.state

        // The tool merges stacks by their first 128 PCs in a zero-filled array, so a stack
        // and the same stack with trailing zero PCs are one record, written with whichever
        // of them was added last.
        // Stack ids are a generation's own: what an id resolved to is kept for the rest of
        // its generation, so a stack is hashed once per generation, not once per span.
        var cacheOf: UInt64? = nil
        var cache: [UInt64: (Int, [UInt64])] = [:]
        func key(_ stack: UInt64, _ g: TraceWire.Generation) -> (Int, [UInt64]) {
            if cacheOf != g.gen {
                cache.removeAll(keepingCapacity: true)
                cacheOf = g.gen
            }
            if let hit = cache[stack] { return hit }
            let resolved = resolve(stack, g)
            cache[stack] = resolved
            return resolved
        }
        func resolve(_ stack: UInt64, _ g: TraceWire.Generation) -> (Int, [UInt64]) {
            let pcs = stack == 0 ? [] : Array((g.stacks[stack] ?? []).prefix(128))
            var trimmed = pcs[...]
            while trimmed.last == 0 { trimmed.removeLast() }
            for pc in pcs where frames[pc] == nil {
                if let f = g.frames[pc] {
                    frames[pc] = (g.string(f.funcID) ?? "", g.string(f.fileID) ?? "", Int64(truncatingIfNeeded: f.line))
                }
            }
            if let k = stackIndex[Array(trimmed)] { return (k, pcs) }
            stackIndex[Array(trimmed)] = stacks.count
            stacks.append(Array(trimmed))
            records.append(Record())
            return (stacks.count - 1, pcs)
        }
        func add(_ k: Int, _ pcs: [UInt64], _ d: Int64, order: Int) {
            records[k].count += 1
            records[k].time &+= d
            if order > records[k].lastAdd {
                records[k].lastAdd = order
                records[k].pcs = pcs
            }
        }

        do {
            try TraceReader.read(bytes, release: release) { ev, g in
                guard let g, let st = ev.goTransition else { return }
                // One lookup per event: the goroutine's record is changed in place.
                func step(_ info: inout GoroutineSpan) {
                    // The goroutine summary first (the tool computes it before the profile).
                    if st.from != st.to {
                        if st.from == .undetermined || st.from == .notExist { info.started = nil }
                        if st.to == .running && info.started == nil { info.started = ev.time }
                    }
                    if let start = info.tracking {
                        if st.to == state { return }
                        info.tracking = nil
                        let d = ev.time &- start.time
                        if let s = info.started {
                            let overlap = s <= ev.time ? ev.time &- max(s, start.time) : 0
                            if overlap > 0 { add(start.key, start.pcs, overlap, order: adds) }
                        } else if d > 0 {
                            pending.append(Pending(g: st.id, duration: d, key: start.key, pcs: start.pcs, order: adds))
                        }
                        adds += 1
                        return
                    }
                    // sched and syscall take every reason: no string lookup for them.
                    if st.to == state && (kind == .sched || kind == .syscall || kind.tracks(g.string(st.reason) ?? "")) {
                        let (k, pcs) = key(ev.stackID, g)
                        info.tracking = (ev.time, k, pcs)
                    }
                }
                step(&goroutines[st.id, default: GoroutineSpan()])
            }
        } catch let e as DecodeError {
            throw InputError(source: source, offset: e.offset, "Go execution trace: " + e.message)
        } catch {
            throw InputError(source: source, "Go execution trace: \(error)")
        }
        for p in pending where goroutines[p.g]?.started == nil { add(p.key, p.pcs, p.duration, order: p.order) }
        return build(records: records, frames: frames)
    }

    /// The profile as `traceviewer.BuildProfile` lays it out: a location per PC, a
    /// function per (file, name), samples of the stacks that have a count.
    static func build(records: [Record], frames: [UInt64: (fn: String, file: String, line: Int64)]) -> Profile {
        var p = Profile(sampleTypes: [
            ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: "nanoseconds"),
        ])
        p.periodType = ValueType(type: "trace", unit: "count")
        p.period = 1
        var locs: [UInt64: Int32] = [:]
        var funcs: [String: Int32] = [:]
        for r in records where r.count > 0 {
            var sloc: [Int32] = []
            for pc in r.pcs {
                if let l = locs[pc] {
                    sloc.append(l)
                    continue
                }
                let f = frames[pc] ?? ("", "", 0)
                let fkey = f.file + "\u{0}" + f.fn
                let fi: Int32
                if let existing = funcs[fkey] {
                    fi = existing
                } else {
                    let name = p.strings.intern(f.fn)
                    fi = Int32(p.functions.count)
                    p.functions.append(
                        Function(id: UInt64(p.functions.count + 1), name: name, systemName: name, filename: p.strings.intern(f.file)))
                    funcs[fkey] = fi
                }
                p.lines.append(Line(function: fi, line: f.line))
                let li = Int32(p.locations.count)
                p.locations.append(
                    Location(id: UInt64(p.locations.count + 1), address: pc, lineStart: Int32(p.lines.count - 1), lineCount: 1))
                locs[pc] = li
                sloc.append(li)
            }
            p.samples.append(locations: sloc, values: [r.count, r.time])
        }
        return p
    }
}
