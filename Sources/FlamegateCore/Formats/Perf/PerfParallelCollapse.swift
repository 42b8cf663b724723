#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `perf script` collapsing of one regular file on two threads.
///
/// The file is cut in two at the first blank line (`\n\n`) after its middle. Right after a
/// blank line the Perl state machine (`Fixtures/perf/NAMING.md` §5) has no open sample, so
/// the second part can be folded from a fresh state, with one exception: a defaulted event
/// filter ("first event wins", §3.3) is global. It is found first by a quick scan of the
/// first part for its first event line with an event name (usually the file's first line).
/// Each thread streams its part with `pread` into its own small buffer, so memory stays
/// bounded whatever the file size; the two stack tables are merged and sorted once.
/// `--srcline` (a source line can follow a blank line's neighbour in odd ways), pipes, gzip
/// and small files take the serial path (`nil` is returned); stdin redirected from a regular
/// file is split like a named file. Module recording works split too: `absorb` keeps the
/// first part's module for a name, which is the first occurrence in the stream.
public enum PerfParallelCollapse {
    /// Files smaller than this are folded serially (threads would not pay).
    public static let minimumBytes = 8 << 20
    /// Bytes per `pread` of each thread: small enough to stay in the L2 cache while folded.
    public static let readSize = 1 << 20
    /// How far past the middle a blank line is looked for before giving up (serial then).
    static let splitSearchLimit = 64 << 20

    /// Folds the file at `path` with two threads, or returns nil when it must take the
    /// serial path (`PerfScriptReader.forEachChunk` + `feedLines`), which then also reports
    /// any error opening it. `bytes` is the number of bytes read.
    public static func collapse(
        path: String, options: PerfCollapseOptions, minimumBytes: Int = minimumBytes, readSize: Int = readSize,
        splitNear: Int? = nil, map: Bool = true, mapWindow: Int = 8 << 20
    ) throws(InputError) -> (collapser: PerfCollapser, bytes: Int)? {
        guard !options.srcline else { return nil }
        // stdin ("-") qualifies when it is a regular file (`< file`); it is read from its
        // current offset on, with `pread`, so that offset is left as it was.
        let isStdin = path == "-"
        let fd = isStdin ? 0 : open(path, O_RDONLY)
        if fd < 0 { return nil }
        defer { if !isStdin { close(fd) } }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        let origin = isStdin ? Int(lseek(0, 0, SEEK_CUR)) : 0
        guard origin >= 0, size - origin >= max(minimumBytes, 2) else { return nil }
        var magic: (UInt8, UInt8) = (0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress!, 2, off_t(origin)) }
        guard got == 2 else { return nil }
        let isGzip = withUnsafeBytes(of: &magic) { Gzip.isGzip($0) }
        if isGzip { return nil }
        let near = origin + min(max(splitNear ?? (size - origin) / 2, 0), size - origin)
        guard let split = findSplit(fd, near: max(near, origin + 1), limit: min(size, near + splitSearchLimit)) else {
            return nil
        }

        var first = PerfCollapser(options: options)
        var firstEvent: [UInt8]? = nil
        if options.eventFilter == nil {
            firstEvent = try scanFirstEvent(fd, path: path, from: origin, to: split, readSize: readSize)
        }
        var second = PerfCollapser(options: options)
        second.resume(at: split - origin, firstEvent: firstEvent)
        let mapLimit = map ? size : 0
        let job = RangeJob(
            collapser: second, fd: fd, from: split, to: nil, readSize: readSize, mapLimit: mapLimit,
            mapWindow: mapWindow)

