import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Profiles on which `go tool pprof` does more than decode (Tests/Fixtures/pprof/edge,
/// references from Fixtures/pprof/edge-refs.sh): it rewrites function names, ignores
/// regexes that do not compile, tolerates unknown mapping ids and refuses some files.
/// Where pprof prints a report, `flamegate top` prints the same; where it refuses, so do we.
@Suite struct PprofEdgeTests {
    static let dir = Fixtures.path("pprof/edge")

    static let inputs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".pb") || $0.hasSuffix(".pb.gz") }.sorted()
    }()

    static func base(_ input: String) -> String {
        var n = input
        if n.hasSuffix(".gz") { n.removeLast(3) }
        return String(n.dropLast(3))
    }

    @Test func everyInputHasAReference() {
        #expect(Self.inputs.count >= 10)
        for f in Self.inputs {
            let b = Self.dir + "/" + Self.base(f)
            let report = FileManager.default.fileExists(atPath: b + ".top.txt")
            let refused = FileManager.default.fileExists(atPath: b + ".pprof-error.txt")
            #expect(report != refused, "\(f): needs exactly one of .top.txt / .pprof-error.txt")
        }
    }

    @Test(arguments: inputs)
    func sameAsPprof(_ input: String) throws {
        let b = Self.dir + "/" + Self.base(input)
        let r = try Fixtures.run(["top", Self.dir + "/" + input])
        if let golden = FileManager.default.contents(atPath: b + ".top.txt") {
            #expect(r.status == 0, "\(input): \(r.stderr)")
            // Byte for byte: invalid UTF-8 in names prints raw, as pprof prints it.
            #expect(r.stdoutBytes == golden, "\(input)")
        } else {
            #expect(r.status == 2, "\(input): exit \(r.status)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(input): \(r.stderr)")
        }
    }
}
