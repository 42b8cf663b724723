#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Streams `perf script` text line by line: a file (or stdin for "-") is read in
/// 1 MiB chunks and split on `\n` bytes only; a final line without `\n` is still a line.
/// gzip input (detected by its magic number) is inflated whole first.
public enum PerfScriptReader {
    /// Bytes read per chunk: 1 MiB.
    public static let chunkSize = 1 << 20

    /// Calls `body` with each line, without its `\n`. Returns the number of bytes read.
    @discardableResult
    public static func forEachLine(
        path: String, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(InputError) -> Int {
        try forEachChunk(path: path) { chunk, final in
            let used = splitLines(chunk, body)
            if final && used < chunk.count {
                body(UnsafeRawBufferPointer(rebasing: chunk[used...]))
                return chunk.count
            }
            return used
        }
    }

    /// Opens `path` (stdin for "-") for reading; a directory is an error.
    static func openInput(_ path: String) throws(InputError) -> Int32 {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            if fd < 0 { throw InputError(source: path, ProfileInput.systemMessage(errno)) }
        }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            if fd != 0 { close(fd) }
            throw InputError(source: path, "is a directory, expected perf script output")
        }
        return fd
    }

    /// Streams a file (or stdin for "-") in chunks: `body` gets the unconsumed bytes and
    /// whether they are the last, and returns how many it consumed (whole lines; it may
    /// leave a tail to get more bytes first). gzip input is inflated whole first.
    @discardableResult
    public static func forEachChunk(
        path: String, _ body: (UnsafeRawBufferPointer, Bool) -> Int
    ) throws(InputError) -> Int {
        let fd = try openInput(path)
        defer { if fd != 0 { close(fd) } }
        var buf = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var total = 0
        var first = true
        while true {
            if filled == buf.count { buf.append(contentsOf: repeatElement(0, count: buf.count)) }
            let want = buf.count - filled
            let n = buf.withUnsafeMutableBytes { b in read(fd, b.baseAddress! + filled, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: path, offset: total, ProfileInput.systemMessage(errno))
            }
            if first && filled + n >= 2 || first && n == 0 {
                first = false
                let gz = buf.withUnsafeBytes { Gzip.isGzip(UnsafeRawBufferPointer(rebasing: $0[0..<(filled + n)])) }
                if gz {
                    // Inflated whole (gzip inputs are small next to the text they hold).
                    let text = try inflateRest(fd: fd, path: path, head: Array(buf[0..<(filled + n)]))
                    text.withUnsafeBytes { _ = body($0, true) }
                    return text.count
                }
            }
            total += n
            let end = filled + n
            if n == 0 {
                if filled > 0 {
                    buf.withUnsafeBytes { _ = body(UnsafeRawBufferPointer(rebasing: $0[0..<filled]), true) }
                }
                return total
            }
            let consumed = buf.withUnsafeBytes { b -> Int in body(UnsafeRawBufferPointer(rebasing: b[0..<end]), false) }
            if consumed > 0 && consumed < end {
                buf.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + consumed, end - consumed)
                }
            }
            filled = end - min(consumed, end)
        }
    }

    /// Calls `body` for every complete line in `bytes`; returns the bytes consumed.
    @inline(__always)
    static func splitLines(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        let n = bytes.count
        while start < n {
            guard let nl = memchr(base + start, 0x0A, n - start) else { break }
            let e = base.distance(to: UnsafeRawPointer(nl))
            body(UnsafeRawBufferPointer(start: base + start, count: e - start))
            start = e + 1
        }
        return start
    }

    /// Every line of an in-memory buffer.
    public static func forEachLine(in bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        let used = splitLines(bytes, body)
        if used < bytes.count { body(UnsafeRawBufferPointer(rebasing: bytes[used...])) }
    }

    /// Reads the rest of `fd` after `head` and inflates it.
    static func inflateRest(fd: Int32, path: String, head: [UInt8]) throws(InputError) -> [UInt8] {
        var all = head
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, chunkSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: path, ProfileInput.systemMessage(errno))
            }
            if n == 0 { break }
            all.append(contentsOf: chunk[0..<n])
        }
        let result = all.withUnsafeBytes { b -> Result<[UInt8], DecodeError> in
            do throws(DecodeError) { return .success(try Gzip.inflate(b)) } catch { return .failure(error) }
        }
        switch result {
        case .failure(let e): throw InputError(source: path, offset: e.offset, "malformed gzip: " + e.message)
        case .success(let text): return text
        }
    }
}

