// The gzip stream path every gzip'd input takes: inflate with the inflate cap and the
// streaming protobuf check (`FormatRegistry.EarlyCheck`) watching the output as it grows.
// The early check may only refuse what the full decoder refuses too.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = bytes(data, size)
    var check = FormatRegistry.EarlyCheck()
    var early: DecodeError? = nil
    let inflated: [UInt8]
    do throws(DecodeError) {
        inflated = try Gzip.inflate(b, limit: 8 << 20) { (d: UnsafeRawBufferPointer) throws(DecodeError) -> Void in
            do throws(DecodeError) { try check.feed(d) } catch {
                early = error
                throw error
            }
        }
    } catch {
        require(!error.message.isEmpty, "empty error message")
        guard early != nil else { return 0 }
        // Refused early: inflating without the check and decoding must fail as well.
        guard let all = try? Gzip.inflate(b, limit: 8 << 20) else { return 0 }
        let p = all.withUnsafeBytes { try? PprofDecoder.decode($0) }
        require(p == nil, "the streaming check refused a profile the decoder reads")
        return 0
    }
    require(inflated.count <= 8 << 20, "inflated past the cap")
    _ = inflated.withUnsafeBytes { FormatRegistry.detectProfile($0) }
    return 0
}
