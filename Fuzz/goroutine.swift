// Go goroutine dump (`/debug/pprof/goroutine?debug=2`, tracebacks) as a profile.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    _ = GoroutineDump.recognizes(b)
    let p: Profile
    do throws(InputError) {
        p = try GoroutineDump.profile(b, source: "fuzz")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    checkProfile(p)
    checkRoundTrip(p)
    return 0
}
