import FlamegateCore
/// Options of flame graph output; names and defaults are flamegraph.pl's.
public struct FlameGraphOptions: Sendable {
    /// nil: "Flame Graph", "Icicle Graph", "Flame Chart" or "Differential Flame Graph".
    public var title: String? = nil
    public var subtitle = ""
    public var width = 1200
    public var frameHeight = 16
    /// Frames narrower than this are left out: pixels, or percent of the total when `minWidthPercent`.
    public var minWidth = 0.1
    public var minWidthPercent = false
    public var fontType = "Verdana"
    public var fontSize = 12.0
    public var fontWidth = 0.59
    /// nil: values are printed in the profile's unit (`Units.label`); else `1,234 <countname>` as flamegraph.pl.
    public var countName: String? = nil
    public var nameType = "Function:"
    /// `auto` (language-aware) or one of flamegraph.pl's palettes.
    public var colors = "auto"
    public var bgColors = ""
    public var hash = false
    public var inverted = false
    public var flameChart = false
    public var negate = false
    public var notes = ""
    /// Differential: scale the base to the candidate's total.
    public var normalize = false
    /// Sample type and unit of the values (from the profile).
    public var sampleType = "samples"
    public var unit = "count"
    public init() {}

    var resolvedTitle: String {
        if let title, !title.isEmpty { return title }
        if flameChart { return "Flame Chart" }
        return inverted ? "Icicle Graph" : "Flame Graph"
    }
}

/// Horizontal layout of a call tree in value units: each frame's start and width. A frame's
/// self value is drawn before (left of) its children, as flamegraph.pl does.
///
/// A plain tree's widths are its inclusive values. A differential tree's width is
/// `max(scaled base, candidate, sum of the children's widths)`, so frames that exist only in
/// the base keep a visible width and children always fit inside their parent.
public struct FlameLayout: Sendable {
    public let tree: CallTree
    public var start: [Double]
    public var width: [Double]
    /// Factor applied to base values (candidate total / base total with `--normalize`, else 1).
    public var baseScale: Double
    /// Largest |inclusive delta| of any non-root frame (differential), for colour saturation.
    public var maxDelta: Double

    public init(_ tree: CallTree, normalize: Bool = false) {
        self.tree = tree
        let n = tree.count
        var width = [Double](repeating: 0, count: n)
        var scale = 1.0
        var maxDelta = 0.0
        if tree.isDifferential && n > 0 {
            let bt = tree.total(0, 0)
            let ct = tree.total(0, 1)
            if normalize && bt != 0 { scale = Double(ct) / Double(bt) }
            var childSum = [Double](repeating: 0, count: n)
            var i = n - 1
            while i >= 0 {
                let b = Double(tree.total(i, 0)) * scale
                let c = Double(tree.total(i, 1))
                let w = Swift.max(b, c, childSum[i])
                width[i] = w
                if i > 0 {
                    childSum[Int(tree.parent[i])] += w
                    maxDelta = Swift.max(maxDelta, abs(c - b))
                }
                i -= 1
            }
        } else {
            for i in 0..<n { width[i] = Double(tree.total(i, 0)) }
        }
        // A frame's own (self) share comes first, then its children: flamegraph.pl's line sort
        // puts `a;b N` before `a;b;c M`.
        var childSum = [Double](repeating: 0, count: n)
        for i in 1..<Swift.max(n, 1) { childSum[Int(tree.parent[i])] += width[i] }
        var start = [Double](repeating: 0, count: n)
        var cursor = [Double](repeating: 0, count: n)
        if n > 0 { cursor[0] = Swift.max(0, width[0] - childSum[0]) }
        for i in 1..<Swift.max(n, 1) {
            let p = Int(tree.parent[i])
            start[i] = cursor[p]
            cursor[p] += width[i]
            cursor[i] = start[i] + Swift.max(0, width[i] - childSum[i])
        }
        self.start = start
        self.width = width
        self.baseScale = scale
        self.maxDelta = maxDelta
    }

    public func base(_ i: Int) -> Double { Double(tree.total(i, 0)) * baseScale }
    public func candidate(_ i: Int) -> Int64 { tree.total(i, tree.columns - 1) }
    public func delta(_ i: Int) -> Double { Double(candidate(i)) - base(i) }
}

/// Text of values, percentages and tooltips shared by the SVG and HTML writers.
struct FlameText {
    let o: FlameGraphOptions
    /// Whether the unit scales (bytes, time): looked up once, not per frame.
    let knownUnit: Bool

