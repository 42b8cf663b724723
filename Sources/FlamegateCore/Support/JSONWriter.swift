/// A minimal JSON builder (no Foundation): values are appended in order; strings escaped.
public struct JSONWriter {
    public private(set) var text = ""
    private var needComma: [Bool] = [false]

    /// An empty document.
    public init() {}

    private mutating func separator() {
        if needComma[needComma.count - 1] { text += "," }
        needComma[needComma.count - 1] = true
    }

    /// Opens an object, as a field named `key` inside an object, or as an array element.
    public mutating func beginObject(_ key: String? = nil) {
        if let key { self.key(key) } else { separator() }
        text += "{"
        needComma.append(false)
    }
    /// Closes the innermost object.
    public mutating func endObject() {
        needComma.removeLast()
        text += "}"
    }
    /// Opens an array, as a field named `key` inside an object, or as an array element.
    public mutating func beginArray(_ key: String? = nil) {
        if let key { self.key(key) } else { separator() }
        text += "["
        needComma.append(false)
    }
    /// Closes the innermost array.
    public mutating func endArray() {
        needComma.removeLast()
        text += "]"
    }
    private mutating func key(_ k: String) {
        separator()
        text += JSONWriter.quote(k) + ":"
    }
    /// A string field, escaped.
    public mutating func field(_ k: String, _ v: String) {
        key(k)
        text += JSONWriter.quote(v)
    }
    /// An integer field.
    public mutating func field(_ k: String, _ v: Int64) {
        key(k)
        text += String(v)
    }
    /// An integer field.
    public mutating func field(_ k: String, _ v: Int) { field(k, Int64(v)) }
    /// A number field with 6 significant digits (`%.6g`); NaN and infinities become `null`.
    public mutating func field(_ k: String, _ v: Double) {
        key(k)
        text += v.isFinite ? Units.cFormat("%.6g", v) : "null"
    }
    /// A boolean field.
    public mutating func field(_ k: String, _ v: Bool) {
        key(k)
        text += v ? "true" : "false"
    }
    /// `"k": ["a", "b"]`: an array of strings under `k`.
    public mutating func field(_ k: String, _ values: some Sequence<String>) {
        beginArray(k)
        for v in values { value(v) }
        endArray()
    }
    /// A string element of an array.
    public mutating func value(_ v: String) {
        separator()
        text += JSONWriter.quote(v)
    }

    /// JSON string literal with every control character escaped (C0, DEL and C1 as `\u`
    /// escapes, so no escape sequence reaches a terminal showing the JSON). A raw byte of a
    /// name (invalid UTF-8, `LosslessUTF8`) becomes `\ufffd`, as Go's `encoding/json` writes
    /// it: JSON must be valid UTF-8. `scriptSafe` also escapes `<`, `>`, `&`, U+FFFE and
    /// U+FFFF, so the literal can sit inside an HTML `<script>` element (`</script>` or
    /// `<!--` in a name cannot end it).
    public static func quote(_ s: String, scriptSafe: Bool = false) -> String {
        // Most names need no escaping: one pass over the bytes, then one copy. (0xE2 leads
        // U+2028/U+2029, which JSON allows but JavaScript does not; 0xC2 leads C1 controls;
        // 0xF4 leads a raw byte: take the slow path.)
        if !s.utf8.contains(where: {
            $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xF4
                || (scriptSafe && ($0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xEF))
        }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if LosslessUTF8.rawByte(u) != nil {
                    out += "\\ufffd"
                } else if u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) || u == "\u{2028}" || u == "\u{2029}"
                    || (scriptSafe && (u == "<" || u == ">" || u == "&" || u == "\u{FFFE}" || u == "\u{FFFF}"))
                {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
