import FlamegateCore
import FlamegateRender

/// A view's answer before it becomes an HTTP response.
public struct ServeResult: Sendable {
    /// HTTP status.
    public var status: Int
    /// Content-Type.
    public var contentType: String
    /// The body.
    public var body: [UInt8]

    /// A successful answer.
    public init(status: Int = 200, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    static let json = "application/json; charset=utf-8"

    /// A JSON error `{"error": "..."}`: `message` is one line (the reader's error as the CLI prints it).
    static func error(_ status: Int, _ message: String) -> ServeResult {
        var j = JSONWriter()
        j.beginObject()
        j.field("error", message)
        j.endObject()
        return ServeResult(status: status, contentType: json, body: Array((j.text + "\n").utf8))
    }
}

/// A request that can't be answered: the status and the one-line reason.
struct ViewError: Error {
    var status: Int
    var message: String
    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// The views and API endpoints, each a mapping from query parameters to the request the CLI
/// would build from the same flags, run by the same library function. Parameter names are the
/// CLI's long names (or pprof's web UI short names, folded by `QueryParameters`); defaults
/// are the CLI's defaults, so `GET /api/top?focus=main` ≡ `flamegate top --format json --focus main P`.
public struct ServeViews: Sendable {
    /// The server's configuration (bases, source paths).
    public let config: ServeConfiguration
    /// The profiles.
    public let store: ProfileStore

    /// Views over `store` under `config`.
    public init(config: ServeConfiguration, store: ProfileStore) {
        self.config = config
        self.store = store
    }

    /// The profiles a view reads: `?profile=N` one of them, else every command-line input
    /// merged (as the CLI merges several inputs), else the first upload.
    func inputs(_ p: QueryParameters) throws(ViewError) -> [String] {
        let entries = store.entries
        if let s = p.nonEmpty("profile") {
            guard let n = Int(s), n >= 0, n < entries.count else {
                throw ViewError(
                    400, "profile: '\(s)' is not one of the \(entries.count) loaded profiles (0…\(entries.count - 1))")
            }
            return [entries[n].name]
        }
        let given = entries.filter { !$0.uploaded }.map(\.name)
        if !given.isEmpty { return given }
        guard let first = entries.first else {
            throw ViewError(404, "no profile loaded: upload one (POST /api/profiles)")
        }
        return [first.name]
    }

    func int(_ p: QueryParameters, _ name: String) throws(ViewError) -> Int? {
        guard let s = p.nonEmpty(name) else { return nil }
        guard let v = Int(s) else { throw ViewError(400, "\(name): '\(s)' is not an integer") }
        return v
    }

    func double(_ p: QueryParameters, _ name: String) throws(ViewError) -> Double? {
        guard let s = p.nonEmpty(name) else { return nil }
        guard let v = Double(s), v.isFinite else { throw ViewError(400, "\(name): '\(s)' is not a number") }
        return v
    }

    /// pprof's filters (the CLI's FilterFlags).
    func filters(_ p: QueryParameters) -> FilterOptions {
        FilterOptions(
            focus: p.nonEmpty("focus"), ignore: p.nonEmpty("ignore"), hide: p.nonEmpty("hide"),
            show: p.nonEmpty("show"), showFrom: p.nonEmpty("show_from"), pruneFrom: p.nonEmpty("prune_from"),
            tagFocus: p.nonEmpty("tagfocus"), tagIgnore: p.nonEmpty("tagignore"), tagShow: p.nonEmpty("tagshow"),
            tagHide: p.nonEmpty("taghide"))
    }

    func granularity(_ p: QueryParameters) throws(ViewError) -> Granularity {
        guard let s = p.nonEmpty("granularity") else {
            for g in ["addresses", "lines", "files", "filefunctions"] where p.flag(g) {
                return Granularity(rawValue: g)!
            }
            return .functions
        }
        guard let g = Granularity(rawValue: s) else {
            throw ViewError(400, "granularity: '\(s)' is not functions, filefunctions, files, lines or addresses")
        }
        return g
    }

    /// The CLI's AnalysisFlags.query: inputs, bases, sample type, filters.
    func query(_ p: QueryParameters, inputs: [String]) -> ProfileQuery {
        var q = ProfileQuery(inputs: inputs)
        q.diffBase = config.diffBase
        q.base = config.base
        q.normalize = config.normalize || p.flag("normalize")
        q.sampleIndex = p.nonEmpty("sample_index")
        q.filters = filters(p)
        q.relativePercentages = p.flag("relative_percentages")
        return q
    }

