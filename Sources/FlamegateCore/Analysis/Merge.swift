/// Merges profiles with pprof's rules (`profile.Merge` after `CompatibilizeSampleTypes`
/// and `ScaleProfiles`): sample types made common, mappings, functions and locations
/// deduplicated, identical samples (same stack and labels) summed, zero samples dropped.
public enum ProfileMerge {
    /// Merges `inputs` into one profile (one input is returned as is); throws when they cannot be combined.
    public static func merge(_ inputs: [Profile]) throws(ProfileError) -> Profile {
        guard var first = inputs.first else { throw ProfileError("no profiles to merge") }
        if inputs.count == 1 { return first }
        var srcs = inputs
        try compatibilize(&srcs)
        try scale(&srcs)
        // Identical samples are summed: refuse inputs whose sums would wrap.
        try Profile.checkCombinedMagnitudes(srcs)
        first = srcs[0]
        for s in srcs.dropFirst() { try compatible(first, s) }
        var m = Merger(sampleTypes: first.sampleTypes)
        m.header(srcs)
        for src in srcs { m.add(src) }
        var out = m.out
        if (0..<out.samples.count).contains(where: { i in
            (0..<out.samples.valueCount).allSatisfy { out.samples.value(i, $0) == 0 }
        }) {
            var again = Merger(sampleTypes: out.sampleTypes)
            again.header([out])
            again.add(out)
            out = again.out
        }
        return out
    }

    static func compatible(_ a: Profile, _ b: Profile) throws(ProfileError) {
        let pa = a.periodType ?? ValueType(type: "", unit: "")
        let pb = b.periodType ?? ValueType(type: "", unit: "")
        if pa != pb { throw ProfileError("incompatible period types \(pa) and \(pb)") }
        if a.sampleTypes != b.sampleTypes {
            throw ProfileError("incompatible sample types \(a.sampleTypes) and \(b.sampleTypes)")
        }
    }

    /// Keeps only the sample types every profile has, in the first profile's order.
    static func compatibilize(_ ps: inout [Profile]) throws(ProfileError) {
        var counts: [String: Int] = [:]
        for p in ps { for st in p.sampleTypes { counts[st.type, default: 0] += 1 } }
        let common = ps[0].sampleTypes.map(\.type).filter { counts[$0] == ps.count }
        if common.isEmpty { throw ProfileError("profiles have empty common sample type list") }
        for i in ps.indices {
            var p = ps[i]
            var remap: [Int] = []
            var defaultType = common[0]
            for t in common {
                if t == p.defaultSampleType { defaultType = p.defaultSampleType }
                guard let idx = p.sampleTypes.firstIndex(where: { $0.type == t }) else {
                    throw ProfileError("\"\(t)\" sample type is not found in profile")
                }
                remap.append(idx)
            }
            if remap == Array(0..<p.sampleTypes.count) { continue }
            p.defaultSampleType = defaultType
            p.sampleTypes = remap.map { p.sampleTypes[$0] }
            let old = p.samples
            var vals = [Int64]()
            vals.reserveCapacity(old.count * remap.count)
            for s in 0..<old.count { for r in remap { vals.append(old.value(s, r)) } }
            p.samples.values = vals
            p.samples.valueCount = remap.count
            ps[i] = p
        }
    }

