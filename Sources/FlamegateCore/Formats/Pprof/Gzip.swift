import CZlib

/// gzip via the system zlib. Multi-member files are read to the end; a truncated
/// stream is an error, never a silently short result.
public enum Gzip {
    /// Whether `bytes` starts with the gzip magic number.
    public static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Environment variable that sets the largest decompressed size (`FLAMEGATE_MAX_INFLATE=512MB`).
    public static let limitVariable = "FLAMEGATE_MAX_INFLATE"

    /// Largest output `inflate` produces unless told otherwise: `FLAMEGATE_MAX_INFLATE` when
    /// set, else 8 GiB, or the machine's memory if smaller. A gzip bomb stops here with a
    /// clear error.
    public static var defaultLimit: Int {
        if let v = getenv(limitVariable), let n = parseSize(String(cString: v)) { return n }
        let eight = 8 << 30
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0 && size > 0 { return min(eight, pages * size) }
        return eight
    }

    /// A size such as `1048576`, `64k`, `10MB`, `512MiB`, `2G`, `1GiB` (k/M/G/T are powers of
    /// 1024, as `ulimit` and pprof's units); nil when it is not one.
    public static func parseSize(_ text: String) -> Int? {
        var s = Substring(text.trimming(" \t").lowercased())
        for suffix in ["ib", "b"] where s.hasSuffix(suffix) && s.count > suffix.count {
            s = s.dropLast(suffix.count)
            break
        }
        var shift = 0
        if let last = s.last, let i = "kmgt".firstIndex(of: last) {
            shift = 10 * ("kmgt".distance(from: "kmgt".startIndex, to: i) + 1)
            s = s.dropLast()
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(s) else { return nil }
        let (v, o) = n.multipliedReportingOverflow(by: 1 << shift)
        return o ? nil : v
    }

    /// The error for a `FLAMEGATE_MAX_INFLATE` that is set but not a size.
    static var limitVariableError: DecodeError? {
        guard let v = getenv(limitVariable) else { return nil }
        let text = String(cString: v)
        if parseSize(text) != nil { return nil }
        return DecodeError(offset: nil, "\(limitVariable)=\"\(text)\" is not a size (expected e.g. 512MB or 2GiB)")
    }

    static func describe(limit: Int) -> String {
        if limit >= 1 << 30 && limit % (1 << 30) == 0 { return "\(limit >> 30) GiB" }
        if limit >= 1 << 20 && limit % (1 << 20) == 0 { return "\(limit >> 20) MiB" }
        if limit >= 1 << 10 && limit % (1 << 10) == 0 { return "\(limit >> 10) KiB" }
        return "\(limit) bytes"
    }

    /// The inflate limit for `compressed` bytes of gzip: `FLAMEGATE_MAX_INFLATE` when set,
    /// else 64 times the compressed size with a 256 MiB floor, never past `defaultLimit`.
    /// Real profiles and perf scripts compress 2–20×; a bomb (1000×) stops early.
    public static func scaledLimit(compressed: Int) -> Int {
        if getenv(limitVariable) != nil { return defaultLimit }
        let (scaled, o) = compressed.multipliedReportingOverflow(by: 64)
        return min(defaultLimit, max(256 << 20, o ? Int.max : scaled))
    }

    /// Called with the bytes inflated so far after each chunk; throwing stops inflating.
    public typealias Watch = (UnsafeRawBufferPointer) throws(DecodeError) -> Void

    /// Decompresses a whole gzip buffer, or with `prefix` only (at least) its first `prefix`
    /// bytes. `watch` sees the output as it grows, so a reader can refuse bad data at its
    /// first bytes. The trailer's ISIZE is never trusted for reserving memory.
    public static func inflate(
        _ input: UnsafeRawBufferPointer, limit: Int? = nil, prefix: Int? = nil, watch: Watch? = nil
    ) throws(DecodeError) -> [UInt8] {
        if let e = limitVariableError { throw e }
        let limit = limit ?? scaledLimit(compressed: input.count)
        var out = [UInt8]()
        // Profiles inflate 2–5×: this usually avoids growth copies without trusting ISIZE.
        let (guess, o) = input.count.multipliedReportingOverflow(by: 4)
        out.reserveCapacity(max(min(o ? Int.max : guess, limit, prefix ?? Int.max), 0))
        var stream = z_stream()
        var rc = inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw DecodeError(offset: nil, "zlib initialisation failed (\(rc))") }
        defer { inflateEnd(&stream) }
        guard let inBase = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        stream.next_in = UnsafeMutablePointer(mutating: inBase)
        stream.avail_in = 0
        var consumed = 0
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            if stream.avail_in == 0 {
                let n = min(input.count - consumed, Int(UInt32.max / 2))
                stream.next_in = UnsafeMutablePointer(mutating: inBase + consumed)
                stream.avail_in = UInt32(n)
                consumed += n
            }
            let produced: Int = buffer.withUnsafeMutableBufferPointer { b in
                stream.next_out = b.baseAddress
                stream.avail_out = UInt32(chunk)
                rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                return chunk - Int(stream.avail_out)
            }
            if produced > 0 {
                if out.count + produced > limit {
                    throw DecodeError(
                        offset: nil,
                        "gzip data inflates past the \(describe(limit: limit)) limit (a gzip bomb? set \(limitVariable) to raise it)"
                    )
                }
                out.append(contentsOf: buffer[0..<produced])
                if let prefix, out.count >= prefix { return out }
                if let watch {
                    let e: DecodeError? = out.withUnsafeBytes { b in
                        do throws(DecodeError) { try watch(b) } catch { return error }
                        return nil
                    }
                    if let e { throw e }
                }
            }
            switch rc {
            case Z_STREAM_END:
                let offset = Int(bitPattern: stream.next_in) - Int(bitPattern: inBase)
                // Another member may follow; trailing zero padding is tolerated, as gzip does.
                let rest = input.count - offset
                if rest == 0 || !UnsafeRawBufferPointer(rebasing: input[offset...]).contains(where: { $0 != 0 }) {
                    return out
                }
                guard rest >= 2 && input[offset] == 0x1f && input[offset + 1] == 0x8b else {
                    throw DecodeError(offset: offset, "unexpected bytes after the end of the gzip stream")
                }
                inflateReset(&stream)
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 && consumed >= input.count {
                    throw DecodeError(
                        offset: input.count, "truncated gzip data (the file ends before the gzip stream does)")
                }
                continue
            default:
                let offset = Int(bitPattern: stream.next_in) - Int(bitPattern: inBase)
                let msg = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw DecodeError(offset: offset, "corrupt gzip data: \(msg)")
            }
        }
    }

    /// Compresses `input` as one gzip member.
    public static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        var rc = deflateInit2_(
            &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "zlib deflateInit2 failed")
        defer { deflateEnd(&stream) }
        var out = [UInt8]()
        let chunk = 1 << 18
        var buffer = [UInt8](repeating: 0, count: chunk)
        input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.avail_in = UInt32(inp.count)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { b in
                    stream.next_out = b.baseAddress
                    stream.avail_out = UInt32(chunk)
                    rc = CZlib.deflate(&stream, Z_FINISH)
                    return chunk - Int(stream.avail_out)
                }
                out.append(contentsOf: buffer[0..<produced])
            } while rc == Z_OK
        }
        return out
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
