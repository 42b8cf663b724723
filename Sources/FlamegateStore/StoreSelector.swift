import FlamegateCore
import Foundation

/// `store:branch=main,service=pay,last=5`: stored profiles as an input. Words other than
/// `last`, `since` and `id` are labels (`commit=…` is the label `commit`).
public struct StoreSelector: Sendable {
    /// Words that are not labels.
    public static let reserved: Set<String> = ["last", "since", "id"]
    public static let prefix = "store:"

    public var filter = StoreFilter()
    /// The selector as typed.
    public var text: String

    /// Parses `store:k=v,…`; `now` anchors relative `since=` values.
    public static func parse(_ text: String, now: Date = Date()) throws(InputError) -> StoreSelector {
        guard text.hasPrefix(prefix) else { throw InputError(source: text, "expected store:KEY=VALUE,…") }
        var s = StoreSelector(text: text)
        let body = text.dropFirst(prefix.count)
        if body.isEmpty { return s }
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let eq = part.firstIndex(of: "="), eq != part.startIndex else {
                throw InputError(source: text, "'\(part)': expected KEY=VALUE (a label, last=N, since=TIME or id=N)")
            }
            let key = String(part[..<eq])
            let value = String(part[part.index(after: eq)...])
            switch key {
            case "last":
                guard let n = Int(value), n > 0 else { throw InputError(source: text, "last=\(value): expected a count > 0") }
                s.filter.last = n
            case "id":
                guard let n = Int64(value) else { throw InputError(source: text, "id=\(value): expected a stored profile's id") }
                s.filter.ids = (s.filter.ids ?? []) + [n]
            case "since":
                s.filter.sinceNanos = try since(value, now: now, source: text)
            default:
                try ProfileStore.checkLabel(key, value, source: text)
                if s.filter.labels.contains(where: { $0.key == key }) {
                    throw InputError(source: text, "label \(key) given twice")
                }
                s.filter.labels.append((key, value))
            }
        }
        return s
    }

    /// `since=`: a date (2026-12-01), a time (2026-12-01T10:00:00Z), Unix seconds, or an
    /// age (`90m`, `24h`, `7d`) before `now`.
    static func since(_ v: String, now: Date, source: String) throws(InputError) -> Int64 {
        if let last = v.last, "mhdw".contains(last), let n = Double(v.dropLast()), n >= 0 {
            let unit: Double = ["m": 60, "h": 3600, "d": 86400, "w": 604800][String(last)]!
            return Int64((now.timeIntervalSince1970 - n * unit) * 1e9)
        }
        if let secs = Int64(v) { return secs * 1_000_000_000 }
        let f = ISO8601DateFormatter()
        if let d = f.date(from: v) { return Int64(d.timeIntervalSince1970 * 1e9) }
        f.formatOptions = [.withFullDate]
        if let d = f.date(from: v) { return Int64(d.timeIntervalSince1970 * 1e9) }
        throw InputError(
            source: source, "since=\(v): expected a date (2026-12-01), a time (2026-12-01T10:00:00Z), Unix seconds or an age (24h, 7d)")
    }
}

/// `store:` names for Core's `InputSources`: a selector expands into `store:id=N`, one
/// per matching profile, oldest first. The store is `--store`'s, else `FLAMEGATE_STORE`'s,
/// else the default, opened once per process.
public final class StoreInputSource: InputSource, @unchecked Sendable {
    let location: @Sendable () throws(InputError) -> StoreLocation
    let lock = NSLock()
    var store: ProfileStore?

    /// A source over the store `location` names (asked when a selector is first read).
    public init(location: @escaping @Sendable () throws(InputError) -> StoreLocation = { () throws(InputError) in try StoreLocation.resolve(nil) }) {
        self.location = location
    }

    /// Registers a source with Core over the store `spec` names (`--store`), else the
    /// environment's.
    public static func register(store spec: String? = nil) {
        InputSources.register(StoreInputSource(location: { () throws(InputError) in try StoreLocation.resolve(spec) }))
    }

    func opened() throws(InputError) -> ProfileStore {
        lock.lock()
        defer { lock.unlock() }
        if let store { return store }
        let s = try ProfileStore.open(try location())
        store = s
        return s
    }

    public func claims(_ path: String) -> Bool { path.hasPrefix(StoreSelector.prefix) }

    /// The stored profiles a selector matches (an error when none does).
    public func profiles(_ path: String) throws(InputError) -> [StoredProfile] {
        let sel = try StoreSelector.parse(path)
        let store = try opened()
        let found = try store.list(sel.filter)
        if found.isEmpty { throw InputError(source: path, "matches no stored profile in \(store.name)") }
        return found
    }

    public func expand(_ path: String) throws(InputError) -> [String] {
        try profiles(path).map { "store:id=\($0.id)" }
    }

    public func open(_ path: String) throws(InputError) -> [UInt8] {
        let found = try profiles(path)
        if found.count > 1 {
            throw InputError(
                source: path,
                "matches \(found.count) stored profiles where one is read: add last=1 or id=N (reports merge several; this input takes one)")
        }
        return try opened().bytes(found[0].id)
    }
}
