/// The Go execution trace wire format of Go 1.22 and later (`go 1.22 trace` … `go 1.26
/// trace`; Go 1.27 still writes `go 1.26 trace`): a 16-byte header, then generations of
/// batches. Each batch is `EventBatch gen m time size` and `size` bytes of events; a
/// generation also carries its string and stack tables, a sync batch (the timestamp
/// frequency, from 1.25 a clock snapshot), CPU samples and experimental batches. Go 1.26
/// ends every generation with an `EndOfGeneration` byte; earlier versions start the next
/// generation with a batch of the next generation number.
///
/// Semantics read from Go 1.27's `internal/trace` (`batch.go`, `generation.go`,
/// `version/version.go`); the byte layout is `internal/trace/tracev2/events.go`.
enum TraceWire {
    /// Event type bytes (`tracev2.EvNone` …), the ones the reader names.
    enum Ev {
        static let eventBatch: UInt8 = 1
        static let stacks: UInt8 = 2
        static let stack: UInt8 = 3
        static let strings: UInt8 = 4
        static let string: UInt8 = 5
        static let cpuSamples: UInt8 = 6
        static let cpuSample: UInt8 = 7
        static let frequency: UInt8 = 8
        static let procsChange: UInt8 = 9
        static let procStart: UInt8 = 10
        static let procStop: UInt8 = 11
        static let procSteal: UInt8 = 12
        static let procStatus: UInt8 = 13
        static let goCreate: UInt8 = 14
        static let goCreateSyscall: UInt8 = 15
        static let goStart: UInt8 = 16
        static let goDestroy: UInt8 = 17
        static let goDestroySyscall: UInt8 = 18
        static let goStop: UInt8 = 19
        static let goBlock: UInt8 = 20
        static let goUnblock: UInt8 = 21
        static let goSyscallBegin: UInt8 = 22
        static let goSyscallEnd: UInt8 = 23
        static let goSyscallEndBlocked: UInt8 = 24
        static let goStatus: UInt8 = 25
        static let stwBegin: UInt8 = 26
        static let stwEnd: UInt8 = 27
        static let gcActive: UInt8 = 28
        static let gcBegin: UInt8 = 29
        static let gcEnd: UInt8 = 30
        static let gcSweepActive: UInt8 = 31
        static let gcSweepBegin: UInt8 = 32
        static let gcSweepEnd: UInt8 = 33
        static let gcMarkAssistActive: UInt8 = 34
        static let gcMarkAssistBegin: UInt8 = 35
        static let gcMarkAssistEnd: UInt8 = 36
        static let heapAlloc: UInt8 = 37
        static let heapGoal: UInt8 = 38
        static let goLabel: UInt8 = 39
        static let userTaskBegin: UInt8 = 40
        static let userTaskEnd: UInt8 = 41
        static let userRegionBegin: UInt8 = 42
        static let userRegionEnd: UInt8 = 43
        static let userLog: UInt8 = 44
        static let goSwitch: UInt8 = 45
        static let goSwitchDestroy: UInt8 = 46
        static let goCreateBlocked: UInt8 = 47
        static let goStatusStack: UInt8 = 48
        static let experimentalBatch: UInt8 = 49
        static let sync: UInt8 = 50
        static let clockSnapshot: UInt8 = 51
        static let endOfGeneration: UInt8 = 52
    }

    /// What the reader needs of each timed event type: its name, how many arguments follow
    /// the timestamp delta, and which of them are stack and string ids (1-based, as
    /// `tracev2.EventSpec` counts them with the timestamp as argument 0).
    struct Spec {
        var name: String
        var args: Int
        var stackArgs: [Int] = []
        var stringArgs: [Int] = []
    }