    /// pprof's `ScaleProfiles`: values in compatible units are converted to the finest one.
    static func scale(_ ps: inout [Profile]) throws(ProfileError) {
        func common(_ ts: [ValueType?]) throws(ProfileError) -> ValueType? {
            let present = ts.compactMap { $0 }
            guard ts.count > 1, var minType = present.first else { return nil }
            for t in present.dropFirst() {
                guard compatibleTypes(minType, t) else { throw ProfileError("incompatible types: \(minType) \(t)") }
                if Units.scale(1, from: t.unit, to: minType.unit).0 < 1 { minType = t }
            }
            return minType
        }
        let period = try common(ps.map(\.periodType))
        let n = ps[0].sampleTypes.count
        for p in ps where p.sampleTypes.count != n {
            throw ProfileError("inconsistent samples type count: \(n) != \(p.sampleTypes.count)")
        }
        var types: [ValueType?] = []
        for i in 0..<n { types.append(try common(ps.map { $0.sampleTypes[i] })) }
        for k in ps.indices {
            if let pt = ps[k].periodType, let period {
                let (v, _) = Units.scale(ps[k].period, from: pt.unit, to: period.unit)
                ps[k].period = int64Saturating(v)
                ps[k].periodType!.unit = period.unit
            }
            var ratios = [Double](repeating: 1, count: n)
            for i in 0..<n {
                guard let t = types[i] else { continue }
                ratios[i] = Units.scale(1, from: ps[k].sampleTypes[i].unit, to: t.unit).0
                ps[k].sampleTypes[i].unit = t.unit
            }
            if ratios.allSatisfy({ $0 == 1 }) { continue }
            // pprof's ScaleN: round, and keep only samples with a non-zero value left.
            let old = ps[k].samples
            var table = SampleTable(valueCount: n)
            for s in 0..<old.count {
                var vals = [Int64]()
                var keepSample = false
                for i in 0..<n {
                    var v = old.value(s, i)
                    if ratios[i] != 1 {
                        v = try CheckedSum.int64(
                            (Double(v) * ratios[i]).rounded(.toNearestOrAwayFromZero),
                            "sample values of type \(ps[k].sampleTypes[i].type) in \(t(i))")
                        keepSample = keepSample || v != 0
                    }
                    vals.append(v)
                }
                if keepSample {
                    table.append(
                        locations: old.locations[old.locationRange(s)], values: vals,
                        labels: Array(old.labels[old.labelRange(s)]))
                }
            }
            ps[k].samples = table
        }
        func t(_ i: Int) -> String { types[i]?.unit ?? "" }
    }

    static func compatibleTypes(_ a: ValueType, _ b: ValueType) -> Bool {
        func trim(_ s: String) -> Substring { s.hasSuffix("s") ? s.dropLast() : Substring(s) }
        if trim(a.type) != trim(b.type) { return false }
        if a.unit == b.unit { return true }
        return Units.families.contains { Units.sniff($0, a.unit) != nil && Units.sniff($0, b.unit) != nil }
    }
}

private struct Merger {
    var out: Profile
    struct MappingKey: Hashable {
        var size: UInt64
        var offset: UInt64
        var buildIDOrFile: String
    }
    struct FunctionKey: Hashable {
        var startLine: Int64
        var name: String
        var systemName: String
        var filename: String
    }
    struct LocationKey: Hashable {
        var addr: UInt64
        var mapping: Int32
        var lines: [Line]
        var isFolded: Bool
    }
    var mappings: [MappingKey: Int32] = [:]
    var functions: [FunctionKey: Int32] = [:]
    var locations: [LocationKey: Int32] = [:]
    var values: [[Int64]] = []
    var sampleLocations: [[Int32]] = []
    var sampleLabels: [[Label]] = []

    init(sampleTypes: [ValueType]) { out = Profile(sampleTypes: sampleTypes) }

    mutating func header(_ srcs: [Profile]) {
        var time: Int64 = 0
        var duration: Int64 = 0
        var period: Int64 = 0
        var seen = Set<String>()
        for s in srcs {
            if time == 0 || s.timeNanos < time { time = s.timeNanos }
            duration &+= s.durationNanos
            if period == 0 || period < s.period { period = s.period }
            for c in s.comments where !seen.contains(c) {
                seen.insert(c)
                out.comments.append(c)
            }
            if out.defaultSampleType.isEmpty { out.defaultSampleType = s.defaultSampleType }
            if out.docURL.isEmpty { out.docURL = s.docURL }
        }
        out.dropFrames = srcs[0].dropFrames
        out.keepFrames = srcs[0].keepFrames
        out.timeNanos = time
        out.durationNanos = duration
        out.periodType = srcs[0].periodType
        out.period = period
    }

