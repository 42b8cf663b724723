import FlamegateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `go tool pprof -raw`: the profile as pprof's `Profile.String()` prints it — header,
/// samples with their location ids and labels, locations with their lines, mappings.
public enum PprofRaw {
    /// The whole dump; times in the local zone (or UTC), as Go's `time.Time.String()`.
    public static func render(_ p: Profile, utc: Bool) -> String {
        let str = Escaped(table: p.strings)
        let esc = { (s: String) in TextEscape.cell(s) }
        var ss: [String] = []
        for c in p.comments { ss.append("Comment: " + esc(c)) }
        if !p.docURL.isEmpty { ss.append("Doc: " + esc(p.docURL)) }
        // pprof's parsed profiles always have a period type (an empty one when the file has
        // none), so the line is always there.
        ss.append("PeriodType: \(esc(p.periodType?.type ?? "")) \(esc(p.periodType?.unit ?? ""))")
        ss.append("Period: \(p.period)")
        if p.timeNanos != 0 { ss.append("Time: " + goTime(p.timeNanos, utc: utc)) }
        if p.durationNanos != 0 {
            ss.append("Duration: " + String(goDuration(p.durationNanos).unicodeScalars.prefix(4)))
        }
        ss.append("Samples:")
        ss.append(
            p.sampleTypes.map { "\(esc($0.type))/\(esc($0.unit))" + ($0.type == p.defaultSampleType ? "[dflt]" : "") }
                .joined(separator: " "))
        let s = p.samples
        for i in 0..<s.count {
            var line = ""
            for t in 0..<s.valueCount { line += " " + TextTable.right(String(s.value(i, t)), 10) }
            line += ": "
            for k in s.locationRange(i) { line += "\(p.locations[Int(s.locations[k])].id) " }
            ss.append(line)
            var strings: [String: [String]] = [:]
            var numbers: [String: [Int64]] = [:]
            var units: [String: [String]] = [:]
            for j in s.labelRange(i) {
                let l = s.labels[j]
                let key = str[l.key]
                if l.isString {
                    strings[key, default: []].append(str[l.str])
                } else {
                    // A number 0 without a unit too: the protobuf decoder drops such a label
                    // (as pprof's does), a legacy heap record's `bytes: 0` keeps it.
                    // pprof keeps a unit list only when some value of the key has a unit.
                    if l.unit != 0 {
                        var u = units[key] ?? []
                        while u.count < numbers[key, default: []].count { u.append("") }
                        u.append(str[l.unit])
                        units[key] = u
                    }
                    numbers[key, default: []].append(l.num)
                }
            }
            let header = String(repeating: " ", count: 16)
            if !strings.isEmpty {
                ss.append(header + sortedGo(strings.map { "\($0.key):[\($0.value.joined(separator: " "))]" }))
            }
            if !numbers.isEmpty {
                let parts = numbers.map { key, values -> String in
                    var u = units[key] ?? []
                    if !u.isEmpty { while u.count < values.count { u.append("") } }
                    if u.count == values.count {
                        return "\(key):[\(zip(values, u).map { "\($0) \($1)" }.joined(separator: " "))]"
                    }
                    return "\(key):[\(values.map(String.init).joined(separator: " "))]"
                }
                ss.append(header + sortedGo(parts))
            }
        }
        ss.append("Locations")
        for loc in p.locations {
            var locStr = TextTable.right(String(loc.id), 6) + ": " + hex(loc.address) + " "
            if loc.mapping >= 0 { locStr += "M=\(p.mappings[Int(loc.mapping)].id) " }
            if loc.isFolded { locStr += "[F] " }
            if loc.lineCount == 0 { ss.append(locStr) }
            for li in Int(loc.lineStart)..<Int(loc.lineStart + loc.lineCount) {
                let line = p.lines[li]
                var lnStr = "??"
                if line.function >= 0 {
                    let fn = p.functions[Int(line.function)]
                    lnStr = "\(str[fn.name]) \(str[fn.filename]):\(line.line):\(line.column) s=\(fn.startLine)"
                    if fn.name != fn.systemName && str[fn.name] != str[fn.systemName] {
                        lnStr += "(" + str[fn.systemName] + ")"
                    }
                }
                ss.append(locStr + lnStr)
                // Location details only on the first line.
                locStr = String(repeating: " ", count: 13)
            }
        }
        ss.append("Mappings")
        for m in p.mappings {
            var bits = ""
            if m.hasFunctions { bits += "[FN]" }
            if m.hasFilenames { bits += "[FL]" }
            if m.hasLineNumbers { bits += "[LN]" }
            if m.hasInlineFrames { bits += "[IN]" }
            ss.append(
                "\(m.id): \(hex(m.start))/\(hex(m.limit))/\(hex(m.offset)) \(str[m.file]) \(str[m.buildID]) \(bits)")
        }
        return ss.joined(separator: "\n") + "\n"
    }

    /// The string table as `-raw` prints it: each string escaped for the terminal.
    struct Escaped {
        var table: StringTable
        subscript(id: Int32) -> String { TextEscape.cell(table[id]) }
    }

    /// Go's `%#x`.
    static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    /// Go's `sort.Strings` then a space join (byte order).
    static func sortedGo(_ parts: [String]) -> String {
        parts.sorted { LosslessUTF8.precedes($0, $1) }.joined(separator: " ")
    }

    /// Go's `time.Time.String()`: "2006-01-02 15:04:05.999999999 -0700 MST" (trailing
    /// zeros of the fraction dropped).
    static func goTime(_ nanos: Int64, utc: Bool) -> String {
        var (tmv, frac) = PprofText.brokenDown(nanos, utc: utc)
        var out = PprofText.timeText("%Y-%m-%d %H:%M:%S", &tmv)
        if frac != 0 {
            var f = String(frac)
            f = String(repeating: "0", count: 9 - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            out += "." + f
        }
        let off = utc ? 0 : Int(tmv.tm_gmtoff)
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        out += " " + sign + pad2(a / 3600) + pad2(a % 3600 / 60)
        let zone = utc ? "UTC" : (tmv.tm_zone.map { String(cString: $0) } ?? "")
        return out + " " + zone
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Go's `time.Duration.String()`: "1h2m3.5s", "5.000123s", "1.5ms", "0s".
    static func goDuration(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let neg = d < 0
        let u = UInt64(bitPattern: neg ? 0 &- d : d)
        func frac(_ v: UInt64, _ digits: Int) -> String {
            // v's last `digits` digits as a fraction, trailing zeros dropped.
            var p: UInt64 = 1
            for _ in 0..<digits { p *= 10 }
            let whole = v / p
            var f = String(v % p)
            if v % p == 0 { return String(whole) }
            f = String(repeating: "0", count: digits - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            return "\(whole).\(f)"
        }
        var s: String
        if u < 1_000 {
            s = "\(u)ns"
        } else if u < 1_000_000 {
            s = frac(u, 3) + "µs"
        } else if u < 1_000_000_000 {
            s = frac(u, 6) + "ms"
        } else {
            let secs = u / 1_000_000_000
            let rest = u % 1_000_000_000
            let h = secs / 3600
            let m = secs / 60 % 60
            s = frac((secs % 60) * 1_000_000_000 + rest, 9) + "s"
            if secs >= 60 { s = "\(m)m" + s }
            if secs >= 3600 { s = "\(h)h" + s }
        }
        return (neg ? "-" : "") + s
    }
}