    init(o: FlameGraphOptions) {
        self.o = o
        knownUnit = Units.isKnown(o.unit)
    }

    static func commas(_ v: Int64) -> String {
        let neg = v < 0
        let digits = Array(String(v.magnitude))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return neg ? "-" + out : out
    }

    func value(_ v: Int64) -> String {
        if let c = o.countName { return "\(FlameText.commas(v)) \(c)" }
        if knownUnit { return Units.label(v, unit: o.unit) }
        let word = o.unit == "count" || o.unit.isEmpty ? o.sampleType : o.unit
        return "\(FlameText.commas(v)) \(word)"
    }

    func value(_ d: Double) -> String { value(Int64(exactly: d.rounded()) ?? 0) }

    static func pct(_ v: Double, _ of: Double) -> String {
        of == 0 ? "0.00" : Units.cFormat("%.2f", v / of * 100)
    }

    /// flamegraph.pl strips `_[k]`-style annotations from displayed names.
    static func display(_ name: String) -> String {
        let u = name.utf8
        if u.count >= 4 {
            let tail = Array(u.suffix(4))
            if tail[0] == 0x5F && tail[1] == 0x5B && tail[3] == 0x5D && [0x6B, 0x77, 0x69, 0x6A].contains(tail[2]) {
                return String(decoding: u.dropLast(4), as: UTF8.self)
            }
        }
        return name
    }

