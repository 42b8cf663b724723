import FlamegateTestSupport
import Foundation
import Testing

/// `flamegate serve` run as the built binary: every API endpoint returns the bytes the CLI's
/// `--format json` prints for the same options (long and pprof's short parameter names),
/// `?profile=N` picks a profile, and the server's defences hold (Host check, headers,
/// uploads bounded and checked).
@Suite(.serialized) struct ServeCommandTests {
    static let allocs = "Tests/Fixtures/pprof/go1.27/allocs.pb.gz"
    static let cpu = "Tests/Fixtures/pprof/go1.27/cpu.pb.gz"
    static let cpu2 = "Tests/Fixtures/pprof/go1.27/cpu2.pb.gz"

    /// The CLI's stdout for `args`, run from the repository root (paths as the server got them).
    func cli(_ args: [String]) throws -> String {
        let r = try Fixtures.run(args, cwd: Fixtures.root)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return r.stdout
    }

    func same(_ server: ServeProcess, _ path: String, _ args: [String]) throws {
        let reply = try server.get(path)
        #expect(reply.status == 200, "\(path): \(reply.text)")
        #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
        let want = try cli(args)
        #expect(reply.text == want, "GET \(path) differs from flamegate \(args.joined(separator: " "))")
        #expect(!want.isEmpty)
    }

    @Test func apiEqualsCLIJSON() throws {
        let s = try ServeProcess([Self.allocs])
        defer { s.stop() }
        let a = Self.allocs
        try same(
            s, "/api/top?sample_index=alloc_space&focus=main",
            ["top", "--format", "json", "--sample-index", "alloc_space", "--focus", "main", a])
        try same(
            s, "/api/top?si=alloc_space&f=main",
            ["top", "--format", "json", "--sample-index", "alloc_space", "--focus", "main", a])
        try same(
            s, "/api/top?si=inuse_space&h=%5Eruntime%5C.&n=10&cum",
            [
                "top", "--format", "json", "-sample_index=inuse_space", "--hide", "^runtime\\.", "--nodecount", "10",
                "--cum", a,
            ])
        try same(
            s, "/api/top?sample_index=alloc_objects&ignore=fmt&show_from=main&granularity=filefunctions",
            [
                "top", "--format", "json", "--sample-index", "alloc_objects", "--ignore", "fmt", "--show-from", "main",
                "--granularity", "filefunctions", a,
            ])
        try same(
            s, "/api/top?s=main&sf=main&i=Sprint&prunefrom=mallocgc",
            [
                "top", "--format", "json", "--show", "main", "--show-from", "main", "--ignore", "Sprint",
                "--prune-from", "mallocgc", a,
            ])
        try same(s, "/api/flame", ["flame", "--format", "json", "-o", "-", a])
        try same(
            s, "/api/flame?si=alloc_objects&i=runtime&minwidth=1%25",
            [
                "flame", "--format", "json", "-o", "-", "--sample-index", "alloc_objects", "--ignore", "runtime",
                "--minwidth", "1%", a,
            ])
        try same(s, "/api/peek?regex=mallocgc", ["peek", "--format", "json", "mallocgc", a])
        try same(
            s, "/api/peek?regex=main%5C.&si=alloc_space&f=main",
            ["peek", "--format", "json", "--sample-index", "alloc_space", "--focus", "main", "main\\.", a])
        try same(s, "/api/list?regex=buildLineItems", ["list", "--format", "json", "buildLineItems", a])
        try same(s, "/api/info", ["info", "--format", "json", a])
    }

