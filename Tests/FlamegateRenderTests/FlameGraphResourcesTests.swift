import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// The flame graphs' script and style files (`Sources/FlamegateRender/FlameGraph/*.js|css`,
/// embedded with `.embedInCode`): readable as text, embedded as they are, valid as code.
@Suite struct FlameGraphResourcesTests {
    /// Every embedded file, by name, as SwiftPM generated it.
    static let files: [(name: String, bytes: [UInt8])] = [
        ("flamegraph-svg.css", PackageResources.flamegraph_svg_css),
        ("flamegraph-svg-config.js", PackageResources.flamegraph_svg_config_js),
        ("flamegraph-svg.js", PackageResources.flamegraph_svg_js),
        ("flamegraph-html.css", PackageResources.flamegraph_html_css),
        ("flamegraph-html.js", PackageResources.flamegraph_html_js),
    ]

    /// The placeholders each template may use (the writers fill exactly these).
    static let placeholders: [String: Set<String>] = [
        "flamegraph-svg.css": ["fontFamily", "fontSize", "titleFontSize"],
        "flamegraph-svg-config.js": ["xpad", "fontSize", "fontWidth", "inverted", "nameType"],
        "flamegraph-svg.js": [],
        "flamegraph-html.css": ["fontFamily", "background1", "background2"],
        "flamegraph-html.js": [],
    ]