/// Options of `stackcollapse-perf.pl` that affect its output.
public struct PerfCollapseOptions: Sendable {
    /// `--pid`: append the PID to the process name (`java-1234`).
    public var pid = false
    /// `--tid`: append PID/TID to the process name (`java-1234/1240`).
    public var tid = false
    /// `--kernel`: mark kernel frames with `_[k]`.
    public var kernel = false
    /// `--jit`: mark JIT-compiled frames (`/tmp/perf-PID.map`) with `_[j]`.
    public var jit = false
    /// `--addrs`: show raw addresses for frames without a symbol.
    public var addrs = false
    /// `--srcline`: add the source line perf script prints under each frame (`-F+srcline`) to its name.
    public var srcline = false
    /// `--event-filter`: keep only this event (exact bytes); nil = the first event seen.
    public var eventFilter: [UInt8]? = nil
    /// Swift symbol naming; `.none` is the Perl script's behaviour. A demangled name replaces
    /// the raw symbol before the naming rules, and is neither split on `->` nor cut at `(`.
    public var demangle: DemangleMode = .none
    /// Remember each frame name's module (for `StackProfile`); off for plain collapsing.
    public var recordModules = false
    /// stackcollapse-perf.pl's defaults: no option set.
    public init() {}

    /// Parses the Perl script's option words (as in references.tsv).
    public init(perlArguments args: [String]) {
        self.init()
        var i = 0
        while i < args.count {
            let a = args[i]
            switch a {
            case "--pid": pid = true
            case "--tid": tid = true
            case "--kernel": kernel = true
            case "--jit": jit = true
            case "--all":
                kernel = true
                jit = true
            case "--addrs": addrs = true
            case "--srcline": srcline = true
            case "--event-filter":
                i += 1
                if i < args.count { eventFilter = Array(args[i].utf8) }
            default:
                if a.hasPrefix("--event-filter=") { eventFilter = Array(a.utf8.dropFirst(15)) }
            }
            i += 1
        }
    }
}

/// Folds `perf script` lines into stacks exactly as `stackcollapse-perf.pl` does
/// (`Fixtures/perf/NAMING.md`). Feed every line (without `\n`) in order, across all
/// inputs, then read `stacks` or `folded()`.
public struct PerfCollapser {
    /// The options this collapser folds with.
    public let options: PerfCollapseOptions
    /// Stack bytes → summed period.
    public var stacks: [[UInt8]: UInt64] {
        var d = [[UInt8]: UInt64](minimumCapacity: table.count)
        for e in 0..<table.count { d[Array(table.key(e))] = counts[e] }
        return d
    }
    var table = ByteTable()
    var counts: [UInt64] = []
    /// Number of samples folded into each stack (the Perl script only keeps the period sum).
    public private(set) var sampleCounts: [UInt32] = []
    /// Whether some kept event line carried a period (`TIME: PERIOD EVENT:`).
    public private(set) var sawPeriod = false
    /// Period of the first kept sample that printed one.
    public private(set) var firstPeriod: UInt64 = 0
    /// With `recordModules`: frame name → module (dso) of its first occurrence.
    public private(set) var modules: [[UInt8]: [UInt8]] = [:]
    /// Number of stacks and their bytes / counts, in insertion order.
    public var stackCount: Int { table.count }
    /// Stack bytes of entry `e` (`proc;root;…;leaf`), in insertion order.
    public func stack(_ e: Int) -> ArraySlice<UInt8> { table.key(e) }
    /// Summed period of entry `e`.
    public func count(_ e: Int) -> UInt64 { counts[e] }
    /// Frame line (by Java-ness of the process name) → its named group; see `FrameCache`.
    var cacheJava = FrameCache()
    var cacheOther = FrameCache()
    var isJava = false
    /// Lines neither blank, comment, event nor frame (Perl's "Unrecognized line").
    public private(set) var unrecognizedLines = 0
    /// Lines that looked like sample headers (event lines).
    public private(set) var eventLines = 0
    /// With a defaulted filter: the first event name that was filtered out, and the kept one.
    public private(set) var firstRejectedEvent: [UInt8]? = nil
    /// The event being kept: `--event-filter`, else the first event seen (nil before any).
    public var keptEvent: [UInt8]? { filter }