    /// The CLI's AnalysisFlags.tableOptions.
    func table(_ p: QueryParameters) throws(ViewError) -> TableOptions {
        var o = TableOptions(sampleIndex: 0)
        o.granularity = try granularity(p)
        o.inlines = !p.flag("noinlines")
        o.dropNegative = p.flag("drop_negative")
        return o
    }

    /// The CLI's ReportFlags.style.
    func style(_ p: QueryParameters) throws(ViewError) -> ReportStyle {
        var s = ReportStyle()
        if let u = p.nonEmpty("unit") {
            if let e = Units.outputUnitError(u) { throw ViewError(400, e) }
            s.outputUnit = u
        }
        if let d = try double(p, "divide_by") {
            if d == 0 { throw ViewError(400, "divide_by must not be zero") }
            s.divideBy = d
        }
        s.utc = p.flag("utc")
        return s
    }

    /// pprof's `-trim=false`.
    func trimmed(_ o: TableOptions, _ p: QueryParameters) -> TableOptions {
        guard let t = p["trim"], ["false", "0", "no"].contains(t.lowercased()) else { return o }
        var o = o
        (o.nodeCount, o.nodeFraction, o.edgeFraction) = (0, 0, 0)
        return o
    }

    func cumSort(_ p: QueryParameters) -> Bool { p.flag("cum") || p["sort"] == "cum" }

    /// One of pprof's reports (the CLI's TopCommand/PeekCommand/ListCommand/dot).
    func report(_ kind: ProfileReportRequest.Kind, _ p: QueryParameters, format: Reports.Format) throws
        -> RenderedReport
    {
        var r = ProfileReportRequest(kind, query: query(p, inputs: try inputs(p)))
        r.table = try table(p)
        r.style = try style(p)
        r.format = format
        switch kind {
        case .top:
            let n = try int(p, "nodecount") ?? 0
            if n < 0 { throw ViewError(400, "nodecount must be ≥ 0") }
            r.table.nodeCount = n
            r.table.nodeFraction = try double(p, "nodefraction") ?? 0.005
            r.table.edgeFraction = try double(p, "edgefraction") ?? 0.001
            r.table.cumSort = cumSort(p)
            r.table = trimmed(r.table, p)
        case .peek:
            (r.table.nodeCount, r.table.nodeFraction, r.table.edgeFraction) = (0, 0, 0)
            r.table.cumSort = cumSort(p)
        case .list:
            (r.sourcePath, r.trimPath) = (config.sourcePath, config.trimPath)
        case .dot:
            r.table.nodeCount = try int(p, "nodecount") ?? 80
            r.table.nodeFraction = try double(p, "nodefraction") ?? 0.005
            r.table.edgeFraction = try double(p, "edgefraction") ?? 0.001
            r.table = trimmed(r.table, p)
            r.callTree = p.flag("call_tree")
        default: break
        }
        return try Reports.run(r, opener: store.opener)
    }

    /// The regex `peek` and `list` take: `regex` (or `symbol`), else pprof's web UI habit of
    /// using the focus expression.
    func symbol(_ p: QueryParameters) throws(ViewError) -> String {
        guard let s = p.nonEmpty("regex") ?? p.nonEmpty("symbol") ?? p.nonEmpty("focus") else {
            throw ViewError(400, "give a regex: ?regex=NAME")
        }
        return s
    }

    /// The flame graph request the CLI's FlameCommand builds from the same flags.
    func flame(_ p: QueryParameters, format: FlameGraphRequest.Format) throws -> RenderedFlameGraph {
        var r: FlameGraphRequest
        if p.flag("diff") {
            let (b, c) = try diffPair(p)
            r = FlameGraphRequest(inputs: [c])
            r.diffBase = [b]
        } else {
            r = FlameGraphRequest(inputs: try inputs(p))
            r.diffBase = config.diffBase + config.base
        }
        r.sampleIndex = p.nonEmpty("sample_index")
        r.filters = filters(p)
        r.tree.granularity = try granularity(p)
        r.tree.inlines = !p.flag("noinlines")
        r.tree.reverse = p.flag("reverse")
        var o = FlameGraphOptions()
        o.subtitle = ""
        r.autoSubtitle = true
        if let w = try int(p, "width") { o.width = w }
        if let m = p.nonEmpty("minwidth") {
            guard let (v, pct) = FlameGraphRequest.parseMinWidth(m) else {
                throw ViewError(400, "minwidth: '\(m)' is not a number (pixels) or N%")
            }
            (o.minWidth, o.minWidthPercent) = (v, pct)
        }
        if let c = p.nonEmpty("colors") { o.colors = c }
        o.hash = p.flag("hash")
        o.inverted = p.flag("inverted")
        o.normalize = config.normalize || p.flag("normalize")
        r.graph = o
        r.format = format
        if format == .html { r.htmlScriptURL = "/static/flamegraph-html.js" }
        if let problem = r.problem { throw ViewError(400, problem) }
        return try FlameGraph.render(r, opener: store.opener)
    }

