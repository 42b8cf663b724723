import FlamegateCore

/// flamegraph.pl-style SVG: one `<g><title/><rect/><text/></g>` per frame, with embedded
/// JavaScript for click-to-zoom, reset zoom, and regex search (Ctrl-F) with "Matched: x%".
/// With `--hash` and the same folded input, frame geometry equals flamegraph.pl's.
public enum FlameGraphSVG {
    static let xpad = 10.0
    static let framePad = 1.0

    /// Perl's default number printing (`%.15g`): integers without a fraction.
    static func num(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return Units.cFormat("%.15g", d)
    }

    /// Fast `%0.Nf` for N = 1 or 2 matching C's round-half-even on the binary value.
    static func fixed(_ v: Double, _ digits: Int) -> String {
        Units.cFormat(digits == 1 ? "%0.1f" : "%0.2f", v)
    }

    /// The frame label: as many characters as fit (`fontsize * fontwidth` each), `..` when cut.
    static func label(_ name: String, pixels: Double, o: FlameGraphOptions) -> String {
        let chars = Int((pixels / (o.fontSize * o.fontWidth)).rounded(.towardZero))
        if chars < 3 { return "" }
        let scalars = Array(FlameText.display(name).unicodeScalars)
        if chars >= scalars.count { return String(String.UnicodeScalarView(scalars)) }
        return String(String.UnicodeScalarView(scalars[0..<(chars - 2)])) + ".."
    }

    /// The SVG as a String.
    public static func render(_ layout: FlameLayout, options o: FlameGraphOptions) -> String {
        let keep = kept(layout, options: o)
        var spill: String? = nil
        // Written straight into the String's storage (sized by an estimate; rarely exceeded).
        let s = String(unsafeUninitializedCapacity: sizeEstimate(layout, keep: keep.frames)) { buf in
            var w = ByteWriter(external: buf)
            write(layout, options: o, keep: keep, into: &w)
            if w.isExternal { return w.count }
            spill = w.takeString()
            return 0
        }
        return spill ?? s
    }

    /// The SVG as UTF-8 bytes (what `render` returns, without making a String).
    public static func renderBytes(_ layout: FlameLayout, options o: FlameGraphOptions) -> [UInt8] {
        let keep = kept(layout, options: o)
        var spill: [UInt8]? = nil
        let a = [UInt8](unsafeUninitializedCapacity: sizeEstimate(layout, keep: keep.frames)) { buf, n in
            var w = ByteWriter(external: buf)
            write(layout, options: o, keep: keep, into: &w)
            if w.isExternal {
                n = w.count
            } else {
                spill = w.takeBytes()
                n = 0
            }
        }
        return spill ?? a
    }

    /// Roughly the size of the SVG: the header and script, and per frame its markup, numbers,
    /// tooltip and label.
    static func sizeEstimate(_ layout: FlameLayout, keep: [Int32]) -> Int {
        let t = layout.tree
        var nameLength = [Int](repeating: 0, count: t.names.count + 1)
        for (k, n) in t.names.enumerated() { nameLength[k + 1] = n.utf8.count }
        var total = 16_384 + FlameGraphAssets.svgScript.utf8.count
        for i in keep { total += 300 + 2 * nameLength[Int(t.name[Int(i)]) + 1] }
        return total + total / 16
    }

    /// Frames to draw (preorder; a narrow frame hides its subtree) and the depth they reach.
    static func kept(_ layout: FlameLayout, options o: FlameGraphOptions) -> (frames: [Int32], depthMax: Int) {
        let t = layout.tree
        let imageWidth = Double(o.width)
        let timeMax = t.count > 0 ? layout.width[0] : 0
        let wpt = timeMax > 0 ? (imageWidth - 2 * xpad) / timeMax : 0
        let minTime = o.minWidthPercent ? timeMax * o.minWidth / 100 : (wpt > 0 ? o.minWidth / wpt : 0)
        var keep: [Int32] = []
        var depthMax = 0
        var i = 0
        while i < t.count {
            if layout.width[i] < minTime {
                i += Int(t.size[i])
                continue
            }
            keep.append(Int32(i))
            depthMax = max(depthMax, Int(t.depth[i]))
            i += 1
        }
        return (keep, depthMax)
    }

