/// Decodes pprof's `profile.proto` (upstream HEAD) from wire bytes, by hand, in passes
/// over one buffer: first everything but samples, then samples straight into
/// column arrays with location ids already resolved to indices.
public enum PprofDecoder {
    /// Most frames one sample may expand to (locations times their inline lines): 2^20,
    /// far past any real stack (Go records at most 128 frames, perf 127 by default).
    public static let maxFrames = 1 << 20

    /// Decodes raw (uncompressed) protobuf bytes.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> Profile {
        guard bytes.count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw DecodeError(offset: nil, "empty input: expected a pprof profile")
        }
        var d = Decoding(base: base, end: bytes.count)
        return try d.run()
    }

    /// Decodes bytes that may be gzip-compressed.
    public static func decode(possiblyCompressed bytes: UnsafeRawBufferPointer, gzipLimit: Int = Gzip.defaultLimit)
        throws(DecodeError) -> Profile
    {
        if Gzip.isGzip(bytes) {
            let raw = try Gzip.inflate(bytes, limit: gzipLimit)
            let result = raw.withUnsafeBytes { b -> Result<Profile, DecodeError> in
                do throws(DecodeError) { return .success(try decode(b)) } catch { return .failure(error) }
            }
            switch result {
            case .success(let p): return p
            case .failure(let e):
                throw DecodeError(
                    offset: e.offset, e.offset == nil ? e.message : "\(e.message) (offset in the decompressed data)")
            }
        }
        return try decode(bytes)
    }
}

/// Maps ids (uint64 in the file) to dense indices; dense array when ids are compact.
struct IDMap {
    var dense: [Int32] = []
    var sparse: [UInt64: Int32] = [:]

    init(ids: [UInt64]) {
        let maxID = ids.max() ?? 0
        if maxID <= UInt64(ids.count) * 4 + 1024 {
            dense = [Int32](repeating: -1, count: Int(maxID) + 1)
        }
        for (i, id) in ids.enumerated() { set(id, Int32(i)) }
    }

    mutating func set(_ id: UInt64, _ index: Int32) {
        if id < UInt64(dense.count) { dense[Int(id)] = index } else { sparse[id] = index }
    }

    @inline(__always) func get(_ id: UInt64) -> Int32 {
        if id < UInt64(dense.count) { return dense[Int(id)] }
        return sparse[id] ?? -1
    }

    func contains(_ id: UInt64) -> Bool { get(id) >= 0 }
}

private struct Decoding {
    let base: UnsafePointer<UInt8>
    let end: Int
    var p = Profile()

    // Raw string indices, resolved once the string table is known.
    var remap: [Int32] = []  // file string index -> interned id
    var rawSampleTypes: [(UInt64, UInt64, Int)] = []
    var rawPeriodType: (UInt64, UInt64, Int)? = nil
    var rawComments: [(UInt64, Int)] = []
    var rawDrop: (UInt64, Int) = (0, 0)
    var rawKeep: (UInt64, Int) = (0, 0)
    var rawDefault: (UInt64, Int) = (0, 0)
    var rawDocURL: (UInt64, Int) = (0, 0)
    var mappingOffsets: [Int] = []
    var rawMappingStrings: [(UInt64, UInt64)] = []
    var functionOffsets: [Int] = []
    var rawFunctionStrings: [(UInt64, UInt64, UInt64)] = []
    var locationOffsets: [Int] = []
    var rawLocationMapping: [UInt64] = []
    var rawLineFunction: [UInt64] = []
    var sampleCount = 0
    var sampleBytes = 0
    var firstSampleOffset = -1
    var stringCount = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    mutating func run() throws(DecodeError) -> Profile {
        try passOne()
        if stringCount == 0 {
            // pprof reads every string field through the table, so it refuses a file without one.
            throw DecodeError(
                offset: nil,
                rawSampleTypes.isEmpty && sampleCount == 0 && p.locations.isEmpty && p.functions.isEmpty
                    ? "not a pprof profile (no sample types, samples, locations or functions)"
                    : "the profile has no string table (pprof requires one, starting with the empty string)")
        }
        try resolve()
        try decodeSamples()
        try checkFrameCap()
        if p.sampleTypes.isEmpty && p.samples.count == 0 && p.locations.isEmpty && p.functions.isEmpty {
            throw DecodeError(offset: nil, "not a pprof profile (no sample types, samples, locations or functions)")
        }
        return p
    }

