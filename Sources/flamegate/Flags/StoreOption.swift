import FlamegateCore
import FlamegateStore

/// `--store sqlite:PATH | postgres://…` on every command that reads profiles: which store
/// `store:` selectors read. Taken out of the arguments here, once, rather than declared by
/// each of the thirty-odd commands that accept a PROFILE; the `store` commands and `bisect`
/// declare it themselves (StoreFlags) and keep it.
enum StoreOption {
    /// Commands whose own `--store` (StoreFlags) is left to ArgumentParser.
    static let ownedBy: Set<String> = ["store", "bisect"]

    /// Removes `--store X` / `--store=X` (also `-store`, pprof-style) from `arguments`, up to
    /// a `--`, and returns its value, checked (a bad one is an input error: exit 2).
    /// Runs before the pprof rewrite, so `-peek`/`-list` still see their own arguments.
    static func take(_ arguments: inout [String]) throws(InputError) -> String? {
        if let first = arguments.first, ownedBy.contains(first) { return nil }
        var spec: String? = nil
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { break }
            let bare = a.hasPrefix("--") ? a.dropFirst(2) : a.hasPrefix("-") ? a.dropFirst() : ""
            if bare == "store" {
                guard i + 1 < arguments.count else { throw missing }
                spec = arguments[i + 1]
                arguments.removeSubrange(i...(i + 1))
            } else if bare.hasPrefix("store=") {
                spec = String(bare.dropFirst("store=".count))
                arguments.remove(at: i)
            } else {
                i += 1
            }
        }
        guard let spec else { return nil }
        if spec.isEmpty { throw missing }
        _ = try StoreLocation.parse(spec)
        // `flamegate --store X store list`: the store commands read their own option.
        if let first = arguments.first, ownedBy.contains(first) {
            arguments += ["--store", spec]
            return nil
        }
        return spec
    }

    static let missing = InputError(source: "--store", "expected sqlite:PATH or postgres://user@host:port/db")
}
