// Go compiler escape-analysis output (`go build -gcflags=-m` / `-m -m`).
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let input = Array(bytes(data, size))
    let r: EscapeReport
    do throws(InputError) {
        r = try GoEscape.parse(input, source: "fuzz")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    // (A log may be accepted with no finding: its positioned lines can all be `-m -m`
    // explanations or diagnostics that are not escapes.)
    let d = EscapeDiff.compare(base: r, cand: r)
    require(d.added.isEmpty && d.removed.isEmpty, "a log differs from itself")
    require(d.unchanged == r.heapEscapes.count, "unchanged \(d.unchanged) != \(r.heapEscapes.count) heap escapes")
    for f in r.findings { _ = EscapeDiff.key(f) }
    return 0
}
