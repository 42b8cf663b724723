import FlamegateTestSupport
import Foundation
import GRDB
import Testing

/// The two backends every store test runs against. PostgreSQL runs when
/// FLAMEGATE_TEST_POSTGRES names a server (postgres://user@host:port/db: `.ci/postgres.sh`
/// starts one); without it those cases print that they were skipped and pass.
enum StoreBackendKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    static let postgresURL: String? = {
        let v = ProcessInfo.processInfo.environment["FLAMEGATE_TEST_POSTGRES"] ?? ""
        return v.isEmpty ? nil : v
    }()

    /// A new, empty store for one test: a SQLite file in a temporary folder, or a new
    /// database on the test server (created with psql). nil: skipped (says so).
    func freshStore(_ test: String) throws -> TestStore? {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "flamegate-store-\(getpid())-\(test)-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return TestStore(kind: self, spec: "sqlite:" + dir.appendingPathComponent("store.sqlite").path, dir: dir.path)
        case .postgres:
            guard let base = Self.postgresURL else {
                print("skipped: \(test) on PostgreSQL (set FLAMEGATE_TEST_POSTGRES, e.g. by .ci/postgres.sh)")
                return nil
            }
            let db = "fg_\(test.lowercased().filter { $0.isLetter || $0.isNumber })_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
            let r = try TimedRun.run("/usr/bin/env", ["psql", base, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(db)"])
            try #require(r.status == 0, "psql CREATE DATABASE: \(r.stderr)")
            var u = URLComponents(string: base)!
            u.path = "/" + db
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-store-\(getpid())-\(db)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return TestStore(kind: self, spec: u.string!, dir: dir.path)
        }
    }
}

/// One test's store and how to run the CLI against it.
struct TestStore: Sendable {
    var kind: StoreBackendKind
    /// `sqlite:PATH` or the PostgreSQL URL.
    var spec: String
    /// A scratch folder for the test's files.
    var dir: String

    /// `flamegate ARGS` with FLAMEGATE_STORE set to this store (killed after 60 s).
    func run(_ args: [String], environment: [String: String] = [:]) throws -> TimedRun.Result {
        var env = environment
        env["FLAMEGATE_STORE"] = spec
        return try TimedRun.run(Fixtures.binary, args, environment: env)
    }

    /// SQL run on the store directly (to damage it as a crash or a person could).
    func sql(_ statement: String) throws {
        switch kind {
        case .sqlite:
            let q = try DatabaseQueue(path: String(spec.dropFirst("sqlite:".count)))
            try q.writeWithoutTransaction { db in try db.execute(sql: statement) }
        case .postgres:
            let r = try TimedRun.run("/usr/bin/env", ["psql", spec, "-v", "ON_ERROR_STOP=1", "-qc", statement])
            try #require(r.status == 0, "psql: \(r.stderr)")
        }
    }

    /// The store's rows as `store list --format json` gives them.
    func list(_ labels: [String] = []) throws -> [[String: Any]] {
        let r = try run(["store", "list", "--format", "json"] + labels.flatMap { ["--label", $0] })
        try #require(r.status == 0, "store list: \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
    }
}

/// Runs a program with a time limit: a hang becomes a failed test with the program
/// killed, never a CI run that blocks.
enum TimedRun {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
        var timedOut: Bool
    }

    struct TimedOut: Error, CustomStringConvertible {
        var command: String
        var description: String { "\(command): still running after the time limit; killed" }
    }

    static func run(
        _ program: String, _ args: [String], environment extra: [String: String] = [:], timeout: Double = 60
    ) throws -> Result {
        let p = try start(program, args, environment: extra)
        let deadline = Date().addingTimeInterval(timeout)
        while p.process.isRunning && Date() < deadline { usleep(10_000) }
        var timedOut = false
        if p.process.isRunning {
            kill(p.process.processIdentifier, SIGKILL)
            timedOut = true
        }
        p.process.waitUntilExit()
        let r = p.result(timedOut: timedOut)
        if timedOut { throw TimedOut(command: ([program] + args).joined(separator: " ")) }
        return r
    }

    /// A started program whose output goes to files (no pipe to fill up).
    struct Started {
        var process: Process
        var out: String
        var err: String
        func result(timedOut: Bool) -> Result {
            let o = (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data()
            let e = (try? Data(contentsOf: URL(fileURLWithPath: err))) ?? Data()
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
            return Result(
                status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                stderr: String(decoding: e, as: UTF8.self), stdoutBytes: o, timedOut: timedOut)
        }
    }

    static func start(_ program: String, _ args: [String], environment extra: [String: String] = [:]) throws -> Started {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let tag = UUID().uuidString
        let out = NSTemporaryDirectory() + "flamegate-store-out-\(tag)"
        let err = NSTemporaryDirectory() + "flamegate-store-err-\(tag)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return Started(process: p, out: out, err: err)
    }
}

/// Fixture profiles used by the store tests.
enum StoreFixtures {
    static let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
    static let cpu2 = Fixtures.path("pprof/go1.27/cpu2.pb.gz")
    static let allocs = Fixtures.path("pprof/go1.27/allocs.pb.gz")
    static let heap = Fixtures.path("pprof/go1.27/heap.pb.gz")
}
