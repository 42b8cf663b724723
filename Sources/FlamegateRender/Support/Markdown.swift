import FlamegateCore

/// The one Markdown writer: text, table cells and code spans that stay well-formed whatever
/// a profile puts in a name. A name is always inline: its line breaks and other control
/// characters are shown escaped (`TextEscape.cell`: `\n`, `\x1b`…), so it can't start a
/// heading (`## ✅ … PASS`) or a list; a raw (invalid UTF-8) byte shows as U+FFFD, so the
/// file stays UTF-8.
public enum Markdown {
    /// `s` as one line of Markdown-free text: control characters escaped, raw bytes as U+FFFD.
    static func line(_ s: String) -> String { TextEscape.cell(LosslessUTF8.replacingRawBytes(s)) }

    /// Plain text (a rule name, a note, a file name) that renders as itself: Markdown's
    /// punctuation backslash-escaped, `<`, `>` and `&` as entities (no HTML, no autolinks),
    /// `@` escaped (no mentions).
    public static func text(_ s: String) -> String {
        let s = line(s)
        var o = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "@": o += "\\" + String(ch)
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "&": o += "&amp;"
            default: o.unicodeScalars.append(ch)
            }
        }
        return o
    }

    /// Markdown (already escaped) made safe inside a table cell: `|` escaped, line breaks
    /// and other control characters escaped. GitHub honours `\|` inside code spans too.
    public static func cell(_ s: String) -> String {
        var o = ""
        var escaped = false  // the previous character was a backslash escape of our own
        for ch in line(s).unicodeScalars {
            if ch == "|" && !escaped { o += "\\" }
            escaped = ch == "\\" && !escaped
            o.unicodeScalars.append(ch)
        }
        return o
    }

    /// An inline code span; a name holding backticks gets a longer fence, as CommonMark allows.
    public static func code(_ s: String) -> String {
        let s = line(s)
        guard s.contains("`") else { return "`" + s + "`" }
        var longest = 0
        var run = 0
        for ch in s {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + " " + s + " " + fence
    }

    /// A link `[label](url)`: the label as `text`; a destination with spaces, parentheses
    /// or escapes goes in angle brackets, without `<`, `>` or line breaks.
    public static func link(_ label: String, to url: String) -> String {
        let dest = String(String.UnicodeScalarView(line(url).unicodeScalars.filter { $0 != "<" && $0 != ">" }))
        let plain = !dest.unicodeScalars.contains { $0 == " " || $0 == "(" || $0 == ")" || $0 == "\\" }
        return "[" + text(label) + "](" + (plain ? dest : "<" + dest + ">") + ")"
    }

    /// A table row of already-escaped cells: `| a | b |`.
    public static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |\n" }

    /// A table's header row and its `| --- |` rule.
    public static func header(_ titles: [String]) -> String {
        row(titles) + row([String](repeating: "---", count: titles.count))
    }
}
