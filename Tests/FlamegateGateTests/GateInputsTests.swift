import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateGate

@Suite struct GateInputsTests {
    @Test func inputsAreSniffedByKind() throws {
        let cache = GateInputCache()
        #expect(try cache.kind(Fixtures.path("pprof/go1.27/cpu.pb.gz")) == .profile)
        #expect(try cache.kind(Fixtures.path("gate/base.folded")) == .profile)
        #expect(try cache.kind(Fixtures.path("gate/base.json")) == .metric)
        #expect(try cache.kind(Fixtures.path("bench/base.txt")) == .bench)
        #expect(try cache.kind(Fixtures.path("escape/base.m.txt")) == .escape)
        #expect(try cache.kind(Fixtures.path("escape/cand.mm.txt")) == .escape)
    }
}
