import FlamegateCore

/// Escaping for text that lands in SVG/HTML markup, in `<script>` blocks and in JSON.
public enum HTMLEscape {
    /// Text content and attribute values: `& < > " '` become entities; control characters
    /// that XML 1.0 forbids become U+FFFD, so a hostile name can't break the document.
    public static func text(_ s: String) -> String {
        var needs = false
        for u in s.utf8 where u == 0x26 || u == 0x3C || u == 0x3E || u == 0x22 || u == 0x27 || u < 0x20 || u == 0xEF {
            needs = true
            break
        }
        if !needs { return s }
        // Byte-wise: every character escaped here is ASCII, so UTF-8 sequences pass through.
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 16)
        var it = s.utf8.makeIterator()
        var pending: [UInt8] = []
        while let b = it.next() {
            if let e = entity(b) {
                out.append(contentsOf: e.utf8)
                continue
            }
            switch b {
            case 0x09, 0x0A, 0x0D: out.append(b)
            case 0..<0x20: out.append(contentsOf: "\u{FFFD}".utf8)
            case 0xEF:
                // U+FFFE / U+FFFF (EF BF BE / EF BF BF) are not allowed in XML.
                pending = [b]
                if let b1 = it.next() { pending.append(b1) }
                if pending.count == 2, let b2 = it.next() { pending.append(b2) }
                if pending.count == 3 && pending[1] == 0xBF && (pending[2] == 0xBE || pending[2] == 0xBF) {
                    out.append(contentsOf: "\u{FFFD}".utf8)
                } else {
                    for p in pending {
                        if let e = entity(p) { out.append(contentsOf: e.utf8) } else { out.append(p) }
                    }
                }
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The entity for one of `& < > " '`, else nil.
    static func entity(_ b: UInt8) -> String? {
        switch b {
        case 0x26: return "&amp;"
        case 0x3C: return "&lt;"
        case 0x3E: return "&gt;"
        case 0x22: return "&quot;"
        case 0x27: return "&#39;"
        default: return nil
        }
    }

    /// A JSON string literal that is also safe inside an HTML `<script>` element:
    /// `<`, `>`, `&`, U+2028 and U+2029 are written as `\u` escapes, so `</script>` or
    /// `<!--` in a name can't end the script.
    public static func jsonString(_ s: String, into out: inout [UInt8]) {
        out.append(contentsOf: JSONWriter.quote(s, scriptSafe: true).utf8)
    }

    /// `jsonString(_:into:)` as a String.
    public static func jsonString(_ s: String) -> String {
        var b: [UInt8] = []
        jsonString(s, into: &b)
        return String(decoding: b, as: UTF8.self)
    }
}
