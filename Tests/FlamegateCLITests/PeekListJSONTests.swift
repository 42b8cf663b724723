import FlamegateTestSupport
import Foundation
import Testing

/// `peek --format json` holds what pprof's `-peek` prints: for each of pprof's saved peek
/// reports, the same rows, and for each row the same callers and callees with the same
/// shares. (Edges of equal weight may come in another order from pprof 1.27, google/pprof
/// issue 966, so callers and callees are compared as sets.) `list --format json` holds the
/// text report's lines.
@Suite struct PeekListJSONTests {
    struct Block: Equatable {
        var name: String
        var callers: Set<String>
        var callees: Set<String>
    }

    /// pprof's peek text as blocks: edge lines are "value share% |   name", the row's line has
    /// five columns before the bar.
    static func blocks(_ text: String) -> [Block] {
        var out: [Block] = []
        var cur: Block? = nil
        var pending: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("-----") {
                if let c = cur { out.append(c) }
                (cur, pending) = (nil, [])
                continue
            }
            guard let bar = line.firstIndex(of: "|") else { continue }
            let cols = line[..<bar].split(separator: " ")
            let name = line[line.index(after: bar)...].trimmingCharacters(in: .whitespaces)
            if cols.count == 2 {
                let edge = "\(name) \(cols[1])"
                if cur == nil { pending.insert(edge) } else { cur!.callees.insert(edge) }
            } else if cols.count == 5 {
                cur = Block(name: name, callers: pending, callees: [])
            }
        }
        return out
    }

    static func blocks(json: String) throws -> [Block] {
        let j = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        func edges(_ a: Any?) -> Set<String> {
            Set(
                (a as? [[String: Any]] ?? []).map { e in
                    let name = (e["name"] as? String ?? "") + (e["inline"] as? Bool == true ? " (inline)" : "")
                    let p = e["percent"] as? Double ?? 0
                    return "\(name) \(p == 100 ? "100%" : String(format: "%.2f%%", p))"
                })
        }
        return (j["rows"] as? [[String: Any]] ?? []).map {
            Block(name: $0["name"] as? String ?? "", callers: edges($0["callers"]), callees: edges($0["callees"]))
        }
    }

    @Test(arguments: Fixtures.analysisReferences.filter { $0.file.contains(".peek-") })
    func peekJSONHoldsPprofsPeek(_ ref: Fixtures.Reference) throws {
        // pprof's `-peek=REGEX FLAGS FILE` as `peek --format json FLAGS REGEX FILE`.
        var args = ref.args
        let i = try #require(args.firstIndex { $0.hasPrefix("-peek=") })
        let regex = String(args.remove(at: i).dropFirst("-peek=".count))
        let file = args.removeLast()
        let r = try Fixtures.run(["peek", "--format", "json"] + args + [regex, file], cwd: ref.dir)
        #expect(r.status == 0, "\(r.stderr)")
        let got = try Self.blocks(json: r.stdout)
        let want = Self.blocks(try ref.expected())
        #expect(got.count == want.count && !want.isEmpty)
        #expect(got.map(\.name) == want.map(\.name))
        for (g, w) in zip(got, want) {
            #expect(g.callers == w.callers, "\(g.name) callers")
            #expect(g.callees == w.callees, "\(g.name) callees")
        }
    }

    @Test func pprofsPeekReferencesAreThere() {
        #expect(Fixtures.analysisReferences.filter { $0.file.contains(".peek-") }.count >= 3)
    }

    @Test func listJSONHoldsTheTextsLines() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let text = try Fixtures.run(["list", "main\\.payHandler$", cpu], cwd: Fixtures.root).stdout
        let r = try Fixtures.run(["list", "--format", "json", "main\\.payHandler$", cpu], cwd: Fixtures.root)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let routines = try #require(j["routines"] as? [[String: Any]])
        #expect(routines.count == text.components(separatedBy: "ROUTINE ======================== ").count - 1)
        let lines = try #require(routines.first?["lines"] as? [[String: Any]])
        #expect(lines.count > 5)
        for l in lines {
            let n = try #require(l["line"] as? Int)
            let src = try #require(l["text"] as? String)
            #expect(text.contains(" \(n):\(src)\n") || text.contains(String(format: "%6d:", n) + src + "\n"))
        }
    }
}
