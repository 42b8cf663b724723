import FlamegateCore

/// A standalone HTML flame graph: one file, nothing fetched from the network. The tree is
/// embedded as compact JSON (a names table plus per-node arrays in preorder) and drawn on a
/// `<canvas>`: hover tooltip, click to zoom, reset, regex search with "Matched: x%", an icicle
/// toggle, and a sortable function table (self, total).
public enum FlameGraphHTML {
    /// The embedded data as JSON bytes (safe inside `<script>`: `<`, `>`, `&` are `\u` escapes).
    public static func json(_ layout: FlameLayout, options o: FlameGraphOptions) -> [UInt8] {
        var j: [UInt8] = []
        appendJSON(layout, options: o, to: &j)
        return j
    }

    /// Appends the embedded data to `j` (the page itself: a million-frame page is tens of MB,
    /// not worth a second copy).
    static func appendJSON(_ layout: FlameLayout, options o: FlameGraphOptions, to j: inout [UInt8]) {
        let t = layout.tree
        j.reserveCapacity(j.count + t.count * 24 + t.names.count * 32 + 1024)
        let open = j.count
        func key(_ k: String) {
            if j.count > open + 1 { j.append(0x2C) }
            HTMLEscape.jsonString(k, into: &j)
            j.append(0x3A)
        }
        func ints<S: Sequence>(_ k: String, _ s: S) where S.Element: BinaryInteger {
            key(k)
            j.append(0x5B)
            var first = true
            for v in s {
                if !first { j.append(0x2C) }
                first = false
                if let x = Int64(exactly: v) {
                    appendInt(x, to: &j)
                } else {
                    j.append(contentsOf: String(v).utf8)
                }
            }
            j.append(0x5D)
        }
        func str(_ k: String, _ v: String) {
            key(k)
            HTMLEscape.jsonString(v, into: &j)
        }
        j.append(0x7B)
        str("title", t.isDifferential && o.title == nil ? "Differential Flame Graph" : o.resolvedTitle)
        str("subtitle", o.subtitle)
        str("unit", o.unit)
        str("sampleType", o.sampleType)
        str("countName", o.countName ?? "")
        str("nameType", o.nameType)
        key("diff")
        j.append(contentsOf: (t.isDifferential ? "true" : "false").utf8)
        key("inverted")
        j.append(contentsOf: (o.inverted ? "true" : "false").utf8)
        key("negate")
        j.append(contentsOf: (o.negate ? "true" : "false").utf8)
        key("baseScale")
        j.append(contentsOf: Units.cFormat("%.17g", layout.baseScale).utf8)
        key("maxDelta")
        j.append(contentsOf: Units.cFormat("%.17g", layout.maxDelta).utf8)
        key("frameHeight")
        j.append(contentsOf: String(o.frameHeight).utf8)
        key("fontSize")
        j.append(contentsOf: FlameGraphSVG.num(o.fontSize).utf8)
        str("fontType", FlameGraphSVG.cssString(o.fontType))
        // The root's colour (the SVG's), and the legend (the SVG's list).
        str("rootColor", hex(Palette.color(o.colors, hash: o.hash, name: "")))
        key("legend")
        j.append(0x5B)
        for (k, it) in Palette.legend(o.colors, differential: t.isDifferential, negate: o.negate).enumerated() {
            if k > 0 { j.append(0x2C) }
            j.append(0x5B)
            HTMLEscape.jsonString(it.fill ?? "", into: &j)
            j.append(0x2C)
            HTMLEscape.jsonString(it.label, into: &j)
            j.append(0x5D)
        }
        j.append(0x5D)
        // Names and colours (per name, as `#rrggbb`).
        key("names")
        j.append(0x5B)
        for (k, n) in t.names.enumerated() {
            if k > 0 { j.append(0x2C) }
            HTMLEscape.jsonString(n, into: &j)
        }
        j.append(0x5D)
        key("colors")
        j.append(0x5B)
        for (k, n) in t.names.enumerated() {
            if k > 0 { j.append(0x2C) }
            let c =
                n == "--"
                ? Palette.RGB(160, 160, 160)
                : n == "-" ? Palette.RGB(200, 200, 200) : Palette.color(o.colors, hash: o.hash, name: n)
            HTMLEscape.jsonString(hex(c), into: &j)
        }
        j.append(0x5D)
        // Nodes in preorder: name id, depth, values.
        ints("n", t.name)
        ints("d", t.depth)
        ints("v", (0..<t.count).lazy.map { t.total($0, t.columns - 1) })
        ints("s", (0..<t.count).lazy.map { t.selfValue($0, t.columns - 1) })
        if t.isDifferential {
            ints("b", (0..<t.count).lazy.map { t.total($0, 0) })
            ints("bs", (0..<t.count).lazy.map { t.selfValue($0, 0) })
            // Layout widths (union of base and candidate), in value units.
            key("w")
            j.append(0x5B)
            for i in 0..<t.count {
                if i > 0 { j.append(0x2C) }
                j.append(contentsOf: FlameGraphSVG.num((layout.width[i] * 1000).rounded() / 1000).utf8)
            }
            j.append(0x5D)
        }
        // Function table: name id, self, total.
        let rows = t.functionTotals(column: t.columns - 1)
        ints("fn", rows.lazy.map { $0.name })
        ints("fs", rows.lazy.map { $0.selfValue })
        ints("ft", rows.lazy.map { $0.total })
        j.append(0x7D)
    }

