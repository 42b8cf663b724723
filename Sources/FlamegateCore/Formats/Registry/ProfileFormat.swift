/// What an input holds, which decides who reads it: profiles go to the profile readers,
/// the rest to the gate's benchmark, escape and metric rules.
public enum InputKind: String, Sendable {
    case profile, bench, escape, metric
}

/// A format Flamegate recognises among its inputs.
public protocol InputFormat: Sendable {
    /// The name users see (`--to` values, messages).
    var name: String { get }
    /// What the format holds.
    var kind: InputKind { get }
    /// Whether (inflated) bytes are this format; only the first 64 KiB are passed.
    func sniff(_ head: UnsafeRawBufferPointer) -> Bool
}

/// How a profile is read: where it came from and what the reader may need.
public struct ProfileReadContext: Sendable {
    /// The file, URL or `-` the bytes came from, for messages.
    public var source: String
    /// Whether the bytes were gzip-compressed (offsets in messages are then of the inflated data).
    public var inflated = false
    /// How Swift names in `perf script` text are demangled.
    public var demangle: DemangleMode = .simplified
    /// Which profile a Go execution trace is read as (`--kind`: sched, sync, net, syscall); nil: none asked for.
    public var traceKind: String? = nil
    /// A context for bytes from `source`.
    public init(source: String, inflated: Bool = false, demangle: DemangleMode = .simplified, traceKind: String? = nil) {
        self.source = source
        self.inflated = inflated
        self.demangle = demangle
        self.traceKind = traceKind
    }
}

/// How a profile is written.
public struct ProfileWriteOptions: Sendable {
    /// Sample type by name or index (nil: the format's default — one type, or all it can hold).
    public var sampleIndex: String?
    /// A name for the profile inside the file (speedscope shows it).
    public var name = "profile"
    /// Compress where the format is usually compressed (pprof: gzip).
    public var compress = true
    /// pprof's defaults.
    public init(sampleIndex: String? = nil, name: String = "profile", compress: Bool = true) {
        self.sampleIndex = sampleIndex
        self.name = name
        self.compress = compress
    }
}

/// A profile format: sniff, read, and write where the format can be written.
public protocol ProfileFormat: InputFormat {
    /// Whether `read` is supported (speedscope, for one, is written only).
    var canRead: Bool { get }
    /// Whether `write` is supported.
    var canWrite: Bool { get }
    /// Decodes (inflated) bytes into the model.
    func read(_ bytes: UnsafeRawBufferPointer, context: ProfileReadContext) throws(InputError) -> Profile
    /// Encodes a profile, naming `source` in errors.
    func write(_ profile: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8]
}

extension ProfileFormat {
    /// Every profile format here is a profile.
    public var kind: InputKind { .profile }
    /// Readable unless the format says otherwise.
    public var canRead: Bool { true }
    /// Not writable unless the format says otherwise.
    public var canWrite: Bool { false }
    /// Default for formats that cannot be read: throws "… files cannot be read".
    public func read(_ bytes: UnsafeRawBufferPointer, context: ProfileReadContext) throws(InputError) -> Profile {
        throw InputError(source: context.source, "\(name) files cannot be read")
    }
    /// Default for formats that cannot be written: throws "… files cannot be written".
    public func write(_ profile: Profile, options: ProfileWriteOptions, source: String) throws(InputError) -> [UInt8] {
        throw InputError(source: source, "\(name) files cannot be written")
    }
}