    mutating func add(_ src: Profile) {
        var mappingMap = [Int32](repeating: -2, count: src.mappings.count)
        var mappingDelta = [Int64](repeating: 0, count: src.mappings.count)
        var functionMap = [Int32](repeating: -2, count: src.functions.count)
        var locationMap = [Int32](repeating: -2, count: src.locations.count)
        let s = src.strings

        func mapMapping(_ i: Int32) -> Int32 {
            if i < 0 { return -1 }
            if mappingMap[Int(i)] != -2 { return mappingMap[Int(i)] }
            let m = src.mappings[Int(i)]
            var size = m.limit &- m.start
            size = size &+ 0xfff
            size = size - size % 0x1000
            let key = MappingKey(
                size: size, offset: m.offset, buildIDOrFile: m.buildID != 0 ? s[m.buildID] : s[m.file])
            if let j = mappings[key] {
                mappingMap[Int(i)] = j
                mappingDelta[Int(i)] = Int64(bitPattern: out.mappings[Int(j)].start &- m.start)
                return j
            }
            var nm = m
            nm.id = UInt64(out.mappings.count + 1)
            nm.file = out.strings.intern(s[m.file])
            nm.buildID = out.strings.intern(s[m.buildID])
            let j = Int32(out.mappings.count)
            out.mappings.append(nm)
            mappings[key] = j
            mappingMap[Int(i)] = j
            return j
        }
        func mapFunction(_ i: Int32) -> Int32 {
            if i < 0 { return -1 }
            if functionMap[Int(i)] != -2 { return functionMap[Int(i)] }
            let f = src.functions[Int(i)]
            let key = FunctionKey(
                startLine: f.startLine, name: s[f.name], systemName: s[f.systemName], filename: s[f.filename])
            if let j = functions[key] {
                functionMap[Int(i)] = j
                return j
            }
            let j = Int32(out.functions.count)
            out.functions.append(
                Function(
                    id: UInt64(j + 1), name: out.strings.intern(key.name),
                    systemName: out.strings.intern(key.systemName), filename: out.strings.intern(key.filename),
                    startLine: f.startLine))
            functions[key] = j
            functionMap[Int(i)] = j
            return j
        }
        func mapLocation(_ i: Int32) -> Int32 {
            if locationMap[Int(i)] != -2 { return locationMap[Int(i)] }
            let l = src.locations[Int(i)]
            let mi = mapMapping(l.mapping)
            let delta = l.mapping >= 0 ? mappingDelta[Int(l.mapping)] : 0
            let addr = UInt64(bitPattern: Int64(bitPattern: l.address) &+ delta)
            let lines = src.lines(ofLocation: Int(i)).map {
                Line(function: mapFunction($0.function), line: $0.line, column: $0.column)
            }
            var keyAddr = addr
            if mi >= 0 { keyAddr = addr &- out.mappings[Int(mi)].start }
            let key = LocationKey(addr: keyAddr, mapping: mi, lines: lines, isFolded: l.isFolded)
            if let j = locations[key] {
                locationMap[Int(i)] = j
                return j
            }
            let j = Int32(out.locations.count)
            out.locations.append(
                Location(
                    id: UInt64(j + 1), mapping: mi, address: addr, lineStart: Int32(out.lines.count),
                    lineCount: Int32(lines.count), isFolded: l.isFolded))
            out.lines.append(contentsOf: lines)
            locations[key] = j
            locationMap[Int(i)] = j
            return j
        }

        if mappings.isEmpty && !src.mappings.isEmpty { _ = mapMapping(0) }
        // Source string id -> output string id, filled on first use.
        var stringMap = [Int32](repeating: -1, count: s.count)
        func mapString(_ id: Int32) -> Int32 {
            if id == 0 { return 0 }
            let m = stringMap[Int(id)]
            if m >= 0 { return m }
            let o = out.strings.intern(s[id])
            stringMap[Int(id)] = o
            return o
        }
        let st = src.samples
        let vc = st.valueCount
        var locBuf: [Int32] = []
        var labelBuf: [Label] = []
        for i in 0..<st.count {
            let vbase = i * vc
            var allZero = true
            for k in 0..<vc where st.values[vbase + k] != 0 {
                allZero = false
                break
            }
            if allZero { continue }
            locBuf.removeAll(keepingCapacity: true)
            for k in st.locationRange(i) { locBuf.append(mapLocation(st.locations[k])) }
            labelBuf.removeAll(keepingCapacity: true)
            for l in st.labels[st.labelRange(i)] {
                labelBuf.append(
                    Label(key: mapString(l.key), str: mapString(l.str), num: l.num, unit: mapString(l.unit)))
            }
            // pprof's sample key sorts label keys; values keep their order within a key.
            if labelBuf.count > 1 {
                let strs = out.strings
                labelBuf = labelBuf.enumerated().sorted { a, b in
                    let (ka, kb) = (strs[a.element.key], strs[b.element.key])
                    if ka != kb { return LosslessUTF8.precedes(ka, kb) }
                    if a.element.isString != b.element.isString { return a.element.isString }
                    return a.offset < b.offset
                }.map(\.element)
            }
            let h = Merger.hash(locBuf, labelBuf)
            if let j = sampleTable.find(
                h,
                { j in
                    out.samples.locations[out.samples.locationRange(j)].elementsEqual(locBuf)
                        && out.samples.labels[out.samples.labelRange(j)].elementsEqual(labelBuf)
                })
            {
                for k in 0..<vc { out.samples.values[j * vc + k] += st.values[vbase + k] }  // cannot overflow: checked above
                continue
            }
            sampleTable.insert(h, out.samples.count)
            out.samples.append(locations: locBuf, values: st.values[vbase..<(vbase + vc)], labels: labelBuf)
        }
    }

