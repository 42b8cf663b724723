import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A web UI over profiles: flame graph, top, call graph, peek, source, diff; and a JSON API.",
        discussion: """
            Loads the profiles (files, - for stdin, or /debug/pprof URLs, which get a "capture again" button) and serves one page with every view, each a URL that can be shared, and a JSON API: /api/top, /api/flame, /api/peek, /api/list, /api/diff, /api/info return exactly what `flamegate top|flame|peek|list|diff|info --format json` prints for the same options. Options are query parameters under the CLI's names (sample_index, focus, ignore, hide, show, show_from, prune_from, tagfocus, tagignore, granularity, nodecount…) or pprof's web UI names (si, f, i, h, s, sf, tf, ti, g, n…); ?profile=N picks one of several profiles (default: all of them merged, as the CLI merges them). POST /api/profiles adds a profile (raw body or multipart form).

            Binds 127.0.0.1 unless --http names another host (then it warns: profiles name your functions and files); requests whose Host header is not this server's address are refused (421). pprof's `-http=:8080` works: `flamegate -http=:8080 cpu.pb.gz`.

            Examples:
              flamegate serve cpu.pb.gz
              flamegate serve --http :9090 --diff-base before.pb.gz after.pb.gz
              flamegate -http=localhost:8080 http://localhost:6060/debug/pprof/heap
            """)

    @Option(
        name: names("http"),
        help: "HOST:PORT to listen on (default 127.0.0.1:8080; :PORT is localhost, port 0 any free port).")
    var http = "127.0.0.1:8080"

    @Flag(name: names("browser"), help: "Open the page in a browser (when a display exists).")
    var browser = false

    @Flag(name: names("no-browser"), help: "Don't open a browser (the default; accepted for pprof's command lines).")
    var noBrowser = false

    @Option(name: names("diff-base"), help: "Compare against this profile in every view; the diff view's base.")
    var diffBase: [String] = []

    @Option(name: names("base"), help: "Subtract this profile in every view (cumulative profiles).")
    var base: [String] = []

    @Flag(name: names("normalize"), help: "Scale the base to the profile's total before comparing.")
    var normalize = false

    @Option(
        name: names("max-upload"), help: "Largest profile POST /api/profiles accepts (default 512MiB); larger: 413.")
    var maxUpload = "512MiB"

    @Option(name: names("allow-host"), help: "Another Host header name to accept (e.g. behind a proxy); * for any.")
    var allowHost: [String] = []

    @Option(name: names("source-path"), help: "Where the source view looks for sources (\":\"-separated).")
    var sourcePath = ""

    @Option(name: names("trim-path"), help: "Prefix to remove from the profile's source paths.")
    var trimPath = ""

    @Option(name: names("timeout"), help: "For URL inputs: give up after this many seconds.")
    var timeout: Double?

    @Option(name: names("profile"), help: "For URL inputs: which /debug/pprof endpoint (cpu, heap, allocs…).")
    var profileKind: CaptureKind?

    @Option(name: names("seconds"), help: "For URL inputs: seconds to capture (CPU) or the delta window.")
    var seconds: Int?

    @Argument(
        help: ArgumentHelp("Profiles (files, URLs; - for stdin). Several are merged by default.", valueName: "profile"))
    var profiles: [String] = []

    func validate() throws {
        if ServeAddress.parse(http) == nil { throw ValidationError("--http '\(http)' is not HOST:PORT (or :PORT)") }
        if FetchOptions.parseSize(maxUpload) == nil {
            throw ValidationError("--max-upload '\(maxUpload)' is not a size such as 512MiB")
        }
        if !diffBase.isEmpty && !base.isEmpty { throw ValidationError("use either --diff-base or --base, not both") }
    }

    func run() throws {
        var c = ServeConfiguration()
        (c.host, c.port) = ServeAddress.parse(http)!
        c.inputs = try PprofEndpoint.resolve(profiles, profile: profileKind, seconds: seconds)
        c.diffBase = try PprofEndpoint.resolve(diffBase, profile: profileKind, seconds: seconds)
        c.base = try PprofEndpoint.resolve(base, profile: profileKind, seconds: seconds)
        c.normalize = normalize
        c.maxUpload = FetchOptions.parseSize(maxUpload)!
        c.allowedHosts = allowHost
        (c.sourcePath, c.trimPath) = (sourcePath, trimPath)
        if let w = ServeSafety(config: c).exposureWarning { writeErr(w + "\n") }
        let open = browser && !noBrowser
        try ServeServer.run(c, fetch: .network(timeout: timeout)) { url in
            try? writeOut("Serving web UI on \(url)\n")
            if open && !ServeServer.openBrowser(url) { writeErr("flamegate: no display: open \(url) yourself\n") }
        }
    }
}
