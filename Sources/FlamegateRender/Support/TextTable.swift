import FlamegateCore

/// The one text-table writer: padding, alignment and column layout for every text report.
/// Widths count Unicode scalars, as Go's `%Ns` counts runes (pprof and benchstat print so).
public enum TextTable {
    /// The display width of `s` in the tables' terms.
    public static func width(_ s: String) -> Int { s.unicodeScalars.count }

    /// `s` left-aligned in `width` columns (spaces after).
    public static func left(_ s: String, _ width: Int) -> String {
        let n = Self.width(s)
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }

    /// `s` right-aligned in `width` columns (spaces before), as Go's `%Ns`.
    public static func right(_ s: String, _ width: Int) -> String {
        let n = Self.width(s)
        return n >= width ? s : String(repeating: " ", count: width - n) + s
    }

    /// Rows aligned in columns of the widest cell, `gap` between columns, trailing spaces
    /// dropped; the last column is not padded unless right-aligned. `separators[i]`, when
    /// given, replaces the gap before column i (e.g. " │ " on header rows).
    public static func render(
        _ rows: [[String]], rightAligned: Set<Int> = [], gap: String = "  ",
        separators: (_ row: Int, _ column: Int) -> String? = { _, _ in nil }
    ) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) } }
        var out = ""
        for (ri, r) in rows.enumerated() {
            var line = ""
            for (i, c) in r.enumerated() {
                if i > 0 { line += separators(ri, i) ?? gap }
                if rightAligned.contains(i) {
                    line += right(c, i < widths.count ? widths[i] : 0)
                } else if i == r.count - 1 {
                    line += c
                } else {
                    line += left(c, i < widths.count ? widths[i] : 0)
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
