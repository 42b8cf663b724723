// `perf script` reader and collapser (stackcollapse-perf.pl's rules), then the profile.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    guard size > 0, let data else { return 0 }
    // First byte: collapse options; the rest: the text.
    let flags = data.load(as: UInt8.self)
    let b = bytes(data + 1, size - 1)
    var o = PerfCollapseOptions()
    o.pid = flags & 1 != 0
    o.tid = flags & 2 != 0
    o.kernel = flags & 4 != 0
    o.jit = flags & 8 != 0
    o.addrs = flags & 16 != 0
    o.srcline = flags & 32 != 0
    o.demangle = flags & 64 != 0 ? .simplified : .none
    if flags & 128 != 0 { o.eventFilter = Array("cpu-clock".utf8) }
    // Line by line and block-wise must agree.
    var lineWise = PerfCollapser(options: o)
    PerfScriptReader.forEachLine(in: b) { lineWise.feed($0) }
    lineWise.endSample()
    var c = PerfCollapser.collapse(b, options: o)
    c.endSample()
    require(lineWise.stacks == c.stacks, "feed and feedLines disagree")
    _ = c.folded()
    _ = FormatDetector.detect(b)

    let p: Profile
    do throws(InputError) {
        p = try StackProfile.profile(fromPerfScript: b, source: "fuzz", demangle: o.demangle)
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    checkProfile(p)
    checkRoundTrip(p)
    return 0
}