    /// The tooltip: name on the first line, figures on the second.
    func tooltip(_ l: FlameLayout, _ i: Int) -> String {
        let t = l.tree
        let name = i == 0 ? "all" : FlameText.display(t.nameOf(i))
        if t.isDifferential {
            let b = l.base(i)
            let c = l.candidate(i)
            let d = Double(c) - b
            let sign = d > 0 ? "+" : (d < 0 ? "-" : "±")
            let dp = b == 0 ? (c == 0 ? "0.00%" : "new") : (d >= 0 ? "+" : "") + FlameText.pct(d, b) + "%"
            return "\(name)\nbase \(value(b)), candidate \(value(c)), delta \(sign)\(value(abs(d))) (\(dp))"
                + (l.tree.columns == 2 && c == 0 && b > 0 ? ", only in base" : "")
        }
        let v = t.total(i)
        let total = Double(t.total(0))
        var s = "\(name)\n\(value(v)) (\(FlameText.pct(Double(v), total))%"
        if i > 0 {
            s += " of total, \(FlameText.pct(Double(v), Double(t.total(Int(t.parent[i])))))% of parent"
        }
        s += "), self \(value(t.selfValue(i)))"
        return s
    }
}

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
        var total = 16_384 + svgScript.utf8.count
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
            \ttext { font-family:\(cssString(o.fontType)); font-size:\(num(fs))px; fill:rgb(0,0,0); }
            \t#search, #ignorecase { opacity:0.1; cursor:pointer; }
            \t#search:hover, #search.show, #ignorecase:hover, #ignorecase.show { opacity:1; }
            \t#subtitle { text-anchor:middle; font-color:rgb(160,160,160); }
            \t#title { text-anchor:middle; font-size:\(num(fs + 5))px}
            \t#unzoom { cursor:pointer; }
            \t#frames > *:hover { stroke:black; stroke-width:0.5; cursor:pointer; }
            \t.hide { display:none; }
            \t.parent { opacity:0.5; }
            \t.onlybase rect { stroke:rgb(60,60,200); stroke-width:1; stroke-dasharray:3,2; }
            </style>
            <script type="text/ecmascript">
            <![CDATA[
            var FG = {xpad: \(num(xpad)), fontsize: \(num(fs)), fontwidth: \(num(o.fontWidth)), inverted: \(o.inverted), nametype: \(HTMLEscape.jsonString(o.nameType))};
            \(svgScript)
            ]]>
            </script>

            """
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

    /// The SVG's script: our own implementation of flamegraph.pl's interactions.
    static let svgScript = #"""
        "use strict";
        var details, searchbtn, unzoombtn, matchedtxt, svg, frames, searching = false, currentTerm = null, ignorecase = false, icbtn;
        var F = [];  // per frame: {g, rect, text, name, x, w, y}
        function init(evt) {
          details = document.getElementById("details").firstChild;
          searchbtn = document.getElementById("search");
          icbtn = document.getElementById("ignorecase");
          unzoombtn = document.getElementById("unzoom");
          matchedtxt = document.getElementById("matched");
          svg = document.getElementsByTagName("svg")[0];
          frames = document.getElementById("frames");
          var gs = frames.children;
          for (var i = 0; i < gs.length; i++) {
            var g = gs[i], r = g.querySelector("rect"), t = g.querySelector("text"), ti = g.querySelector("title");
            var full = ti ? ti.textContent : "";
            var nl = full.indexOf("\n");
            g.setAttribute("data-i", i);
            F.push({g: g, rect: r, text: t, title: full, name: nl < 0 ? full : full.substring(0, nl),
                    x: parseFloat(r.getAttribute("x")), w: parseFloat(r.getAttribute("width")),
                    y: parseFloat(r.getAttribute("y")), fill: r.getAttribute("fill")});
          }
          var q = params();
          if (q.s) search(q.s);
          window.flamegate = {zoom: function (i) { zoom(F[i]); }, unzoom: unzoom, search: search,
                              resetSearch: resetSearch, frames: F, matched: function () { return matchedtxt.textContent; }};
        }
        function params() {
          var out = {}, parts = window.location.search.substring(1).split("&");
          for (var i = 0; i < parts.length; i++) {
            var kv = parts[i].split("=");
            if (kv[0] && kv[1]) out[kv[0]] = decodeURIComponent(kv[1]);
          }
          return out;
        }
        function frameOf(node) {
          while (node && node.parentNode) {
            if (node.parentNode === frames) return F[parseInt(node.getAttribute("data-i"))];
            node = node.parentNode;
          }
          return null;
        }
        window.addEventListener("click", function (e) {
          var f = frameOf(e.target);
          if (f) {
            if (f.g.classList.contains("parent")) unzoom(true);
            zoom(f);
          } else if (e.target.id == "unzoom") unzoom();
          else if (e.target.id == "search") searchPrompt();
          else if (e.target.id == "ignorecase") { ignorecase = !ignorecase; icbtn.classList.toggle("show", ignorecase); if (currentTerm !== null) search(currentTerm); }
        }, false);
        window.addEventListener("mouseover", function (e) {
          var f = frameOf(e.target);
          if (f) details.nodeValue = FG.nametype + " " + f.title.replace("\n", " — ");
        }, false);
        window.addEventListener("mouseout", function (e) {
          if (frameOf(e.target)) details.nodeValue = " ";
        }, false);
        window.addEventListener("keydown", function (e) {
          if (e.keyCode === 114 || (e.ctrlKey && e.keyCode === 70)) { e.preventDefault(); searchPrompt(); }
          else if (e.ctrlKey && e.keyCode === 73) { e.preventDefault(); ignorecase = !ignorecase; icbtn.classList.toggle("show", ignorecase); if (currentTerm !== null) search(currentTerm); }
        }, false);
        function label(f, w) {
          var chars = Math.floor(w / (FG.fontsize * FG.fontwidth));
          if (chars < 3) return "";
          var n = f.name.replace(/_\[[kwij]\]$/, "");
          return chars >= n.length ? n : n.substring(0, chars - 2) + "..";
        }
        function place(f, x, w) {
          f.rect.setAttribute("x", x.toFixed(1));
          f.rect.setAttribute("width", w.toFixed(1));
          f.text.setAttribute("x", (x + 3).toFixed(2));
          f.text.textContent = label(f, w);
        }
        function zoom(f) {
          var full = parseFloat(svg.getAttribute("width")) - 2 * FG.xpad;
          var ratio = full / f.w;
          unzoombtn.classList.remove("hide");
          for (var i = 0; i < F.length; i++) {
            var e = F[i];
            e.g.classList.remove("parent", "hide");
            var up = FG.inverted ? e.y < f.y : e.y > f.y;
            if (up) {
              if (e.x <= f.x + 0.0001 && e.x + e.w + 0.0001 >= f.x + f.w) { e.g.classList.add("parent"); place(e, FG.xpad, full); }
              else e.g.classList.add("hide");
            } else if (e.x < f.x - 0.0001 || e.x + 0.0001 >= f.x + f.w) {
              e.g.classList.add("hide");
            } else {
              place(e, (e.x - f.x) * ratio + FG.xpad, e.w * ratio);
            }
          }
          svg.setAttribute("data-zoomed", f.name);
          if (currentTerm !== null) search(currentTerm);
        }
        function unzoom() {
          unzoombtn.classList.add("hide");
          for (var i = 0; i < F.length; i++) {
            F[i].g.classList.remove("parent", "hide");
            place(F[i], F[i].x, F[i].w);
          }
          svg.removeAttribute("data-zoomed");
          if (currentTerm !== null) search(currentTerm);
        }
        function searchPrompt() {
          if (!searching) {
            var term = prompt("Enter a search term (regexp allowed, eg: ^ext4_)" + (ignorecase ? ", ignoring case" : "") + "\nPress Ctrl-i to toggle case sensitivity", "");
            if (term != null) search(term);
          } else resetSearch();
        }
        function resetSearch() {
          for (var i = 0; i < F.length; i++) F[i].rect.setAttribute("fill", F[i].fill);
          searching = false;
          currentTerm = null;
          searchbtn.classList.remove("show");
          searchbtn.firstChild.nodeValue = "Search";
          matchedtxt.classList.add("hide");
          matchedtxt.firstChild.nodeValue = " ";
        }
        function search(term) {
          var re;
          try { re = new RegExp(term, ignorecase ? "i" : ""); } catch (err) { matchedtxt.classList.remove("hide"); matchedtxt.firstChild.nodeValue = "Bad regexp"; return; }
          currentTerm = term;
          var widest = {}, maxw = 0, any = false;
          for (var i = 0; i < F.length; i++) {
            var f = F[i];
            if (f.w > maxw) maxw = f.w;
            if (i > 0 && re.test(f.name)) {
              f.rect.setAttribute("fill", "rgb(230,0,230)");
              if (!(f.x in widest) || widest[f.x] < f.w) widest[f.x] = f.w;
              any = true;
            } else f.rect.setAttribute("fill", f.fill);
          }
          searching = true;
          searchbtn.classList.add("show");
          searchbtn.firstChild.nodeValue = "Reset Search";
          var xs = Object.keys(widest).map(parseFloat).sort(function (a, b) { return a - b; });
          var sum = 0, lastEnd = -1;
          for (var k = 0; k < xs.length; k++) {
            var w = widest[xs[k]];
            if (xs[k] >= lastEnd - 0.0001) { sum += w; lastEnd = xs[k] + w; }
          }
          var pct = maxw > 0 ? 100 * sum / maxw : 0;
          matchedtxt.classList.remove("hide");
          matchedtxt.firstChild.nodeValue = "Matched: " + (pct == 100 ? "100" : pct.toFixed(1)) + "%";
        }
        """#
}

/// Per-name bytes for the SVG writer: the displayed name (flamegraph.pl's `_[k]` stripped),
/// raw and escaped, and its length in Unicode scalars. Index `id + 1`; slot 0 is the root, "all".
struct NameBytes {
    var arena: [UInt8] = []
    /// Raw bytes of name k: `arena[rawStart[k] ..< escStart[k]]`; escaped: `arena[escStart[k] ..< rawStart[k + 1]]`.
    var rawStart: [Int] = []
    var escStart: [Int] = []
    var scalars: [Int] = []
    var plain: [Bool] = []  // escaping changes nothing

    init(_ t: CallTree) {
        rawStart.reserveCapacity(t.names.count + 2)
        add("all")
        for n in t.names { add(FlameText.display(n)) }
        rawStart.append(arena.count)
    }

    mutating func add(_ s: String) {
        rawStart.append(arena.count)
        arena.append(contentsOf: s.utf8)
        escStart.append(arena.count)
        let e = HTMLEscape.text(s)
        arena.append(contentsOf: e.utf8)
        scalars.append(s.unicodeScalars.count)
        plain.append(e == s)
    }

    func writeTooltipName(_ id: Int, into w: inout ByteWriter) {
        let k = id + 1
        arena.withUnsafeBufferPointer { a in w.bytes(a.baseAddress! + escStart[k], rawStart[k + 1] - escStart[k]) }
    }

    /// `FlameGraphSVG.label`, escaped: as many scalars as fit, `..` when cut.
    func writeLabel(_ id: Int, pixels: Double, charWidth: Double, into w: inout ByteWriter) {
        let q = (pixels / charWidth).rounded(.towardZero)
        let chars: Int
        if q.isNaN {
            chars = 0
        } else if q >= 9.0e18 {
            chars = Int.max
        } else if q <= -9.0e18 {
            chars = Int.min
        } else {
            chars = Int(q)
        }
        if chars < 3 { return }
        let k = id + 1
        if chars >= scalars[k] {
            writeTooltipName(id, into: &w)
            return
        }
        arena.withUnsafeBufferPointer { a in
            let p = a.baseAddress! + rawStart[k]
            let n = escStart[k] - rawStart[k]
            // Byte offset of scalar `chars - 2`.
            var seen = 0
            var off = 0
            while off < n {
                if p[off] & 0xC0 != 0x80 {
                    if seen == chars - 2 { break }
                    seen += 1
                }
                off += 1
            }
            if plain[k] {
                w.bytes(p, off)
            } else {
                w.escaped(p, off)
            }
        }
        w.append("..")
    }
}

/// `FlameText.value` written in place: `1,234 samples`, or the unit's scaled label.
struct ValueWriter {
    let text: FlameText
    /// Escaped " <word>" after the commified count; nil when the unit scales.
    let suffix: [UInt8]?

    init(_ text: FlameText) {
        self.text = text
        let o = text.o
        if let c = o.countName {
            suffix = Array(HTMLEscape.text(" " + c).utf8)
        } else if text.knownUnit {
            suffix = nil
        } else {
            let word = o.unit == "count" || o.unit.isEmpty ? o.sampleType : o.unit
            suffix = Array(HTMLEscape.text(" " + word).utf8)
        }
    }

    @inline(__always) func write(_ v: Int64, into w: inout ByteWriter) {
        if let suffix {
            w.commas(v)
            w.append(suffix)
        } else {
            w.escaped(text.value(v))
        }
    }
}

/// A growable byte buffer for the flame graph writers: appends are a bounds check and a copy.
/// Owns its memory; `take` hands the bytes over and frees it.
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Whether `base` is ours to free (false while writing into a caller's buffer).
    private var owned: Bool

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 256)
        base = .allocate(capacity: self.capacity)
        owned = true
    }

    /// Writes into `buffer` until it is full, then into memory of its own.
    init(external buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? .allocate(capacity: 1)
        capacity = buffer.baseAddress == nil ? 1 : buffer.count
        owned = buffer.baseAddress == nil
    }

    /// Whether every byte is still in the caller's buffer.
    var isExternal: Bool { !owned }

    deinit { if owned { base.deallocate() } }

    @inline(never) mutating func grow(_ need: Int) {
        var c = Swift.max(capacity, 256)
        while c < need { c = c > Int.max / 2 ? need : c * 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        nb.update(from: base, count: count)
        if owned { base.deallocate() }
        base = nb
        capacity = c
        owned = true
    }

    @inline(__always) mutating func reserve(_ n: Int) {
        if n > capacity - count { grow(count + n) }
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) mutating func bytes(_ p: UnsafeRawPointer, _ n: Int) {
        if n <= 0 { return }
        reserve(n)
        (base + count).update(from: p.assumingMemoryBound(to: UInt8.self), count: n)
        count += n
    }

    @inline(__always) mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { b in if let p = b.baseAddress { bytes(p, b.count) } }
    }

    mutating func append(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { b in if let p = b.baseAddress { bytes(p, b.count) } }
    }

    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { b in if let p = b.baseAddress { bytes(p, b.count) } }
    }

    /// Text escaped as `HTMLEscape.text` does.
    mutating func escaped(_ s: String) { append(HTMLEscape.text(s)) }

    /// Decimal digits of `v`.
    mutating func int(_ v: Int64) {
        if v < 0 { byte(0x2D) }
        unsigned(v.magnitude)
    }

    mutating func unsigned(_ v: UInt64) {
        reserve(20)
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &tmp) { t in
            repeat {
                n += 1
                t[24 - n] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
                x /= 10
            } while x > 0
            bytes(t.baseAddress! + (24 - n), n)
        }
    }

    /// `1,234,567` (flamegraph.pl's commify).
    mutating func commas(_ v: Int64) {
        if v < 0 { byte(0x2D) }
        var tmp: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch
        var n = 0
        var x = v.magnitude
        var d = 0
        withUnsafeMutableBytes(of: &tmp) { t in
            repeat {
                if d > 0 && d % 3 == 0 {
                    n += 1
                    t[32 - n] = 0x2C
                }
                n += 1
                t[32 - n] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
                x /= 10
                d += 1
            } while x > 0
            bytes(t.baseAddress! + (32 - n), n)
        }
    }

    /// `Units.fixed(v, decimals: 1 or 2)` as digits: the rounded magnitude in units of the
    /// last decimal, the sign, and the printed value read back (what `Double(String)` of the
    /// text gives); nil where `Units.cFormat` falls back to printf.
    @inline(__always) static func fixedFast(_ v: Double, _ digits: Int) -> (m: UInt64, neg: Bool, value: Double)? {
        let scale = digits == 1 ? 10.0 : 100.0
        guard v.isFinite else { return nil }
        let x = v * scale
        guard abs(x) < 1e9 else { return nil }
        let r = x.rounded(.toNearestOrEven)
        if abs(abs(x - r) - 0.5) < 1e-6 { return nil }
        let q = abs(r) / scale
        let neg = v.sign == .minus
        return (UInt64(abs(r)), neg, neg ? -q : q)
    }

    /// The value `%0.Nf` prints for `v`, read back.
    static func fixedValue(_ v: Double, _ digits: Int) -> Double {
        if let f = fixedFast(v, digits) { return f.value }
        return Double(Units.cFormat(digits == 1 ? "%0.1f" : "%0.2f", v)) ?? 0
    }

    /// `%0.Nf` (N = 1 or 2) exactly as `Units.cFormat` prints it; returns the printed value
    /// read back.
    @discardableResult
    mutating func fixed(_ v: Double, _ digits: Int) -> Double {
        guard let f = ByteWriter.fixedFast(v, digits) else {
            let s = Units.cFormat(digits == 1 ? "%0.1f" : "%0.2f", v)
            append(s)
            return Double(s) ?? 0
        }
        let m = f.m
        if f.neg { byte(0x2D) }
        unsigned(m / (digits == 1 ? 10 : 100))
        reserve(3)
        base[count] = 0x2E
        if digits == 1 {
            base[count + 1] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
            count += 2
        } else {
            base[count + 1] = UInt8(truncatingIfNeeded: (m / 10) % 10) &+ 0x30
            base[count + 2] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
            count += 3
        }
        return f.value
    }

    /// `p[0..<n]` (valid UTF-8) escaped as `HTMLEscape.text` escapes it.
    mutating func escaped(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var run = 0  // start of the bytes not yet copied
        var i = 0
        while i < n {
            let b = p[i]
            if b > 0x3E && b != 0xEF || (b >= 0x20 && b != 0x26 && b != 0x3C && b != 0x3E && b != 0x22 && b != 0x27) {
                i += 1
                continue
            }
            if b == 0x09 || b == 0x0A || b == 0x0D {
                i += 1
                continue
            }
            bytes(p + run, i - run)
            switch b {
            case 0x26: append("&amp;")
            case 0x3C: append("&lt;")
            case 0x3E: append("&gt;")
            case 0x22: append("&quot;")
            case 0x27: append("&#39;")
            case 0xEF:
                if i + 2 < n && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF) {
                    append("\u{FFFD}")
                    i += 2
                } else {
                    byte(b)
                }
            default: append("\u{FFFD}")  // other control characters
            }
            i += 1
            run = i
        }
        bytes(p + run, n - run)
    }

    /// Perl's default number printing, as `FlameGraphSVG.num`.
    mutating func num(_ d: Double) {
        if d == d.rounded() && abs(d) < 1e15 {
            int(Int64(d))
            return
        }
        let h = d * 2
        if h == h.rounded() && abs(d) < 1e14 {
            // n + 0.5: `%.15g` prints every digit, then ".5".
            if d.sign == .minus { byte(0x2D) }
            unsigned(UInt64(abs(d).rounded(.towardZero)))
            byte(0x2E)
            byte(0x35)
            return
        }
        append(Units.cFormat("%.15g", d))
    }

    /// Bytes of `s` escaped as `HTMLEscape.text`, for repeated use.
    static func escapedBytes(_ s: String) -> [UInt8] { Array(HTMLEscape.text(s).utf8) }

    /// Hands the bytes over as a String.
    consuming func takeString() -> String {
        let n = count
        let p = base
        return String(unsafeUninitializedCapacity: n) { b in
            if n > 0 { b.baseAddress!.update(from: p, count: n) }
            return n
        }
    }

    /// Hands the bytes over as an array.
    consuming func takeBytes() -> [UInt8] {
        let n = count
        let p = base
        return [UInt8](unsafeUninitializedCapacity: n) { b, c in
            if n > 0 { b.baseAddress!.update(from: p, count: n) }
            c = n
        }
    }
}
