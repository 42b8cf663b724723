import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate flame --format json`: the frames of the graph as data, narrow frames left out
/// as the SVG leaves them out (`--minwidth`), with the count of those left out.
@Suite struct FlameJSONTests {
    func json(_ args: [String]) throws -> [String: Any] {
        let r = try Fixtures.run(["flame", "--format", "json", "-o", "-"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func narrowFramesAreElidedAndCounted() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let all = try json([cpu, "--minwidth", "0"])
        let some = try json([cpu, "--minwidth", "5"])
        let total = try #require(all["total"] as? Int)
        let frames = try #require(all["frames"] as? Int)
        #expect(all["elided"] as? Int == 0)
        #expect((all["value"] as? [Int])?.count == frames)
        let elided = try #require(some["elided"] as? Int)
        let values = try #require(some["value"] as? [Int])
        #expect(elided > 0 && values.count == frames - elided)
        // Every kept frame is at least 5 px of the 1180 px drawing area (1200 - 2 × 10 padding).
        #expect(values.allSatisfy { Double($0) >= Double(total) * 5 / 1180 })
        // Preorder: depths start at the root and grow by one at most.
        let depth = try #require(some["depth"] as? [Int])
        #expect(depth.first == 0)
        #expect(zip(depth, depth.dropFirst()).allSatisfy { $1 <= $0 + 1 })
        // Names index the names table (the root is -1).
        let names = try #require(some["names"] as? [String])
        let name = try #require(some["name"] as? [Int])
        #expect(name.first == -1 && name.dropFirst().allSatisfy { $0 >= 0 && $0 < names.count })
        // The same frames the SVG draws: one <g> per kept frame.
        let svg = try Fixtures.run(["flame", cpu, "--minwidth", "5", "-o", "-"]).stdout
        #expect(Flame.frames(svg).count == values.count)
    }

    @Test func differentialCarriesTheBase() throws {
        let j = try json([
            Fixtures.path("pprof/go1.27-fixed/cpu.pb.gz"), "--diff-base", Fixtures.path("pprof/go1.27/cpu.pb.gz"),
        ])
        #expect(j["differential"] as? Bool == true)
        #expect((j["base"] as? [Int])?.count == (j["value"] as? [Int])?.count)
        #expect((j["base_total"] as? Int ?? 0) > 0)
    }
}
