// pprof decoder: gzip or raw protobuf bytes, as `ProfileInput` reads them.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    var p: Profile
    do throws(DecodeError) {
        // A small cap on inflation: a bomb must stop with an error, not exhaust memory.
        p = try PprofDecoder.decode(possiblyCompressed: b, gzipLimit: 16 << 20)
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    PprofFunctionNames.apply(&p)  // the names ProfileInput gives, as go tool pprof shows them
    checkModel(p)
    checkTotals(p)
    renderReports(p)
    checkRoundTrip(p)
    // The profile's own drop_frames/keep_frames (regexes from the input) as `ProfileLoader` does.
    var q = p
    if (try? ProfileFilter.removeUninteresting(&q)) != nil { checkProfile(q) }
    return 0
}