    static func names(in text: String) -> Set<String> {
        Set(text.matches(of: #/\{\{([A-Za-z0-9]+)\}\}/#).map { String($0.1) })
    }

    /// A small, plain (not differential) tree with a hostile name.
    static func layout() -> FlameLayout {
        let p = Flame.profile("main;work;parse 10\nmain;work;emit 5\nmain;\(Flame.hostile) 3\nmain 2")
        return FlameLayout(CallTree(profile: p, sampleIndex: 0))
    }

    static func options() -> FlameGraphOptions {
        var o = FlameGraphOptions()
        o.fontType = "Courier New"
        o.fontSize = 9.5
        o.nameType = "Fn:"
        o.inverted = true
        o.bgColors = "blue"
        return o
    }

    @Test func filesAreNonEmptyUTF8TextWithAFinalNewline() {
        #expect(Self.files.count == Self.placeholders.count)
        for f in Self.files {
            #expect(!f.bytes.isEmpty, "\(f.name)")
            #expect(String(validating: f.bytes, as: UTF8.self) != nil, "\(f.name) is not UTF-8")
            #expect(f.bytes.last == 0x0A, "\(f.name) ends without a newline")
            #expect(!f.bytes.contains(0x0D) && !f.bytes.contains(0), "\(f.name): CR or NUL")
        }
    }

    @Test func filesCannotEndTheirElementEarly() {
        // A script holding `</script` would close the HTML <script> element; `]]>` would
        // close the SVG script's CDATA section.
        for f in Self.files {
            let text = String(decoding: f.bytes, as: UTF8.self)
            #expect(!text.lowercased().contains("</script"), "\(f.name)")
            #expect(!text.lowercased().contains("</style"), "\(f.name)")
            #expect(!text.contains("]]>"), "\(f.name)")
        }
    }

    @Test func templatesUseOnlyTheValuesTheWritersFill() {
        for f in Self.files {
            let text = String(decoding: f.bytes, as: UTF8.self)
            #expect(Self.names(in: text) == Self.placeholders[f.name], "\(f.name)")
        }
    }

    @Test func fillIsOnePassAndLeavesUnknownNames() {
        let t = "a {{x}} b {{y}} {{x}}{ {{}} {{x y}} }}"
        #expect(FlameGraphAssets.fill(t, ["x": "{{y}}", "y": "2"]) == "a {{y}} b 2 {{y}}{ {{}} {{x y}} }}")
        #expect(FlameGraphAssets.fill(t, [:]) == t)
        #expect(FlameGraphAssets.text(Array("a\nb\n".utf8)) == "a\nb")
        #expect(FlameGraphAssets.text(Array("a".utf8)) == "a")
    }

    @Test func svgEmbedsItsFiles() {
        let o = Self.options()
        let svg = FlameGraphSVG.render(Self.layout(), options: o)
        let style = FlameGraphAssets.fill(
            FlameGraphAssets.svgStyle, ["fontFamily": "Courier New", "fontSize": "9.5", "titleFontSize": "14.5"])
        #expect(svg.contains("<style type=\"text/css\">\n" + style + "\n</style>\n"))
        #expect(style.contains("font-family:Courier New; font-size:9.5px;"))
        let config = FlameGraphAssets.fill(
            FlameGraphAssets.svgConfig,
            ["xpad": "10", "fontSize": "9.5", "fontWidth": "0.59", "inverted": "true", "nameType": "\"Fn:\""])
        #expect(
            svg.contains(
                "<script type=\"text/ecmascript\">\n<![CDATA[\n" + config + "\n" + FlameGraphAssets.svgScript
                    + "\n]]>\n</script>\n"))
        // The script file, verbatim but for its final newline.
        let script = String(decoding: PackageResources.flamegraph_svg_js.dropLast(), as: UTF8.self)
        #expect(svg.contains(script))
        #expect(!svg.contains("{{"))
        #expect(Array(svg.utf8) == FlameGraphSVG.renderBytes(Self.layout(), options: o))
    }

    @Test func htmlEmbedsItsFiles() {
        let html = String(decoding: FlameGraphHTML.render(Self.layout(), options: Self.options()), as: UTF8.self)
        let style = FlameGraphAssets.fill(
            FlameGraphAssets.htmlStyle,
            ["fontFamily": "Courier New", "background1": "#eeeeee", "background2": "#e0e0ff"])
        #expect(html.contains("<style>\n" + style + "\n</style>\n"))
        #expect(style.contains("font-family: Courier New, sans-serif;"))
        #expect(style.contains("background: linear-gradient(#eeeeee, #e0e0ff);"))
        let script = String(decoding: PackageResources.flamegraph_html_js.dropLast(), as: UTF8.self)
        #expect(html.hasSuffix("<script>\n" + script + "</script>\n</body>\n</html>\n"))
        #expect(!html.contains("{{"))
    }

    /// `node`, when this machine has it (CI may not: the check is skipped there).
    static let node: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/node"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// `node --check` on each script: the messages of those that do not parse.
    static func syntaxErrors(_ scripts: [(name: String, text: String)]) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flame-js-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var errors: [String] = []
        for s in scripts {
            let file = dir.appendingPathComponent(s.name)
            try s.text.write(to: file, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: node!)
            p.arguments = ["--check", file.path]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if p.terminationStatus != 0 { errors.append("\(s.name): \(String(decoding: e, as: UTF8.self))") }
        }
        return errors
    }

    @Test(.enabled(if: FlameGraphResourcesTests.node != nil, "node is not installed"))
    func scriptsParseAsJavaScript() throws {
        // The script files as they are, and the scripts as the SVG and the page carry them.
        let svg = FlameGraphSVG.render(Self.layout(), options: Self.options())
        let svgScript = svg.components(separatedBy: "<![CDATA[\n")[1].components(separatedBy: "\n]]>")[0]
        let html = String(decoding: FlameGraphHTML.render(Self.layout(), options: Self.options()), as: UTF8.self)
        let htmlScript = html.components(separatedBy: "<script>\n")[1].components(separatedBy: "</script>")[0]
        let errors = try Self.syntaxErrors([
            ("flamegraph-svg.js", FlameGraphAssets.svgScript),
            ("flamegraph-html.js", FlameGraphAssets.htmlScript),
            ("svg-as-written.js", svgScript),
            ("html-as-written.js", htmlScript),
        ])
        #expect(errors.isEmpty, "\(errors)")
        let config = "var FG = {xpad: 10, fontsize: 9.5, fontwidth: 0.59, inverted: true, nametype: \"Fn:\"};\n"
        #expect(svgScript.hasPrefix(config))
    }
}