    /// Timed events by type (nil: not an event that may appear inside an event batch).
    static let specs: [Spec?] = {
        var s = [Spec?](repeating: nil, count: 64)
        s[Int(Ev.procsChange)] = Spec(name: "ProcsChange", args: 2, stackArgs: [2])
        s[Int(Ev.procStart)] = Spec(name: "ProcStart", args: 2)
        s[Int(Ev.procStop)] = Spec(name: "ProcStop", args: 0)
        s[Int(Ev.procSteal)] = Spec(name: "ProcSteal", args: 3)
        s[Int(Ev.procStatus)] = Spec(name: "ProcStatus", args: 2)
        s[Int(Ev.goCreate)] = Spec(name: "GoCreate", args: 3, stackArgs: [3, 2])
        s[Int(Ev.goCreateSyscall)] = Spec(name: "GoCreateSyscall", args: 1)
        s[Int(Ev.goStart)] = Spec(name: "GoStart", args: 2)
        s[Int(Ev.goDestroy)] = Spec(name: "GoDestroy", args: 0)
        s[Int(Ev.goDestroySyscall)] = Spec(name: "GoDestroySyscall", args: 0)
        s[Int(Ev.goStop)] = Spec(name: "GoStop", args: 2, stackArgs: [2], stringArgs: [1])
        s[Int(Ev.goBlock)] = Spec(name: "GoBlock", args: 2, stackArgs: [2], stringArgs: [1])
        s[Int(Ev.goUnblock)] = Spec(name: "GoUnblock", args: 3, stackArgs: [3])
        s[Int(Ev.goSyscallBegin)] = Spec(name: "GoSyscallBegin", args: 2, stackArgs: [2])
        s[Int(Ev.goSyscallEnd)] = Spec(name: "GoSyscallEnd", args: 0)
        s[Int(Ev.goSyscallEndBlocked)] = Spec(name: "GoSyscallEndBlocked", args: 0)
        s[Int(Ev.goStatus)] = Spec(name: "GoStatus", args: 3)
        s[Int(Ev.stwBegin)] = Spec(name: "STWBegin", args: 2, stackArgs: [2], stringArgs: [1])
        s[Int(Ev.stwEnd)] = Spec(name: "STWEnd", args: 0)
        s[Int(Ev.gcActive)] = Spec(name: "GCActive", args: 1)
        s[Int(Ev.gcBegin)] = Spec(name: "GCBegin", args: 2, stackArgs: [2])
        s[Int(Ev.gcEnd)] = Spec(name: "GCEnd", args: 1)
        s[Int(Ev.gcSweepActive)] = Spec(name: "GCSweepActive", args: 1)
        s[Int(Ev.gcSweepBegin)] = Spec(name: "GCSweepBegin", args: 1, stackArgs: [1])
        s[Int(Ev.gcSweepEnd)] = Spec(name: "GCSweepEnd", args: 2)
        s[Int(Ev.gcMarkAssistActive)] = Spec(name: "GCMarkAssistActive", args: 1)
        s[Int(Ev.gcMarkAssistBegin)] = Spec(name: "GCMarkAssistBegin", args: 1, stackArgs: [1])
        s[Int(Ev.gcMarkAssistEnd)] = Spec(name: "GCMarkAssistEnd", args: 0)
        s[Int(Ev.heapAlloc)] = Spec(name: "HeapAlloc", args: 1)
        s[Int(Ev.heapGoal)] = Spec(name: "HeapGoal", args: 1)
        s[Int(Ev.goLabel)] = Spec(name: "GoLabel", args: 1, stringArgs: [1])
        s[Int(Ev.userTaskBegin)] = Spec(name: "UserTaskBegin", args: 4, stackArgs: [4], stringArgs: [3])
        s[Int(Ev.userTaskEnd)] = Spec(name: "UserTaskEnd", args: 2, stackArgs: [2])
        s[Int(Ev.userRegionBegin)] = Spec(name: "UserRegionBegin", args: 3, stackArgs: [3], stringArgs: [2])
        s[Int(Ev.userRegionEnd)] = Spec(name: "UserRegionEnd", args: 3, stackArgs: [3], stringArgs: [2])
        s[Int(Ev.userLog)] = Spec(name: "UserLog", args: 4, stackArgs: [4], stringArgs: [2, 3])
        s[Int(Ev.goSwitch)] = Spec(name: "GoSwitch", args: 2)
        s[Int(Ev.goSwitchDestroy)] = Spec(name: "GoSwitchDestroy", args: 2)
        s[Int(Ev.goCreateBlocked)] = Spec(name: "GoCreateBlocked", args: 3, stackArgs: [3, 2])
        s[Int(Ev.goStatusStack)] = Spec(name: "GoStatusStack", args: 4, stackArgs: [4])
        return s
    }()

    /// The highest event type each version may use in an event batch (`version.go`: 1.22
    /// stops at UserLog, 1.23 adds GoSwitch…GoStatusStack, 1.25 the sync batch).
    static func maxEvent(version: Int) -> UInt8 {
        version == 22 ? Ev.userLog : Ev.goStatusStack
    }

