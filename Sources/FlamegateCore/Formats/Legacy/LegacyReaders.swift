/// pprof's `parseLegacy`: its legacy parsers in its order — gperftools' binary CPU
/// profile, heap (tcmalloc, Go), Go's count profiles, threadz, contention (C++, Go),
/// Java — the first that recognises the input reads it; then the frames pprof drops for
/// that kind of profile, and pprof's validity check.
enum LegacyReaders {
    /// The profile, or the reason each parser gave for not recognising the input.
    static func read(_ bytes: [UInt8]) throws(LegacyFailure) -> Result<Profile, UnrecognizedInput> {
        var reasons: [String] = []
        for reader in Reader.allCases {
            switch try reader.read(bytes) {
            case .profile(var p):
                p.addFrameInfo()
                try p.checkValid()
                return .success(p.profile())
            case .unrecognized(let why):
                reasons.append(why)
            }
        }
        return .failure(UnrecognizedInput(reasons: reasons))
    }

    /// pprof's parsers, in the order it tries them.
    enum Reader: CaseIterable {
        case cpu, heap, count, threadz, contention, java

        func read(_ bytes: [UInt8]) throws(LegacyFailure) -> LegacyOutcome {
            switch self {
            case .cpu: try LegacyCPUReader.read(bytes)
            case .heap: try LegacyHeapReader.read(bytes)
            case .count: try LegacyCountReader.read(bytes)
            case .threadz: try LegacyThreadzReader.read(bytes)
            case .contention: try LegacyContentionReader.read(bytes)
            case .java: try LegacyJavaReader.read(bytes)
            }
        }
    }

    /// No parser recognised the input (pprof: "unrecognized profile format").
    struct UnrecognizedInput: Error {
        /// One reason per parser, in `read`'s order.
        var reasons: [String]
    }

    /// pprof's `parseAdditionalSections`: skip to a memory-map sentinel, read the map.
    static func additionalSections(_ s: inout LegacyLines, _ p: inout LegacyProfile) throws(LegacyFailure) {
        while !LegacyMemoryMap.isSentinel(s.text) {
            if !(try s.scan()) { break }
        }
        try LegacyMemoryMap.read(&s, into: &p)
    }
}