    var filter: [UInt8]?
    let filterDefaulted: Bool
    var active = false
    var pname: [UInt8] = []
    var period: UInt64 = 1
    /// Frames of the open sample, one group per frame line (pieces joined by `;`), oldest first.
    var frames: [UInt8] = []
    var groupEnds: [Int] = []
    var scratch: [UInt8] = []
    var key: [UInt8] = []
    // --srcline: named pieces of the last frame line, waiting for their source lines.
    var pending: [[UInt8]] = []
    var pendingNeeds: [Bool] = []
    var pendingNext = 0

    /// A collapser for `options`; an unset event filter keeps the first event seen.
    public init(options: PerfCollapseOptions) {
        self.options = options
        self.filter = options.eventFilter
        self.filterDefaulted = options.eventFilter == nil
        scratch.reserveCapacity(256)
        frames.reserveCapacity(4096)
    }

    /// Whole-sample cache: the frame lines of a sample (between its event line and the
    /// blank line) → the stack suffix they make (`;root-most…;leaf`), per Java-ness.
    var blocks = [ByteTable(), ByteTable()]
    var blockSuffix: [[UInt8]] = [[], []]
    var blockStart: [[Int]] = [[], []]
    var blockLength: [[Int]] = [[], []]
    var blockUnrecognized: [[Int]] = [[], []]
    /// (process name id, java, block id) → stack entry.
    var pnames = ByteTable()
    var stackOfPair: [Int64: Int32] = [:]
    var blockHits = 0
    var blockMisses = 0
    var blocksEnabled = true
    /// Set by `eventLine` when the line was kept (not filtered out).
    var lastEventKept = false

    /// Whether a NUL byte was seen in the first 64 KiB of lines: text from `perf script`
    /// never has one, so this marks binary input (the folding itself ignores it).
    public private(set) var sawNulByte = false
    var bytesChecked = 0

    /// Folds one line (without its `\n`); feed every line of every input in order.
    public mutating func feed(_ line: UnsafeRawBufferPointer) {
        if bytesChecked < 1 << 16 {
            bytesChecked += line.count + 1
            if let b = line.baseAddress, memchr(b, 0, line.count) != nil { sawNulByte = true }
        }
        if !pending.isEmpty {
            feedSrcline(line)
            return
        }
        let n = line.count
        if n == 0 {
            endSample()
            return
        }
        if line[0] == 0x23 { return }  // '#'
        if PerlFrameNaming.isSpace(line[0]) && !options.srcline {
            cachedFrameLine(line)
            return
        }
        if let ev = PerlFrameNaming.matchEvent(line) {
            eventLine(line, ev)
        } else if let f = PerlFrameNaming.matchFrame(line) {
            frameLine(line, f)
        } else {
            unrecognizedLines += 1
        }
    }

