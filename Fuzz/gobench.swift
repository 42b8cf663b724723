// Go benchmark output (`go test -bench`), compared with itself as `flamegate bench` does.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let input = Array(bytes(data, size))
    let f: GoBenchFile
    do throws(InputError) {
        f = try GoBench.parse(input, source: "fuzz")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    require(!f.benchmarks.isEmpty, "accepted a file with no benchmark")
    for b in f.benchmarks {
        for m in b.metrics { require(!m.unit.isEmpty, "metric without unit") }
    }
    _ = f.byName
    let tables = BenchCompare.compare(base: f, cand: f)
    _ = BenchCompare.renderText(tables, base: f, cand: f, alpha: 0.05)
    _ = BenchCompare.renderJSON(tables, base: f, cand: f, alpha: 0.05)
    return 0
}
