/// Walks a pprof profile's top-level fields while its bytes are still arriving (inflating
/// gzip, reading a pipe), so that data which is not protobuf fails at its first bad byte
/// instead of after gigabytes: a 2 GiB gzip of zeros used to inflate completely (2.1 GB
/// RSS) before "invalid field number 0 at byte 0".
struct PprofStreamCheck {
    /// Offset of the next top-level field key.
    var next = 0

    /// Checks the keys of the fields that start in `data` (the bytes so far, a growing
    /// prefix of the input); a field cut by the end of `data` waits for more bytes. The full
    /// decoder still checks everything; this only finds what it would find, sooner.
    mutating func advance(_ data: UnsafeRawBufferPointer) throws(DecodeError) {
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        while next < data.count {
            var r = WireReader(base: base, pos: next, end: data.count)
            let key: (field: UInt64, wire: UInt8)
            do { key = try r.key() } catch {
                if error.message.hasPrefix("invalid field") { throw error }
                return  // a key cut by the end of the bytes so far
            }
            switch key.wire {
            case 0:
                do { _ = try r.varint() } catch { return }
            case 1: r.pos += 8
            case 5: r.pos += 4
            case 2:
                let at = r.pos
                guard let n = try? r.varint() else { return }
                guard n <= UInt64(Int.max - r.pos) else {
                    throw DecodeError(offset: at, "length \(n) runs past the end of the data")
                }
                r.pos += Int(n)
            default:
                throw DecodeError(offset: r.pos, "unknown wire type \(key.wire) (not protobuf data)")
            }
            next = r.pos
        }
    }
}
