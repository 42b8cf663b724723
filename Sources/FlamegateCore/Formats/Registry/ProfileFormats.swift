// The profile formats the registry lists. Each adapts its reader/writer (which live with
// the format: Pprof/, Perf/, Folded.swift, GoroutineDump.swift, Speedscope.swift).

/// pprof protobuf (gzip or raw): binary, the one format with NUL bytes.
public struct PprofFormat: ProfileFormat {
    public var name: String { "pprof" }
    public var canWrite: Bool { true }
    public init() {}
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { !head.isEmpty && !FormatDetector.isText(head) }
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try ProfileInput.decodePprof(bytes, source: c.source, inflated: c.inflated)
    }
    public func write(_ p: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        options.compress ? PprofEncoder.encodeGzip(p) : PprofEncoder.encode(p)
    }
}

/// Go's text goroutine dump (`/debug/pprof/goroutine?debug=2`), grouped by stack and state.
public struct GoroutineDumpFormat: ProfileFormat {
    public var name: String { "goroutine dump" }
    public init() {}
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { GoroutineDump.recognizes(head) }
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try GoroutineDump.profile(bytes, source: c.source)
    }
}

/// `perf script` text, folded as stackcollapse-perf.pl folds it.
public struct PerfScriptFormat: ProfileFormat {
    public var name: String { "perf script" }
    public init() {}
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        FormatDetector.isText(head) && FormatDetector.stackText(head) == .perfScript
    }
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        try StackProfile.profile(fromPerfScript: bytes, source: c.source, demangle: c.demangle)
    }
}

/// Folded stacks (`frame;frame count`, or two counts as difffolded.pl writes them).
public struct FoldedFormat: ProfileFormat {
    public var name: String { "folded" }
    public var canWrite: Bool { true }
    public init() {}
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        FormatDetector.isText(head) && FormatDetector.stackText(head) == .folded
    }
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        StackProfile.profile(fromFolded: try FoldedStacks.read(bytes, source: c.source))
    }
    /// One sample type (the named one, else the profile's default), sorted byte-wise.
    public func write(_ p: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        let si = try ProfileLoader.sampleIndex(p, options.sampleIndex, source: source)
        return FoldedStacks.write(StackProfile.folded(p, sampleIndex: si))
    }
}

/// speedscope's JSON file format: written, not read.
public struct SpeedscopeFormat: ProfileFormat {
    public var name: String { "speedscope" }
    public var canRead: Bool { false }
    public var canWrite: Bool { true }
    public init() {}
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { false }
    /// One sampled profile per sample type, or only the named one.
    public func write(_ p: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        let si = try options.sampleIndex.map { name throws(InputError) in
            try ProfileLoader.sampleIndex(p, name, source: source)
        }
        return Speedscope.encode(p, name: options.name, sampleIndex: si)
    }
}