    /// Decimal digits of `v` (as `String(v)`), appended without making a String.
    @inline(__always) static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(0x2D) }
        let x = v.magnitude
        if x < 10 {
            out.append(UInt8(truncatingIfNeeded: x) &+ 0x30)
            return
        }
        withDecimalDigits(x) { out.append(contentsOf: $0) }
    }

    static func hex(_ c: Palette.RGB) -> String {
        let d = Array("0123456789abcdef")
        func h(_ v: Int) -> String {
            let v = max(0, min(255, v))
            return String([d[v >> 4], d[v & 15]])
        }
        return "#" + h(c.r) + h(c.g) + h(c.b)
    }

    /// The page as UTF-8 bytes. With `scriptURL` (`flamegate serve`), the script is loaded from
    /// that same-origin URL instead of written inline, so the server's policy can forbid inline
    /// script altogether.
    public static func render(_ layout: FlameLayout, options o: FlameGraphOptions, scriptURL: String? = nil) -> [UInt8]
    {
        let title = layout.tree.isDifferential && o.title == nil ? "Differential Flame Graph" : o.resolvedTitle
        let (bg1, bg2) = Palette.background(o.bgColors, colors: o.colors) ?? ("#eeeeee", "#eeeeb0")
        var out: [UInt8] = []
        out.reserveCapacity(layout.tree.count * 24 + layout.tree.names.count * 32 + 40_000)
        out.append(
            contentsOf: """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src \(scriptURL == nil ? "'unsafe-inline'" : "'self'"); style-src 'unsafe-inline'; img-src data:">
                <title>\(HTMLEscape.text(title))</title>
                <style>

                """.utf8)
        out.append(
            contentsOf: FlameGraphAssets.fill(
                FlameGraphAssets.htmlStyle,
                [
                    "fontFamily": FlameGraphSVG.cssString(o.fontType), "background1": HTMLEscape.text(bg1),
                    "background2": HTMLEscape.text(bg2),
                ]
            ).utf8)
        out.append(
            contentsOf: """

                </style>
                </head>
                <body>
                <h1 id="title">\(HTMLEscape.text(title))</h1>

                """.utf8)
        if !o.subtitle.isEmpty {
            out.append(contentsOf: "<h2 id=\"subtitle\">\(HTMLEscape.text(o.subtitle))</h2>\n".utf8)
        }
        if !o.notes.isEmpty {
            out.append(contentsOf: "<!-- NOTES: \(FlameGraphSVG.comment(o.notes)) -->\n".utf8)
        }
        out.append(
            contentsOf: """
                <div id="bar">
                <button id="reset" disabled>Reset zoom</button>
                <input id="term" type="text" placeholder="Search (regexp), Ctrl-F" spellcheck="false">
                <label><input id="ic" type="checkbox"> ignore case</label>
                <button id="clear">Clear</button>
                <span id="matched"></span>
                <label><input id="icicle" type="checkbox"> icicle</label>
                <span id="legend" class="legend"></span>
                </div>
                <div id="details"> </div>
                <div id="wrap"><canvas id="fg"></canvas><div id="spacer"></div></div>
                <div id="tip"></div>
                <div id="tablecap"></div>
                <div id="tablewrap"><table id="fntable"><thead><tr><th class="name" data-k="name">Function</th><th data-k="self">Self</th><th data-k="selfp">Self %</th><th data-k="total">Total</th><th data-k="totalp">Total %</th></tr></thead><tbody></tbody></table></div>
                <script id="fgdata" type="application/json">
                """.utf8)
        appendJSON(layout, options: o, to: &out)
        if let scriptURL {
            out.append(contentsOf: "</script>\n<script src=\"\(HTMLEscape.text(scriptURL))\"></script>\n".utf8)
            out.append(contentsOf: "</body>\n</html>\n".utf8)
            return out
        }
        out.append(contentsOf: "</script>\n<script>\n".utf8)
        out.append(contentsOf: FlameGraphAssets.htmlScript.utf8)
        out.append(contentsOf: "</script>\n</body>\n</html>\n".utf8)
        return out
    }
}

extension FlameGraphHTML {
    /// The page's script, for a server that serves it as a file (`render(_:options:scriptURL:)`).
    public static var script: String { FlameGraphAssets.htmlScript }
}