    @Test func severalProfilesMergeOrPick() throws {
        let s = try ServeProcess([Self.cpu, Self.cpu2])
        defer { s.stop() }
        try same(s, "/api/top", ["top", "--format", "json", Self.cpu, Self.cpu2])
        try same(s, "/api/top?profile=1&f=main", ["top", "--format", "json", "--focus", "main", Self.cpu2])
        try same(s, "/api/flame?profile=0", ["flame", "--format", "json", "-o", "-", Self.cpu])
        try same(s, "/api/diff", ["diff", "--format", "json", Self.cpu, Self.cpu2])
        try same(
            s, "/api/diff?base=1&profile=0&n=5&cum",
            ["diff", "--format", "json", "--nodecount", "5", "--cum", Self.cpu2, Self.cpu])
        try same(s, "/api/flame?diff=1", ["flame", "--format", "json", "-o", "-", "--diff-base", Self.cpu, Self.cpu2])
        try same(s, "/api/info?profile=1", ["info", "--format", "json", Self.cpu2])
        let bad = try s.get("/api/top?profile=7")
        #expect(bad.status == 400 && bad.text.contains("not one of the 2 loaded profiles"), "\(bad.text)")
    }

    /// The call graph view: `flamegate dot`'s graph for the same options, laid out by Graphviz
    /// (skipped, saying so, without `dot`).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "graphviz's dot not installed"))
    func graphViewIsTheDotReportLaidOut() throws {
        let s = try ServeProcess([Self.cpu])
        defer { s.stop() }
        let g = try s.get("/ui/graph.svg?f=main&n=20")
        #expect(g.status == 200, "\(g.text.prefix(300))")
        #expect(g.headers["content-type"] == "image/svg+xml")
        #expect(g.text.contains("<svg") && g.text.contains("main.payHandler"))
        #expect(!g.text.contains("<script"))
        let dot = try cli(["dot", "--focus", "main", "--nodecount", "20", Self.cpu])
        // The DOT report's nodes (by their tooltips) are in the drawing.
        let nodes = dot.split(separator: "\n").filter { $0.hasPrefix("N") && !$0.contains(" -> ") }.compactMap {
            $0.firstMatch(of: #/ tooltip="([A-Za-z0-9./*()_]+) \(/#).map { String($0.1) }
        }
        #expect(nodes.count >= 5, "\(nodes)")
        for n in nodes { #expect(g.text.contains(n), "\(n) missing from the drawing") }
    }

    @Test func diffBaseAppliesToEveryView() throws {
        let s = try ServeProcess(["--diff-base", Self.cpu, Self.cpu2])
        defer { s.stop() }
        try same(s, "/api/top", ["top", "--format", "json", "--diff-base", Self.cpu, Self.cpu2])
        try same(s, "/api/diff", ["diff", "--format", "json", Self.cpu, Self.cpu2])
    }

    @Test func foreignHostIsRefused() throws {
        let s = try ServeProcess([Self.cpu])
        defer { s.stop() }
        let evil = try s.get("/api/info", host: "evil.example:\(s.port)")
        #expect(evil.status == 421, "\(evil.status) \(evil.text)")
        #expect(try s.get("/api/info", host: "localhost:\(s.port)").status == 200)
        #expect(try s.get("/api/info", host: "127.0.0.1:\(s.port + 1)").status == 421)
        let page = try s.get("/")
        #expect(page.status == 200)
        let csp = page.headers["content-security-policy"] ?? ""
        #expect(csp.contains("script-src 'self';"), "\(csp)")  // no inline script, no eval
        #expect(csp.contains("default-src 'none'"))
        #expect(page.headers["x-content-type-options"] == "nosniff")
        // The page has no inline script: only same-origin script files.
        #expect(!page.text.contains("<script>"))
        // No file outside what was loaded can be named.
        #expect(try s.get("/api/top?profile=-1").status == 400)
        #expect(try s.get("/etc/passwd").status == 404)
    }

    @Test func nonLoopbackBindWarns() throws {
        let s = try ServeProcess([Self.cpu], http: "0.0.0.0:0")
        let err = s.stop()
        #expect(err.contains("warning: serving on every network interface"), "\(err)")
    }

    @Test func pprofHTTPFlagStartsTheServer() throws {
        let s = try ServeProcess([], commandLine: ["-http=:0", Self.cpu])
        defer { s.stop() }
        #expect(s.url.hasPrefix("http://127.0.0.1:"))
        try same(s, "/api/top", ["top", "--format", "json", Self.cpu])
    }

    @Test func uploadsAreCheckedAndBounded() throws {
        let s = try ServeProcess(["--max-upload", "300KB", Self.cpu])
        defer { s.stop() }
        let bytes = try Fixtures.bytes(atPath: Fixtures.root + "/" + Self.cpu2)
        // Raw body.
        let r = try s.request("POST", "/api/profiles?name=cpu2.pb.gz", body: bytes)
        #expect(r.status == 201, "\(r.text)")
        #expect(r.text.contains("\"index\":1"))
        let top = try s.get("/api/top?profile=1")
        #expect(top.text == (try cli(["top", "--format", "json", Self.cpu2])))
        // Multipart, as a browser's form sends it.
        let boundary = "----flamegate\(UUID().uuidString)"
        let body =
            Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"again.pb.gz\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8)
            + bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        let m = try s.request(
            "POST", "/api/profiles", headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
            body: body)
        #expect(m.status == 201 && m.text.contains("again.pb.gz"), "\(m.text)")
        // Corrupt: 400 with the reader's one-line error, and the server keeps serving.
        let junk = Array("\u{1f}\u{8b}garbage that is not gzip".utf8)
        let c = try s.request("POST", "/api/profiles?name=junk.pb.gz", body: junk)
        #expect(c.status == 400, "\(c.text)")
        let path = try Fixtures.tempFile("junk.pb.gz", junk, group: "serve")
        let cliErr = try Fixtures.run(["top", path]).stderr
        let message =
            cliErr.components(separatedBy: "junk.pb.gz: ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        #expect(c.text.contains(message.replacingOccurrences(of: "\"", with: "\\\"")), "\(c.text) vs CLI \(cliErr)")
        #expect(!c.text.dropLast().contains("\n"))
        // Too large: 413, nothing kept.
        let big = [UInt8](repeating: 0, count: 400_000)
        let t = try s.request("POST", "/api/profiles", body: big)
        #expect(t.status == 413, "\(t.status) \(t.text)")
        let list = try s.get("/api/profiles")
        #expect(list.text.components(separatedBy: "\"index\"").count - 1 == 3, "\(list.text)")
        #expect(try s.get("/api/info").status == 200)
    }

