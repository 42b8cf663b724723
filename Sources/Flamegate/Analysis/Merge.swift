/// Merges profiles with pprof's rules (`profile.Merge` after `CompatibilizeSampleTypes`
/// and `ScaleProfiles`): sample types made common, mappings, functions and locations
/// deduplicated, identical samples (same stack and labels) summed, zero samples dropped.
public enum ProfileMerge {
    public static func merge(_ inputs: [Profile]) throws(ProfileError) -> Profile {
        guard var first = inputs.first else { throw ProfileError("no profiles to merge") }
        if inputs.count == 1 { return first }
        var srcs = inputs
        try compatibilize(&srcs)
        try scale(&srcs)
        first = srcs[0]
        for s in srcs.dropFirst() { try compatible(first, s) }
        var m = Merger(sampleTypes: first.sampleTypes)
        m.header(srcs)
        for src in srcs { m.add(src) }
        var out = m.out
        if (0..<out.samples.count).contains(where: { i in (0..<out.samples.valueCount).allSatisfy { out.samples.value(i, $0) == 0 } }) {
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
                        v = int64Saturating((Double(v) * ratios[i]).rounded(.toNearestOrAwayFromZero))
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
    struct SampleKey: Hashable {
        var locations: [Int32]
        var labels: [String]
    }
    var mappings: [MappingKey: Int32] = [:]
    var functions: [FunctionKey: Int32] = [:]
    var locations: [LocationKey: Int32] = [:]
    var samples: [SampleKey: Int] = [:]
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
        let st = src.samples
        for i in 0..<st.count {
            let vals = (0..<st.valueCount).map { st.value(i, $0) }
            if vals.allSatisfy({ $0 == 0 }) { continue }
            let locs = st.locations[st.locationRange(i)].map { mapLocation($0) }
            let labels = st.labels[st.labelRange(i)].map { l in
                Label(
                    key: out.strings.intern(s[l.key]), str: l.str == 0 ? 0 : out.strings.intern(s[l.str]), num: l.num,
                    unit: l.unit == 0 ? 0 : out.strings.intern(s[l.unit]))
            }
            let key = SampleKey(locations: locs, labels: labelKey(labels))
            if let j = samples[key] {
                for k in 0..<vals.count { out.samples.values[j * st.valueCount + k] &+= vals[k] }
                continue
            }
            samples[key] = out.samples.count
            out.samples.append(locations: locs, values: vals, labels: labels)
        }
    }

    /// Labels as a canonical, order-insensitive-by-key list (pprof sorts keys).
    func labelKey(_ labels: [Label]) -> [String] {
        let s = out.strings
        var byKey: [String: [String]] = [:]
        for l in labels {
            let v = l.isString ? "s" + s[l.str] : "n\(l.num)/" + s[l.unit]
            byKey[s[l.key], default: []].append(v)
        }
        return byKey.keys.sorted().flatMap { [$0] + byKey[$0]! + ["\u{0}"] }
    }
}
