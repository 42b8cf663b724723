/// Writes a `Profile` as pprof protobuf (optionally gzip), readable by `go tool pprof`.
public enum PprofEncoder {
    /// Encodes uncompressed protobuf bytes.
    public static func encode(_ p: Profile) -> [UInt8] {
        var strings = p.strings
        var w = WireWriter()
        w.bytes.reserveCapacity(p.samples.locations.count * 3 + p.samples.values.count * 3 + 4096)
        for st in p.sampleTypes {
            let t = strings.intern(st.type)
            let u = strings.intern(st.unit)
            w.message(1) { m in
                m.int(1, UInt64(t))
                m.int(2, UInt64(u))
            }
        }
        let s = p.samples
        var ids: [UInt64] = []
        var vals: [UInt64] = []
        for i in 0..<s.count {
            ids.removeAll(keepingCapacity: true)
            vals.removeAll(keepingCapacity: true)
            for k in s.locationRange(i) { ids.append(p.locations[Int(s.locations[k])].id) }
            for k in 0..<s.valueCount { vals.append(UInt64(bitPattern: s.value(i, k))) }
            let lr = s.labelRange(i)
            w.message(2) { m in
                m.packed(1, ids)
                m.packed(2, vals)
                for k in lr {
                    let l = s.labels[k]
                    m.message(3) { lm in
                        lm.int(1, UInt64(l.key))
                        lm.int(2, UInt64(l.str))
                        lm.int(3, UInt64(bitPattern: l.num))
                        lm.int(4, UInt64(l.unit))
                    }
                }
            }
        }
        for mp in p.mappings {
            w.message(3) { m in
                m.int(1, mp.id)
                m.int(2, mp.start)
                m.int(3, mp.limit)
                m.int(4, mp.offset)
                m.int(5, UInt64(mp.file))
                m.int(6, UInt64(mp.buildID))
                m.int(7, mp.hasFunctions ? 1 : 0)
                m.int(8, mp.hasFilenames ? 1 : 0)
                m.int(9, mp.hasLineNumbers ? 1 : 0)
                m.int(10, mp.hasInlineFrames ? 1 : 0)
            }
        }
        for loc in p.locations {
            w.message(4) { m in
                m.int(1, loc.id)
                if loc.mapping >= 0 { m.int(2, p.mappings[Int(loc.mapping)].id) }
                m.int(3, loc.address)
                for ln in p.lines[Int(loc.lineStart)..<Int(loc.lineStart + loc.lineCount)] {
                    m.message(4) { lm in
                        if ln.function >= 0 { lm.int(1, p.functions[Int(ln.function)].id) }
                        lm.int(2, UInt64(bitPattern: ln.line))
                        lm.int(3, UInt64(bitPattern: ln.column))
                    }
                }
                m.int(5, loc.isFolded ? 1 : 0)
            }
        }
        for f in p.functions {
            w.message(5) { m in
                m.int(1, f.id)
                m.int(2, UInt64(f.name))
                m.int(3, UInt64(f.systemName))
                m.int(4, UInt64(f.filename))
                m.int(5, UInt64(bitPattern: f.startLine))
            }
        }
        let drop = strings.intern(p.dropFrames)
        let keep = strings.intern(p.keepFrames)
        let pt = p.periodType.map { (strings.intern($0.type), strings.intern($0.unit)) }
        let comments = p.comments.map { strings.intern($0) }
        let dst = strings.intern(p.defaultSampleType)
        let doc = strings.intern(p.docURL)
        for str in strings.strings { w.string(6, str) }
        w.int(7, UInt64(drop))
        w.int(8, UInt64(keep))
        w.int(9, UInt64(bitPattern: p.timeNanos))
        w.int(10, UInt64(bitPattern: p.durationNanos))
        if let pt, pt.0 != 0 || pt.1 != 0 {
            w.message(11) { m in
                m.int(1, UInt64(pt.0))
                m.int(2, UInt64(pt.1))
            }
        }
        w.int(12, UInt64(bitPattern: p.period))
        w.packed(13, comments.map { UInt64($0) })
        w.int(14, UInt64(dst))
        w.int(15, UInt64(doc))
        return w.bytes
    }

    /// Encodes and gzips, as `go tool pprof` and Go's runtime write profiles.
    public static func encodeGzip(_ p: Profile) -> [UInt8] { Gzip.deflate(encode(p)) }
}

/// Appends protobuf wire bytes; nested messages are written in place and their
/// length prefix patched afterwards.
public struct WireWriter {
    /// The encoded message so far.
    public var bytes: [UInt8] = []
    /// An empty writer.
    public init() {}

    /// Appends `v` as a base-128 varint (no tag).
    @inline(__always) public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A varint field, omitted when zero (proto3 default).
    public mutating func int(_ field: UInt64, _ v: UInt64) {
        if v == 0 { return }
        varint(field << 3)
        varint(v)
    }

    /// A packed repeated varint field (wire type 2), omitted when `vs` is empty.
    public mutating func packed(_ field: UInt64, _ vs: [UInt64]) {
        if vs.isEmpty { return }
        var inner = WireWriter()
        for v in vs { inner.varint(v) }
        varint(field << 3 | 2)
        varint(UInt64(inner.bytes.count))
        bytes.append(contentsOf: inner.bytes)
    }

    /// A length-delimited string field, written even when empty: the string's original
    /// bytes (`LosslessUTF8`), so a name's invalid UTF-8 round-trips exactly.
    public mutating func string(_ field: UInt64, _ s: String) {
        varint(field << 3 | 2)
        if !s.utf8.contains(0xF4) {
            var s = s
            s.withUTF8 { u in
                varint(UInt64(u.count))
                bytes.append(contentsOf: u)
            }
            return
        }
        let raw = LosslessUTF8.bytes(s)
        varint(UInt64(raw.count))
        bytes.append(contentsOf: raw)
    }

    /// A nested message field: `body` writes it into a fresh writer, copied in behind its length.
    public mutating func message(_ field: UInt64, _ body: (inout WireWriter) -> Void) {
        var inner = WireWriter()
        body(&inner)
        varint(field << 3 | 2)
        varint(UInt64(inner.bytes.count))
        bytes.append(contentsOf: inner.bytes)
    }
}