    /// The versions of the current format: Go 1.22, 1.23, 1.25 and 1.26 (Go 1.24 wrote 1.23's).
    static let currentVersions: Set<Int> = [22, 23, 25, 26]
    /// The versions of the older format (Go 1.11–1.21; `OldTraceParser`): Go 1.11–1.18
    /// write 11, 1.19 and 1.20 write 19.
    static let oldVersions: Set<Int> = [11, 19, 21]

    /// `go 1.N trace\0\0\0`: the version N, or nil when the head is no Go trace header.
    static func headerVersion(_ h: UnsafeRawBufferPointer) -> Int? {
        let prefix = Array("go 1.".utf8)
        guard h.count >= 16, zip(h, prefix).allSatisfy({ $0 == $1 }) else { return nil }
        var i = prefix.count
        var v = 0
        while i < 16, h[i] >= 0x30, h[i] <= 0x39 {
            v = v * 10 + Int(h[i] - 0x30)
            i += 1
        }
        let rest = Array(" trace".utf8) + [0, 0, 0]
        guard i > prefix.count, i + rest.count == 16, zip(h[i..<16], rest).allSatisfy({ $0 == $1 }) else {
            return nil
        }
        return v
    }

    /// A byte cursor over the trace with unsigned LEB128 varints, failing with the offset.
    struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var at: Int
        let end: Int

        init(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) {
            self.bytes = bytes
            at = from
            end = to
        }

        var atEnd: Bool { at >= end }

        mutating func byte(_ what: @autoclosure () -> String) throws(DecodeError) -> UInt8 {
            guard at < end else { throw DecodeError(offset: at, "truncated: expected \(what())") }
            defer { at += 1 }
            return bytes[at]
        }

