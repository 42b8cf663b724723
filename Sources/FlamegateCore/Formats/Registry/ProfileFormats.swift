// The profile formats the registry lists. Each adapts its reader/writer (which live with
// the format: Pprof/, Perf/, Folded.swift, GoroutineDump.swift, Speedscope.swift).

/// pprof protobuf (gzip or raw): binary, the one format with NUL bytes.
public struct PprofFormat: ProfileFormat {
    /// The `--to pprof` name.
    public var name: String { "pprof" }
    /// pprof is written (gzip unless `compress` is off).
    public var canWrite: Bool { true }
    /// The pprof format.
    public init() {}
    /// Any binary head: text (no NUL bytes, few control bytes) is never pprof.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { !head.isEmpty && !FormatDetector.isText(head) }
    /// Decodes raw or inflated protobuf with pprof's validity checks.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try ProfileInput.decodePprof(bytes, source: c.source, inflated: c.inflated)
    }
    /// Encodes protobuf, gzipped when `options.compress`; every sample type is kept.
    public func write(_ p: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        options.compress ? PprofEncoder.encodeGzip(p) : PprofEncoder.encode(p)
    }
}

/// Go's text goroutine dump (`/debug/pprof/goroutine?debug=2`), grouped by stack and state.
public struct GoroutineDumpFormat: ProfileFormat {
    /// The name in messages.
    public var name: String { "goroutine dump" }
    /// The goroutine dump format.
    public init() {}
    /// A first line like `goroutine 1 [running]:`.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { GoroutineDump.recognizes(head) }
    /// Groups goroutines by stack, wait state, wait minutes and creator; values count goroutines.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try GoroutineDump.profile(bytes, source: c.source)
    }
}

/// `perf script` text, folded as stackcollapse-perf.pl folds it.
public struct PerfScriptFormat: ProfileFormat {
    /// The name in messages.
    public var name: String { "perf script" }
    /// The perf script format.
    public init() {}
    /// Text whose first meaningful line is a perf header, event or frame line, not a folded stack.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        FormatDetector.isText(head) && FormatDetector.stackText(head) == .perfScript
    }
    /// Folds the text as stackcollapse-perf.pl does, then builds a profile of the stacks.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try StackProfile.profile(fromPerfScript: bytes, source: c.source, demangle: c.demangle)
    }
}

/// Folded stacks (`frame;frame count`, or two counts as difffolded.pl writes them).
public struct FoldedFormat: ProfileFormat {
    /// The `--to folded` name.
    public var name: String { "folded" }
    /// Folded stacks are written too.
    public var canWrite: Bool { true }
    /// The folded format.
    public init() {}
    /// Text whose first meaningful line looks like `frame;frame count`.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        FormatDetector.isText(head) && FormatDetector.stackText(head) == .folded
    }
    /// One count column gives `samples`; two (difffolded.pl) give `base` and `cand` sample types.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        StackProfile.profile(fromFolded: try FoldedStacks.read(bytes, source: c.source))
    }
    /// One sample type (the named one, else the profile's default), sorted byte-wise.
    public func write(_ p: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        let si = try ProfileLoader.sampleIndex(p, options.sampleIndex, source: source)
        // Decimal counts (unit count/10^k) are written back with their decimals.
        let digits = StackProfile.foldedFractionDigits(unit: p.sampleTypes[si].unit) ?? 0
        return FoldedStacks.write(StackProfile.folded(p, sampleIndex: si), fractionDigits: digits)
    }
}

/// speedscope's JSON file format, written and read back.
public struct SpeedscopeFormat: ProfileFormat {
    /// The `--to speedscope` name.
    public var name: String { "speedscope" }
    /// Written with one profile per sample type.
    public var canWrite: Bool { true }
    /// The speedscope format.
    public init() {}
    /// JSON naming speedscope's `$schema`.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { Speedscope.recognizes(head) }
    /// One sample type per speedscope profile, equal stacks merged.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try Speedscope.decode(bytes, source: c.source)
    }
    /// One sampled profile per sample type, or only the named one.
    public func write(_ p: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        let si = try options.sampleIndex.map { name throws(InputError) in
            try ProfileLoader.sampleIndex(p, name, source: source)
        }
        return Speedscope.encode(p, name: options.name, sampleIndex: si)
    }
}
