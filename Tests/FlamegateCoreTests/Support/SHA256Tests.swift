import Testing

@testable import FlamegateCore

/// The store's content addresses: digests as `sha256sum` / Python's hashlib print them.
@Suite struct SHA256Tests {
    @Test func digestsMatchSha256sum() {
        // printf 'abc' | sha256sum; printf '' | sha256sum
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // hashlib.sha256(bytes(range(256))*4 + b'x'*55): the padding spills into a second block.
        let tail = Array((0..<4).flatMap { _ in (0...255).map { UInt8($0) } }) + [UInt8](repeating: 0x78, count: 55)
        #expect(SHA256.hex(tail) == "415c3b5c395cb8896358cda2f03a8c43395029c22ed119c0e76617d75c9b65e9")
        // hashlib.sha256(b'a'*1000003): many blocks and a length past 2^23 bits.
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_003))
                == "cf5f310cac13bb0f1de288d09940e8ee441e8d5d88b0fd4ec6021c405fda8c8c")
    }
}
