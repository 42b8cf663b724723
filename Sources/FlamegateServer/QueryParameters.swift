/// A request's query string, decoded, with pprof's web UI spellings folded into the CLI's:
/// `?si=alloc_space&f=main` and `?sample_index=alloc_space&focus=main` are the same request,
/// so a link copied from `go tool pprof -http` works here.
public struct QueryParameters: Sendable, Equatable {
    /// Decoded (name, value) pairs in the order given, names in their long form.
    public private(set) var pairs: [(String, String)]

    public static func == (a: QueryParameters, b: QueryParameters) -> Bool {
        a.pairs.elementsEqual(b.pairs) { $0 == $1 }
    }

    /// pprof's URL parameter names (its driver's `urlparam` table) and their long names.
    public static let shortNames: [String: String] = [
        "si": "sample_index", "f": "focus", "i": "ignore", "h": "hide", "s": "show", "sf": "show_from",
        "prunefrom": "prune_from", "tf": "tagfocus", "ti": "tagignore", "ts": "tagshow", "th": "taghide",
        "g": "granularity", "n": "nodecount", "nf": "nodefraction", "ef": "edgefraction",
        "rel":
            "relative_percentages", "dropneg": "drop_negative", "norm": "normalize", "calltree": "call_tree",
    ]

    /// Parses `query` (the part after `?`): `+` is a space, `%XX` a byte; names are folded
    /// to their long form (also `-` to `_`, so `sample-index` works as on the command line).
    public init(_ query: String) {
        pairs = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(kv[0]).replacingOccurrences(of: "-", with: "_")
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            pairs.append((Self.shortNames[name] ?? name, value))
        }
    }

    /// The last value given for `name` (long form); nil when absent. An empty value counts as
    /// absent for the filters, as pprof's web UI leaves `f=` in its links.
    public subscript(_ name: String) -> String? {
        guard let v = pairs.last(where: { $0.0 == name })?.1 else { return nil }
        return v
    }

    /// A non-empty value for `name`.
    public func nonEmpty(_ name: String) -> String? {
        guard let v = self[name], !v.isEmpty else { return nil }
        return v
    }

    /// A boolean flag: present with no value, `1`, `true` or `yes`.
    public func flag(_ name: String) -> Bool {
        guard let v = self[name] else { return false }
        return v.isEmpty || ["1", "true", "yes", "on"].contains(v.lowercased())
    }

    /// The request's identity for caching: names and values, sorted.
    public var cacheKey: String {
        pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { "\($0.0)=\($0.1)" }.joined(
            separator: "\u{0}")
    }

    static func decode(_ s: Substring) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == UInt8(ascii: "+") {
                out.append(0x20)
            } else if c == UInt8(ascii: "%"), it.count >= 2, let h = hex(it[it.startIndex]),
                let l = hex(it[it.startIndex + 1])
            {
                out.append(h << 4 | l)
                it = it.dropFirst(2)
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