    /// Refuses a sample whose stack expands (inline lines included) to more than
    /// `PprofDecoder.maxFrames` frames; reports would otherwise build it in full. Only
    /// profiles with long inline chains pay for the pass over samples.
    func checkFrameCap() throws(DecodeError) {
        let cap = PprofDecoder.maxFrames
        var maxLines = 1
        for l in p.locations where Int(l.lineCount) > maxLines { maxLines = Int(l.lineCount) }
        let t = p.samples
        var longest = 0
        for s in 0..<t.count { longest = max(longest, t.locationRange(s).count) }
        if longest.multipliedReportingOverflow(by: maxLines).partialValue <= cap && longest <= cap / maxLines { return }
        for s in 0..<t.count {
            var frames = 0
            for li in t.locations[t.locationRange(s)] {
                frames += max(1, Int(p.locations[Int(li)].lineCount))
                if frames > cap {
                    throw DecodeError(
                        offset: nil,
                        "sample \(s) expands to more than \(cap) frames (inline lines included); Flamegate's limit per sample")
                }
            }
        }
    }

    func string(_ raw: UInt64, _ what: @autoclosure () -> String, at offset: Int) throws(DecodeError) -> Int32 {
        guard raw < UInt64(remap.count) else {
            throw DecodeError(
                offset: offset,
                "\(what()): string index \(raw) is out of range (the string table has \(remap.count) entries)")
        }
        return remap[Int(raw)]
    }

    // Everything but samples; samples are only counted and measured.
    mutating func passOne() throws(DecodeError) {
        var r = WireReader(base: base, pos: 0, end: end)
        var strings: [String] = []
        while !r.atEnd {
            let at = r.pos
            let (field, wire) = try r.key()
            switch field {
            case 1:
                let e = try message(&r, wire, "sample_type")
                var t: UInt64 = 0
                var u: UInt64 = 0
                var m = WireReader(base: base, pos: r.pos, end: e)
                while !m.atEnd {
                    let (f, w) = try m.key()
                    switch f {
                    case 1: t = try m.int(wire: w, field: "ValueType.type")
                    case 2: u = try m.int(wire: w, field: "ValueType.unit")
                    default: try m.skip(wire: w)
                    }
                }
                rawSampleTypes.append((t, u, at))
                r.pos = e
            case 2:
                let e = try message(&r, wire, "sample")
                if firstSampleOffset < 0 { firstSampleOffset = at }
                sampleCount += 1
                sampleBytes += e - r.pos
                r.pos = e
            case 3:
                let e = try message(&r, wire, "mapping")
                try decodeMapping(r.pos, e, at)
                r.pos = e
            case 4:
                let e = try message(&r, wire, "location")
                try decodeLocation(r.pos, e, at)
                r.pos = e
            case 5:
                let e = try message(&r, wire, "function")
                try decodeFunction(r.pos, e, at)
                r.pos = e
            case 6:
                let e = try message(&r, wire, "string_table")
                let s = LosslessUTF8.decode(UnsafeBufferPointer(start: base + r.pos, count: e - r.pos))
                if strings.isEmpty && !s.isEmpty {
                    throw DecodeError(offset: at, "string_table[0] must be the empty string")
                }
                strings.append(s)
                r.pos = e
            case 7: rawDrop = (try r.int(wire: wire, field: "drop_frames"), at)
            case 8: rawKeep = (try r.int(wire: wire, field: "keep_frames"), at)
            case 9:
                // A second time_nanos means two profiles were concatenated; pprof refuses that.
                let t = Int64(bitPattern: try r.int(wire: wire, field: "time_nanos"))
                if p.timeNanos != 0 {
                    throw DecodeError(
                        offset: at,
                        "a second time_nanos: two profiles concatenated into one file (pprof refuses them too)")
                }
                p.timeNanos = t
            case 10: p.durationNanos = Int64(bitPattern: try r.int(wire: wire, field: "duration_nanos"))
            case 11:
                let e = try message(&r, wire, "period_type")
                var t: UInt64 = 0
                var u: UInt64 = 0
                var m = WireReader(base: base, pos: r.pos, end: e)
                while !m.atEnd {
                    let (f, w) = try m.key()
                    switch f {
                    case 1: t = try m.int(wire: w, field: "ValueType.type")
                    case 2: u = try m.int(wire: w, field: "ValueType.unit")
                    default: try m.skip(wire: w)
                    }
                }
                rawPeriodType = (t, u, at)
                r.pos = e
            case 12: p.period = Int64(bitPattern: try r.int(wire: wire, field: "period"))
            case 13:
                var list: [UInt64] = []
                try r.ints(wire: wire, field: "comment") { list.append($0) }
                for c in list { rawComments.append((c, at)) }
            case 14: rawDefault = (try r.int(wire: wire, field: "default_sample_type"), at)
            case 15: rawDocURL = (try r.int(wire: wire, field: "doc_url"), at)
            default:
                try r.skip(wire: wire)
            }
        }
        // Intern: duplicate strings in the file share one id, so names compare by id.
        p.strings.reserve(strings.count)
        remap.reserveCapacity(strings.count)
        for s in strings { remap.append(p.strings.intern(s)) }
        stringCount = strings.count
    }

