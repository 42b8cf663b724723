/// Contention profiles in text: C++'s `--- contentionz`, Go's `--- contention:` (block)
/// and `--- mutex:` — `name = value` attributes, then `CYCLES COUNT @ 0xPC …` records —
/// read as pprof's `parseContention` reads them. With `cycles/second` and a sampling
/// period known, cycles become nanoseconds and counts are multiplied by the period.
enum LegacyContentionReader {
    static let sample = LegacyRegex(#"(\d+) *(\d+) @([ x0-9a-f]*)"#)

    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
        var s = LegacyLines(bytes)
        guard try s.scan() else { return .unrecognized("empty") }
        let first = s.text
        guard
            GoText.hasPrefix(first, "--- contentionz ") || GoText.hasPrefix(first, "--- mutex:")
                || GoText.hasPrefix(first, "--- contention:")
        else { return .unrecognized("the first line is not `--- contentionz `, `--- contention:` or `--- mutex:`") }
        var p = LegacyProfile(
            sampleTypes: [
                ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: "nanoseconds"),
            ],
            periodType: ValueType(type: "contentions", unit: "count"), period: 1)
        var cpuHz: Int64 = 0
        // `name = value` lines until the first record.
        while try s.scan() {
            let line = GoText.trimSpace(s.text)
            if GoText.isSpaceOrComment(line) { continue }
            if GoText.hasPrefix(line, "---") { break }
            guard let eq = line.firstIndex(of: UInt8(ascii: "=")) else { break }
            let key = GoText.string(GoText.trimSpace(line[..<eq]))
            let value = GoText.trimSpace(line[(eq + 1)...])
            switch key {
            case "cycles/second":
                guard let v = GoText.parseInt(value, base: 0) else { return .unrecognized("a bad cycles/second") }
                cpuHz = v
            case "sampling period":
                guard let v = GoText.parseInt(value, base: 0) else { return .unrecognized("a bad sampling period") }
                p.period = v
            case "ms since reset":
                guard let v = GoText.parseInt(value, base: 0) else { return .unrecognized("a bad ms since reset") }
                p.durationNanos = v &* 1_000_000
            case "discarded samples":
                break
            case "format", "resolution":
                // Java's contention profiles have these (LegacyJavaReader), C++'s and Go's do not.
                return .unrecognized("a Java attribute `\(key)`")
            default:
                return .unrecognized("an unknown attribute `\(key)`")
            }
        }
        while true {
            let line = GoText.trimSpace(s.text)
            if GoText.hasPrefix(line, "---") { break }
            if !GoText.isSpaceOrComment(line) {
                guard let m = sample.firstMatch(line) else {
                    return .unrecognized("line \(s.number) is not a `CYCLES COUNT @ 0xADDRESS …` record")
                }
                guard var cycles = GoText.parseInt(m.text(1, in: line), base: 10),
                    var count = GoText.parseInt(m.text(2, in: line), base: 10)
                else { throw .at(s.number, "a contention record's number does not fit in 64 bits") }
                if p.period > 0 {
                    if cpuHz > 0 {
                        let ghz = Double(cpuHz) / 1e9
                        cycles = GoText.int64(Double(cycles) * Double(p.period) / ghz)
                    }
                    count = count &* p.period
                }
                var bad = ""
                guard let addrs = GoText.hexAddresses(m.text(3, in: line), bad: &bad) else {
                    throw .at(s.number, "address \(bad) does not fit in 64 bits")
                }
                let locs = addrs.map { p.location($0 &- 1) }
                p.samples.append(.init(locations: locs, values: [count, cycles]))
            }
            if !(try s.scan()) { break }
        }
        try LegacyReaders.additionalSections(&s, &p)
        return .profile(p)
    }
}
