import FlamegateCore

/// Escaping for text that lands in SVG/HTML markup, in `<script>` blocks and in JSON.
public enum HTMLEscape {
    /// Text content and attribute values: `& < > " '` become entities; control characters
    /// that XML 1.0 forbids, U+FFFE/U+FFFF and a name's raw (invalid UTF-8) bytes become
    /// U+FFFD, so a hostile name can't break the document.
    public static func text(_ s: String) -> String {
        var needs = false
        for u in s.utf8
        where u == 0x26 || u == 0x3C || u == 0x3E || u == 0x22 || u == 0x27 || u < 0x20 || u == 0xEF || u == 0xF4 {
            needs = true
            break
        }
        if !needs { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.isASCII, let e = entity(UInt8(u.value)) {
                out.append(contentsOf: e.unicodeScalars)
                continue
            }
            switch u.value {
            case 0x09, 0x0A, 0x0D: out.append(u)
            case 0..<0x20, 0xFFFE, 0xFFFF: out.append("\u{FFFD}")
            default: out.append(LosslessUTF8.rawByte(u) == nil ? u : "\u{FFFD}")
            }
        }
        return String(out)
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