    func message(_ r: inout WireReader, _ wire: UInt8, _ name: String) throws(DecodeError) -> Int {
        guard wire == 2 else {
            throw DecodeError(
                offset: r.pos, "field \(name): expected a length-delimited message, found wire type \(wire)")
        }
        return try r.lengthDelimitedEnd()
    }

    mutating func decodeMapping(_ start: Int, _ e: Int, _ at: Int) throws(DecodeError) {
        var m = WireReader(base: base, pos: start, end: e)
        var mp = Mapping(id: 0)
        var file: UInt64 = 0
        var build: UInt64 = 0
        while !m.atEnd {
            let (f, w) = try m.key()
            switch f {
            case 1: mp.id = try m.int(wire: w, field: "Mapping.id")
            case 2: mp.start = try m.int(wire: w, field: "Mapping.memory_start")
            case 3: mp.limit = try m.int(wire: w, field: "Mapping.memory_limit")
            case 4: mp.offset = try m.int(wire: w, field: "Mapping.file_offset")
            case 5: file = try m.int(wire: w, field: "Mapping.filename")
            case 6: build = try m.int(wire: w, field: "Mapping.build_id")
            case 7: mp.hasFunctions = try m.int(wire: w, field: "Mapping.has_functions") != 0
            case 8: mp.hasFilenames = try m.int(wire: w, field: "Mapping.has_filenames") != 0
            case 9: mp.hasLineNumbers = try m.int(wire: w, field: "Mapping.has_line_numbers") != 0
            case 10: mp.hasInlineFrames = try m.int(wire: w, field: "Mapping.has_inline_frames") != 0
            default: try m.skip(wire: w)
            }
        }
        p.mappings.append(mp)
        rawMappingStrings.append((file, build))
        mappingOffsets.append(at)
    }

    mutating func decodeFunction(_ start: Int, _ e: Int, _ at: Int) throws(DecodeError) {
        var m = WireReader(base: base, pos: start, end: e)
        var fn = Function(id: 0, name: 0)
        var name: UInt64 = 0
        var sys: UInt64 = 0
        var file: UInt64 = 0
        while !m.atEnd {
            let (f, w) = try m.key()
            switch f {
            case 1: fn.id = try m.int(wire: w, field: "Function.id")
            case 2: name = try m.int(wire: w, field: "Function.name")
            case 3: sys = try m.int(wire: w, field: "Function.system_name")
            case 4: file = try m.int(wire: w, field: "Function.filename")
            case 5: fn.startLine = Int64(bitPattern: try m.int(wire: w, field: "Function.start_line"))
            default: try m.skip(wire: w)
            }
        }
        p.functions.append(fn)
        rawFunctionStrings.append((name, sys, file))
        functionOffsets.append(at)
    }

