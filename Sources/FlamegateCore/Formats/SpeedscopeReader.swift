/// Reading speedscope's JSON file format back: "sampled" profiles (as `convert --to
/// speedscope` writes them, and speedscope exports) and "evented" ones (open/close events,
/// weighted by the time between them). JSON is parsed by Yams, as the gate reads its
/// metric JSON (JSON is YAML's flow style): no second JSON parser and no Foundation in
/// Core, with line and column in errors.
extension Speedscope {
    /// Whether a head is a speedscope file: JSON naming speedscope's schema.
    static func recognizes(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{")
        else { return false }
        let marker = Array("speedscope.app/file-format-schema.json".utf8)
        return head.count >= marker.count && head.firstRange(of: marker) != nil
    }

    /// One sample type per speedscope profile: its name `type/unit` as Flamegate writes it
    /// (the pprof unit kept), else the name (or "samples") with the file's unit.
    static func valueType(name: String, unit: String) -> ValueType {
        if let slash = name.lastIndex(of: "/"), slash != name.startIndex, name.index(after: slash) != name.endIndex {
            return ValueType(type: String(name[..<slash]), unit: String(name[name.index(after: slash)...]))
        }
        return ValueType(type: name.isEmpty ? "samples" : name, unit: unit == "none" ? "count" : unit)
    }

    /// Decodes a speedscope file into one profile: a sample type per speedscope profile,
    /// a function per (name, file), a location per frame; equal stacks are merged.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws(InputError) -> Profile {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(source: source, "speedscope file is not valid UTF-8")
        }
        // A real U+10FF80…U+10FFFF is kept as its bytes, as the other readers keep it.
        let doc = try YAMLValue.parse(LosslessUTF8.reading(text), source: source)
        var top: [String: YAMLValue] = [:]
        for (k, v) in try doc.mapping(what: "a speedscope file") { top[k] = v }
        guard let shared = top["shared"], let profilesValue = top["profiles"] else {
            throw InputError(source: source, "speedscope file without \"shared\" frames or \"profiles\"")
        }
        var sharedMap: [String: YAMLValue] = [:]
        for (k, v) in try shared.mapping(what: "shared") { sharedMap[k] = v }
        let frameValues = try sharedMap["frames"]?.list(what: "shared.frames") ?? []
        let profiles = try profilesValue.list(what: "profiles")

        var types: [ValueType] = []
        var kinds: [[String: YAMLValue]] = []
        for pv in profiles {
            var m: [String: YAMLValue] = [:]
            for (k, v) in try pv.mapping(what: "a profile") { m[k] = v }
            let name = try m["name"]?.string(what: "profile name") ?? ""
            let unit = try m["unit"]?.string(what: "profile unit") ?? "none"
            types.append(valueType(name: name, unit: unit))
            kinds.append(m)
        }
        if types.isEmpty { throw InputError(source: source, "speedscope file with no profiles") }
        // Two profiles with one name would be two sample types of one name: number them.
        for i in types.indices where types[..<i].contains(where: { $0.type == types[i].type }) {
            types[i].type += "#\(i)"
        }

        var p = Profile(sampleTypes: types)
        var functionOf: [String: Int32] = [:]
        for (i, fv) in frameValues.enumerated() {
            var m: [String: YAMLValue] = [:]
            for (k, v) in try fv.mapping(what: "a frame") { m[k] = v }
            let name = try m["name"]?.string(what: "frame name") ?? "?"
            let file = try m["file"]?.string(what: "frame file") ?? ""
            let line = Int64(try m["line"]?.double(what: "frame line") ?? 0)
            let key = name + "\u{0}" + file
            let f: Int32
            if let x = functionOf[key] {
                f = x
            } else {
                f = Int32(p.functions.count)
                let s = p.strings.intern(name)
                p.functions.append(
                    Function(id: UInt64(f) + 1, name: s, systemName: s, filename: p.strings.intern(file)))
                functionOf[key] = f
            }
            p.locations.append(
                Location(id: UInt64(i) + 1, mapping: -1, lineStart: Int32(p.lines.count), lineCount: 1))
            p.lines.append(Line(function: f, line: max(line, 0)))
        }

        // Stacks (root first in speedscope) → values per sample type.
        var sampleOf: [[Int32]: Int] = [:]
        var stacks: [[Int32]] = []
        var values: [[Int64]] = []
        func add(_ stack: [Int32], _ w: Int64, type t: Int) {
            if w == 0 || stack.isEmpty { return }
            if let i = sampleOf[stack] {
                values[i][t] = values[i][t].addingReportingOverflow(w).overflow ? .max : values[i][t] + w
            } else {
                sampleOf[stack] = stacks.count
                stacks.append(stack)
                var v = [Int64](repeating: 0, count: types.count)
                v[t] = w
                values.append(v)
            }
        }
        func frame(_ v: YAMLValue, _ what: String) throws(InputError) -> Int32 {
            let d = try v.double(what: what)
            guard d >= 0, d < Double(frameValues.count), d == d.rounded() else {
                throw v.error("\(what) \(d) is not an index into shared.frames (\(frameValues.count) frames)")
            }
            return Int32(d)
        }
        for (t, m) in kinds.enumerated() {
            let kind = try m["type"]?.string(what: "profile type") ?? ""
            switch kind {
            case "sampled":
                let samples = try m["samples"]?.list(what: "samples") ?? []
                let weights = try m["weights"]?.list(what: "weights") ?? []
                if !weights.isEmpty && weights.count != samples.count {
                    throw InputError(
                        source: source, "profile \(t): \(samples.count) samples but \(weights.count) weights")
                }
                for (i, s) in samples.enumerated() {
                    var stack: [Int32] = []
                    for f in try s.list(what: "a sample") { stack.append(try frame(f, "frame")) }
                    let w = weights.isEmpty ? 1 : Int64(try weights[i].double(what: "weight"))
                    add(stack, w, type: t)
                }
            case "evented":
                var open: [Int32] = []
                var last: Double? = nil
                for e in try m["events"]?.list(what: "events") ?? [] {
                    var em: [String: YAMLValue] = [:]
                    for (k, v) in try e.mapping(what: "an event") { em[k] = v }
                    guard let atValue = em["at"], let fv = em["frame"] else {
                        throw e.error("event without at or frame")
                    }
                    let at = try atValue.double(what: "at")
                    if let last, !open.isEmpty { add(open, Int64((at - last).rounded()), type: t) }
                    last = at
                    let f = try frame(fv, "frame")
                    switch try em["type"]?.string(what: "event type") {
                    case "O": open.append(f)
                    case "C":
                        if let i = open.lastIndex(of: f) { open.removeSubrange(i...) }
                    default: throw e.error("event type must be O or C")
                    }
                }
            default:
                throw InputError(source: source, "profile \(t): type must be sampled or evented, not \"\(kind)\"")
            }
        }
        // pprof order: leaf first.
        for (i, s) in stacks.enumerated() { p.samples.append(locations: s.reversed(), values: values[i]) }
        if let active = try top["activeProfileIndex"]?.double(what: "activeProfileIndex"),
            active >= 0, Int(active) < types.count
        {
            p.defaultSampleType = types[Int(active)].type
        }
        return p
    }
}
