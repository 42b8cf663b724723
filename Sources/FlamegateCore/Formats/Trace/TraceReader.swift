/// Reads a Go execution trace event by event, in Go's order: the Go 1.22+ format one
/// generation in memory at a time, the older format of Go 1.11–1.21 whole, converted to
/// current events as Go 1.27's reader converts it (`OldTraceConversion`). `read` calls `visit` for every event with the
/// generation whose tables (strings, stacks) the event refers to.
///
/// A trace that is cut short or malformed anywhere is refused with the byte offset and
/// what was expected — `go tool trace` would quietly keep the generations before the
/// damage; a CI tool must not report numbers from part of a trace as if from all of it.
public enum TraceReader {
    /// The version in a Go trace header, if `head` starts with one (`go 1.N trace`).
    public static func version(_ head: UnsafeRawBufferPointer) -> Int? { TraceWire.headerVersion(head) }

    /// Whether this version is read (the headers Go 1.11–1.27 write).
    public static func isSupported(_ version: Int) -> Bool {
        TraceWire.currentVersions.contains(version) || TraceWire.oldVersions.contains(version)
    }

    /// What is supported, for messages.
    static let supported =
        "Go 1.11–1.27 traces (headers `go 1.11 trace`, `go 1.19 trace`, `go 1.21 trace`, `go 1.22 trace` … `go 1.26 trace`)"

    /// A thread's batches, read one event ahead (`batchCursor` in Go).
    struct Cursor {
        var m: Int64
        var lastTs: Int64 = 0
        var idx = 0
        var off = 0
        var ev = TraceEvent(type: 0, time: 0)
        var at = 0

        /// Reads the next event; false when the thread's batches are done.
        mutating func next(
            _ bytes: UnsafeRawBufferPointer, _ batches: [TraceWire.Batch], _ g: TraceWire.Generation, version: Int
        ) throws(DecodeError) -> Bool {
            while idx < batches.count && batches[idx].data.count == off {
                idx += 1
                off = 0
                lastTs = 0
            }
            if idx == batches.count { return false }
            let b = batches[idx]
            if lastTs == 0 { lastTs = g.ns(b.time) }
            var c = TraceWire.Cursor(bytes, from: b.data.lowerBound + off, to: b.data.upperBound)
            at = c.at
            let typ = try c.byte("an event")
            guard typ <= TraceWire.maxEvent(version: version), let spec = TraceWire.specs[Int(typ)] else {
                throw DecodeError(offset: at, "unknown or misplaced event type \(typ) in an event batch")
            }
            let dt = try c.uvarint("\(spec.name)'s timestamp")
            var e = TraceEvent(type: typ, time: 0)
            for i in 0..<spec.args {
                let v = try c.uvarint("\(spec.name)'s argument \(i + 1)")
                switch i {
                case 0: e.a0 = v
                case 1: e.a1 = v
                case 2: e.a2 = v
                default: e.a3 = v
                }
            }
            e.time = g.ns(dt) &+ lastTs
            lastTs = e.time
            ev = e
            off = c.at - b.data.lowerBound
            return true
        }
    }

