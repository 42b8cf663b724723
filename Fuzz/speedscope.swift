// speedscope JSON reader (`convert --to speedscope` files read back), and the registry's
// sniffing and lookalike description on the same bytes.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    _ = FormatRegistry.detectProfile(b)
    _ = FormatRegistry.looksLike(FormatRegistry.head(b))
    _ = FormatRegistry.kind(of: b)
    let p: Profile
    do throws(InputError) {
        p = try SpeedscopeFormat().read(b, context: ProfileReadContext(source: "fuzz"))
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    checkProfile(p)
    checkRoundTrip(p)
    // What Flamegate writes, it reads back with the same totals.
    let again = Speedscope.encode(p, name: "fuzz")
    let q = again.withUnsafeBytes { w in try? SpeedscopeFormat().read(w, context: ProfileReadContext(source: "again")) }
    require(q != nil, "speedscope written by Flamegate does not read back")
    if let q { require(q.totals() == p.totals(), "totals changed through speedscope") }
    return 0
}