        /// A uvarint as Go's `binary.Uvarint` reads it (at most 10 bytes, no overflow).
        mutating func uvarint(_ what: @autoclosure () -> String) throws(DecodeError) -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            let start = at
            for i in 0..<10 {
                guard at < end else { throw DecodeError(offset: start, "truncated: expected \(what()) (a varint)") }
                let b = bytes[at]
                at += 1
                if b < 0x80 {
                    if i == 9 && b > 1 { throw DecodeError(offset: start, "varint overflows 64 bits in \(what())") }
                    return v | UInt64(b) << shift
                }
                v |= UInt64(b & 0x7F) << shift
                shift += 7
            }
            throw DecodeError(offset: start, "varint overflows 64 bits in \(what())")
        }
    }

    /// One batch's header fields and where its events are in the file.
    struct Batch {
        var m: Int64
        var time: UInt64
        var data: Range<Int>
    }

    /// A frame of the stack table.
    struct Frame: Hashable {
        var pc: UInt64
        var funcID: UInt64
        var fileID: UInt64
        var line: UInt64
    }

    /// One generation: its event batches per thread (in order of first appearance, as the
    /// reader starts its cursors), tables, frequency and CPU sample times.
    final class Generation {
        init() {}
        var gen: UInt64 = 0
        var batchMs: [Int64] = []
        var batches: [Int64: [Batch]] = [:]
        var minTs: UInt64 = 0
        var strings: [UInt64: String] = [:]
        var stacks: [UInt64: [UInt64]] = [:]
        var frames: [UInt64: Frame] = [:]
        /// Nanoseconds per tick (`frequency` in Go: 1 / (ticks per second / 1e9)).
        var freq: Double = 0
        var hasClockSnapshot = false
        var cpuSampleTicks: [UInt64] = []

        /// Ticks as nanoseconds exactly as `frequency.mul` converts them (float multiply, truncated).
        func ns(_ ticks: UInt64) -> Int64 {
            let v = Double(ticks) * freq
            return v < 9.2e18 ? Int64(v) : Int64.max
        }

        func string(_ id: UInt64) -> String? { id == 0 ? "" : strings[id] }
        func hasStack(_ id: UInt64) -> Bool { id == 0 || stacks[id] != nil }
    }

    /// Reads generations one after another from the bytes after the header.
    struct GenerationReader {
        let bytes: UnsafeRawBufferPointer
        let version: Int
        var at = 16
        /// A batch of the next generation already read (formats before 1.26 have no end marker).
        var spill: (gen: UInt64, at: Int, batch: Batch, kind: UInt8)? = nil

        init(_ bytes: UnsafeRawBufferPointer, version: Int) {
            self.bytes = bytes
            self.version = version
        }

        /// Reads one batch header and skips its body; nil at the end of the data.
        mutating func readBatch() throws(DecodeError) -> (gen: UInt64, batch: Batch, first: UInt8?, end: Bool)? {
            if at >= bytes.count { return nil }
            var c = Cursor(bytes, from: at, to: bytes.count)
            let start = at
            let typ = try c.byte("a batch")
            if typ == Ev.endOfGeneration && version >= 26 {
                at = c.at
                return (0, Batch(m: -1, time: 0, data: c.at..<c.at), nil, true)
            }
            guard typ == Ev.eventBatch || typ == Ev.experimentalBatch else {
                throw DecodeError(offset: start, "expected a batch (EventBatch, byte 1), found byte \(typ)")
            }
            if typ == Ev.experimentalBatch { _ = try c.byte("an experiment id") }
            let gen = try c.uvarint("a batch's generation")
            let m = try c.uvarint("a batch's thread id")
            let ts = try c.uvarint("a batch's timestamp")
            let size = try c.uvarint("a batch's size")
            guard size <= 64 << 10 else {
                throw DecodeError(offset: start, "batch size \(size) exceeds the maximum 65536")
            }
            guard UInt64(bytes.count - c.at) >= size else {
                throw DecodeError(
                    offset: c.at, "truncated: batch wants \(size) bytes, \(bytes.count - c.at) remain")
            }
            let data = c.at..<(c.at + Int(size))
            at = data.upperBound
            if typ == Ev.experimentalBatch {
                // Experimental data (alloc/free experiment) is not read; kept out of the event batches.
                return (gen, Batch(m: -2, time: ts, data: data), nil, false)
            }
            return (gen, Batch(m: Int64(bitPattern: m), time: ts, data: data), data.isEmpty ? nil : bytes[data.lowerBound], false)
        }

        /// The next generation, or nil at a clean end of the trace.
        mutating func next() throws(DecodeError) -> Generation? {
            let g = Generation()
            var any = false
            if let s = spill {
                spill = nil
                g.gen = s.gen
                g.minTs = s.batch.time
                try process(g, s.batch, first: s.kind, at: s.at)
                any = true
            }
            while true {
                let start = at
                guard let (gen, b, first, end) = try readBatch() else {
                    if version >= 26 && any {
                        throw DecodeError(offset: at, "truncated: generation \(g.gen) has no end-of-generation marker")
                    }
                    break
                }
                if end {
                    if !any { throw DecodeError(offset: start, "empty generation (end-of-generation without batches)") }
                    break
                }
                if gen == 0 { throw DecodeError(offset: start, "invalid generation number 0") }
                if !any {
                    g.gen = gen
                    any = true
                } else if gen != g.gen {
                    if version < 26 && gen == g.gen + 1 {
                        spill = (gen, start, b, first ?? 0)
                        break
                    }
                    throw DecodeError(
                        offset: start,
                        "batch of generation \(gen) inside generation \(g.gen): missing end-of-generation or interleaved generations")
                }
                if b.m != -2 && (g.minTs == 0 || b.time < g.minTs) { g.minTs = b.time }
                try process(g, b, first: first ?? 0, at: start)
            }
            if !any { return nil }
            if g.freq == 0 { throw DecodeError(offset: at, "generation \(g.gen) has no frequency event") }
            if version >= 25 && !g.hasClockSnapshot {
                throw DecodeError(offset: at, "generation \(g.gen) has no clock snapshot event")
            }
            for (id, pcs) in g.stacks {
                for pc in pcs {
                    guard let f = g.frames[pc] else {
                        throw DecodeError(offset: at, "stack \(id) has unknown pc \(pc) (generation \(g.gen))")
                    }
                    guard g.string(f.funcID) != nil, g.string(f.fileID) != nil else {
                        throw DecodeError(offset: at, "stack \(id) names a missing string (generation \(g.gen))")
                    }
                }
            }
            return g
        }

        /// Files a batch by what its first byte says it is.
        func process(_ g: Generation, _ b: Batch, first: UInt8, at start: Int) throws(DecodeError) {
            if b.m == -2 || b.data.isEmpty {
                if b.m != -2 { appendEvents(g, b) }
                return
            }
            var c = Cursor(bytes, from: b.data.lowerBound + 1, to: b.data.upperBound)
            let isSync = version >= 25 ? first == Ev.sync : first == Ev.frequency
            switch first {
            case Ev.strings:
                while !c.atEnd {
                    let here = c.at
                    let t = try c.byte("a string entry")
                    guard t == Ev.string else { throw DecodeError(offset: here, "expected a string entry (5), found \(t)") }
                    let id = try c.uvarint("a string id")
                    let n = try c.uvarint("a string length")
                    guard n <= 1024 else { throw DecodeError(offset: here, "string length \(n) exceeds the maximum 1024") }
                    guard UInt64(c.end - c.at) >= n else {
                        throw DecodeError(offset: c.at, "truncated: string wants \(n) bytes")
                    }
                    let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[c.at..<(c.at + Int(n))]), as: UTF8.self)
                    c.at += Int(n)
                    guard id != 0, g.strings.updateValue(s, forKey: id) == nil else {
                        throw DecodeError(offset: here, "string id \(id) defined twice or zero")
                    }
                }
            case Ev.stacks:
                while !c.atEnd {
                    let here = c.at
                    let t = try c.byte("a stack entry")
                    guard t == Ev.stack else { throw DecodeError(offset: here, "expected a stack entry (3), found \(t)") }
                    let id = try c.uvarint("a stack id")
                    let n = try c.uvarint("a frame count")
                    guard n <= 128 else { throw DecodeError(offset: here, "stack of \(n) frames exceeds the maximum 128") }
                    var pcs: [UInt64] = []
                    pcs.reserveCapacity(Int(n))
                    for _ in 0..<n {
                        let pc = try c.uvarint("a frame's pc")
                        let fn = try c.uvarint("a frame's function string id")
                        let file = try c.uvarint("a frame's file string id")
                        let line = try c.uvarint("a frame's line")
                        pcs.append(pc)
                        if g.frames[pc] == nil { g.frames[pc] = Frame(pc: pc, funcID: fn, fileID: file, line: line) }
                    }
                    guard id != 0, g.stacks.updateValue(pcs, forKey: id) == nil else {
                        throw DecodeError(offset: here, "stack id \(id) defined twice or zero")
                    }
                }
            case Ev.cpuSamples:
                while !c.atEnd {
                    let here = c.at
                    let t = try c.byte("a CPU sample")
                    guard t == Ev.cpuSample else { throw DecodeError(offset: here, "expected a CPU sample (7), found \(t)") }
                    let ts = try c.uvarint("a CPU sample's timestamp")
                    for what in ["thread", "proc", "goroutine", "stack"] { _ = try c.uvarint("a CPU sample's \(what)") }
                    g.cpuSampleTicks.append(ts)
                }
            default:
                if isSync {
                    if version < 25 { c.at = b.data.lowerBound }
                    var last = b.time
                    while !c.atEnd {
                        let here = c.at
                        let t = try c.byte("a sync entry")
                        if t == Ev.frequency {
                            guard g.freq == 0 else { throw DecodeError(offset: here, "second frequency event in a generation") }
                            let f = try c.uvarint("the timestamp frequency")
                            guard f > 0 else { throw DecodeError(offset: here, "timestamp frequency 0") }
                            g.freq = 1.0 / (Double(f) / 1e9)
                        } else if t == Ev.clockSnapshot && version >= 25 {
                            guard !g.hasClockSnapshot else {
                                throw DecodeError(offset: here, "second clock snapshot in a generation")
                            }
                            g.hasClockSnapshot = true
                            last &+= try c.uvarint("a clock snapshot's time")
                            for what in ["mono", "sec", "nsec"] { _ = try c.uvarint("a clock snapshot's \(what)") }
                        } else {
                            throw DecodeError(offset: here, "expected a frequency or clock snapshot event, found \(t)")
                        }
                    }
                } else if first == Ev.endOfGeneration {
                    throw DecodeError(offset: start, "end-of-generation inside a batch")
                } else {
                    appendEvents(g, b)
                }
            }
        }

        func appendEvents(_ g: Generation, _ b: Batch) {
            if g.batches[b.m] == nil { g.batchMs.append(b.m) }
            g.batches[b.m, default: []].append(b)
        }
    }
}
