import Foundation

/// Locates committed fixtures and the built `flamegate` binary, and runs it.
public enum Fixtures {
    /// The package's root folder (this file is Tests/FlamegateTestSupport/Fixtures.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func path(_ rel: String) -> String { root + "/Tests/Fixtures/" + rel }

    public static func read(_ rel: String) throws -> String {
        try String(contentsOfFile: path(rel), encoding: .utf8)
    }

    public static func bytes(_ rel: String) throws -> [UInt8] { try bytes(atPath: path(rel)) }

    public static func bytes(atPath path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes `contents` to a file `name` in a per-process temporary folder of `group`.
    public static func tempFile(_ name: String, _ contents: [UInt8], group: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegate-\(group)-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    /// The executable next to the test bundle (SwiftPM builds it with the tests).
    public static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The xctest bundle may be a directory on some platforms.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flamegate").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return root + "/.build/debug/flamegate"
    }()

    public struct Run: Sendable {
        public var status: Int32
        /// stdout as text (invalid UTF-8 repaired); `stdoutBytes` holds what was written.
        public var stdout: String
        public var stderr: String
        public var stdoutBytes = Data()
    }

    /// Runs the CLI with `args` (TZ=UTC, as the references were made), with `environment`
    /// added to the test's own.
    public static func run(
        _ args: [String], cwd: String? = nil, stdin: Data? = nil, environment extra: [String: String] = [:]
    ) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let inPipe = Pipe()
        p.standardInput = inPipe
        try p.run()
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try inPipe.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self), stdoutBytes: o)
    }

    /// One reference made by `go tool pprof`: its file, and the pprof arguments.
    public struct Reference: CustomStringConvertible, Sendable {
        public var set: String
        public var file: String
        public var args: [String]
        /// The folder of Tests/Fixtures the sets are in: `pprof` or `legacy`.
        public var base = "pprof"
        public var description: String { "\(set)/\(file)" }
        public var dir: String { Fixtures.path("\(base)/\(set)") }

        public init(set: String, file: String, args: [String], base: String = "pprof") {
            self.set = set
            self.file = file
            self.args = args
            self.base = base
        }

        /// The committed output of `go tool pprof`.
        public func expected() throws -> String {
            try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        }
    }

    /// Every `-top`/`-traces` reference in the given fixture sets.
    public static func pprofReferences(sets: [String]) -> [Reference] {
        let base = path("pprof")
        var refs: [Reference] = []
        for set in sets {
            guard let tsv = try? String(contentsOfFile: "\(base)/\(set)/references.tsv", encoding: .utf8) else {
                continue
            }
            for line in tsv.split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let args = parts[1].split(separator: " ").map(String.init)
                guard let first = args.first, ["-top", "-traces", "-tags", "-raw"].contains(first) else { continue }
                refs.append(Reference(set: set, file: parts[0], args: args))
            }
        }
        return refs
    }

    /// The legacy-format sets (Tests/Fixtures/legacy, references made by
    /// Fixtures/legacy/refs.sh).
    public static let legacySets = ["go1.19", "go1.27", "pprof-testdata", "variants"]

    /// Every reference in the legacy-format sets: `-top`, `-traces`, `-raw`, `-tags`,
    /// `-top -addresses`, `-top -sample_index=…` of each input pprof reads.
    public static let legacyReferences: [Reference] = legacySets.flatMap { set in
        tsv("legacy/\(set)/references.tsv").map {
            Reference(set: set, file: $0[0], args: $0[1].split(separator: " ").map(String.init), base: "legacy")
        }
    }

    /// The legacy inputs pprof itself refuses (refusals.tsv): set, input, pprof's error.
    public static let legacyRefusals: [(set: String, input: String, pprof: String)] = legacySets.flatMap { set in
        tsv("legacy/\(set)/refusals.tsv").map { (set, $0[0], $0[1]) }
    }

    /// The rows of a committed two-column TSV, split at the first tab.
    public static func tsv(_ rel: String) -> [[String]] {
        guard let text = try? String(contentsOfFile: path(rel), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return parts.count == 2 ? parts : nil
        }
    }

    /// pprof's analysis references (Tests/Fixtures/pprof/analysis, made by
    /// Fixtures/pprof/analysis-refs.sh).
    public static let analysisReferences: [Reference] = {
        // analysis/: filters, granularities, comparisons (analysis-refs.sh); options/: the
        // remaining command-line options such as -trim=false (options-refs.sh).
        ["analysis", "options"].flatMap { set -> [Reference] in
            let dir = path("pprof/\(set)")
            guard let tsv = try? String(contentsOfFile: dir + "/references.tsv", encoding: .utf8) else { return [] }
            return tsv.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return nil }
                return Reference(set: set, file: parts[0], args: parts[1].split(separator: " ").map(String.init))
            }
        }
    }()

    /// pprof's `-dot` references (Tests/Fixtures/pprof/dot, made by Fixtures/pprof/dot-refs.sh)
    /// over the go1.27, go1.19 and go1.27-fixed profiles.
    public static let dotReferences: [Reference] = {
        let dir = path("pprof/dot")
        guard let tsv = try? String(contentsOfFile: dir + "/references.tsv", encoding: .utf8) else { return [] }
        return tsv.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return Reference(set: "dot", file: parts[0], args: parts[1].split(separator: " ").map(String.init))
        }
    }()

    /// The files of `Tests/Fixtures/malformed/<reader>/`, sorted.
    public static func malformed(_ reader: String) -> [String] {
        let dir = path("malformed/\(reader)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(dir)/\($0)" }
    }

    /// The readers with a folder of malformed inputs.
    public static let malformedReaders = [
        "pprof", "perf", "folded", "rules", "gaterules", "gobench", "goescape", "goroutine", "legacy",
    ]
}

/// A temporary folder holding the given files, removed when released.
public final class TempDir {
    public let path: String
    public init(_ files: [String: String] = [:], prefix: String = "fg") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    /// `gate.yml` in this folder.
    public var rules: String { path + "/gate.yml" }
}
