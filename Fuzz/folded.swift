// Folded stacks reader (`frame;frame count`, or difffolded's `stack base cand`).
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    _ = FormatDetector.detect(b)
    let f: FoldedFile
    do throws(InputError) {
        f = try FoldedStacks.read(b, source: "fuzz")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        return 0
    }
    require(f.columns == 1 || f.columns == 2, "columns \(f.columns)")
    require(f.values.count == f.stacks.count * f.columns, "values per stack")
    let p = StackProfile.profile(fromFolded: f)
    require(p.samples.count == f.stacks.count, "one sample per stack")
    checkProfile(p)
    checkRoundTrip(p)
    _ = FoldedStacks.write(StackProfile.folded(p, sampleIndex: p.sampleTypes.count - 1))
    return 0
}
