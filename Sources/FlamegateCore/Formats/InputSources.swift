import Synchronization

/// An input name that is not a file: a front end (the CLI registers the profile store's
/// `store:` selectors) teaches Core what such names stand for, so Core opens them without
/// importing the layer that serves them.
public protocol InputSource: Sendable {
    /// Whether `path` is one of this source's names (e.g. it starts with `store:`).
    func claims(_ path: String) -> Bool
    /// The single inputs `path` stands for, in order (a selector may match several
    /// profiles; each is then opened on its own). Throws when it matches none.
    func expand(_ path: String) throws(InputError) -> [String]
    /// The bytes of one input `expand` returned (or of a name that matches one).
    func open(_ path: String) throws(InputError) -> [UInt8]
}

/// The registered `InputSource`s. `ProfileInput.readBytes` asks them first; the loaders
/// expand names into single inputs (merged as pprof merges several; the gate's repeated runs).
public enum InputSources {
    private static let sources = Mutex<[any InputSource]>([])

    /// Adds a source (a front end does this once, before reading inputs).
    public static func register(_ source: any InputSource) {
        sources.withLock { $0.append(source) }
    }

    static func source(for path: String) -> (any InputSource)? {
        sources.withLock { $0.first { $0.claims(path) } }
    }

    /// `paths` with every registered name replaced by the single inputs it stands for.
    public static func expand(_ paths: [String]) throws(InputError) -> [String] {
        var out: [String] = []
        for p in paths {
            if let s = source(for: p) { out += try s.expand(p) } else { out.append(p) }
        }
        return out
    }

    /// The bytes of a registered name; nil for a name no source claims (a file).
    public static func open(_ path: String) throws(InputError) -> [UInt8]? {
        guard let s = source(for: path) else { return nil }
        return try s.open(path)
    }
}