    static func write(
        _ layout: FlameLayout, options o: FlameGraphOptions, keep kd: (frames: [Int32], depthMax: Int),
        into w: inout ByteWriter
    ) {
        let t = layout.tree
        let text = FlameText(o: o)
        let total = t.count > 0 ? Double(t.total(0)) : 0
        let diff = t.isDifferential
        let fs = o.fontSize
        let ypad1 = fs * 3
        let ypad2 = fs * 2 + 10
        let ypad3 = fs * 2
        let imageWidth = Double(o.width)
        let timeMax = t.count > 0 ? layout.width[0] : 0
        let wpt = timeMax > 0 ? (imageWidth - 2 * xpad) / timeMax : 0
        let keep = kd.frames
        let depthMax = kd.depthMax
        let fh = Double(o.frameHeight)
        var imageHeight = Double(depthMax + 1) * fh + ypad1 + ypad2
        if !o.subtitle.isEmpty { imageHeight += ypad3 }
        let (bg1, bg2) = Palette.background(o.bgColors, colors: o.colors) ?? ("#eeeeee", "#eeeeb0")
        let title = diff && o.title == nil ? "Differential Flame Graph" : o.resolvedTitle
        let sw = num(imageWidth)
        let sh = num(imageHeight)
        var out = ""

        out += """
            <?xml version="1.0" standalone="no"?>
            <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
            <svg version="1.1" width="\(sw)" height="\(sh)" onload="init(evt)" viewBox="0 0 \(sw) \(sh)" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
            <!-- Flame graph written by Flamegate; layout and interactions follow Brendan Gregg's flamegraph.pl (https://github.com/brendangregg/FlameGraph). -->
            <!-- NOTES: \(comment(o.notes)) -->
            <defs>
            \t<linearGradient id="background" y1="0" y2="1" x1="0" x2="0" >
            \t\t<stop stop-color="\(HTMLEscape.text(bg1))" offset="5%" />
            \t\t<stop stop-color="\(HTMLEscape.text(bg2))" offset="95%" />
            \t</linearGradient>
            \t<pattern id="onlybase" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            \t\t<rect width="6" height="6" fill="rgb(215,215,255)" />
            \t\t<line x1="0" y1="0" x2="0" y2="6" stroke="rgb(90,90,220)" stroke-width="2" />
            \t</pattern>
            </defs>
            <style type="text/css">

            """
        out += FlameGraphAssets.fill(
            FlameGraphAssets.svgStyle,
            ["fontFamily": cssString(o.fontType), "fontSize": num(fs), "titleFontSize": num(fs + 5)])
        out += "\n</style>\n<script type=\"text/ecmascript\">\n<![CDATA[\n"
        out += FlameGraphAssets.fill(
            FlameGraphAssets.svgConfig,
            [
                "xpad": num(xpad), "fontSize": num(fs), "fontWidth": num(o.fontWidth), "inverted": "\(o.inverted)",
                "nameType": HTMLEscape.jsonString(o.nameType),
            ])
        out += "\n"
        out += FlameGraphAssets.svgScript
        out += "\n]]>\n</script>\n"
        out +=
            "<rect x=\"0.0\" y=\"0\" width=\"\(fixed(imageWidth, 1))\" height=\"\(fixed(imageHeight, 1))\" fill=\"url(#background)\"  />\n"
        func textEl(_ id: String, _ x: Double, _ y: Double, _ s: String, _ extra: String = "") {
            out += "<text id=\"\(id)\" x=\"\(fixed(x, 2))\" y=\"\(num(y))\" \(extra)>\(HTMLEscape.text(s))</text>\n"
        }
        textEl("title", Double(Int(imageWidth / 2)), fs * 2, title)
        if !o.subtitle.isEmpty { textEl("subtitle", Double(Int(imageWidth / 2)), fs * 4, o.subtitle) }
        textEl("details", xpad, imageHeight - ypad2 / 2, " ")
        textEl("unzoom", xpad, fs * 2, "Reset Zoom", "class=\"hide\"")
        textEl("search", imageWidth - xpad - 100, fs * 2, "Search")
        textEl("ignorecase", imageWidth - xpad - 16, fs * 2, "ic")
        textEl("matched", imageWidth - xpad - 100, imageHeight - ypad2 / 2, " ")
        out += legend(o, differential: diff, x1: xpad + 300, x2: imageWidth - xpad - 110, y: imageHeight - ypad2 / 2)
        out += "<g id=\"frames\">\n"
        w.append(out)
        let names = NameBytes(t)
        let value = ValueWriter(text)
        var fills = [[UInt8]?](repeating: nil, count: t.names.count + 1)
        let charWidth = o.fontSize * o.fontWidth
        for k in keep {
            let i = Int(k)
            let d = Double(t.depth[i])
            let x1 = xpad + layout.start[i] * wpt
            let x2 = xpad + (layout.start[i] + layout.width[i]) * wpt
            let y1: Double
            let y2: Double
            if o.inverted {
                y1 = ypad1 + d * fh
                y2 = ypad1 + (d + 1) * fh - framePad
            } else {
                y1 = imageHeight - ypad2 - (d + 1) * fh + framePad
                y2 = imageHeight - ypad2 - d * fh
            }
            let nid = Int(t.name[i])  // -1 for the root
            var isOnlyBase = false
            var diffColor = Palette.RGB(0, 0, 0)
            if diff {
                if layout.candidate(i) == 0 && layout.base(i) > 0 {
                    isOnlyBase = true
                } else {
                    diffColor = Palette.diff(layout.delta(i), maxDelta: layout.maxDelta, negate: o.negate)
                }
            } else if fills[nid + 1] == nil {
                let name = i == 0 ? "" : t.names[nid]
                let fill: String
                if name == "--" {
                    fill = "rgb(160,160,160)"
                } else if name == "-" {
                    fill = "rgb(200,200,200)"
                } else {
                    fill = Palette.color(o.colors, hash: o.hash, name: name).css
                }
                fills[nid + 1] = Array(fill.utf8)
            }
            w.append(isOnlyBase ? "<g class=\"onlybase\">\n<title>" : "<g>\n<title>")
            // Tooltip.
            if diff {
                w.escaped(text.tooltip(layout, i))
            } else {
                names.writeTooltipName(nid, into: &w)
                w.byte(0x0A)
                let v = t.total(i)
                value.write(v, into: &w)
                w.append(" (")
                pct(Double(v), total, into: &w)
                if i > 0 {
                    w.append("% of total, ")
                    pct(Double(v), Double(t.total(Int(t.parent[i]))), into: &w)
                    w.append("% of parent")
                } else {
                    w.byte(0x25)
                }
                w.append("), self ")
                value.write(t.selfValue(i), into: &w)
            }
            w.append("</title><rect x=\"")
            let px1 = w.fixed(x1, 1)
            let px2 = ByteWriter.fixedValue(x2, 1)
            w.append("\" y=\"")
            w.num(y1)
            w.append("\" width=\"")
            w.fixed(px2 - px1, 1)
            w.append("\" height=\"")
            w.fixed(y2 - y1, 1)
            w.append("\" fill=\"")
            if isOnlyBase {
                w.append("url(#onlybase)")
            } else if diff {
                w.append("rgb(")
                w.int(Int64(diffColor.r))
                w.byte(0x2C)
                w.int(Int64(diffColor.g))
                w.byte(0x2C)
                w.int(Int64(diffColor.b))
                w.byte(0x29)
            } else {
                w.append(fills[nid + 1]!)
            }
            w.append("\" rx=\"2\" ry=\"2\" />\n<text  x=\"")
            w.fixed(x1 + 3, 2)
            w.append("\" y=\"")
            w.num(3 + (y1 + y2) / 2)
            w.append("\" >")
            names.writeLabel(nid, pixels: x2 - x1, charWidth: charWidth, into: &w)
            w.append("</text>\n</g>\n")
        }
        w.append("</g>\n</svg>\n")
    }

