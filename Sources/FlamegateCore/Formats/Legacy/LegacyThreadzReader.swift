/// Thread dumps (`--- threadz N ---`, then `--- Thread ID (name: NAME/TID) stack: ---`
/// sections of addresses), read as pprof's `parseThread` reads them: one sample per
/// thread, every address in its section (creator's included) in the stack, all but the
/// leaf moved back one byte; `[same as previous thread]` counts the thread once more for
/// the previous stack; `---- no stack trace for` ends the threads.
enum LegacyThreadzReader {
    static let start = LegacyRegex(#"--- threadz \d+ ---"#)
    static let thread = LegacyRegex(#"--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---"#)

    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
        var s = LegacyLines(bytes)
        do {
            while try s.scan() {
                if !GoText.isSpaceOrComment(s.text) { break }
            }
        } catch {
            // pprof does not check the scanner's error here: the header is just not there.
            return .unrecognized("no threadz header")
        }
        var line = s.text
        if start.matches(line) {
            // Comments up to the first thread.
            while try s.scan() {
                line = s.text
                if LegacyMemoryMap.isSentinel(line) || GoText.hasPrefix(line, "-") { break }
            }
        } else if !thread.matches(line) {
            return .unrecognized("the first line is not `--- threadz N ---` or a `--- Thread …` header")
        }
        let vt = ValueType(type: "thread", unit: "count")
        var p = LegacyProfile(sampleTypes: [vt], periodType: vt, period: 1)
        while !LegacyMemoryMap.isSentinel(line) {
            if GoText.hasPrefix(line, "---- no stack trace for") { break }
            if !thread.matches(line) {
                return .unrecognized("line \(s.number) is not a `--- Thread ID (name: NAME/TID) stack: ---` header")
            }
            let (next, addrs) = try stack(&s)
            line = next
            guard let addrs, !addrs.isEmpty else {
                // [same as previous thread] (or no addresses): one more thread on the last stack.
                if !p.samples.isEmpty { p.samples[p.samples.count - 1].values[0] &+= 1 }
                continue
            }
            let locs = addrs.enumerated().map { i, a in p.location(i > 0 ? a &- 1 : a) }
            p.samples.append(.init(locations: locs, values: [1]))
        }
        try LegacyReaders.additionalSections(&s, &p)
        dropDuplicateLeaf(&p)
        return .profile(p)
    }

    /// pprof's `parseThreadSample`: a thread's addresses up to the next `---` line, which
    /// it returns (trimmed; at the end, the last line read); nil addresses for
    /// `[same as previous thread]`.
    static func stack(_ s: inout LegacyLines) throws(LegacyFailure) -> (ArraySlice<UInt8>, [UInt64]?) {
        var line: ArraySlice<UInt8> = []
        var same = false
        var addrs: [UInt64] = []
        while try s.scan() {
            line = GoText.trimSpace(s.text)
            if line.isEmpty { continue }
            if GoText.hasPrefix(line, "---") { break }
            if GoText.contains(line, "same as previous thread") {
                same = true
                continue
            }
            var bad = ""
            guard let a = GoText.hexAddresses(line, bad: &bad) else {
                throw .at(s.number, "address \(bad) does not fit in 64 bits")
            }
            addrs += a
        }
        return (line, same ? nil : addrs)
    }

    /// pprof's `cleanupDuplicateLocations`: a leaf recorded twice (from the signal context
    /// and from unwinding, the second moved back one byte) is kept once.
    static func dropDuplicateLeaf(_ p: inout LegacyProfile) {
        for i in p.samples.indices {
            let l = p.samples[i].locations
            if l.count > 1 && p.locations[l[0]].address == p.locations[l[1]].address &+ 1 {
                p.samples[i].locations.remove(at: 1)
            }
        }
    }
}
