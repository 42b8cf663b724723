// Finding rules (YAML, through Yams), evaluated on a small profile.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

let sampleProfile: Profile = {
    var p = Profile(sampleTypes: [ValueType(type: "cpu", unit: "nanoseconds")])
    var b = StackProfile.Builder(sampleTypes: p.sampleTypes)
    let stacks = [
        ["main.main", "main.handle", "runtime.mapassign_faststr", "internal/runtime/maps.(*Map).grow"],
        ["main.main", "main.handle", "runtime.mallocgc"],
        ["main.main", "encoding/json.Marshal", "runtime.growslice"],
    ]
    for (i, s) in stacks.enumerated() {
        let locs = s.reversed().map { b.location($0, module: nil) }
        b.profile.samples.append(locations: locs, values: [Int64(10 * (i + 1))])
    }
    p = b.profile
    return p
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let rules: [FindingRule]
    do throws(InputError) {
        rules = try FindingRules.parse(text, source: "fuzz.yml")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        require(!error.description.contains("\n"), "multi-line error: \(error.description)")
        return 0
    }
    require(Set(rules.map(\.id)).count == rules.count, "duplicate rule ids accepted")
    _ = Findings.evaluate(sampleProfile, rules: rules, source: "fuzz")
    return 0
}
