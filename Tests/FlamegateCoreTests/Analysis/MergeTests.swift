import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// pprof's merge rules.
@Suite struct MergeTests {
    @Test func mergingAProfileWithItselfDoublesEveryValue() throws {
        let p = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let m = try ProfileMerge.merge([p, p])
        #expect(m.totals() == p.totals().map { $0 * 2 })
        #expect(m.durationNanos == p.durationNanos * 2)
        // Identical stacks and labels collapse into one sample.
        #expect(m.samples.count <= p.samples.count)
        let single = FunctionTable(profile: p, options: TableOptions(sampleIndex: 1))
        let double = FunctionTable(profile: m, options: TableOptions(sampleIndex: 1))
        #expect(single.rows.map(\.name) == double.rows.map(\.name))
        #expect(single.rows.map { $0.flat * 2 } == double.rows.map(\.flat))
        #expect(single.rows.map { $0.cum * 2 } == double.rows.map(\.cum))
    }

    @Test func mergingIncompatibleProfilesIsAnError() throws {
        let cpu = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let heap = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/heap.pb.gz"))
        #expect(throws: ProfileError.self) { try ProfileMerge.merge([cpu, heap]) }
    }
}