    mutating func endSample() {
        guard active else { return }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: pname)
        var end = frames.count
        for g in groupEnds.indices.reversed() {
            let start = g == 0 ? 0 : groupEnds[g - 1]
            key.append(0x3B)
            key.append(contentsOf: frames[start..<end])
            end = start
        }
        let (e, inserted) = key.withUnsafeBytes { table.index(of: $0) }
        if inserted {
            counts.append(0)
            sampleCounts.append(0)
        }
        sampleCounts[e] &+= 1
        // Perl numbers: sums beyond UInt64 would become floats; saturate instead.
        let (sum, overflow) = counts[e].addingReportingOverflow(period)
        counts[e] = overflow ? UInt64.max : sum
        frames.removeAll(keepingCapacity: true)
        groupEnds.removeAll(keepingCapacity: true)
        active = false
    }

    mutating func eventLine(_ l: UnsafeRawBufferPointer, _ ev: PerlFrameNaming.EventMatch) {
        eventLines += 1
        lastEventKept = false
        var periodRange: Range<Int>? = nil
        if let pe = PerlFrameNaming.matchPeriodEvent(l) {
            periodRange = pe.period
            let event = UnsafeRawBufferPointer(rebasing: l[pe.event])
            if let f = filter {
                let same =
                    f.count == event.count
                    && (f.isEmpty || f.withUnsafeBytes { memcmp($0.baseAddress!, event.baseAddress!, f.count) } == 0)
                if !same {
                    if filterDefaulted && firstRejectedEvent == nil { firstRejectedEvent = Array(event) }
                    return
                }
            } else {
                filter = Array(event)
            }
        }
        // Period: absent, empty or "0" → 1; otherwise its numeric value ("00" → 0).
        var p: UInt64 = 1
        if let r = periodRange, !(r.count == 1 && l[r.lowerBound] == 0x30) {
            p = 0
            for i in r {
                let (m, o1) = p.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(l[i] &- 0x30))
                if o1 || o2 {
                    p = UInt64.max
                    break
                }
                p = s
            }
        }
        period = p
        if let r = periodRange, !r.isEmpty, !sawPeriod {
            sawPeriod = true
            firstPeriod = p
        }
        // pid/tid: group 3 present and not "0" → pid = g2, tid = g3; else tid = g2, pid = "?".
        var pidR: Range<Int>? = ev.g2
        var tidR = ev.g2
        if let g3 = ev.g3, !(g3.count == 1 && l[g3.lowerBound] == 0x30) {
            tidR = g3
        } else {
            pidR = nil
        }
        pname.removeAll(keepingCapacity: true)
        pname.append(contentsOf: UnsafeRawBufferPointer(rebasing: l[0..<ev.commEnd]))
        if options.tid || options.pid {
            pname.append(0x2D)
            if let pidR {
                pname.append(contentsOf: UnsafeRawBufferPointer(rebasing: l[pidR]))
            } else {
                pname.append(0x3F)
            }
            if options.tid {
                pname.append(0x2F)
                pname.append(contentsOf: UnsafeRawBufferPointer(rebasing: l[tidR]))
            }
        }
        for i in pname.indices where pname[i] == 0x20 { pname[i] = 0x5F }
        isJava = pname.count >= 4 && pname[0] == 0x6A && pname[1] == 0x61 && pname[2] == 0x76 && pname[3] == 0x61
        active = true
        lastEventKept = true
    }

    /// A line that cannot be an event line (it starts with whitespace): its naming only
    /// depends on its bytes and on whether the process name starts with `java`, so it is
    /// looked up in a cache first.
    mutating func cachedFrameLine(_ l: UnsafeRawBufferPointer) {
        let java = isJava
        let (e, inserted) = java ? cacheJava.table.index(of: l) : cacheOther.table.index(of: l)
        if !inserted {
            let len = java ? cacheJava.lengths[e] : cacheOther.lengths[e]
            if len == FrameCache.unrecognized {
                unrecognizedLines += 1
            } else if active && len >= 0 {
                let start = java ? cacheJava.starts[e] : cacheOther.starts[e]
                if java {
                    cacheJava.values.withUnsafeBytes { v in
                        frames.append(contentsOf: UnsafeRawBufferPointer(rebasing: v[start..<(start + len)]))
                    }
                } else {
                    cacheOther.values.withUnsafeBytes { v in
                        frames.append(contentsOf: UnsafeRawBufferPointer(rebasing: v[start..<(start + len)]))
                    }
                }
                groupEnds.append(frames.count)
            }
            return
        }
        var start = 0
        var length = FrameCache.unrecognized
        if let f = PerlFrameNaming.matchFrame(l) {
            let before = frames.count
            let had = groupEnds.count
            let wasActive = active
            active = true
            frameLine(l, f)
            active = wasActive
            if groupEnds.count > had {
                start = java ? cacheJava.values.count : cacheOther.values.count
                length = frames.count - before
                if java {
                    cacheJava.values.append(contentsOf: frames[before...])
                } else {
                    cacheOther.values.append(contentsOf: frames[before...])
                }
            } else {
                length = FrameCache.noPieces
            }
            if !wasActive {
                frames.removeSubrange(before...)
                groupEnds.removeSubrange(had...)
            }
        } else {
            unrecognizedLines += 1
        }
        if java {
            cacheJava.add(start: start, length: length)
            if cacheJava.values.count + cacheJava.table.arena.count > FrameCache.limit { cacheJava.removeAll() }
        } else {
            cacheOther.add(start: start, length: length)
            if cacheOther.values.count + cacheOther.table.arena.count > FrameCache.limit { cacheOther.removeAll() }
        }
    }

    mutating func frameLine(_ l: UnsafeRawBufferPointer, _ f: PerlFrameNaming.FrameMatch) {
        guard active else { return }
        let rawEnd = PerlFrameNaming.stripOffset(l, f.raw)
        let raw = f.raw.lowerBound..<rawEnd
        if !raw.isEmpty && l[raw.lowerBound] == 0x28 { return }
        if options.demangle != .none,
            let name = SwiftDemangler.demangle(UnsafeRawBufferPointer(rebasing: l[raw]), mode: options.demangle)
        {
            demangledFrame(l, name, f)
            return
        }
        // Perl split on "->": drop trailing empty pieces.
        var pieces: [Range<Int>] = []
        var s = raw.lowerBound
        var i = raw.lowerBound
        while i + 1 < rawEnd {
            if l[i] == 0x2D && l[i + 1] == 0x3E {
                pieces.append(s..<i)
                i += 2
                s = i
            } else {
                i += 1
            }
        }
        pieces.append(s..<rawEnd)
        while let last = pieces.last, last.isEmpty { pieces.removeLast() }
        if pieces.isEmpty { return }

        let ctx = PerlFrameNaming.PieceContext(
            addrs: options.addrs, java: isJava, kernel: options.kernel, jit: options.jit)
        var isUnknown = false
        if options.srcline {
            for (k, piece) in pieces.enumerated() {
                PerlFrameNaming.namePiece(
                    l, piece: piece, index: k, pc: f.pc, mod: f.mod, ctx, isUnknown: &isUnknown, into: &scratch)
                pending.append(scratch)
                pendingNeeds.append(!isUnknown)
            }
            pendingNext = 0
            advancePending()
            return
        }
        for (k, piece) in pieces.enumerated() {
            PerlFrameNaming.namePiece(
                l, piece: piece, index: k, pc: f.pc, mod: f.mod, ctx, isUnknown: &isUnknown, into: &scratch)
            if options.recordModules { recordModule(l, f.mod) }
            if k > 0 { frames.append(0x3B) }
            frames.append(contentsOf: scratch)
        }
        groupEnds.append(frames.count)
    }

    mutating func recordModule(_ l: UnsafeRawBufferPointer, _ mod: Range<Int>) {
        if modules[scratch] == nil { modules[scratch] = Array(UnsafeRawBufferPointer(rebasing: l[mod])) }
    }

    /// A Swift symbol replaced by its demangled name: one piece, `;` → `:`, no quotes
    /// (frames are joined by `;`), annotations as for any first piece; no `->` split and no
    /// argument cut, so `Item.encode(to:)` and `closure #1 in main()` stay whole.
    mutating func demangledFrame(_ l: UnsafeRawBufferPointer, _ name: [UInt8], _ f: PerlFrameNaming.FrameMatch) {
        scratch.removeAll(keepingCapacity: true)
        for b in name where b != 0x22 && b != 0x27 { scratch.append(b == 0x3B ? 0x3A : b) }
        if options.kernel && PerlFrameNaming.isKernelModule(l, f.mod) {
            scratch.append(contentsOf: "_[k]".utf8)
        } else if options.jit && PerlFrameNaming.isJitModule(l, f.mod) {
            if !PerlFrameNaming.bytesContain(scratch, "_[j]") { scratch.append(contentsOf: "_[j]".utf8) }
        }
        if options.srcline {
            pending.append(scratch)
            pendingNeeds.append(true)
            pendingNext = 0
            advancePending()
            return
        }
        if options.recordModules { recordModule(l, f.mod) }
        frames.append(contentsOf: scratch)
        groupEnds.append(frames.count)
    }

    /// Skips pieces that need no source line; flushes the group when all are done.
    mutating func advancePending() {
        while pendingNext < pending.count && !pendingNeeds[pendingNext] { pendingNext += 1 }
        if pendingNext == pending.count {
            for (k, p) in pending.enumerated() {
                if k > 0 { frames.append(0x3B) }
                frames.append(contentsOf: p)
            }
            groupEnds.append(frames.count)
            pending.removeAll(keepingCapacity: true)
            pendingNeeds.removeAll(keepingCapacity: true)
            pendingNext = 0
        }
    }

    mutating func feedSrcline(_ line: UnsafeRawBufferPointer) {
        PerlFrameNaming.appendSrcline(line, to: &pending[pendingNext])
        pendingNext += 1
        advancePending()
    }

    /// Adds what `later` folded from the bytes that follow this collapser's in the stream
    /// (split at a blank line: see `PerfParallelCollapse`): stacks and counters are summed,
    /// "first in the stream" facts are kept from `self` when it has them.
    mutating func absorb(_ later: PerfCollapser) {
        later.table.arena.withUnsafeBytes { a in
            for e in 0..<later.table.count {
                let start = later.table.starts[e]
                let key = UnsafeRawBufferPointer(rebasing: a[start..<(start + later.table.lengths[e])])
                let (i, inserted) = table.index(of: key)
                if inserted {
                    counts.append(0)
                    sampleCounts.append(0)
                }
                sampleCounts[i] &+= later.sampleCounts[e]
                let (sum, overflow) = counts[i].addingReportingOverflow(later.counts[e])
                counts[i] = overflow ? UInt64.max : sum
            }
        }
        unrecognizedLines += later.unrecognizedLines
        eventLines += later.eventLines
        if firstRejectedEvent == nil { firstRejectedEvent = later.firstRejectedEvent }
        if filter == nil { filter = later.filter }
        if !sawPeriod && later.sawPeriod {
            sawPeriod = true
            firstPeriod = later.firstPeriod
        }
        if !sawNulByte { sawNulByte = later.sawNulByte }
        for (k, v) in later.modules where modules[k] == nil { modules[k] = v }
        // The open sample (if any) is the later one's.
        active = later.active
        lastEventKept = later.lastEventKept
        pname = later.pname
        period = later.period
        isJava = later.isJava
        frames = later.frames
        groupEnds = later.groupEnds
        pending = later.pending
        pendingNeeds = later.pendingNeeds
        pendingNext = later.pendingNext
    }

    /// Starts this (fresh) collapser in the middle of a stream, right after a blank line:
    /// `firstEvent` is the event name that a defaulted filter already chose before that point
    /// (nil: none yet); the NUL-byte check covers only the stream's first 64 KiB.
    mutating func resume(at offset: Int, firstEvent: [UInt8]?) {
        if filter == nil { filter = firstEvent }
        bytesChecked = max(bytesChecked, offset)
    }

    /// Folded output: `stack count\n` lines sorted byte-wise.
    public func folded() -> [UInt8] {
        FoldedStacks.write(arena: table.arena, starts: table.starts, lengths: table.lengths, counts: counts)
    }
}

