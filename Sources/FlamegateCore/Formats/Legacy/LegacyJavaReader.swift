/// A Java profiling agent's text profiles, `--- heapz 1 ---` and `--- contentionz 1 ---`:
/// `name = value` attributes (`format = java`, `resolution = UNIT`, `sampling period`,
/// `ms since reset`), `VALUE COUNT @ 0xID …` records, then a symbol table
/// `0xID function (File.java:LINE)` — read as pprof's `parseJavaProfile` reads them. The
/// symbol table also follows the records of a Java binary CPU profile (LegacyCPUReader).
enum LegacyJavaReader {
    static let attribute = LegacyRegex(#"([\w ]+)=([\w ]+)"#)
    static let sample = LegacyRegex(#" *(\d+) +(\d+) +@ +([ x0-9a-f]*)"#)
    static let symbol = LegacyRegex(#"^\s*0x([[:xdigit:]]+)\s+(.*)\s*$"#)
    static let fileLine = LegacyRegex(#"^(.*)\s+\((.+):(-?[[:digit:]]+)\)$"#)
    static let path = LegacyRegex(#"^(.*)\s+\((.*)\)$"#)
    /// The agent samples heap allocations once per 512 KiB on average.
    static let heapSamplingRate: Int64 = 524288

    /// pprof reads Java's lines whole, however long; Flamegate's matcher needs memory in
    /// proportion to a line, so it stops at 16 MiB (no agent writes such a line).
    static let maxLine = 16 << 20

    static func checkLineLengths(_ text: ArraySlice<UInt8>) throws(LegacyFailure) {
        var start = text.startIndex
        var line = 1
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            if end - start > maxLine {
                throw .at(line, "a line of \(end - start) bytes, more than Flamegate reads (16 MiB)")
            }
            start = end + 1
            line += 1
        }
    }

    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
        guard let nl = bytes.firstIndex(of: 0x0A) else { return .unrecognized("no Java profile header line") }
        let heap: Bool
        switch GoText.string(GoText.trimSpace(bytes[..<nl])) {
        case "--- heapz 1 ---": heap = true
        case "--- contentionz 1 ---": heap = false
        default: return .unrecognized("the first line is not `--- heapz 1 ---` or `--- contentionz 1 ---`")
        }
        try checkLineLengths(bytes[...])
        var p = LegacyProfile(periodType: ValueType(type: "", unit: ""))
        var lineNumber = 1
        var rest = bytes[(nl + 1)...]

        // Attributes, up to the first line that is not one.
        while let end = rest.firstIndex(of: 0x0A) {
            let line = GoText.trimSpace(rest[..<end])
            if !line.isEmpty {
                guard let m = attribute.firstMatch(line) else { break }
                let name = GoText.string(GoText.trimSpace(m.text(1, in: line)))
                let value = GoText.trimSpace(m.text(2, in: line))
                let v = GoText.string(value)
                switch (heap, name) {
                case (_, "format"):
                    if v != "java" { return .unrecognized("format = \(v), not java") }
                case (true, "resolution"):
                    p.sampleTypes = [
                        ValueType(type: "inuse_objects", unit: "count"), ValueType(type: "inuse_space", unit: v),
                    ]
                case (false, "resolution"):
                    p.sampleTypes = [ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: v)]
                case (false, "sampling period"):
                    p.periodType = ValueType(type: "contentions", unit: "count")
                    guard let n = GoText.parseInt(value, base: 0) else {
                        throw .at(lineNumber + 1, "the sampling period `\(v)` is not a 64-bit integer")
                    }
                    p.period = n
                case (false, "ms since reset"):
                    guard let n = GoText.parseInt(value, base: 0) else {
                        throw .at(lineNumber + 1, "ms since reset `\(v)` is not a 64-bit integer")
                    }
                    p.durationNanos = n &* 1_000_000
                default:
                    return .unrecognized("an unknown attribute `\(name)`")
                }
            }
            rest = rest[(end + 1)...]
            lineNumber += 1
        }

        // Records, up to the first line that is not one.
        while let end = rest.firstIndex(of: 0x0A) {
            let line = GoText.trimSpace(rest[..<end])
            if !line.isEmpty {
                guard let m = sample.firstMatch(line) else { break }
                var bad = ""
                guard let addrs = GoText.hexAddresses(m.text(3, in: line), bad: &bad) else {
                    throw .at(lineNumber + 1, "address \(bad) does not fit in 64 bits")
                }
                let locs = addrs.map { p.location($0) }
                // Java writes the columns the other way round.
                guard var count = GoText.parseInt(m.text(2, in: line), base: 0),
                    var value = GoText.parseInt(m.text(1, in: line), base: 0)
                else { throw .at(lineNumber + 1, "a record's number is not a 64-bit integer") }
                var bytes: Int64? = nil
                if heap {
                    if count == 0 { throw .at(lineNumber + 1, "a heap record's count (its second number) is 0") }
                    bytes = value / count
                    (count, value) = LegacyHeapReader.scale(count, value, rate: heapSamplingRate)
                } else if p.period != 0 {
                    count = count &* p.period
                    value = value &* p.period
                }
                p.samples.append(.init(locations: locs, values: [count, value], bytes: bytes))
            }
            rest = rest[(end + 1)...]
            lineNumber += 1
        }
        try symbols(rest, into: &p)
        dropAddresses(&p)
        return .profile(p)
    }

    /// pprof's `parseJavaLocations`: names the locations the records used from the symbol
    /// table (`function (File.java:LINE)`, `function (lib/path.so)`, a JIT stub, or a bare
    /// state such as `GC`), one function per name; then renumbers as pprof does.
    static func symbols(_ text: ArraySlice<UInt8>, into p: inout LegacyProfile) throws(LegacyFailure) {
        try checkLineLengths(text)
        var functionByName: [String: Int] = [:]
        var rest = text
        while !rest.isEmpty {
            let end = rest.firstIndex(of: 0x0A) ?? rest.endIndex
            let line = GoText.trimSpace(rest[..<end])
            rest = end < rest.endIndex ? rest[(end + 1)...] : rest[rest.endIndex...]
            if line.isEmpty { continue }
            guard let m = symbol.firstMatch(line) else { continue }
            guard let addr = GoText.parseUint(m.text(1, in: line), base: 16) else {
                throw LegacyFailure(
                    message: "symbol address 0x\(GoText.string(m.text(1, in: line))) does not fit in 64 bits")
            }
            guard let loc = p.locationByAddress[addr] else { continue }
            let what = m.text(2, in: line)
            var name: String
            var file = ""
            var lineNo: Int64 = 0
            if let f = fileLine.firstMatch(what) {
                name = GoText.string(f.text(1, in: what))
                file = GoText.string(f.text(2, in: what))
                if let n = GoText.parseInt(f.text(3, in: what), base: 10), n > 0 { lineNo = n }
            } else if let f = path.firstMatch(what) {
                // A shared library: its file name is enough.
                name = GoText.string(f.text(1, in: what))
                file = GoText.base(GoText.string(f.text(2, in: what)))
            } else if GoText.contains(what, "generated stub/JIT") {
                name = "STUB"
            } else {
                name = GoText.string(what)
            }
            let fn: Int
            if let known = functionByName[name] {
                fn = known
            } else {
                p.functions.append(.init(name: name, systemName: name, filename: file))
                fn = p.functions.count - 1
                functionByName[name] = fn
            }
            p.locations[loc].lines = [(fn, lineNo)]
            p.locations[loc].address = 0
        }
        p.remapLocations()
        p.remapFunctions()
        p.remapMappings()
    }

    /// pprof aggregates Java profiles without addresses, for better merges.
    static func dropAddresses(_ p: inout LegacyProfile) {
        for i in p.locations.indices { p.locations[i].address = 0 }
    }
}
