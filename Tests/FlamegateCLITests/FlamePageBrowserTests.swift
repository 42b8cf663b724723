import FlamegateTestSupport
import Foundation
import Testing

/// Headless Chromium, when installed (`apt-get install -y chromium`; `.ci/run` installs it).
/// `FLAMEGATE_CHROMIUM` names another binary. Without one the browser tests are skipped, and
/// the skip says why.
enum Browser {
    static let path: String? = {
        let env = ProcessInfo.processInfo.environment["FLAMEGATE_CHROMIUM"]
        return [env, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The DOM of `html` after its scripts (and timers, up to 5 s of virtual time) ran, with
    /// `probe` appended as a last script: the page's own code is what runs, the probe only reads it.
    static func dumpDOM(_ html: String, probe: String, in dir: URL) throws -> String {
        let page = dir.appendingPathComponent("page-\(UUID().uuidString).html")
        let body = html.replacingOccurrences(of: "</body>", with: "<script>\n\(probe)\n</script>\n</body>")
        try body.write(to: page, atomically: true, encoding: .utf8)
        return try run(["--dump-dom", "--virtual-time-budget=5000", page.absoluteString], in: dir)
    }

    /// A PNG of `path` at 1400×900.
    static func screenshot(_ path: String, to png: String, in dir: URL) throws {
        _ = try run(
            [
                "--screenshot=\(png)", "--window-size=1400,900", "--hide-scrollbars",
                URL(fileURLWithPath: path).absoluteString,
            ],
            in: dir)
    }

    static func run(_ args: [String], in dir: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path!)
        let profile = dir.appendingPathComponent("chromium-\(UUID().uuidString)").path
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"] + args
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = dir.path
        env["XDG_CACHE_HOME"] = dir.path
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: o, as: UTF8.self)
    }

    /// The JSON the probe left in `<pre id="probe">`.
    static func probeResult(_ dom: String) -> [String: Any]? {
        guard let a = dom.range(of: "<pre id=\"probe\">"),
            let b = dom.range(of: "</pre>", range: a.upperBound..<dom.endIndex)
        else { return nil }
        let json = String(dom[a.upperBound..<b.lowerBound]).replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&")
        return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
    }

    /// Probe code: `body` fills `r`, which is written out as JSON `delay` ms after load.
    static func probe(delay: Int = 0, _ body: String) -> String {
        """
        setTimeout(function () {
          var r = {}, fg = window.flamegate, c = document.getElementById("fg");
          var px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, painted = 0;
          for (var k = 3; k < px.length; k += 4) if (px[k]) painted++;
          r.painted = painted;
          try { \(body) } catch (e) { r.error = String(e); }
          var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(r);
          document.body.appendChild(pre);
        }, \(delay));
        """
    }
}

@Suite(
    .enabled(
        if: Browser.path != nil,
        "headless Chromium not installed (apt-get install -y chromium): flame page browser tests skipped"))