extension PerfCollapser {
    /// Feeds the complete lines of `bytes` (all of it when `final`); returns the bytes
    /// consumed. Same result as `feed` line by line, faster: a sample whose frame lines
    /// were seen before (same bytes) is counted without looking at its lines again.
    public mutating func feedLines(_ bytes: UnsafeRawBufferPointer, final: Bool) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var pos = 0
        while pos < n {
            guard let nlp = memchr(base + pos, 0x0A, n - pos) else {
                if final {
                    feed(UnsafeRawBufferPointer(start: base + pos, count: n - pos))
                    return n
                }
                return pos
            }
            let nl = base.distance(to: UnsafeRawPointer(nlp))
            let line = UnsafeRawBufferPointer(start: base + pos, count: nl - pos)
            let fast =
                blocksEnabled && !options.srcline && pending.isEmpty && nl > pos
                && !PerlFrameNaming.isSpace(base.load(fromByteOffset: pos, as: UInt8.self))
                && base.load(fromByteOffset: pos, as: UInt8.self) != 0x23
            if !fast {
                feed(line)
                pos = nl + 1
                continue
            }
            // A sample header: find the blank line that ends its frames.
            let b0 = nl + 1
            var blockEnd = -1  // index of the blank line's "\n"
            if b0 < n && base.load(fromByteOffset: b0, as: UInt8.self) != 0x0A {
                let q = Self.findBlankLine(base, from: nl, to: n)
                if q >= 0 { blockEnd = q + 1 }
            }
            if blockEnd < 0 && !final && n - pos < (4 << 20) && pos > 0 {
                return pos  // get the rest of this sample first
            }
            feed(line)
            pos = b0
            guard blockEnd > b0, lastEventKept, active, frames.isEmpty, groupEnds.isEmpty else { continue }
            let block = UnsafeRawBufferPointer(start: base + b0, count: blockEnd - b0)
            if !PerlFrameNaming.isSpace(block[0]) { continue }
            let j = isJava ? 1 : 0
            let (e, inserted) = blocks[j].index(of: block)
            if !inserted && blockLength[j][e] >= 0 {
                blockHits += 1
                countBlock(j, e)
                pos = blockEnd + 1
                continue
            }
            // First time: name its lines one by one, and remember the result if every line
            // was a frame-like line (starting with whitespace).
            blockMisses += 1
            let unrecognizedBefore = unrecognizedLines
            var p = b0
            var cacheable = true
            while p < blockEnd {
                let q = memchr(base + p, 0x0A, blockEnd - p).map { base.distance(to: UnsafeRawPointer($0)) } ?? blockEnd
                let l = UnsafeRawBufferPointer(start: base + p, count: q - p)
                if l.isEmpty || !PerlFrameNaming.isSpace(l[0]) { cacheable = false }
                feed(l)
                p = q + 1
            }
            var suffix: [UInt8] = []
            if cacheable && pending.isEmpty && lastEventKept && active {
                var end = frames.count
                for g in groupEnds.indices.reversed() {
                    let start = g == 0 ? 0 : groupEnds[g - 1]
                    suffix.append(0x3B)
                    suffix.append(contentsOf: frames[start..<end])
                    end = start
                }
            } else {
                cacheable = false
            }
            pos = blockEnd
            if !inserted { continue }  // a known block that cannot be cached
            blockSuffix[j].append(contentsOf: suffix)
            blockStart[j].append(blockSuffix[j].count - suffix.count)
            blockLength[j].append(cacheable ? suffix.count : -1)
            blockUnrecognized[j].append(unrecognizedLines - unrecognizedBefore)
            if blocks[j].arena.count + blockSuffix[j].count + pnames.arena.count > FrameCache.limit {
                pnames.removeAll()
                blocks[j].removeAll()
                blockSuffix[j] = []
                blockStart[j] = []
                blockLength[j] = []
                blockUnrecognized[j] = []
                stackOfPair = [:]
            }
            // Mostly distinct samples: the cache only costs; stop using it.
            if blockMisses > 4096 && blockMisses > blockHits { blocksEnabled = false }
        }
        return n
    }

    /// Index of the first "\n\n" in `base[from..<to]`, or -1. Branch-free in the common
    /// case: each byte XOR `\n` is ORed with the next byte's, so a zero byte marks a pair;
    /// the cheap zero-byte test may flag bytes above a true zero, never below one, so its
    /// lowest flag is exact. 32 bytes per step.
    @inline(__always)
    static func findBlankLine(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int {
        let nl: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let lo: UInt64 = 0x0101_0101_0101_0101
        let hi: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func pairs(_ i: Int) -> UInt64 {
            let x =
                (base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ nl)
                | (base.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self) ^ nl)
            return (x &- lo) & ~x & hi
        }
        var i = from
        while i + 33 <= to {
            if pairs(i) | pairs(i + 8) | pairs(i + 16) | pairs(i + 24) != 0 { break }
            i += 32
        }
        while i + 9 <= to {
            let m = pairs(i)
            if m != 0 { return i + m.trailingZeroBitCount / 8 }
            i += 8
        }
        while i + 1 < to {
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A
                && base.load(fromByteOffset: i + 1, as: UInt8.self) == 0x0A
            {
                return i
            }
            i += 1
        }
        return -1
    }

    /// Counts the open sample whose frame lines are cached block `e`, and closes it.
    mutating func countBlock(_ j: Int, _ e: Int) {
        let len = blockLength[j][e]
        if len < 0 { return }  // not cacheable: cannot happen for a hit, kept for safety
        unrecognizedLines += blockUnrecognized[j][e]
        let (pn, _) = pname.withUnsafeBytes { pnames.index(of: $0) }
        let pairKey = Int64(pn) << 33 | Int64(j) << 32 | Int64(e)
        let stack: Int
        if let s = stackOfPair[pairKey] {
            stack = Int(s)
        } else {
            key.removeAll(keepingCapacity: true)
            key.append(contentsOf: pname)
            let start = blockStart[j][e]
            key.append(contentsOf: blockSuffix[j][start..<(start + len)])
            let (s, inserted) = key.withUnsafeBytes { table.index(of: $0) }
            if inserted {
                counts.append(0)
                sampleCounts.append(0)
            }
            stackOfPair[pairKey] = Int32(s)
            stack = s
        }
        sampleCounts[stack] &+= 1
        let (sum, overflow) = counts[stack].addingReportingOverflow(period)
        counts[stack] = overflow ? UInt64.max : sum
        active = false
    }

    /// Collapses in-memory `perf script` text.
    public static func collapse(_ bytes: UnsafeRawBufferPointer, options: PerfCollapseOptions) -> PerfCollapser {
        var c = PerfCollapser(options: options)
        _ = c.feedLines(bytes, final: true)
        return c
    }
}

