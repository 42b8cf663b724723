import FlamegateCore

/// The one text-table writer: padding, alignment and column layout for every text report.
/// Widths count Unicode scalars, as Go's `%Ns` counts runes (pprof and benchstat print so;
/// a name's raw byte is one scalar, one rune in Go). Every cell is escaped first
/// (`TextEscape.cell`, which is idempotent), so widths are those of the escaped text and a
/// name can't break a row or a column.
public enum TextTable {
    /// The display width of `s` (escaped) in the tables' terms.
    public static func width(_ s: String) -> Int { TextEscape.cell(s).unicodeScalars.count }

    /// `s`, escaped, left-aligned in `width` columns (spaces after).
    public static func left(_ s: String, _ width: Int) -> String {
        let s = TextEscape.cell(s)
        let n = s.unicodeScalars.count
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }

    /// `s`, escaped, right-aligned in `width` columns (spaces before), as Go's `%Ns`.
    public static func right(_ s: String, _ width: Int) -> String {
        let s = TextEscape.cell(s)
        let n = s.unicodeScalars.count
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
        let rows = rows.map { $0.map { TextEscape.cell($0) } }
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
                    line += c  // escaped above
                } else {
                    line += left(c, i < widths.count ? widths[i] : 0)
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// Go's `text/tabwriter` (minwidth 0, tab width 0, space padding), which pprof's `-tags`
    /// report writes through: each line is its tab-terminated cells plus trailing text.
    /// Consecutive lines that have a cell in a column form a block, padded to the block's
    /// widest cell plus `padding`; an empty line ends every block.
    public static func tabwriter(_ lines: [[String]], padding: Int = 1, alignRight: Bool = false) -> String {
        let lines = lines.map { $0.map { TextEscape.cell($0) } }
        var out = ""
        var widths: [Int] = []
        func write(_ range: Range<Int>) {
            for i in range {
                let line = lines[i]
                for (j, cell) in line.enumerated() {
                    let pad = j < widths.count ? max(0, widths[j] - width(cell)) : 0
                    if alignRight {
                        out += String(repeating: " ", count: pad) + cell
                    } else {
                        out += cell + String(repeating: " ", count: pad)
                    }
                }
                out += "\n"
            }
        }
        // Go's format(): a column is laid out block by block, recursing into the next column.
        func format(_ start: Int, _ end: Int) {
            var line0 = start
            let column = widths.count
            var this = start
            while this < end {
                if column >= lines[this].count - 1 {
                    this += 1
                    continue
                }
                write(line0..<this)
                line0 = this
                var w = 0
                while this < end && column < lines[this].count - 1 {
                    w = max(w, width(lines[this][column]) + padding)
                    this += 1
                }
                widths.append(w)
                format(line0, this)
                widths.removeLast()
                line0 = this
            }
            write(line0..<end)
        }
        format(0, lines.count)
        return out
    }
}
