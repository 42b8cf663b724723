import Foundation

@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate
@testable import FlamegateCapture

/// Locates committed fixtures and the built `flamegate` binary.
enum Fixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ rel: String) -> String { root + "/Tests/Fixtures/" + rel }

    static func read(_ rel: String) throws -> String {
        try String(contentsOfFile: path(rel), encoding: .utf8)
    }

    /// The executable next to the test bundle (SwiftPM builds it with the tests).
    static let binary: String = {
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

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the CLI with `args` (TZ=UTC, as the references were made).
    static func run(_ args: [String], cwd: String? = nil, stdin: Data? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
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
            stderr: String(decoding: e, as: UTF8.self))
    }

    /// One reference made by `go tool pprof`: its file, and the pprof arguments.
    struct Reference: CustomStringConvertible, Sendable {
        var set: String
        var file: String
        var args: [String]
        var description: String { "\(set)/\(file)" }
        var dir: String { Fixtures.path("pprof/\(set)") }
    }

    /// Every `-top`/`-traces` reference in the given fixture sets.
    static func pprofReferences(sets: [String]) -> [Reference] {
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
                guard let first = args.first, first == "-top" || first == "-traces" else { continue }
                refs.append(Reference(set: set, file: parts[0], args: args))
            }
        }
        return refs
    }
}