struct FlamePageBrowserTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamebrowser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func page(_ args: [String]) throws -> String {
        let out = dir.appendingPathComponent("g-\(UUID().uuidString).html").path
        let r = try Fixtures.run(["flame"] + args + ["-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    /// Title, subtitle and legend are on the page; the canvas is painted; typing in the search
    /// box (no Enter) highlights and reports "Matched: N% of total".
    @Test func plainPageExplainsItselfAndSearchesAsYouType() throws {
        let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let html = try page([cpu])
        let probe = Browser.probe(
            delay: 100,
            """
            r.title = document.getElementById("title").textContent;
            r.subtitle = document.getElementById("subtitle").textContent;
            r.legend = document.getElementById("legend").textContent;
            var t = document.getElementById("term"); t.value = "runtime\\\\."; t.dispatchEvent(new Event("input"));
            setTimeout(function () {}, 0);
            """)
        // A second probe reads the search result after the typing pause.
        let later = Browser.probe(delay: 1000, "r.matched = document.getElementById(\"matched\").textContent;")
            .replacingOccurrences(of: "\"probe\"", with: "\"probe2\"")
        let dom = try Browser.dumpDOM(html, probe: probe + "\n" + later, in: dir)
        let r = try #require(Browser.probeResult(dom), "no probe output: \(dom.suffix(500))")
        #expect(r["error"] == nil, "\(r["error"] ?? "")")
        #expect((r["painted"] as? Int ?? 0) > 10_000, "canvas blank: \(r["painted"] ?? 0) painted pixels")
        #expect(r["title"] as? String == "Flame Graph: cpu.pb.gz — cpu (nanoseconds)")
        #expect((r["subtitle"] as? String)?.contains("samples, duration") == true)
        #expect((r["legend"] as? String)?.contains("user code") == true)
        let m = try #require(dom.firstMatch(of: #/<pre id="probe2">(.*?)</pre>/#).map { String($0.1) })
        #expect(m.contains(#/Matched: \d+(\.\d)?% of total/#), "\(m)")
    }

    /// Decimal folded counts (stored ×1000) read as whole samples on the page, as in the SVG
    /// and flamegraph.pl: 22.125 in all shows as "22 samples", never "22,125 count/1000".
    @Test func decimalCountsReadAsSamples() throws {
        let html = try page([Fixtures.path("flame/fractional.folded")])
        let dom = try Browser.dumpDOM(html, probe: Browser.probe("r.ok = 1;"), in: dir)
        // What the page shows: the DOM without its scripts (the embedded data keeps the unit).
        let shown = dom.replacing(#/<script[^>]*>[\s\S]*?</script>/#, with: "")
        #expect(shown.contains("22 samples"), "\(shown.suffix(400))")
        #expect(!shown.contains("count/1000") && !shown.contains("22,125"), "\(shown.suffix(400))")
    }

    /// The HTML page colours every frame of a differential graph as the SVG does
    /// (flamegraph.pl's scheme), and its legend says what red and blue mean.
    @Test func differentialColoursEqualTheSVGs() throws {
        let cand = Fixtures.path("pprof/go1.27/cpu.pb.gz")
        let base = Fixtures.path("pprof/go1.19/cpu.pb.gz")
        let html = try page([cand, "--diff-base", base, "--minwidth", "0"])
        let svg = try Fixtures.run(["flame", cand, "--diff-base", base, "--minwidth", "0", "-o", "-"])
        let fills = Flame.frames(svg.stdout).map(\.fill)
        let dom = try Browser.dumpDOM(
            html,
            probe: Browser.probe(
                """
                r.colors = []; for (var i = 0; i < fg.count; i++) r.colors.push(fg.colorOf(i));
                r.legend = document.getElementById("legend").textContent;
                """), in: dir)
        let r = try #require(Browser.probeResult(dom), "no probe output")
        #expect((r["painted"] as? Int ?? 0) > 10_000)
        let colors = try #require(r["colors"] as? [String])
        #expect(colors.count == fills.count && fills.count > 10)
        #expect(colors == fills)
        #expect(Set(fills).contains { $0.hasPrefix("rgb(255,") && $0 != "rgb(255,255,255)" })
        #expect(Set(fills).contains { $0.hasSuffix(",255)") && $0 != "rgb(255,255,255)" })
        #expect(
            (r["legend"] as? String)?.contains("grew") == true && (r["legend"] as? String)?.contains("shrank") == true)
        #expect(svg.stdout.contains(">grew</text>") && svg.stdout.contains(">only in base</text>"))
    }

    /// A frame named `<script>…` is drawn as text: nothing of it runs.
    @Test func hostileNamesRunNothing() throws {
        let f = dir.appendingPathComponent("hostile.folded")
        try
            "main;<script>document.title='pwned'</script>;<img src=x onerror=\"document.title='pwned'\"> 10\nmain;ok 5\n"
            .write(to: f, atomically: true, encoding: .utf8)
        let html = try page([f.path, "--title", "<script>document.title='pwned'</script>"])
        let dom = try Browser.dumpDOM(html, probe: Browser.probe("r.doc = document.title;"), in: dir)
        let r = try #require(Browser.probeResult(dom))
        #expect(r["doc"] as? String != "pwned")
        #expect(!dom.contains("<img src=\"x\""))
    }

    /// The function table holds every function (rows beyond the view are not in the DOM),
    /// sorts by the clicked column with an arrow on it, and follows the zoom.
    @Test func tableIsCompleteVirtualSortableAndFollowsZoom() throws {
        let f = dir.appendingPathComponent("wide.folded")
        var text = ""
        for k in 0..<3000 { text += "main;work;w\(k) \(1 + k % 5)\nmain;idle;i\(k) 1\n" }
        try text.write(to: f, atomically: true, encoding: .utf8)
        let html = try page([f.path])
        let dom = try Browser.dumpDOM(
            html,
            probe: Browser.probe(
                """
                var t = document.getElementById("fntable");
                r.rows = +t.getAttribute("data-rows");
                r.domRows = t.querySelectorAll("tbody tr:not(.spacer)").length;
                r.arrow = document.querySelector('th[data-k="self"]').getAttribute("data-arrow");
                document.querySelector('th[data-k="name"]').click();
                r.byName = fg.tableRows().slice(0, 3).map(function (x) { return x[0]; });
                r.nameArrow = document.querySelector('th[data-k="name"]').getAttribute("data-arrow");
                document.querySelector('th[data-k="name"]').click();
                r.nameArrow2 = document.querySelector('th[data-k="name"]').getAttribute("data-arrow");
                fg.zoom(fg.find("idle"));
                r.zoomRows = +t.getAttribute("data-rows");
                r.zoomTop = fg.tableRows()[0];
                r.caption = document.getElementById("tablecap").textContent;
                var wrap = document.getElementById("tablewrap"); wrap.scrollTop = 20 * 2000; wrap.dispatchEvent(new Event("scroll"));
                """), in: dir)
        let r = try #require(Browser.probeResult(dom), "no probe output")
        #expect(r["error"] == nil, "\(r["error"] ?? "")")
        #expect(r["rows"] as? Int == 6003)  // main, work, idle and 6000 leaves: no 500-row cap
        #expect((r["domRows"] as? Int ?? 0) < 100, "virtualized: \(r["domRows"] ?? 0) rows in the DOM")
        #expect(r["arrow"] as? String == "▼")
        #expect(r["byName"] as? [String] == ["i0", "i1", "i10"])
        #expect(r["nameArrow"] as? String == "▲" && r["nameArrow2"] as? String == "▼")
        #expect(r["zoomRows"] as? Int == 3001)  // idle and its 3000 leaves
        #expect((r["zoomTop"] as? [Any])?.first as? String == "idle")
        #expect((r["caption"] as? String)?.contains("under idle") == true)
    }

    /// A 1 M-frame, 500-deep graph draws its first frame with the root in view (the canvas is
    /// as tall as the view, scrolled to the root) and not blank; with FLAMEGATE_BENCH_TIMING=1,
    /// within 1 s of navigation.
    @Test func deepGraphDrawsRootFirstAndFast() throws {
        let f = dir.appendingPathComponent("deep.folded")
        var text = ""
        text.reserveCapacity(7_000_000)
        for k in 0..<2000 {
            text += "root;g\(k)"
            for d in 2..<500 { text += ";f\(d % 50)_\(k % 100)" }
            text += " \(1 + k % 7)\n"
        }
        try text.write(to: f, atomically: true, encoding: .utf8)
        let html = try page([f.path])
        let dom = try Browser.dumpDOM(
            html,
            probe: Browser.probe(
                """
                r.count = fg.count;
                r.first = +c.getAttribute("data-first-draw-ms");
                var w = document.getElementById("wrap");
                r.atRoot = w.scrollTop + w.clientHeight >= w.scrollHeight - 1;
                var ratio = c.width / c.clientWidth, h = c.height;
                var row = c.getContext("2d").getImageData(0, h - Math.round(8 * ratio), c.width, 1).data, bottom = 0;
                for (var k = 3; k < row.length; k += 4) if (row[k]) bottom++;
                r.bottom = bottom / c.width;
                r.hit = fg.hit(c.clientWidth / 2, c.clientHeight - 8);
                """), in: dir)
        let r = try #require(Browser.probeResult(dom), "no probe output")
        #expect(r["error"] == nil, "\(r["error"] ?? "")")
        #expect((r["count"] as? Int ?? 0) > 990_000)
        #expect((r["painted"] as? Int ?? 0) > 100_000, "blank canvas")
        #expect(r["atRoot"] as? Bool == true)
        #expect((r["bottom"] as? Double ?? 0) > 0.9, "root row not painted across: \(r["bottom"] ?? 0)")
        #expect(r["hit"] as? Int == 0, "the bottom row is the root")
        let first = r["first"] as? Int ?? .max
        #expect(first > 0 && first < .max, "no first draw recorded")
        // The time is a benchmark figure, not a unit-test verdict (a loaded machine is slower):
        // FLAMEGATE_BENCH_TIMING=1 checks the issue's "under 1 s" and prints it (Benchmarks/README.md).
        if ProcessInfo.processInfo.environment["FLAMEGATE_BENCH_TIMING"] == "1" {
            print("deep flame page: first frame drawn \(first) ms after navigation (\(r["count"] ?? 0) frames)")
            #expect(first < 1000, "first frame drawn \(first) ms after navigation")
        }
    }
}
