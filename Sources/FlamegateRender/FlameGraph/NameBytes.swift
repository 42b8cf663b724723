import FlamegateCore

/// Per-name bytes for the SVG writer: the displayed name (flamegraph.pl's `_[k]` stripped),
/// raw and escaped, and its length in Unicode scalars. Index `id + 1`; slot 0 is the root, "all".
struct NameBytes {
    var arena: [UInt8] = []
    /// Raw bytes of name k: `arena[rawStart[k] ..< escStart[k]]`; escaped: `arena[escStart[k] ..< rawStart[k + 1]]`.
    var rawStart: [Int] = []
    var escStart: [Int] = []
    var scalars: [Int] = []
    var plain: [Bool] = []  // escaping changes nothing

    init(_ t: CallTree) {
        rawStart.reserveCapacity(t.names.count + 2)
        add("all")
        for n in t.names { add(FlameText.display(n)) }
        rawStart.append(arena.count)
    }

    mutating func add(_ name: String) {
        // An SVG is UTF-8 text: a raw (invalid UTF-8) byte shows as U+FFFD, one scalar wide.
        let s = LosslessUTF8.replacingRawBytes(name)
        rawStart.append(arena.count)
        arena.append(contentsOf: s.utf8)
        escStart.append(arena.count)
        let e = HTMLEscape.text(s)
        arena.append(contentsOf: e.utf8)
        scalars.append(s.unicodeScalars.count)
        plain.append(e == s)
    }

    func writeTooltipName(_ id: Int, into w: inout ByteWriter) {
        let k = id + 1
        arena.withUnsafeBufferPointer { a in w.bytes(a.baseAddress! + escStart[k], rawStart[k + 1] - escStart[k]) }
    }

    /// `FlameGraphSVG.label`, escaped: as many scalars as fit, `..` when cut.
    func writeLabel(_ id: Int, pixels: Double, charWidth: Double, into w: inout ByteWriter) {
        let q = (pixels / charWidth).rounded(.towardZero)
        let chars: Int
        if q.isNaN {
            chars = 0
        } else if q >= 9.0e18 {
            chars = Int.max
        } else if q <= -9.0e18 {
            chars = Int.min
        } else {
            chars = Int(q)
        }
        if chars < 3 { return }
        let k = id + 1
        if chars >= scalars[k] {
            writeTooltipName(id, into: &w)
            return
        }
        arena.withUnsafeBufferPointer { a in
            let p = a.baseAddress! + rawStart[k]
            let n = escStart[k] - rawStart[k]
            // Byte offset of scalar `chars - 2`.
            var seen = 0
            var off = 0
            while off < n {
                if p[off] & 0xC0 != 0x80 {
                    if seen == chars - 2 { break }
                    seen += 1
                }
                off += 1
            }
            if plain[k] {
                w.bytes(p, off)
            } else {
                w.escaped(p, off)
            }
        }
        w.append("..")
    }
}
