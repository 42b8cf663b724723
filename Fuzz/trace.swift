// Go execution traces (the Go 1.22+ format and the Go 1.11–1.21 one; the corpus seeds
// both): the four `go tool trace -pprof` profiles and the stats. Anything may be refused
// (with a message); nothing may trap, and what is read must be a well-formed profile.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    _ = TraceReader.version(b)
    for kind in TraceProfileKind.allCases {
        do throws(InputError) {
            let p = try TracePprof.profile(b, kind: kind, source: "fuzz")
            checkProfile(p)
        } catch {
            require(!error.message.isEmpty && !error.message.contains("\n"), "bad error message: \(error.message)")
        }
    }
    do throws(InputError) {
        let s = try TraceStats.compute(b, source: "fuzz")
        require(s.stw.count == s.stwByReason.values.map(\.count).reduce(0, +), "stw by reason does not add up")
        _ = s.json()
        _ = s.text()
    } catch {
        require(!error.message.isEmpty, "empty error message")
    }
    return 0
}
