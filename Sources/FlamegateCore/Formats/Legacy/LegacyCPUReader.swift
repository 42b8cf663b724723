/// gperftools' binary CPU profile (C++; Go before protobuf; Java agents), read as pprof's
/// `parseCPU` reads it: a header of words 0, 3, 0 (1 for Java), the sampling period in
/// microseconds, 0 — 32- or 64-bit, either byte order, tried in that order — then
/// `count, depth, pc…` records up to the `0, 1, 0` trailer, then a memory map (C++) or a
/// symbol table (Java) as text.
enum LegacyCPUReader {
    /// One way to read words: width in bytes and byte order.
    struct Words {
        let width: Int
        let bigEndian: Bool
        static let all = [
            Words(width: 4, bigEndian: false), Words(width: 4, bigEndian: true),
            Words(width: 8, bigEndian: false), Words(width: 8, bigEndian: true),
        ]

        /// The word at `pos`, or nil when too few bytes are left.
        func word(_ b: [UInt8], _ pos: Int) -> UInt64? {
            guard pos >= 0, pos + width <= b.count else { return nil }
            var v: UInt64 = 0
            for k in 0..<width {
                v = v << 8 | UInt64(b[pos + (bigEndian ? k : width - 1 - k)])
            }
            return v
        }
    }

    /// The header's reading: word layout, period (µs) and whether it is Java's.
    static func header(_ b: [UInt8]) -> (Words, UInt64, java: Bool)? {
        for w in Words.all {
            let h = (0..<5).map { w.word(b, $0 * w.width) }
            guard let n5 = h[4], let n1 = h[0], let n2 = h[1], let n3 = h[2], let n4 = h[3] else { continue }
            if n1 == 0 && n2 == 3 && n4 > 0 && n5 == 0 && (n3 == 0 || n3 == 1) { return (w, n4, n3 == 1) }
        }
        return nil
    }

    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
        guard let (w, periodMicros, java) = header(bytes) else {
            return .unrecognized("no gperftools CPU profile header (words 0, 3, 0 or 1, period, 0)")
        }
        let period = Int64(bitPattern: periodMicros) &* 1000
        var p = LegacyProfile(
            sampleTypes: [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")],
            periodType: ValueType(type: "cpu", unit: "nanoseconds"), period: period)
        let trailer: ArraySlice<UInt8>
        switch samples(bytes, from: 5 * w.width, w, adjust: !java, into: &p) {
        case .failure(let why): return .unrecognized(why.message)
        case .success(let rest): trailer = rest
        }
        if java {
            try LegacyJavaReader.symbols(trailer, into: &p)
            LegacyJavaReader.dropAddresses(&p)
            return .profile(p)
        }
        stripHandlerFrames(&p)
        var lines = LegacyLines(Array(trailer))
        try LegacyMemoryMap.read(&lines, into: &p)
        LegacyThreadzReader.dropDuplicateLeaf(&p)
        return .profile(p)
    }

    /// pprof's `parseCPUSamples`: records until the trailer (or the end); what follows.
    /// With `adjust`, every address but the leaf moves back one byte onto its call.
    static func samples(
        _ b: [UInt8], from start: Int, _ w: Words, adjust: Bool, into p: inout LegacyProfile
    ) -> Result<ArraySlice<UInt8>, UnrecognizedRecord> {
        var pos = start
        var exhausted = false  // Go's nil slice: a read ran past the end
        func next() -> UInt64 {
            if exhausted { return 0 }
            guard let v = w.word(b, pos) else {
                exhausted = true
                return 0
            }
            pos += w.width
            return v
        }
        while !exhausted && pos < b.count {
            let at = pos
            let count = next()
            let depth = next()
            // pprof bounds the depth by a quarter of the bytes left, whatever the width.
            if exhausted || depth > UInt64((b.count - pos) / 4) {
                return .failure(UnrecognizedRecord(message: "a CPU profile record at byte \(at) runs past the end"))
            }
            var addrs: [UInt64] = []
            addrs.reserveCapacity(Int(depth))
            for _ in 0..<depth { addrs.append(next()) }
            if count == 0 && depth == 1 && addrs[0] == 0 { break }
            var locs: [Int] = []
            locs.reserveCapacity(addrs.count)
            for (i, a) in addrs.enumerated() { locs.append(p.location(adjust && i > 0 ? a &- 1 : a)) }
            let c = Int64(bitPattern: count)
            p.samples.append(.init(locations: locs, values: [c, c &* p.period]))
        }
        return .success(exhausted ? [] : b[pos...])
    }

    struct UnrecognizedRecord: Error {
        var message: String
    }

    /// pprof drops up to two frames that nearly every sample has right above the leaf:
    /// the signal handler's, pushed by the profiler (the leaf itself comes from the signal
    /// context and is right).
    static func stripHandlerFrames(_ p: inout LegacyProfile) {
        let margin = p.samples.count / 32
        for _ in 0..<2 {
            var seen: [UInt64: Int] = [:]
            for s in p.samples where s.locations.count > 1 {
                seen[p.locations[s.locations[1]].address, default: 0] += 1
            }
            // At most one address can be on all but `margin` samples once there are two.
            guard let (address, _) = seen.first(where: { $0.value >= p.samples.count - margin }) else { continue }
            for i in p.samples.indices {
                let l = p.samples[i].locations
                if l.count > 1 && p.locations[l[1]].address == address { p.samples[i].locations.remove(at: 1) }
            }
        }
    }
}
