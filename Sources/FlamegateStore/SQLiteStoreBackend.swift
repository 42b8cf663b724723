import FlamegateCore
import Foundation
import GRDB

/// The default store: one SQLite file through GRDB, in WAL mode so that readers never
/// wait for a writer; writers take the lock at the start of their transaction
/// (`BEGIN IMMEDIATE`) and wait for each other up to 60 s.
final class SQLiteStoreBackend: StoreBackend {
    let name: String
    let pool: DatabasePool

    /// Opens (`create`: creates) the store at `path` and brings its schema up to date.
    init(path: String, create: Bool) throws(InputError) {
        name = path
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw InputError(
                    source: path, "no store here: add profiles with `flamegate store add` (or pass --store / FLAMEGATE_STORE)")
            }
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                } catch {
                    throw InputError(source: path, "cannot create the store's folder: \(error.localizedDescription)")
                }
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(60)
        config.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw InputError(source: path, "cannot open the store: \(Self.describe(error))")
        }
        var migrator = DatabaseMigrator()
        for v in StoreSchema.versions {
            migrator.registerMigration(v) { db in
                for s in StoreSchema.statements(v, postgres: false) { try db.execute(sql: s) }
            }
        }
        do {
            let (applied, complete) = try pool.read { db in
                (try migrator.appliedIdentifiers(db), try migrator.hasCompletedMigrations(db))
            }
            let unknown = applied.filter { !StoreSchema.versions.contains($0) }.sorted()
            if !unknown.isEmpty { throw SchemaTooNew(unknown: unknown) }
            // Only a store that lacks a version takes the write lock (a reader must not wait
            // for a writer's transaction, nor block one).
            if !complete {
                do {
                    try migrator.migrate(pool)
                } catch {
                    // Two first writers racing to create the schema: the loser finds it made.
                    try migrator.migrate(pool)
                }
            }
        } catch let e as SchemaTooNew {
            throw StoreSchema.newer(path, e.unknown)
        } catch {
            throw InputError(source: path, "not a flamegate store, or unreadable: \(Self.describe(error))")
        }
    }

    struct SchemaTooNew: Error {
        var unknown: [String]
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? e.description }
        return "\(error)"
    }

    struct Connection: StoreConnection {
        let db: Database

        func execute(_ sql: String, _ args: [StoreValue]) throws {
            try db.execute(sql: sql, arguments: StatementArguments(args.map(Self.value)))
        }

        func query(_ sql: String, _ args: [StoreValue]) throws -> [[StoreValue]] {
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args.map(Self.value)))
            return rows.map { row in
                (0..<row.count).map { i -> StoreValue in
                    switch (row[i] as DatabaseValue).storage {
                    case .null: return .null
                    case .int64(let v): return .int(v)
                    case .double(let v): return .int(Int64(v))
                    case .string(let s): return .text(s)
                    case .blob(let d): return .blob([UInt8](d))
                    }
                }
            }
        }

        static func value(_ v: StoreValue) -> DatabaseValue {
            switch v {
            case .null: return .null
            case .int(let i): return i.databaseValue
            case .text(let s): return s.databaseValue
            case .blob(let b): return Data(b).databaseValue
            }
        }
    }

    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try pool.unsafeReentrantRead { db in try body(Connection(db: db)) }
    }

    func write<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(Connection(db: db))
                return .commit
            }
            // Move the committed pages into the database and empty the WAL: SQLite never
            // shrinks it by itself, and every process that opens the store reads its whole
            // index (measured: 1.8 s per `store list` with a 2.6 GB WAL left by 2,600 adds
            // of 1 MB). Busy readers may keep it from finishing; the next write retries.
            try? db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return result!
        }
    }

    func close() { try? pool.close() }
}
