/// The flame graphs' scripts and style sheets. They are the `.js` and `.css` files next to this
/// one, compiled into the binary by SwiftPM (`.embedInCode` in Package.swift, which generates
/// `PackageResources`), so that they read, lint and test as code rather than as Swift strings.
///
/// `flamegraph-svg.js` and `flamegraph-html.js` are written out verbatim. The others are
/// templates: `{{name}}` stands for a value of the graph at hand (font, sizes, colours), which
/// `fill` puts in.
enum FlameGraphAssets {
    /// The SVG's style sheet (template: fontFamily, fontSize, titleFontSize).
    static let svgStyle = text(PackageResources.flamegraph_svg_css)
    /// The SVG script's settings, `var FG = {…}` (template: xpad, fontSize, fontWidth, inverted, nameType).
    static let svgConfig = text(PackageResources.flamegraph_svg_config_js)
    /// The SVG's script: flamegraph.pl's interactions (zoom, search), reading `FG`.
    static let svgScript = text(PackageResources.flamegraph_svg_js)
    /// The HTML page's style sheet (template: fontFamily, background1, background2).
    static let htmlStyle = text(PackageResources.flamegraph_html_css)
    /// The HTML page's script: draws the embedded JSON on a canvas.
    static let htmlScript = text(PackageResources.flamegraph_html_js)

    /// A file's text without its final newline: line breaks around it belong to the markup
    /// that embeds it (the HTML page has always ended its script `})();</script>`).
    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.last == 0x0A ? bytes.dropLast() : bytes[...], as: UTF8.self)
    }

    /// `template` with each `{{name}}` replaced by `values[name]`, in one pass (values are not
    /// searched for placeholders). An unknown name stays as it is, for the tests to catch.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        let t = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(t.count + 64)
        var i = 0
        while i < t.count {
            if t[i] == 0x7B, i + 1 < t.count, t[i + 1] == 0x7B, let close = placeholderEnd(t, from: i + 2),
                let v = values[String(decoding: t[(i + 2)..<close], as: UTF8.self)]
            {
                out.append(contentsOf: v.utf8)
                i = close + 2
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Index of the `}}` closing a placeholder name that starts at `from`: letters and digits only.
    private static func placeholderEnd(_ t: [UInt8], from: Int) -> Int? {
        var j = from
        while j < t.count, (t[j] | 0x20 >= 0x61 && t[j] | 0x20 <= 0x7A) || (t[j] >= 0x30 && t[j] <= 0x39) { j += 1 }
        return j > from && j + 1 < t.count && t[j] == 0x7D && t[j + 1] == 0x7D ? j : nil
    }
}