    mutating func decodeLocation(_ start: Int, _ e: Int, _ at: Int) throws(DecodeError) {
        var m = WireReader(base: base, pos: start, end: e)
        var loc = Location(id: 0, lineStart: Int32(truncatingIfNeeded: p.lines.count))
        var mapping: UInt64 = 0
        while !m.atEnd {
            let (f, w) = try m.key()
            switch f {
            case 1: loc.id = try m.int(wire: w, field: "Location.id")
            case 2: mapping = try m.int(wire: w, field: "Location.mapping_id")
            case 3: loc.address = try m.int(wire: w, field: "Location.address")
            case 4:
                let le = try message(&m, w, "Location.line")
                var l = WireReader(base: base, pos: m.pos, end: le)
                var line = Line(function: -1)
                var fid: UInt64 = 0
                while !l.atEnd {
                    let (lf, lw) = try l.key()
                    switch lf {
                    case 1: fid = try l.int(wire: lw, field: "Line.function_id")
                    case 2: line.line = Int64(bitPattern: try l.int(wire: lw, field: "Line.line"))
                    case 3: line.column = Int64(bitPattern: try l.int(wire: lw, field: "Line.column"))
                    default: try l.skip(wire: lw)
                    }
                }
                m.pos = le
                // Identical consecutive inline lines are one frame: 10 M copies in 87 KB of
                // gzip used to make a 2.2 GB SVG.
                if loc.lineCount > 0 && p.lines.last == line && rawLineFunction.last == fid { continue }
                p.lines.append(line)
                rawLineFunction.append(fid)
                loc.lineCount += 1
            case 5: loc.isFolded = try m.int(wire: w, field: "Location.is_folded") != 0
            default: try m.skip(wire: w)
            }
        }
        guard p.lines.count < Int(Int32.max) else { throw DecodeError(offset: at, "too many lines") }
        p.locations.append(loc)
        rawLocationMapping.append(mapping)
        locationOffsets.append(at)
    }

    // Strings, function and mapping references; id uniqueness (pprof's CheckValid).
    mutating func resolve() throws(DecodeError) {
        for (t, u, at) in rawSampleTypes {
            let ti = try string(t, "sample_type.type", at: at)
            let ui = try string(u, "sample_type.unit", at: at)
            p.sampleTypes.append(ValueType(type: p.strings[ti], unit: p.strings[ui]))
        }
        if let (t, u, at) = rawPeriodType {
            let ti = try string(t, "period_type.type", at: at)
            let ui = try string(u, "period_type.unit", at: at)
            p.periodType = ValueType(type: p.strings[ti], unit: p.strings[ui])
        }
        for (c, at) in rawComments { p.comments.append(p.strings[try string(c, "comment", at: at)]) }
        p.dropFrames = p.strings[try string(rawDrop.0, "drop_frames", at: rawDrop.1)]
        p.keepFrames = p.strings[try string(rawKeep.0, "keep_frames", at: rawKeep.1)]
        p.defaultSampleType = p.strings[try string(rawDefault.0, "default_sample_type", at: rawDefault.1)]
        p.docURL = p.strings[try string(rawDocURL.0, "doc_url", at: rawDocURL.1)]

        for i in p.mappings.indices {
            let at = mappingOffsets[i]
            let (file, build) = rawMappingStrings[i]
            p.mappings[i].file = try string(file, "mapping id \(p.mappings[i].id) filename", at: at)
            p.mappings[i].buildID = try string(build, "mapping id \(p.mappings[i].id) build_id", at: at)
        }
        for i in p.functions.indices {
            let at = functionOffsets[i]
            let (n, s, f) = rawFunctionStrings[i]
            let id = p.functions[i].id
            p.functions[i].name = try string(n, "function id \(id) name", at: at)
            p.functions[i].systemName = try string(s, "function id \(id) system_name", at: at)
            p.functions[i].filename = try string(f, "function id \(id) filename", at: at)
        }
        let mappingIDs = try uniqueIDs(p.mappings.map(\.id), mappingOffsets, "mapping")
        let functionIDs = try uniqueIDs(p.functions.map(\.id), functionOffsets, "function")
        _ = try uniqueIDs(p.locations.map(\.id), locationOffsets, "location")
        for i in p.locations.indices {
            let mid = rawLocationMapping[i]
            // A mapping id that is not in the profile leaves the location unmapped, as in pprof.
            if mid != 0 { p.locations[i].mapping = mappingIDs.get(mid) }
            let l = p.locations[i]
            for j in Int(l.lineStart)..<Int(l.lineStart + l.lineCount) {
                let fid = rawLineFunction[j]
                guard fid != 0 else {
                    throw DecodeError(
                        offset: locationOffsets[i], "location id \(l.id) has a line without a function (function_id 0)")
                }
                let fi = functionIDs.get(fid)
                guard fi >= 0 else {
                    throw DecodeError(
                        offset: locationOffsets[i],
                        "location id \(l.id) refers to function id \(fid), which is not in the profile")
                }
                p.lines[j].function = fi
            }
        }
        rawLineFunction = []
        rawLocationMapping = []
    }

