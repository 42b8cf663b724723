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
    }

    /// A span whose goroutine had not yet started when the span ended: it counts in full
    /// if the goroutine never starts, else not at all (it ends before the first start).
    struct Pending {
        var g: Int64
        var duration: Int64
        var key: Int
    }

    /// The profile of `kind` from the trace in `bytes`.
    public static func profile(_ bytes: UnsafeRawBufferPointer, kind: TraceProfileKind, source: String) throws(InputError)
        -> Profile
    {
        var stackIndex: [[UInt64]: Int] = [:]
        var stacks: [[UInt64]] = []
        var records: [Record] = []
        var frames: [UInt64: (fn: String, file: String, line: Int64)] = [:]
        var tracking: [Int64: (time: Int64, key: Int)] = [:]
        var started: [Int64: Int64] = [:]  // first start (the summary's StartTime; absent = 0)
        var pending: [Pending] = []
        let state = kind.state

        func key(_ stack: UInt64, _ g: TraceWire.Generation) -> Int {
            let pcs = stack == 0 ? [] : Array((g.stacks[stack] ?? []).prefix(128))
            if let k = stackIndex[pcs] { return k }
            for pc in pcs where frames[pc] == nil {
                if let f = g.frames[pc] {
                    frames[pc] = (g.string(f.funcID) ?? "", g.string(f.fileID) ?? "", Int64(truncatingIfNeeded: f.line))
                }
            }
            stackIndex[pcs] = stacks.count
            stacks.append(pcs)
            records.append(Record())
            return stacks.count - 1
        }

        do {
            try TraceReader.read(bytes) { ev, g in
                guard let g, let st = ev.goTransition else { return }
                // The goroutine summary first (the tool computes it before the profile).
                if st.from != st.to {
                    if st.from == .undetermined || st.from == .notExist { started[st.id] = nil }
                    if st.to == .running && started[st.id] == nil { started[st.id] = ev.time }
                }
                if let start = tracking[st.id] {
                    if st.to == state { return }
                    tracking[st.id] = nil
                    let d = ev.time &- start.time
                    if let s = started[st.id] {
                        let overlap = s <= ev.time ? ev.time &- max(s, start.time) : 0
                        if overlap > 0 {
                            records[start.key].count += 1
                            records[start.key].time &+= overlap
                        }
                    } else if d > 0 {
                        pending.append(Pending(g: st.id, duration: d, key: start.key))
                    }
                    return
                }
                if st.to == state && kind.tracks(g.string(st.reason) ?? "") {
                    tracking[st.id] = (ev.time, key(ev.stackID, g))
                }
            }
        } catch let e as DecodeError {
            throw InputError(source: source, offset: e.offset, "Go execution trace: " + e.message)
        } catch {
            throw InputError(source: source, "Go execution trace: \(error)")
        }
        for p in pending where started[p.g] == nil {
            records[p.key].count += 1
            records[p.key].time &+= p.duration
        }
        return build(stacks: stacks, records: records, frames: frames)
    }

    /// The profile as `traceviewer.BuildProfile` lays it out: a location per PC, a
    /// function per (file, name), samples of the stacks that have a count.
    static func build(
        stacks: [[UInt64]], records: [Record], frames: [UInt64: (fn: String, file: String, line: Int64)]
    ) -> Profile {
        var p = Profile(sampleTypes: [
            ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: "nanoseconds"),
        ])
        p.periodType = ValueType(type: "trace", unit: "count")
        p.period = 1
        var locs: [UInt64: Int32] = [:]
        var funcs: [String: Int32] = [:]
        for (i, pcs) in stacks.enumerated() where records[i].count > 0 {
            var sloc: [Int32] = []
            for pc in pcs {
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
            p.samples.append(locations: sloc, values: [records[i].count, records[i].time])
        }
        return p
    }
}