    /// The colour legend (`Palette.legend`), right-aligned in the bottom line between the
    /// details (left) and "Matched" (right); outside the frames, so geometry is unchanged.
    static func legend(_ o: FlameGraphOptions, differential: Bool, x1: Double, x2: Double, y: Double) -> String {
        let items = Palette.legend(o.colors, differential: differential, negate: o.negate)
        let fs = o.fontSize * 0.85
        let charW = fs * o.fontWidth
        func width(_ it: Palette.LegendItem) -> Double {
            (it.fill == nil ? 0 : fs + 4) + Double(it.label.unicodeScalars.count) * charW + 10
        }
        var x = x2 - items.reduce(0) { $0 + width($1) }
        // Too narrow: notes go first, then swatches from the left.
        var shown = items
        while x < x1, let k = shown.lastIndex(where: { $0.fill == nil }) ?? (shown.isEmpty ? nil : 0) {
            x += width(shown.remove(at: k))
        }
        var out = "<g id=\"legend\" font-size=\"\(num(fs))\">\n"
        for it in shown {
            if let fill = it.fill {
                out +=
                    "<rect x=\"\(fixed(x, 1))\" y=\"\(fixed(y - fs + 2, 1))\" width=\"\(num(fs))\" height=\"\(num(fs))\" fill=\"\(HTMLEscape.text(fill))\" stroke=\"rgb(120,120,120)\" stroke-width=\"0.5\" />\n"
                x += fs + 4
            }
            out += "<text x=\"\(fixed(x, 1))\" y=\"\(num(y))\">\(HTMLEscape.text(it.label))</text>\n"
            x += Double(it.label.unicodeScalars.count) * charW + 10
        }
        return out + "</g>\n"
    }

    /// `FlameText.pct` written in place.
    @inline(__always) static func pct(_ v: Double, _ of: Double, into w: inout ByteWriter) {
        if of == 0 {
            w.append("0.00")
        } else {
            w.fixed(v / of * 100, 2)
        }
    }

    /// Text for an XML comment: escaped, and without `--`.
    static func comment(_ s: String) -> String {
        var out: [Character] = []
        for c in HTMLEscape.text(s) {
            if c == "-" && out.last == "-" { out.append(" ") }
            out.append(c)
        }
        return String(out)
    }

    /// A CSS font-family value: a quoted string with only safe characters.
    static func cssString(_ s: String) -> String {
        let safe = s.unicodeScalars.filter {
            $0.properties.isAlphabetic || $0.properties.numericType != nil || " -_,".unicodeScalars.contains($0)
        }
        return String(String.UnicodeScalarView(safe))
    }
}