    func uniqueIDs(_ ids: [UInt64], _ offsets: [Int], _ what: String) throws(DecodeError) -> IDMap {
        var map = IDMap(ids: [])
        let maxID = ids.max() ?? 0
        if maxID <= UInt64(ids.count) * 4 + 1024 { map.dense = [Int32](repeating: -1, count: Int(maxID) + 1) }
        for (i, id) in ids.enumerated() {
            if id == 0 { throw DecodeError(offset: offsets[i], "\(what) with the reserved id 0") }
            if map.contains(id) { throw DecodeError(offset: offsets[i], "two \(what)s have the same id \(id)") }
            map.set(id, Int32(i))
        }
        return map
    }

    mutating func decodeSamples() throws(DecodeError) {
        let nt = p.sampleTypes.count
        if sampleCount > 0 && nt == 0 {
            throw DecodeError(
                offset: firstSampleOffset, "samples but no sample types (missing sample type information)")
        }
        var table = SampleTable(valueCount: nt)
        guard sampleCount > 0 else {
            p.samples = table
            return
        }
        let locIDs = IDMap(ids: p.locations.map(\.id))
        var offsets = [Int](repeating: 0, count: sampleCount + 1)
        var labels: [Label] = []
        var labelOffsets: [Int] = []
        var failure: DecodeError? = nil
        let remap = self.remap
        let base = self.base
        let end = self.end
        let nSamples = sampleCount
        // A packed varint takes at least one byte, so the sample bytes bound the id count.
        let locCapacity = max(sampleBytes, 1)
        // Likewise for values: a sample must hold `nt` of them, each at least one byte, so
        // hostile counts (many empty samples × many sample types) cannot size this buffer.
        let (allValues, overflow) = nSamples.multipliedReportingOverflow(by: nt)
        let valueCapacity = max(overflow ? sampleBytes : min(allValues, sampleBytes), 1)
        let values = [Int64](unsafeUninitializedCapacity: valueCapacity) { vbuf, vcount in
            table.locations = [Int32](unsafeUninitializedCapacity: locCapacity) { lbuf, lcount in
                do throws(DecodeError) {
                    var r = WireReader(base: base, pos: 0, end: end)
                    var n = 0  // location ids written
                    var nv = 0  // values written
                    var s = 0
                    while !r.atEnd {
                        let at = r.pos
                        let (field, wire) = try r.key()
                        if field != 2 {
                            try r.skip(wire: wire)
                            continue
                        }
                        let e = try r.lengthDelimitedEnd()
                        let valuesBefore = nv
                        var m = WireReader(base: base, pos: r.pos, end: e)
                        while !m.atEnd {
                            let (f, w) = try m.key()
                            if f == 1 {
                                if w == 2 {
                                    let pe = try m.lengthDelimitedEnd()
                                    while m.pos < pe {
                                        let id = try m.varint(limit: pe)
                                        let li = locIDs.get(id)
                                        if li < 0 { throw Self.missingLocation(id, s, at) }
                                        lbuf[n] = li
                                        n &+= 1
                                    }
                                } else if w == 0 {
                                    let id = try m.varint()
                                    let li = locIDs.get(id)
                                    if li < 0 { throw Self.missingLocation(id, s, at) }
                                    lbuf[n] = li
                                    n &+= 1
                                } else {
                                    throw DecodeError(offset: m.pos, "Sample.location_id: unexpected wire type \(w)")
                                }
                            } else if f == 2 {
                                if w == 2 {
                                    let pe = try m.lengthDelimitedEnd()
                                    while m.pos < pe {
                                        let v = try m.varint(limit: pe)
                                        guard nv - valuesBefore < nt else {
                                            throw Self.valueCount(s, at, nt, pe, m, base)
                                        }
                                        vbuf[nv] = Int64(bitPattern: v)
                                        nv &+= 1
                                    }
                                } else if w == 0 {
                                    let v = try m.varint()
                                    guard nv - valuesBefore < nt else {
                                        throw Self.valueCount(s, at, nt, m.pos, m, base)
                                    }
                                    vbuf[nv] = Int64(bitPattern: v)
                                    nv &+= 1
                                } else {
                                    throw DecodeError(offset: m.pos, "Sample.value: unexpected wire type \(w)")
                                }
                            } else if f == 3 {
                                guard w == 2 else {
                                    throw DecodeError(
                                        offset: m.pos,
                                        "Sample.label: expected a length-delimited message, found wire type \(w)")
                                }
                                let le = try m.lengthDelimitedEnd()
                                var l = WireReader(base: base, pos: m.pos, end: le)
                                var key: UInt64 = 0
                                var str: UInt64 = 0
                                var num: UInt64 = 0
                                var unit: UInt64 = 0
                                while !l.atEnd {
                                    let (lf, lw) = try l.key()
                                    switch lf {
                                    case 1: key = try l.int(wire: lw, field: "Label.key")
                                    case 2: str = try l.int(wire: lw, field: "Label.str")
                                    case 3: num = try l.int(wire: lw, field: "Label.num")
                                    case 4: unit = try l.int(wire: lw, field: "Label.num_unit")
                                    default: try l.skip(wire: lw)
                                    }
                                }
                                m.pos = le
                                for (raw, what) in [(key, "key"), (str, "str"), (unit, "num_unit")]
                                where raw >= UInt64(remap.count) {
                                    throw DecodeError(
                                        offset: at,
                                        "label \(what) of sample \(s): string index \(raw) is out of range (the string table has \(remap.count) entries)"
                                    )
                                }
                                // pprof keeps a label only if it has a string, a number or a unit.
                                if str == 0 && num == 0 && unit == 0 { continue }
                                if labelOffsets.isEmpty {
                                    labelOffsets = [Int](repeating: 0, count: s + 1)
                                    labelOffsets.reserveCapacity(nSamples + 1)
                                }
                                labels.append(
                                    Label(
                                        key: remap[Int(key)], str: remap[Int(str)], num: Int64(bitPattern: num),
                                        unit: remap[Int(unit)]))
                            } else {
                                try m.skip(wire: w)
                            }
                        }
                        if nv - valuesBefore != nt {
                            throw DecodeError(
                                offset: at,
                                "sample \(s) has \(nv - valuesBefore) values but the profile has \(nt) sample types")
                        }
                        r.pos = e
                        s += 1
                        offsets[s] = n
                        if !labelOffsets.isEmpty { labelOffsets.append(labels.count) }
                    }
                    lcount = n
                    vcount = nv
                } catch {
                    failure = error
                    lcount = 0
                    vcount = 0
                }
            }
        }
        if let failure { throw failure }
        table.values = values
        table.locationOffsets = offsets
        table.labels = labels
        table.labelOffsets = labelOffsets
        p.samples = table
    }

    static func missingLocation(_ id: UInt64, _ s: Int, _ at: Int) -> DecodeError {
        DecodeError(offset: at, "sample \(s) refers to location id \(id), which is not in the profile")
    }

    static func valueCount(_ s: Int, _ at: Int, _ nt: Int, _ pe: Int, _ m: WireReader, _ base: UnsafePointer<UInt8>)
        -> DecodeError
    {
        DecodeError(offset: at, "sample \(s) has more values than the profile's \(nt) sample types")
    }
}
