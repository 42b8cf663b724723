import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate serve` in headless Chromium: each view loaded from a running server shows what
/// the API returned (names, values, columns, sort arrows), the served flame graph page draws,
/// zooms on a click and reports the matched share of a search, and a frame named like markup
/// runs nothing. Skipped, saying so, without Chromium (`.ci/run` installs it).
@Suite(
    .serialized,
    .enabled(
        if: Browser.path != nil,
        "headless Chromium not installed (apt-get install -y chromium): serve browser tests skipped"))
struct ServeBrowserTests {
    let dir: URL
    static let allocs = "Tests/Fixtures/pprof/go1.27/allocs.pb.gz"
    static let cpu = "Tests/Fixtures/pprof/go1.27/cpu.pb.gz"
    static let cpu2 = "Tests/Fixtures/pprof/go1.27/cpu2.pb.gz"

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("servebrowser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    /// The page's DOM after its scripts and fetches settled.
    func dom(_ s: ServeProcess, _ query: String) throws -> String {
        try Browser.run(["--dump-dom", "--virtual-time-budget=5000", s.url + query], in: dir)
    }

    /// Cell texts of the first table in `main`, by row.
    func cells(_ dom: String) -> [[String]] {
        guard let main = dom.range(of: "<main id=\"main\">") else { return [] }
        let body = dom[main.upperBound...]
        var rows: [[String]] = []
        for m in body.matches(of: #/<tr[^>]*>(.*?)</tr>/#) {
            let row = String(m.1).matches(of: #/<t[dh][^>]*>(.*?)</t[dh]>/#).map {
                String($0.1).replacing(#/<[^>]*>/#, with: "").replacingOccurrences(of: "&lt;", with: "<")
                    .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
            }
            rows.append(row)
        }
        return rows
    }

    func apiJSON(_ s: ServeProcess, _ path: String) throws -> [String: Any] {
        let r = try s.get(path)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
    }

    /// Top: the table holds the API's rows in order with pprof's columns, the flat column
    /// carries the sort arrow, and the sample type switcher lists the profile's types.
    @Test func topViewShowsTheAPIsRows() throws {
        let s = try ServeProcess([Self.allocs])
        defer { s.stop() }
        let d = try dom(s, "?view=top&si=alloc_space&focus=main")
        #expect(d.contains("data-ready=\"1\""), "\(d.suffix(600))")
        let rows = cells(d)
        let head = try #require(rows.first)
        #expect(
            head.map { $0.trimmingCharacters(in: .whitespaces).filter { $0.isLetter || $0 == "%" } } == [
                "flat", "flat%", "sum%", "cum", "cum%", "name",
            ])
        #expect(head[0].contains("▼"))
        let api = try apiJSON(s, "/api/top?si=alloc_space&focus=main")
        // The name cell: the name, and pprof's "(inline)" label when the row has one.
        let names = (api["rows"] as? [[String: Any]] ?? []).map {
            ($0["name"] as? String ?? "") + (($0["inline"] as? String).map { " " + $0 } ?? "")
        }
        #expect(rows.dropFirst().map { $0.last ?? "" } == names)
        #expect(names.count > 5)
        #expect(d.contains("<option value=\"alloc_space\""), "sample switcher")
        // Sorted by cum when the URL says so.
        let c = cells(try dom(s, "?view=top&sort=cum"))
        #expect(c.first?[3].contains("▼") == true)
    }

    /// Diff: base, candidate and delta columns, grown rows marked, and the differential flame
    /// graph beside the table.
    @Test func diffViewShowsBaseCandidateDelta() throws {
        let s = try ServeProcess([Self.cpu, Self.cpu2])
        defer { s.stop() }
        let d = try dom(s, "?view=diff")
        #expect(d.contains("data-ready=\"1\""), "\(d.suffix(600))")
        let rows = cells(d)
        let head = (rows.first ?? []).map {
            $0.replacingOccurrences(of: "▼", with: "").replacingOccurrences(of: "⇅", with: "").trimmingCharacters(
                in: .whitespaces)
        }
        #expect(
            head == ["base flat", "candidate flat", "delta flat", "base cum", "candidate cum", "delta cum", "name"])
        let api = try apiJSON(s, "/api/diff")
        let apiRows = api["rows"] as? [[String: Any]] ?? []
        #expect(rows.count - 1 == apiRows.count && apiRows.count > 3)
        #expect(rows.dropFirst().map { $0.last ?? "" } == apiRows.map { $0["name"] as? String ?? "" })
        #expect(d.contains("class=\"grew\"") || d.contains("class=\" grew\""))
        #expect(d.contains("src=\"/ui/flame?diff=1\""))
    }

    /// Peek and source views list what the API returned.
    @Test func peekAndSourceViews() throws {
        let s = try ServeProcess([Self.allocs])
        defer { s.stop() }
        let p = try dom(s, "?view=peek&regex=buildLineItems")
        #expect(p.contains("data-ready=\"1\""), "\(p.suffix(600))")
        #expect(p.contains("<h2>main.buildLineItems"))
        #expect(p.contains(">caller<") && p.contains(">self<"))
        let l = try dom(s, "?view=source&regex=buildLineItems")
        #expect(l.contains("data-ready=\"1\""), "\(l.suffix(600))")
        #expect(l.contains("<h3>main.buildLineItems"))
    }

    /// The served flame page: the same data as `flamegate flame -o x.html`, drawn; a click on
    /// a frame zooms (Reset zoom enabled, the table follows); a search reports its share.
    @Test func flamePageDrawsZoomsAndSearches() throws {
        let s = try ServeProcess([Self.allocs])
        defer { s.stop() }
        let page = try s.get("/ui/flame?si=alloc_space")
        #expect(page.status == 200)
        let out = dir.appendingPathComponent("cli.html").path
        #expect(
            try Fixtures.run(["flame", "--sample-index", "alloc_space", Self.allocs, "-o", out], cwd: Fixtures.root)
                .status == 0)
        let cliPage = try String(contentsOfFile: out, encoding: .utf8)
        func data(_ h: String) -> Substring? {
            guard let a = h.range(of: "<script id=\"fgdata\" type=\"application/json\">"),
                let b = h.range(of: "</script>", range: a.upperBound..<h.endIndex)
            else { return nil }
            return h[a.upperBound..<b.lowerBound]
        }
        #expect(
            data(page.text) != nil && data(page.text) == data(cliPage), "served flame data differs from the CLI's page")
        #expect(page.text.contains("<script src=\"/static/flamegraph-html.js\"></script>"))
        // Drawn by the served script (inlined here so the probe may run beside it).
        let script = try s.get("/static/flamegraph-html.js").text
        let html = page.text.replacingOccurrences(
            of: "<script src=\"/static/flamegraph-html.js\"></script>", with: "<script>\n\(script)\n</script>"
        ).replacing(#/<meta http-equiv="Content-Security-Policy"[^>]*>/#, with: "")
        let probe = Browser.probe(
            delay: 100,
            """
            var i = fg.find("main.buildLineItemsRegress");
            r.found = i;
            r.tip = fg.tooltip(i);
            var rect = c.getBoundingClientRect();
            var hitX = -1, hitY = -1;
            for (var y = rect.height - 2; y > 0 && hitX < 0; y -= 4)
              for (var x = 12; x < rect.width - 12; x += 3) { if (fg.hit(x, y) === i) { hitX = x; hitY = y; break; } }
            r.hitFound = hitX >= 0;
            c.dispatchEvent(new MouseEvent("click", {clientX: rect.left + hitX, clientY: rect.top + hitY, bubbles: true}));
            r.resetEnabled = !document.getElementById("reset").disabled;
            r.zoomTop = fg.tableRows()[0][0];
            fg.reset();
            fg.search("buildLineItems");
            r.matched = document.getElementById("matched").textContent;
            """)
        let d = try Browser.dumpDOM(html, probe: probe, in: dir)
        let r = try #require(Browser.probeResult(d), "no probe output: \(d.suffix(400))")
        #expect(r["error"] == nil, "\(r["error"] ?? "")")
        #expect((r["painted"] as? Int ?? 0) > 10_000)
        #expect((r["found"] as? Int ?? -1) > 0)
        #expect((r["tip"] as? String)?.hasPrefix("main.buildLineItemsRegress\n") == true)
        #expect(r["hitFound"] as? Bool == true)
        #expect(r["resetEnabled"] as? Bool == true, "click did not zoom")
        #expect(r["zoomTop"] as? String == "main.buildLineItemsRegress")
        let m = r["matched"] as? String ?? ""
        #expect(m.contains(#/Matched: \d+(\.\d+)?% of total/#), "\(m)")
    }

    /// Names that are markup stay text: a frame named `<img src=x onerror=…>` is a table cell's
    /// text, no element is made of it, and its handler (which would retitle the page and add
    /// a marker element) never runs, in the top view, peek, or the flame page.
    @Test func hostileFrameNamesRunNothing() throws {
        let f = dir.appendingPathComponent("hostile.folded")
        let evil =
            "<img src=x onerror=\"document.title='pwned';document.body.appendChild(document.createElement('xss-ran'))\">"
        try "main;\(evil) 10\nmain;<script>document.title='pwned'</script> 7\nmain;ok 5\n".write(
            to: f, atomically: true, encoding: .utf8)
        let s = try ServeProcess([f.path])
        defer { s.stop() }
        for view in ["?view=top", "?view=peek&regex=img", "?view=flame"] {
            let d = try dom(s, view)
            #expect(d.contains("data-ready=\"1\""), "\(view): \(d.suffix(400))")
            #expect(d.contains("<title>Flamegate</title>"), "\(view)")
            #expect(!d.contains("<img src=\"x\"") && !d.contains("<xss-ran"), "\(view): markup from a name was parsed")
            #expect(!d.contains("pwned</title>"))
            if view == "?view=top" { #expect(d.contains("&lt;img src=x onerror="), "the name is shown as text") }
        }
        let flame = try dom(s, "ui/flame")
        #expect(!flame.contains("<xss-ran") && !flame.contains("<img src=\"x\""))
        #expect(!flame.contains("pwned</title>"))
    }
}
