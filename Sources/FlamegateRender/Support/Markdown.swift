/// The one Markdown writer: table cells, tables and code spans that stay well-formed
/// whatever text a profile puts in them (a frame named `a|b` or one with a backtick).
public enum Markdown {
    /// Text safe inside a table cell: `|` escaped, line breaks as spaces.
    public static func cell(_ s: String) -> String {
        var o = ""
        for ch in s {
            switch ch {
            case "|": o += "\\|"
            case "\n", "\r\n", "\r": o += " "
            default: o.append(ch)
            }
        }
        return o
    }

    /// An inline code span; a name holding backticks gets a longer fence, as CommonMark allows.
    public static func code(_ s: String) -> String {
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

    /// A table row of already-escaped cells: `| a | b |`.
    public static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |\n" }

    /// A table's header row and its `| --- |` rule.
    public static func header(_ titles: [String]) -> String {
        row(titles) + row([String](repeating: "---", count: titles.count))
    }
}
