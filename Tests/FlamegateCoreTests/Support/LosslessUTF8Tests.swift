import Testing

@testable import FlamegateCore

/// Names decoded losslessly: every byte string round-trips, a raw byte is one scalar (one
/// rune, as Go counts it), order is byte order, and JSON stays valid.
@Suite struct LosslessUTF8Tests {
    static func decode(_ b: [UInt8]) -> String { b.withUnsafeBufferPointer { LosslessUTF8.decode($0) } }

    /// Go's `utf8.RuneCount`: each invalid byte counts one, a valid sequence one.
    static func goRuneCount(_ b: [UInt8]) -> Int {
        b.withUnsafeBufferPointer { p in
            var i = 0
            var n = 0
            while i < p.count {
                i += max(1, LosslessUTF8.sequenceLength(p, i))
                n += 1
            }
            return n
        }
    }

    @Test(
        arguments: [
            Array("main.main".utf8), Array("main.héllo日本".utf8), [0x80], [0xFF], [0x61, 0xE6, 0x97],
            [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
            [0xE2, 0x82], [0xF0, 0x9F, 0x98], Array("x\u{10FF80}y\u{10FFFF}".utf8), [0xF4, 0x8F, 0xBE],
            [],
        ] as [[UInt8]])
    func roundTrips(_ bytes: [UInt8]) {
        let s = Self.decode(bytes)
        #expect(LosslessUTF8.bytes(s) == bytes)
    }

    @Test func randomBytesRoundTrip() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<24, using: &rng)
            // Bias towards the interesting bytes: continuation, lead, 0xF4 0x8F 0xBE/0xBF.
            let pool: [UInt8] = [0x41, 0x80, 0xBF, 0xC3, 0xA9, 0xE6, 0x97, 0xED, 0xA0, 0xF0, 0xF4, 0x8F, 0xBE, 0xFF]
            let b = (0..<n).map { _ in
                Bool.random(using: &rng) ? pool.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            let s = Self.decode(b)
            #expect(LosslessUTF8.bytes(s) == b, "\(b)")
            #expect(s.unicodeScalars.count >= Self.goRuneCount(b))
        }
    }

    @Test func rawBytesAreOneScalarEach() {
        let b: [UInt8] = Array("main.lone".utf8) + [0x80] + Array("x".utf8) + [0xE6, 0x97] + [0xC0, 0xAF]
        let s = Self.decode(b)
        #expect(s.unicodeScalars.count == Self.goRuneCount(b))
        #expect(LosslessUTF8.hasRawBytes(s))
        #expect(!LosslessUTF8.hasRawBytes("main.héllo"))
        #expect(!LosslessUTF8.hasRawBytes("x\u{10F000}"))  // F4 8F 80 80: a real scalar, not a raw byte
        #expect(LosslessUTF8.hasRawBytes(Self.decode([0x61, 0x62, 0xFE])))  // at the very end
        #expect(LosslessUTF8.replacingRawBytes(s) == "main.lone\u{FFFD}x\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    /// A real scalar of the reserved block is taken as its four bytes, so decoding stays a
    /// bijection; valid text outside it decodes as itself (no copy of the meaning).
    @Test func reservedScalarsInTheInputAreEscaped() {
        let real = Array("a\u{10FF80}".utf8)
        let s = Self.decode(real)
        #expect(s.unicodeScalars.count == 5)
        #expect(s != "a\u{10FF80}")
        #expect(LosslessUTF8.bytes(s) == real)
        #expect(LosslessUTF8.reading("a\u{10FF80}") == s)
        #expect(Self.decode(Array("main.日本語".utf8)) == "main.日本語")
    }

    @Test func orderIsByteOrder() {
        var rng = SystemRandomNumberGenerator()
        let pool: [UInt8] = [0x61, 0x62, 0x80, 0xC3, 0xA9, 0xE6, 0x97, 0xA5, 0xF4, 0x8F, 0xBE, 0xBF, 0xFF]
        for _ in 0..<3000 {
            let a = (0..<Int.random(in: 0..<6, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: 0..<6, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
            let (sa, sb) = (Self.decode(a), Self.decode(b))
            #expect(LosslessUTF8.precedes(sa, sb) == a.lexicographicallyPrecedes(b), "\(a) \(b)")
        }
    }

    /// JSON can't carry a byte: `\ufffd`, as Go's encoding/json writes it; controls escaped.
    @Test func jsonReplacesRawBytes() {
        let s = Self.decode(Array("f".utf8) + [0xFF] + Array("\u{7F}\u{85}\u{1B}".utf8))
        #expect(JSONWriter.quote(s) == #""f\ufffd\u007f\u0085\u001b""#)
    }
}