    /// Reads every event of the trace in `bytes` (the whole file), in order.
    static func read(
        _ bytes: UnsafeRawBufferPointer, release: TraceRelease? = nil,
        visit: (TraceEvent, TraceWire.Generation?) throws -> Void
    ) throws {
        guard let version = TraceWire.headerVersion(bytes) else {
            throw DecodeError(offset: 0, "not a Go execution trace: expected the header `go 1.N trace`")
        }
        if TraceWire.oldVersions.contains(version) {
            try OldTraceConversion.read(bytes, version: version, visit: visit)
            return
        }
        guard isSupported(version) else {
            throw DecodeError(offset: 0, "unknown trace version go 1.\(version); supported: \(supported)")
        }
        var gens = TraceWire.GenerationReader(bytes, version: version)
        var order = TraceOrdering(version: version)
        var lastTs: Int64 = 0
        var any = false

        func emit(_ e: TraceEvent, _ g: TraceWire.Generation?, at: Int) throws {
            var e = e
            if e.type != TraceEvent.sync, let g, let spec = TraceWire.specs[Int(e.type)] {
                for i in spec.stackArgs where !g.hasStack(e.arg(i - 1)) {
                    throw DecodeError(offset: at, "\(spec.name) names stack \(e.arg(i - 1)), which the generation does not define")
                }
                for i in spec.stringArgs where g.string(e.arg(i - 1)) == nil {
                    throw DecodeError(offset: at, "\(spec.name) names string \(e.arg(i - 1)), which the generation does not define")
                }
            }
            if e.time <= lastTs { e.time = lastTs &+ 1 }
            lastTs = e.time
            try visit(e, g)
        }

        while let g = try gens.next() {
            any = true
            try emit(TraceEvent(type: TraceEvent.sync, time: g.ns(g.minTs)), g, at: gens.at)
            var frontier: [Cursor] = []
            for m in g.batchMs {
                var c = Cursor(m: m)
                if try c.next(bytes, g.batches[m] ?? [], g, version: version) { heapInsert(&frontier, c) }
            }
            var samples = g.cpuSampleTicks.map { g.ns($0) }
            samples.sort()
            var si = 0

            func tryAdvance(_ i: Int) throws -> Bool {
                var ev = frontier[i].ev
                let ok: Bool
                do {
                    ok = try order.advance(&ev, table: g, m: frontier[i].m, gen: g.gen)
                } catch {
                    throw DecodeError(offset: frontier[i].at, "broken trace: \(error.message)")
                }
                if !ok { return false }
                if try frontier[i].next(bytes, g.batches[frontier[i].m] ?? [], g, version: version) {
                    heapUpdate(&frontier, i)
                } else {
                    heapRemove(&frontier, i)
                }
                return true
            }

            while true {
                if !order.queue.isEmpty {
                    for e in order.queue { try emit(e, g, at: gens.at) }
                    order.queue.removeAll(keepingCapacity: true)
                }
                if frontier.isEmpty && si == samples.count { break }
                if si < samples.count && (frontier.isEmpty || samples[si] < frontier[0].ev.time) {
                    // CPU samples carry no state; they take a place on the clock all the same.
                    try emit(TraceEvent(type: TraceWire.Ev.cpuSample, time: samples[si]), nil, at: gens.at)
                    si += 1
                    continue
                }
                let at = frontier[0].at
                if try !tryAdvance(0) {
                    frontier.sort { $0.ev.time < $1.ev.time }
                    var success = false
                    for i in 1..<max(1, frontier.count) where try tryAdvance(i) {
                        success = true
                        break
                    }
                    if !success {
                        throw DecodeError(
                            offset: at,
                            "broken trace: no thread's next event can happen in generation \(g.gen) (events out of order or missing)")
                    }
                }
            }
            // The generation is done: its bytes (all before the next one's) are not read again.
            release?(min(gens.spill?.at ?? gens.at, gens.at))
        }
        if !any { throw DecodeError(offset: 16, "truncated: the trace has a header and no events") }
        try emit(TraceEvent(type: TraceEvent.sync, time: lastTs), nil, at: bytes.count)
    }

    // The frontier is a binary min-heap on event time, kept exactly as Go's reader keeps it
    // (sift up / down with the same tie rules), so that equal times resolve the same way.

    static func heapInsert(_ h: inout [Cursor], _ c: Cursor) {
        h.append(c)
        _ = siftUp(&h, h.count - 1)
    }

    static func heapUpdate(_ h: inout [Cursor], _ i: Int) {
        if siftUp(&h, i) != i { return }
        _ = siftDown(&h, i)
    }

    static func heapRemove(_ h: inout [Cursor], _ i: Int) {
        var i = i
        while i > 0 {
            h.swapAt((i - 1) / 2, i)
            i = (i - 1) / 2
        }
        h.swapAt(0, h.count - 1)
        h.removeLast()
        _ = siftDown(&h, 0)
    }

    static func siftUp(_ h: inout [Cursor], _ i: Int) -> Int {
        var i = i
        while i > 0 && h[(i - 1) / 2].ev.time > h[i].ev.time {
            h.swapAt((i - 1) / 2, i)
            i = (i - 1) / 2
        }
        return i
    }

    static func siftDown(_ h: inout [Cursor], _ i: Int) -> Int {
        var i = i
        while true {
            var m = i
            var minT = i < h.count ? h[i].ev.time : Int64.max
            if 2 * i + 1 < h.count, h[2 * i + 1].ev.time < minT {
                minT = h[2 * i + 1].ev.time
                m = 2 * i + 1
            }
            if 2 * i + 2 < h.count, h[2 * i + 2].ev.time < minT {
                m = 2 * i + 2
            }
            if m == i { break }
            h.swapAt(i, m)
            i = m
        }
        return i
    }
}