/// Named groups of frame lines already seen.
struct FrameCache {
    static let unrecognized = -2
    static let noPieces = -1
    static let limit = 32 << 20
    var table = ByteTable()
    var starts: [Int] = []
    var lengths: [Int] = []
    var values: [UInt8] = []
    mutating func removeAll() {
        table = ByteTable()
        starts = []
        lengths = []
        values = []
    }
    mutating func add(start: Int, length: Int) {
        starts.append(start)
        lengths.append(length)
    }
}

/// An open-addressing hash set of byte strings kept in one arena: stack and frame-line
/// lookups without allocating a key per lookup.
struct ByteTable {
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32] = Array(repeating: -1, count: 1024)

    var count: Int { starts.count }

    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: p.count)
        let n = p.count
        var i = 0
        if n >= 64 {
            // Four independent lanes (whole samples are hashed: throughput matters).
            var a: UInt64 = h
            var b: UInt64 = 0x6A09_E667_F3BC_C908
            var c: UInt64 = 0xBB67_AE85_84CA_A73B
            var d: UInt64 = 0x3C6E_F372_FE94_F82B
            let k: UInt64 = 0xFF51_AFD7_ED55_8CCD
            while i + 32 <= n {
                a = ((a &<< 23 | a &>> 41) ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
                b = ((b &<< 23 | b &>> 41) ^ p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* k
                c = ((c &<< 23 | c &>> 41) ^ p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* k
                d = ((d &<< 23 | d &>> 41) ^ p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* k
                i += 32
            }
            h = a ^ (b &<< 17 | b &>> 47) ^ (c &<< 31 | c &>> 33) ^ (d &<< 47 | d &>> 17)
            h ^= h >> 32
        }
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var t: UInt64 = 0
        var s: UInt64 = 0
        while i < n {
            t |= UInt64(p[i]) << s
            s += 8
            i += 1
        }
        h = (h ^ t) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// The entry holding `key`, inserting it if absent; `inserted` tells which.
    @inline(__always)
    mutating func index(of key: UnsafeRawBufferPointer) -> (index: Int, inserted: Bool) {
        let h = Self.hash(key)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        let found: Int = slots.withUnsafeBufferPointer { sl in
            hashes.withUnsafeBufferPointer { hs in
                lengths.withUnsafeBufferPointer { ls in
                    starts.withUnsafeBufferPointer { ss in
                        arena.withUnsafeBytes { a in
                            while true {
                                let e = Int(sl[s])
                                if e < 0 { return -1 }
                                if hs[e] == h && ls[e] == key.count
                                    && (key.count == 0
                                        || memcmp(a.baseAddress! + ss[e], key.baseAddress!, key.count) == 0)
                                {
                                    return e
                                }
                                s = (s + 1) & mask
                            }
                        }
                    }
                }
            }
        }
        if found >= 0 { return (found, false) }
        let e = starts.count
        starts.append(arena.count)
        lengths.append(key.count)
        hashes.append(h)
        arena.append(contentsOf: key)
        slots[s] = Int32(e)
        if starts.count * 2 > slots.count { grow() }
        return (e, true)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for e in hashes.indices {
            var s = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(e)
        }
    }

    func key(_ e: Int) -> ArraySlice<UInt8> { arena[starts[e]..<(starts[e] + lengths[e])] }

    mutating func removeAll() { self = ByteTable() }
}