        let firstJob = RangeJob(
            collapser: first, fd: fd, from: origin, to: split, readSize: readSize, mapLimit: mapLimit,
            mapWindow: mapWindow)
        ThreadPool.run(2) { i in (i == 0 ? firstJob : job).run() }
        first = firstJob.collapser
        let (firstBytes, firstError) = (firstJob.bytes, firstJob.error)
        if firstError != 0 {
            throw InputError(source: path, offset: firstBytes, ProfileInput.systemMessage(firstError))
        }
        if job.error != 0 {
            throw InputError(source: path, offset: split - origin + job.bytes, ProfileInput.systemMessage(job.error))
        }
        first.absorb(job.collapser)
        return (first, firstBytes + job.bytes)
    }

    /// One thread's part: its collapser and byte range, run on its own thread.
    final class RangeJob: @unchecked Sendable {
        var collapser: PerfCollapser
        let fd: Int32
        let from: Int
        let to: Int?
        let readSize: Int
        let mapLimit: Int
        let mapWindow: Int
        var bytes = 0
        var error: Int32 = 0

        init(collapser: PerfCollapser, fd: Int32, from: Int, to: Int?, readSize: Int, mapLimit: Int, mapWindow: Int) {
            self.collapser = collapser
            self.fd = fd
            self.from = from
            self.to = to
            self.readSize = readSize
            self.mapLimit = mapLimit
            self.mapWindow = mapWindow
        }

        func run() {
            (bytes, error) = PerfParallelCollapse.feedRange(
                &collapser, fd: fd, from: from, to: to, readSize: readSize, mapLimit: mapLimit, mapWindow: mapWindow)
        }
    }

    /// Feeds bytes `from..<to` of `fd` (to the end of the file when `to` is nil) to `c`.
    /// Returns the bytes read and errno of a failed read (0: none).
    static func feedRange(
        _ c: inout PerfCollapser, fd: Int32, from: Int, to: Int?, readSize: Int, mapLimit: Int, mapWindow: Int
    ) -> (Int, Int32) {
        readRange(fd: fd, from: from, to: to, readSize: readSize, mapLimit: mapLimit, mapWindow: mapWindow) {
            chunk, final in
            c.feedLines(chunk, final: final)
        }
    }

    /// Streams bytes of `fd` with `pread`: `body` gets the unconsumed bytes and whether they
    /// are the last, and returns how many it consumed (it may leave a tail for more bytes),
    /// or -1 to stop reading.
    ///
    /// With `mapLimit` > `from`, bytes before `mapLimit` (at most the file size seen by
    /// `fstat`) are mapped in windows of `mapWindow` bytes instead of copied: no copy out of
    /// the page cache, and at most one window resident per thread. The rest (a tail that
    /// needs more bytes, a line longer than a window, a file that grew) is read with `pread`.
    static func readRange(
        fd: Int32, from: Int, to: Int?, readSize: Int, mapLimit: Int = 0, mapWindow: Int = 8 << 20,
        _ body: (UnsafeRawBufferPointer, Bool) -> Int
    ) -> (Int, Int32) {
        var from = from
        let mapEnd = min(to ?? mapLimit, mapLimit)
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        var mappedBytes = 0
        while from < mapEnd {
            let start = from & ~(page - 1)
            let len = min(start + max(mapWindow, 2 * page), mapEnd) - start
            guard let m = mmap(nil, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off_t(start)),
                m != UnsafeMutableRawPointer(bitPattern: -1)
            else { break }
            let final = to == start + len
            let consumed = body(UnsafeRawBufferPointer(start: m + (from - start), count: start + len - from), final)
            munmap(m, len)
            if consumed < 0 { return (mappedBytes + (start + len - from), 0) }
            if final { return (mappedBytes + (start + len - from), 0) }
            if consumed == 0 { break }  // a line longer than a window: copy it instead
            mappedBytes += consumed
            from += consumed
        }
        let (n, error) = copyRange(fd: fd, from: from, to: to, readSize: readSize, body)
        return (mappedBytes + n, error)
    }

    static func copyRange(
        fd: Int32, from: Int, to: Int?, readSize: Int, _ body: (UnsafeRawBufferPointer, Bool) -> Int
    ) -> (Int, Int32) {
        var buf = [UInt8](repeating: 0, count: max(readSize, 4096))
        var filled = 0
        var offset = from
        while true {
            if filled == buf.count { buf.append(contentsOf: repeatElement(0, count: buf.count)) }
            var want = buf.count - filled
            if let to { want = min(want, to - offset) }
            var n = 0
            if want > 0 {
                n = buf.withUnsafeMutableBytes { b in pread(fd, b.baseAddress! + filled, want, off_t(offset)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return (offset - from, errno)
                }
            }
            offset += n
            let end = filled + n
            if n == 0 {
                if filled > 0 {
                    buf.withUnsafeBytes { _ = body(UnsafeRawBufferPointer(rebasing: $0[0..<filled]), true) }
                }
                return (offset - from, 0)
            }
            let consumed = buf.withUnsafeBytes { b -> Int in body(UnsafeRawBufferPointer(rebasing: b[0..<end]), false) }
            if consumed < 0 { return (offset - from, 0) }  // the body has seen enough
            if consumed > 0 && consumed < end {
                buf.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + consumed, end - consumed)
                }
            }
            filled = end - min(consumed, end)
        }
    }

    /// The offset just after the first `\n\n` that ends at or after `near` and before
    /// `limit`: the start of a line that follows a blank line. nil when there is none.
    static func findSplit(_ fd: Int32, near: Int, limit: Int) -> Int? {
        let window = 1 << 16
        var buf = [UInt8](repeating: 0, count: window)
        var pos = max(near - 1, 0)  // the pair may start one byte before `near`
        while pos + 1 < limit {
            let want = min(window, limit - pos)
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(pos)) }
            if n < 0 && errno == EINTR { continue }
            if n < 2 { return nil }
            let q = buf.withUnsafeBytes { PerfCollapser.findBlankLine($0.baseAddress!, from: 0, to: n) }
            if q >= 0 { return pos + q + 2 }
            pos += n - 1  // keep the last byte: a pair may straddle the windows
        }
        return nil
    }

    /// The event name that a defaulted filter takes from bytes `0..<to`: that of the first
    /// event line (§2: not a comment, not starting with whitespace) that also matches the
    /// period/event pattern (§3.2). nil when there is none.
    static func scanFirstEvent(
        _ fd: Int32, path: String, from: Int, to: Int, readSize: Int
    ) throws(InputError) -> [UInt8]? {
        var found: [UInt8]? = nil
        let (bytes, error) = readRange(fd: fd, from: from, to: to, readSize: readSize) { chunk, final in
            guard let base = chunk.baseAddress else { return 0 }
            var pos = 0
            let n = chunk.count
            while pos < n {
                var e = n
                if let nl = memchr(base + pos, 0x0A, n - pos) {
                    e = base.distance(to: UnsafeRawPointer(nl))
                } else if !final {
                    return pos
                }
                let line = UnsafeRawBufferPointer(start: base + pos, count: e - pos)
                pos = e + 1
                guard let b0 = line.first, b0 != 0x23, !PerlFrameNaming.isSpace(b0) else { continue }
                if PerlFrameNaming.matchEvent(line) != nil, let pe = PerlFrameNaming.matchPeriodEvent(line) {
                    found = Array(UnsafeRawBufferPointer(rebasing: line[pe.event]))
                    return -1
                }
            }
            return min(pos, n)
        }
        if error != 0 { throw InputError(source: path, offset: bytes, ProfileInput.systemMessage(error)) }
        return found
    }
}