    var sampleTable = HashIndex()

    static func hash(_ locs: [Int32], _ labels: [Label]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for l in locs { h = (h ^ UInt64(UInt32(bitPattern: l))) &* 0x100_0000_01b3 }
        h = (h ^ 0xffff_ffff) &* 0x100_0000_01b3
        for l in labels {
            h = (h ^ UInt64(UInt32(bitPattern: l.key))) &* 0x100_0000_01b3
            h = (h ^ UInt64(UInt32(bitPattern: l.str))) &* 0x100_0000_01b3
            h = (h ^ UInt64(bitPattern: l.num)) &* 0x100_0000_01b3
            h = (h ^ UInt64(UInt32(bitPattern: l.unit))) &* 0x100_0000_01b3
        }
        return h
    }
}

/// Open-addressing index from 64-bit hashes to sample numbers (collisions checked by
/// the caller's equality test).
struct HashIndex {
    var hashes: [UInt64] = [UInt64](repeating: 0, count: 1024)
    var slots: [Int] = [Int](repeating: -1, count: 1024)
    var count = 0

    func find(_ h: UInt64, _ equal: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h >> 7) & mask
        while slots[i] >= 0 {
            if hashes[i] == h && equal(slots[i]) { return slots[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    mutating func insert(_ h: UInt64, _ v: Int) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h >> 7) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        hashes[i] = h
        slots[i] = v
        count += 1
    }

    mutating func grow() {
        let old = (hashes, slots)
        hashes = [UInt64](repeating: 0, count: old.1.count * 2)
        slots = [Int](repeating: -1, count: old.1.count * 2)
        count = 0
        for k in 0..<old.1.count where old.1[k] >= 0 { insert(old.0[k], old.1[k]) }
    }
}
