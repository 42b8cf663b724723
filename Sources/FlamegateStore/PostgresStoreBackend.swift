import FlamegateCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A shared store in PostgreSQL, through postgres-nio's EventLoopFuture interface. Each
/// call waits (`wait()`) for a future that SwiftNIO's own event-loop thread completes, so
/// nothing here needs a free thread of Swift's cooperative pool: a synchronous bridge over
/// a Task would deadlock there (every pool thread blocked waiting for a task that needs one).
final class PostgresStoreBackend: StoreBackend {
    let name: String
    let connection: PostgresConnection
    let logger = Logger(label: "flamegate.store")

    /// Connects to `url` (postgres://user[:password]@host[:port]/database) and brings the
    /// schema up to date.
    init(url: String) throws(InputError) {
        let parsed = try Self.parse(url)
        name = parsed.display
        var config = PostgresConnection.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
            database: parsed.database, tls: .disable)
        config.options.connectTimeout = .seconds(10)
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: config, id: 1, logger: logger
            ).wait()
        } catch {
            throw InputError(source: parsed.display, "cannot connect: \(Self.describe(error))")
        }
        do {
            try migrate()
        } catch let e as InputError {
            close()
            throw e
        } catch {
            close()
            throw InputError(source: name, "cannot set up the store's tables: \(Self.describe(error))")
        }
    }

    /// The versions table is flamegate's own (postgres-nio has no migrator); one
    /// transaction holding an advisory lock, so two first writers don't both create tables.
    func migrate() throws {
        try write { c in
            try c.execute("SELECT pg_advisory_xact_lock(2126021)", [])
            try c.execute("CREATE TABLE IF NOT EXISTS flamegate_migrations (identifier TEXT PRIMARY KEY NOT NULL)", [])
            let applied = try c.query("SELECT identifier FROM flamegate_migrations", []).compactMap { $0[0].text }
            let unknown = applied.filter { !StoreSchema.versions.contains($0) }.sorted()
            if !unknown.isEmpty { throw StoreSchema.newer(name, unknown) }
            for v in StoreSchema.versions where !applied.contains(v) {
                for s in StoreSchema.statements(v, postgres: true) { try c.execute(s, []) }
                try c.execute("INSERT INTO flamegate_migrations (identifier) VALUES (?)", [.text(v)])
            }
        }
    }

    struct URLParts {
        var user: String
        var password: String?
        var host: String
        var port: Int
        var database: String?
        var display: String
    }

    /// postgres://user[:password]@host[:port][/database]; the password never shows in errors.
    static func parse(_ url: String) throws(InputError) -> URLParts {
        guard let u = URLComponents(string: url), u.scheme == "postgres" || u.scheme == "postgresql",
            let host = u.host, !host.isEmpty
        else {
            throw InputError(source: url, "not a PostgreSQL URL: expected postgres://user@host:port/database")
        }
        let user = u.user ?? "postgres"
        let port = u.port ?? 5432
        let db = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
        let display = "postgres://\(user)@\(host):\(port)/\(db)"
        return URLParts(
            user: user, password: u.password, host: host, port: port, database: db.isEmpty ? nil : db, display: display)
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return m }
            return "\(e.code)" + (e.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }

    struct Connection: StoreConnection {
        let backend: PostgresStoreBackend

        /// `?` placeholders numbered as PostgreSQL wants them ($1, $2…); the queries have no
        /// `?` inside string literals.
        static func numbered(_ sql: String) -> String {
            var out = ""
            var n = 0
            for ch in sql {
                if ch == "?" {
                    n += 1
                    out += "$\(n)"
                } else {
                    out.append(ch)
                }
            }
            return out
        }

        func run(_ sql: String, _ args: [StoreValue]) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: args.count)
            for a in args {
                switch a {
                case .null: binds.appendNull()
                case .int(let v): binds.append(v, context: .default)
                case .text(let s): binds.append(s, context: .default)
                case .blob(let b): binds.append(ByteBuffer(bytes: b), context: .default)
                }
            }
            let q = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds)
            return try backend.connection.query(q, logger: backend.logger).wait()
        }

        func execute(_ sql: String, _ args: [StoreValue]) throws {
            _ = try run(sql, args)
        }

        func query(_ sql: String, _ args: [StoreValue]) throws -> [[StoreValue]] {
            try run(sql, args).map { row in
                try row.map { cell -> StoreValue in
                    guard cell.bytes != nil else { return .null }
                    switch cell.dataType {
                    case .int8, .int4, .int2: return .int(try cell.decode(Int64.self))
                    case .bytea:
                        var b = try cell.decode(ByteBuffer.self)
                        return .blob(b.readBytes(length: b.readableBytes) ?? [])
                    default: return .text(try cell.decode(String.self))
                    }
                }
            }
        }
    }

    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try body(Connection(backend: self))
    }

    func write<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        let c = Connection(backend: self)
        try c.execute("BEGIN", [])
        do {
            let r = try body(c)
            try c.execute("COMMIT", [])
            return r
        } catch {
            try? c.execute("ROLLBACK", [])
            throw error
        }
    }

    func close() { try? connection.close().wait() }
}
