// Legacy profiles (Go ?debug=1 text, tcmalloc heap/growth/contention, threadz, Java,
// gperftools' binary CPU profile) through the registry, as `flamegate` reads a file.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    // Detection must not trap on anything; reading goes to the legacy reader regardless,
    // so the readers see inputs the sniffer would route elsewhere too.
    _ = FormatRegistry.detectProfile(b)
    let p: Profile
    do throws(InputError) {
        p = try LegacyProfileFormat().read(b, context: ProfileReadContext(source: "fuzz"))
    } catch {
        require(!error.message.isEmpty, "empty error message")
        require(!error.description.contains("\n"), "error of several lines")
        return 0
    }
    checkProfile(p)
    checkRoundTrip(p)
    // The frames pprof drops for legacy profiles (drop_frames/keep_frames), as ProfileLoader does.
    var q = p
    if (try? ProfileFilter.removeUninteresting(&q)) != nil { checkProfile(q) }
    return 0
}