    /// The diff view's base and candidate: `?base=N` and `?profile=N`, by default the
    /// `--diff-base` (or `--base`) file against the first profile, else profile 0 against 1.
    func diffPair(_ p: QueryParameters) throws(ViewError) -> (base: String, candidate: String) {
        let entries = store.entries
        func pick(_ name: String) throws(ViewError) -> String? {
            guard let n = try int(p, name) else { return nil }
            guard n >= 0, n < entries.count else {
                throw ViewError(400, "\(name): \(n) is not one of the \(entries.count) loaded profiles")
            }
            return entries[n].name
        }
        let given = config.diffBase.first ?? config.base.first
        let base = try pick("base") ?? given ?? (entries.count >= 2 ? entries[0].name : nil)
        let cand =
            try pick("profile") ?? (given != nil ? entries.first?.name : entries.count >= 2 ? entries[1].name : nil)
        guard let base, let cand else {
            throw ViewError(400, "a diff needs two profiles: start with two, or --diff-base, or upload one")
        }
        return (base, cand)
    }

    /// `flamegate diff --format json BASE CANDIDATE` (the CLI's DiffCommand).
    func diff(_ p: QueryParameters) throws -> RenderedReport {
        let (b, c) = try diffPair(p)
        var r = FunctionDiffRequest(base: b, candidate: c)
        var q = ProfileQuery(inputs: [])
        q.normalize = config.normalize || p.flag("normalize")
        q.sampleIndex = p.nonEmpty("sample_index")
        q.filters = filters(p)
        q.relativePercentages = p.flag("relative_percentages")
        r.query = q
        r.table = try table(p)
        r.sortByCum = cumSort(p)
        r.limit = try int(p, "nodecount") ?? 30
        r.format = .json
        return try AnalysisText.diff(r, opener: store.opener)
    }

    /// `flamegate info --format json P`: one profile (`?profile=N`, default the first).
    func info(_ p: QueryParameters) throws -> String {
        let entries = store.entries
        let n = try int(p, "profile") ?? 0
        guard n >= 0, n < entries.count else { throw ViewError(404, "no profile \(n) loaded") }
        var style = ReportStyle()
        style.utc = p.flag("utc")
        return try Reports.info(entries[n].name, style: style, format: .json, opener: store.opener)
    }

    /// `GET /api/profiles`: what is loaded, for the page's profile switcher.
    func profiles() -> String {
        var j = JSONWriter()
        j.beginObject()
        j.beginArray("profiles")
        for (i, e) in store.entries.enumerated() {
            j.beginObject()
            j.field("index", i)
            j.field("name", e.name)
            j.field("url", e.isURL)
            j.field("uploaded", e.uploaded)
            j.endObject()
        }
        j.endArray()
        j.field("diff_base", config.diffBase)
        j.field("base", config.base)
        j.endObject()
        return j.text + "\n"
    }

    /// Answers `GET path?query` for the API and the page's server-drawn parts.
    public func get(_ path: String, _ p: QueryParameters) -> ServeResult {
        do {
            switch path {
            case "/api/top": return json(try report(.top, p, format: .json).text)
            case "/api/peek": return json(try report(.peek(try symbol(p)), p, format: .json).text)
            case "/api/list": return json(try report(.list(try symbol(p)), p, format: .json).text)
            case "/api/flame":
                return ServeResult(contentType: ServeResult.json, body: try flame(p, format: .json).bytes)
            case "/api/diff": return json(try diff(p).text)
            case "/api/info": return json(try info(p))
            case "/api/profiles": return json(profiles())
            case "/ui/flame":
                return ServeResult(contentType: "text/html; charset=utf-8", body: try flame(p, format: .html).bytes)
            case "/ui/graph.svg":
                let dot = try report(.dot, p, format: .text).text
                return ServeResult(contentType: "image/svg+xml", body: try Graphviz.render(dot, format: "svg"))
            default: return ServeResult.error(404, "no such page: \(path)")
            }
        } catch let e as ViewError {
            return ServeResult.error(e.status, e.message)
        } catch let e as InputError {
            return ServeResult.error(400, e.description)
        } catch {
            return ServeResult.error(500, "\(error)")
        }
    }

    func json(_ s: String) -> ServeResult { ServeResult(contentType: ServeResult.json, body: Array(s.utf8)) }
}
