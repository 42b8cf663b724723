import FlamegateCore
import Foundation

/// Where the profile store is: `--store`, else `FLAMEGATE_STORE`, else the SQLite file
/// `$XDG_DATA_HOME/flamegate/store.sqlite` (`~/.local/share/…` without XDG_DATA_HOME).
public enum StoreLocation: Sendable, Equatable {
    case sqlite(String)
    case postgres(String)

    /// The location named by `spec` (`sqlite:PATH`, `postgres://…`, or a path), else the
    /// environment's, else the default.
    public static func resolve(_ spec: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(InputError) -> StoreLocation
    {
        if let spec, !spec.isEmpty { return try parse(spec) }
        if let env = environment["FLAMEGATE_STORE"], !env.isEmpty { return try parse(env) }
        let data: String
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") {
            data = x
        } else if let home = environment["HOME"], !home.isEmpty {
            data = home + "/.local/share"
        } else {
            throw InputError(source: "store", "no store given and neither XDG_DATA_HOME nor HOME is set: pass --store")
        }
        return .sqlite(data + "/flamegate/store.sqlite")
    }

    /// `sqlite:PATH`, `postgres://…` (or `postgresql://…`), or a bare path (SQLite).
    public static func parse(_ spec: String) throws(InputError) -> StoreLocation {
        if spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") { return .postgres(spec) }
        if spec.hasPrefix("sqlite:") {
            let path = String(spec.dropFirst("sqlite:".count))
            if path.isEmpty { throw InputError(source: spec, "expected sqlite:PATH") }
            return .sqlite(path)
        }
        if spec.contains("://") {
            throw InputError(source: spec, "unknown store: expected sqlite:PATH or postgres://user@host:port/database")
        }
        return .sqlite(spec)
    }
}
