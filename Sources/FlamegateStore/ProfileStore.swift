import FlamegateCore
import Foundation

/// A profile history: profiles with labels, stored once per content, in SQLite or
/// PostgreSQL (same schema, same queries). Every function throws `InputError` (exit 2).
public final class ProfileStore {
    let backend: any StoreBackend
    /// How errors name the store.
    public var name: String { backend.name }

    init(backend: any StoreBackend) { self.backend = backend }

    /// Opens the store at `location`; `create` makes a missing SQLite file (writers do,
    /// readers refuse a store that isn't there).
    public static func open(_ location: StoreLocation, create: Bool = false) throws(InputError) -> ProfileStore {
        switch location {
        case .sqlite(let path): return ProfileStore(backend: try SQLiteStoreBackend(path: path, create: create))
        case .postgres(let url): return ProfileStore(backend: try PostgresStoreBackend(url: url))
        }
    }

    deinit { backend.close() }

    func failing<T>(_ what: String, _ body: () throws -> T) throws(InputError) -> T {
        do {
            return try body()
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(source: name, "\(what) failed: \(describe(error))")
        }
    }

    func describe(_ error: any Error) -> String {
        if backend is SQLiteStoreBackend { return SQLiteStoreBackend.describe(error) }
        return PostgresStoreBackend.describe(error)
    }

    /// Labels as stored in `label_set`: sorted by key, `k=v` joined by newlines (keys and
    /// values have none), so equal label sets are equal strings.
    static func labelSet(_ labels: [(key: String, value: String)]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }

    /// Checks a label: key of letters, digits, `_.-/`; value without commas or newlines
    /// (selectors separate with commas).
    public static func checkLabel(_ key: String, _ value: String, source: String) throws(InputError) {
        let keyOK = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-/".unicodeScalars.contains($0)
        }
        if !keyOK { throw InputError(source: source, "label key '\(key)': expected letters, digits, _ . - /") }
        if StoreSelector.reserved.contains(key) {
            throw InputError(source: source, "label key '\(key)' is a selector word (\(StoreSelector.reserved.sorted().joined(separator: ", "))): choose another")
        }
        if value.contains(",") || value.contains("\n") || value.isEmpty {
            throw InputError(source: source, "label \(key)='\(value)': expected a non-empty value without commas or newlines")
        }
    }

    /// A profile to add: its bytes as given (stored exactly so) and where they came from.
    public struct Input: Sendable {
        public var source: String
        public var bytes: [UInt8]
        public init(source: String, bytes: [UInt8]) { (self.source, self.bytes) = (source, bytes) }
    }

    /// Adds `inputs` with `labels`, all in one transaction. Each input must read as a
    /// profile (it is decoded for its time, duration and sample types first). Content
    /// already stored is not stored again; the same content with the same labels is the
    /// same entry (reported as not added).
    public func add(_ inputs: [Input], labels: [(key: String, value: String)]) throws(InputError) -> [StoreAddResult] {
        for l in labels { try Self.checkLabel(l.key, l.value, source: "--label \(l.key)=\(l.value)") }
        var seen = Set<String>()
        for l in labels where !seen.insert(l.key).inserted {
            throw InputError(source: "--label \(l.key)", "label given twice")
        }
        struct Prepared {
            var input: Input
            var hash: String
            var time: Int64, duration: Int64, types: String
        }
        var prepared: [Prepared] = []
        for input in inputs {
            let bytes = input.bytes
            let p = try FormatRegistry.read(input.source, opener: InputOpener { _ in bytes })
            prepared.append(
                Prepared(
                    input: input, hash: SHA256.hex(bytes), time: p.timeNanos, duration: p.durationNanos,
                    types: p.sampleTypes.map(\.description).joined(separator: ",")))
        }
        let set = Self.labelSet(labels)
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        // A test hook: stop inside the open transaction so a test can kill the process there.
        let pauseAfter = ProcessInfo.processInfo.environment["FLAMEGATE_STORE_TEST_PAUSE_AFTER"].flatMap { Int($0) }
        return try failing("adding") {
            try backend.write { c in
                var results: [StoreAddResult] = []
                for (n, p) in prepared.enumerated() {
                    if n == pauseAfter {
                        FileHandle.standardError.write(Data("paused inside the transaction\n".utf8))
                        sleep(600)
                    }
                    try c.execute(
                        "INSERT INTO blobs (hash, size, data) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                        [.text(p.hash), .int(Int64(p.input.bytes.count)), .blob(p.input.bytes)])
                    let at = p.time != 0 ? p.time : now
                    let rows = try c.query(
                        """
                        INSERT INTO profiles (hash, label_set, added_ns, time_ns, duration_ns, at_ns, sample_types, source)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash, label_set) DO NOTHING RETURNING id
                        """,
                        [
                            .text(p.hash), .text(set), .int(now), .int(p.time), .int(p.duration), .int(at), .text(p.types),
                            .text(p.input.source),
                        ])
                    if let id = rows.first?[0].int {
                        for l in labels {
                            try c.execute(
                                "INSERT INTO labels (profile_id, key, value) VALUES (?, ?, ?)",
                                [.int(id), .text(l.key), .text(l.value)])
                        }
                        results.append(StoreAddResult(source: p.input.source, id: id, added: true, hash: p.hash))
                    } else {
                        let existing = try c.query(
                            "SELECT id FROM profiles WHERE hash = ? AND label_set = ?", [.text(p.hash), .text(set)])
                        guard let id = existing.first?[0].int else {
                            throw InputError(source: name, "\(p.input.source): stored and not found again")
                        }
                        results.append(StoreAddResult(source: p.input.source, id: id, added: false, hash: p.hash))
                    }
                }
                return results
            }
        }
    }

    static let columns = "p.id, p.hash, b.size, p.added_ns, p.time_ns, p.duration_ns, p.at_ns, p.sample_types, p.source"

    /// The profiles `filter` selects, oldest first (store order: time, then id).
    public func list(_ filter: StoreFilter) throws(InputError) -> [StoredProfile] {
        var sql = "SELECT \(Self.columns) FROM profiles p JOIN blobs b ON b.hash = p.hash"
        var conds: [String] = []
        var args: [StoreValue] = []
        for l in filter.labels {
            conds.append("p.id IN (SELECT profile_id FROM labels WHERE key = ? AND value = ?)")
            args += [.text(l.key), .text(l.value)]
        }
        if let since = filter.sinceNanos {
            conds.append("p.at_ns >= ?")
            args.append(.int(since))
        }
        if let ids = filter.ids {
            if ids.isEmpty { return [] }
            conds.append("p.id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))")
            args += ids.map { .int($0) }
        }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        if let last = filter.last {
            sql += " ORDER BY p.at_ns DESC, p.id DESC LIMIT ?"
            args.append(.int(Int64(last)))
        } else {
            sql += " ORDER BY p.at_ns, p.id"
        }
        return try failing("listing") {
            try backend.read { c in
                var out = try c.query(sql, args).map(Self.row)
                if filter.last != nil { out.reverse() }
                if out.isEmpty { return out }
                // Labels of the selected profiles, in one query.
                let ids = out.map(\.id)
                let labelRows = try c.query(
                    "SELECT profile_id, key, value FROM labels WHERE profile_id IN (\(ids.map { _ in "?" }.joined(separator: ", "))) ORDER BY profile_id, key",
                    ids.map { .int($0) })
                var byID: [Int64: [(key: String, value: String)]] = [:]
                for r in labelRows { byID[r[0].int ?? 0, default: []].append((r[1].text ?? "", r[2].text ?? "")) }
                for i in out.indices { out[i].labels = byID[out[i].id] ?? [] }
                return out
            }
        }
    }

    static func row(_ r: [StoreValue]) -> StoredProfile {
        StoredProfile(
            id: r[0].int ?? 0, hash: r[1].text ?? "", size: r[2].int ?? 0, labels: [], addedNanos: r[3].int ?? 0,
            timeNanos: r[4].int ?? 0, durationNanos: r[5].int ?? 0, atNanos: r[6].int ?? 0,
            sampleTypes: (r[7].text ?? "").split(separator: ",").map(String.init), source: r[8].text ?? "")
    }

    /// The stored bytes of profile `id`, checked against their SHA-256: a blob that changed
    /// on disk is an error (exit 2), never a profile silently different from the one stored.
    public func bytes(_ id: Int64) throws(InputError) -> [UInt8] {
        let rows = try failing("reading profile \(id)") {
            try backend.read { c in
                try c.query("SELECT b.hash, b.data FROM profiles p JOIN blobs b ON b.hash = p.hash WHERE p.id = ?", [.int(id)])
            }
        }
        guard let r = rows.first else { throw InputError(source: name, "no stored profile with id \(id)") }
        let bytes = r[1].blob ?? []
        let hash = r[0].text ?? ""
        let actual = SHA256.hex(bytes)
        if actual != hash {
            throw InputError(
                source: name,
                "stored profile \(id) is corrupt: its content's SHA-256 is \(actual.prefix(12))…, expected \(hash.prefix(12))… (the store was changed outside flamegate)"
            )
        }
        return bytes
    }

    /// Removes profiles by id (content no other profile uses goes too); an unknown id is an
    /// error and nothing is removed.
    public func remove(_ ids: [Int64]) throws(InputError) {
        try failing("removing") {
            try backend.write { c in
                for id in ids {
                    if try c.query("SELECT id FROM profiles WHERE id = ?", [.int(id)]).isEmpty {
                        throw InputError(source: name, "no stored profile with id \(id); nothing was removed")
                    }
                    try c.execute("DELETE FROM labels WHERE profile_id = ?", [.int(id)])
                    try c.execute("DELETE FROM profiles WHERE id = ?", [.int(id)])
                }
                try c.execute("DELETE FROM blobs WHERE hash NOT IN (SELECT hash FROM profiles)", [])
            }
        }
    }

    /// Keeps the newest `keep` profiles of each label set and removes the others; returns
    /// the removed ids.
    public func gc(keep: Int) throws(InputError) -> [Int64] {
        if keep < 0 { throw InputError(source: "--keep", "expected a count ≥ 0") }
        return try failing("gc") {
            try backend.write { c in
                let rows = try c.query("SELECT id, label_set FROM profiles ORDER BY at_ns DESC, id DESC", [])
                var seen: [String: Int] = [:]
                var drop: [Int64] = []
                for r in rows {
                    let set = r[1].text ?? ""
                    seen[set, default: 0] += 1
                    if seen[set]! > keep, let id = r[0].int { drop.append(id) }
                }
                for id in drop {
                    try c.execute("DELETE FROM labels WHERE profile_id = ?", [.int(id)])
                    try c.execute("DELETE FROM profiles WHERE id = ?", [.int(id)])
                }
                try c.execute("DELETE FROM blobs WHERE hash NOT IN (SELECT hash FROM profiles)", [])
                return drop.sorted()
            }
        }
    }
}
