/// speedscope's JSON file format (https://www.speedscope.app/file-format-schema.json):
/// shared frames, and one "sampled" profile per sample type (or only the chosen one).
public enum Speedscope {
    /// The `$schema` URL written at the top of every file.
    public static let schema = "https://www.speedscope.app/file-format-schema.json"

    /// speedscope's units: nanoseconds, microseconds, milliseconds, seconds, bytes, none.
    static func unit(_ u: String) -> String {
        switch u {
        case "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes": return u
        case "ns": return "nanoseconds"
        case "us": return "microseconds"
        case "ms": return "milliseconds"
        case "s": return "seconds"
        case "B": return "bytes"
        default: return "none"
        }
    }

    /// The JSON document. `sampleIndex` nil = every sample type, each as one profile,
    /// with `activeProfileIndex` on the default type.
    public static func encode(_ p: Profile, name: String, sampleIndex: Int? = nil) -> [UInt8] {
        // Frames: one per (function, file, line) as shown, inlined frames expanded.
        var frameOf: [String: Int] = [:]
        var frames: [(name: String, file: String, line: Int64)] = []
        var locFrames: [[Int]] = []  // per location, outermost first
        locFrames.reserveCapacity(p.locations.count)
        for li in 0..<p.locations.count {
            let l = p.locations[li]
            var ids: [Int] = []
            let lines = p.lines(ofLocation: li)
            var entries: [(String, String, Int64)] = []
            if lines.isEmpty {
                entries.append((StackProfile.frameName(p, location: l, line: nil), "", 0))
            } else {
                for line in lines.reversed() {
                    let n = StackProfile.frameName(p, location: l, line: line)
                    var file = ""
                    if line.function >= 0 && Int(line.function) < p.functions.count {
                        file = p.strings[p.functions[Int(line.function)].filename]
                    }
                    entries.append((n, file, line.line))
                }
            }
            for (n, file, line) in entries {
                let key = n + "\u{0}" + file + "\u{0}" + String(line)
                if let id = frameOf[key] {
                    ids.append(id)
                } else {
                    frameOf[key] = frames.count
                    ids.append(frames.count)
                    frames.append((n, file, line))
                }
            }
            locFrames.append(ids)
        }

        var out: [UInt8] = []
        func s(_ t: String) { out.append(contentsOf: t.utf8) }
        func num(_ v: Int64) { s(String(v)) }
        s("{\"$schema\":")
        s(JSONWriter.quote(schema))
        s(",\"shared\":{\"frames\":[")
        for (i, f) in frames.enumerated() {
            if i > 0 { s(",") }
            s("{\"name\":")
            s(JSONWriter.quote(f.name))
            if !f.file.isEmpty {
                s(",\"file\":")
                s(JSONWriter.quote(f.file))
            }
            if f.line > 0 {
                s(",\"line\":")
                num(f.line)
            }
            s("}")
        }
        s("]},\"profiles\":[")
        let indices: [Int] = sampleIndex.map { [$0] } ?? Array(p.sampleTypes.indices)
        for (k, si) in indices.enumerated() {
            if k > 0 { s(",") }
            let st = p.sampleTypes[si]
            // Sample weights must not be negative; left-out samples are those with v < 0.
            var total: Int64 = 0
            for i in 0..<p.samples.count {
                let v = p.samples.value(i, si)
                if v > 0 { total = total.addingReportingOverflow(v).overflow ? Int64.max : total + v }
            }
            s("{\"type\":\"sampled\",\"name\":")
            s(JSONWriter.quote(st.description))
            s(",\"unit\":")
            s(JSONWriter.quote(unit(st.unit)))
            s(",\"startValue\":0,\"endValue\":")
            num(total)
            s(",\"samples\":[")
            var first = true
            for i in 0..<p.samples.count where p.samples.value(i, si) > 0 {
                if !first { s(",") }
                first = false
                s("[")
                var n = 0
                for li in p.samples.locationRange(i).reversed() {
                    let loc = Int(p.samples.locations[li])
                    guard loc >= 0 && loc < locFrames.count else { continue }
                    for id in locFrames[loc] {
                        if n > 0 { s(",") }
                        n += 1
                        num(Int64(id))
                    }
                }
                s("]")
            }
            s("],\"weights\":[")
            first = true
            for i in 0..<p.samples.count {
                let v = p.samples.value(i, si)
                if v <= 0 { continue }
                if !first { s(",") }
                first = false
                num(v)
            }
            s("]}")
        }
        s("],\"name\":")
        s(JSONWriter.quote(name))
        var active = 0
        if sampleIndex == nil, let d = try? p.sampleIndex(named: "") { active = d }
        s(",\"activeProfileIndex\":")
        num(Int64(active))
        s(",\"exporter\":\"flamegate\"}\n")
        return out
    }
}