    /// A URL input is captured once at start and again on "capture again" (POST
    /// /api/profiles/N/capture): the views then show the new capture.
    @Test func urlInputCanBeCapturedAgain() throws {
        let first = try Fixtures.bytes(atPath: Fixtures.root + "/" + Self.cpu)
        let second = try Fixtures.bytes(atPath: Fixtures.root + "/" + Self.cpu2)
        let count = Counter()
        let origin = try LoopbackServer { _, fd, _ in
            LoopbackServer.respond(fd, status: "200 OK", body: count.next() == 1 ? first : second)
        }
        defer { origin.stop() }
        let s = try ServeProcess([origin.base + "/debug/pprof/heap"])
        defer { s.stop() }
        #expect(try s.get("/api/profiles").text.contains("\"url\":true"))
        #expect(try s.get("/api/top").text == (try cli(["top", "--format", "json", Self.cpu])))
        let r = try s.request("POST", "/api/profiles/0/capture")
        #expect(r.status == 200, "\(r.text)")
        #expect(try s.get("/api/top").text == (try cli(["top", "--format", "json", Self.cpu2])))
        #expect(count.value == 2)
        // A file input has nothing to capture again.
        let f = try ServeProcess([Self.cpu])
        defer { f.stop() }
        #expect(try f.request("POST", "/api/profiles/0/capture").status == 400)
    }
}

/// A thread-safe request counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int {
        lock.withLock {
            n += 1
            return n
        }
    }
    var value: Int { lock.withLock { n } }
}
