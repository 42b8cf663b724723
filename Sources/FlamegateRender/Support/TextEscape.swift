import FlamegateCore

/// The one escaper for names in terminal text (every text report: top, traces, tree, peek,
/// list, tags, raw, blame, explain, diff, bench, escape, gate…). A name from a profile is
/// always one cell on one line, and no control sequence in it reaches the terminal (a title
/// change, a hyperlink, colours, a carriage return that overwrites the row).
///
/// - `\n`, `\r`, `\t` as those two characters; other C0 controls and DEL as `\x1b`, `\x7f`;
///   C1 controls, U+2028/U+2029 (line and paragraph separators) and the bidirectional
///   overrides and isolates (U+202A–U+202E, U+2066–U+2069) as `\u0085`, `\u2028`…
/// - Everything else is kept, the backslash included (Windows paths print as pprof prints
///   them), so `a\nb` is ambiguous between a newline and a backslash: the price of parity.
/// - Raw (invalid UTF-8) bytes stay raw, as pprof prints them (`LosslessUTF8`); the
///   command line writes them back as bytes.
///
/// pprof prints names unescaped: for names with control characters Flamegate deliberately
/// differs. Escape a cell before measuring or padding it (`TextTable` widths count the
/// escaped text).
public enum TextEscape {
    /// `s` safe as one cell of terminal text; `s` itself (no copy) when nothing needs escaping.
    /// `keepTabs` keeps tabs (source lines in `list`, which pprof prints with their tabs).
    public static func cell(_ s: String, keepTabs: Bool = false) -> String {
        var needs = false
        for b in s.utf8 where b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2 {
            if b == 0x09 && keepTabs { continue }
            needs = true
            break
        }
        if !needs { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0A: out.append(contentsOf: "\\n".unicodeScalars)
            case 0x0D: out.append(contentsOf: "\\r".unicodeScalars)
            case 0x09 where keepTabs: out.append(u)
            case 0x09: out.append(contentsOf: "\\t".unicodeScalars)
            case 0..<0x20, 0x7F: out.append(contentsOf: ("\\x" + hex(u.value, 2)).unicodeScalars)
            case 0x80...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                out.append(contentsOf: ("\\u" + hex(u.value, 4)).unicodeScalars)
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// `v` in lower-case hex, zero-padded to `digits`.
    static func hex(_ v: UInt32, _ digits: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }
}
