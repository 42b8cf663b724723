/// Go's count profiles in their `?debug=1` text (`goroutine profile: total N`, also
/// threadcreate and any `NAME profile: total N`), read as pprof's `parseGoCount` reads
/// them: `COUNT @ 0xPC 0xPC …` lines (`#` lines are comments), each address moved back
/// one byte onto its call instruction, then an optional memory map.
enum LegacyCountReader {
    static let header = LegacyRegex(#"\A(\S+) profile: total \d+\z"#)
    static let sample = LegacyRegex(#"\A(\d+) @(( 0x[0-9a-f]+)+)\z"#)

    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
        var s = LegacyLines(bytes)
        while try s.scan() {
            if !GoText.isSpaceOrComment(s.text) { break }
        }
        guard let m = header.firstMatch(s.text) else {
            return .unrecognized("the first line is not `NAME profile: total N`")
        }
        let type = GoText.string(m.text(1, in: s.text))
        let vt = ValueType(type: type, unit: "count")
        var p = LegacyProfile(sampleTypes: [vt], periodType: vt, period: 1)
        while try s.scan() {
            let line = s.text
            if GoText.isSpaceOrComment(line) { continue }
            if GoText.hasPrefix(line, "---") { break }
            guard let sm = sample.firstMatch(line) else {
                throw .at(s.number, "expected `COUNT @ 0xADDRESS …` (pprof: malformed profile format)")
            }
            guard let n = GoText.parseInt(sm.text(1, in: line), base: 0) else {
                throw .at(s.number, "count out of range (pprof: malformed profile format)")
            }
            var locs: [Int] = []
            for field in sm.text(2, in: line).split(separator: 0x20) {
                guard let addr = GoText.parseUint(field, base: 0) else {
                    throw .at(s.number, "address \(GoText.string(field)) does not fit in 64 bits")
                }
                locs.append(p.location(addr &- 1))
            }
            p.samples.append(.init(locations: locs, values: [n]))
        }
        try LegacyReaders.additionalSections(&s, &p)
        return .profile(p)
    }
}
