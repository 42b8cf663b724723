#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Heap profiles in the text of tcmalloc and of Go's `/debug/pprof/heap?debug=1` (and
/// `allocs`): `heap profile: N: S [AN: AS] @ heap/RATE` (also `heap_v2/R`, `heapz_v2/R`,
/// `heapprofile`, `growthz`, `fragmentationz`), then `N: S [AN: AS] @ 0xPC …` records,
/// read as pprof's `parseHeap` reads them. Sampled records are unsampled
/// (`scaleHeapSample`): each is divided by the chance that an allocation of its average
/// size was sampled at the header's rate.
enum LegacyHeapReader {
    static let header = LegacyRegex(
        #"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*)"#)
    static let growthHeader = LegacyRegex(#"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?"#)
    static let fragmentationHeader = LegacyRegex(
        #"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?"#)
    static let sample = LegacyRegex(#"(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)"#)

    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
        var s = LegacyLines(bytes)
        guard try s.scan() else { return .unrecognized("empty") }
        let first = s.text
        var p = LegacyProfile(periodType: ValueType(type: "space", unit: "bytes"))
        var unsample = false
        var hasAlloc = false
        if let h = header.firstMatch(first) {
            if !h.text(6, in: first).isEmpty {
                guard let rate = GoText.parseInt(h.text(6, in: first), base: 10) else {
                    return .unrecognized("the heap header's sampling rate does not fit in 64 bits")
                }
                p.period = rate
            }
            // Alloc columns that differ from the in-use ones (and are not 0) are reported too.
            let (n, sz, an, asz) = (
                h.text(1, in: first), h.text(2, in: first), h.text(3, in: first), h.text(4, in: first)
            )
            hasAlloc = (an != n && an != Array("0".utf8)[...]) || (asz != sz && asz != Array("0".utf8)[...])
            switch GoText.string(h.text(5, in: first)) {
            case "heapz_v2", "heap_v2": unsample = true
            case "heapprofile": p.period = 1
            case "heap":
                unsample = true
                p.period /= 2  // Go writes twice its MemProfileRate
            default:
                return .unrecognized("the heap header names an unknown kind `\(GoText.string(h.text(5, in: first)))`")
            }
        } else if growthHeader.matches(first) || fragmentationHeader.matches(first) {
            p.period = 1
        } else {
            return .unrecognized("the first line is not a `heap profile: …` header")
        }
        p.sampleTypes =
            hasAlloc
            ? [
                ValueType(type: "alloc_objects", unit: "count"), ValueType(type: "alloc_space", unit: "bytes"),
                ValueType(type: "inuse_objects", unit: "count"), ValueType(type: "inuse_space", unit: "bytes"),
            ] : [ValueType(type: "objects", unit: "count"), ValueType(type: "space", unit: "bytes")]

        while try s.scan() {
            let line = GoText.trimSpace(s.text)
            if GoText.isSpaceOrComment(line) { continue }
            if LegacyMemoryMap.isSentinel(line) { break }
            guard let m = sample.firstMatch(line) else {
                throw .at(s.number, "expected a heap record `N: SIZE [N: SIZE] @ 0xADDRESS …`")
            }
            var values: [Int64] = []
            var blockSize: Int64 = 0
            func add(_ countText: ArraySlice<UInt8>, _ sizeText: ArraySlice<UInt8>, _ what: String)
                throws(LegacyFailure)
            {
                guard var count = GoText.parseInt(countText, base: 10), var size = GoText.parseInt(sizeText, base: 10)
                else { throw .at(s.number, "a heap record's number does not fit in 64 bits") }
                if count == 0 && size != 0 {
                    throw .at(s.number, "\(what) count is 0 but its size is \(size) bytes")
                }
                if count != 0 {
                    blockSize = size.dividedReportingOverflow(by: count).partialValue
                    if unsample { (count, size) = scale(count, size, rate: p.period) }
                }
                values += [count, size]
            }
            if hasAlloc { try add(m.text(3, in: line), m.text(4, in: line), "allocation") }
            try add(m.text(1, in: line), m.text(2, in: line), "in-use")
            var bad = ""
            guard let addrs = GoText.hexAddresses(m.text(5, in: line), bad: &bad) else {
                throw .at(s.number, "address \(bad) does not fit in 64 bits")
            }
            // Return addresses: one byte back lands on the call.
            let locs = addrs.map { p.location($0 &- 1) }
            p.samples.append(.init(locations: locs, values: values, bytes: blockSize))
        }
        try LegacyReaders.additionalSections(&s, &p)
        return .profile(p)
    }

    /// pprof's `scaleHeapSample`: a record of `count` objects totalling `size` bytes,
    /// sampled on average once per `rate` bytes (a Poisson process), stands for
    /// count/(1-e^(-avg/rate)) objects. A rate of 1 or less leaves it as it is.
    static func scale(_ count: Int64, _ size: Int64, rate: Int64) -> (Int64, Int64) {
        if count == 0 || size == 0 { return (0, 0) }
        if rate <= 1 { return (count, size) }
        let average = Double(size) / Double(count)
        let scale = 1 / (1 - exp(-average / Double(rate)))
        return (GoText.int64(Double(count) * scale), GoText.int64(Double(size) * scale))
    }
}
