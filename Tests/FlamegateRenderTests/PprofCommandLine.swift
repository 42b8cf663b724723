import FlamegateTestSupport
import Foundation

@testable import FlamegateCore
@testable import FlamegateRender

/// A `go tool pprof` command line (`-top -focus=main\. cpu.pb.gz`), read as the CLI reads
/// it — main.swift turns `-top`/`-traces`/`-tree`/`-peek=R` into a subcommand, ReportFlags
/// and AnalysisFlags take the options, TopCommand/TracesCommand/TreeCommand/PeekCommand
/// set their defaults — and run through the same library calls those commands make
/// (ProfileLoader, ProfileSelection.select, Reports). The parity tests run every pprof
/// reference through it; FlamegateCLITests runs a subset that uses every flag through the
/// binary, so this reading and the real parser are held to the same outputs.
struct PprofCommandLine {
    enum Report: String { case top, traces, tree, peek, tags, raw, list, dot }

    var report: Report?
    var peekRegex = ""
    var profiles: [String] = []
    // ReportFlags
    var sampleIndex: String?
    var style = ReportStyle()
    // AnalysisFlags
    var filters = FilterOptions()
    var relativePercentages = false
    var diffBase: [String] = []
    var base: [String] = []
    var normalize = false
    var dropNegative = false
    var granularity: Granularity?
    var functions = false, filefunctions = false, files = false, lines = false, addresses = false
    var noinlines = false
    // top, tree
    var nodecount: Int?
    var nodefraction = 0.005
    var edgefraction = 0.001
    var cum = false
    var callTree = false
    var trim = true
    var sourcePath = ""
    var trimPath = ""

    struct UnknownFlag: Error, CustomStringConvertible {
        var flag: String
        var description: String { "the test's pprof command line does not know \(flag)" }
    }

    /// Parses pprof's spelling: `-name` or `-name=value`; `_` and `-` alike in names.
    init(_ args: [String], in dir: String) throws {
        style.utc = true  // the references were made with TZ=UTC; the CLI tests set it too
        for a in args {
            guard a.hasPrefix("-") else {
                profiles.append(dir + "/" + a)
                continue
            }
            let kv = a.drop(while: { $0 == "-" }).split(separator: "=", maxSplits: 1).map(String.init)
            let name = kv[0].replacingOccurrences(of: "_", with: "-")
            let value = kv.count > 1 ? kv[1] : ""
            switch name {
            case "top", "text": report = .top
            case "traces": report = .traces
            case "tree": report = .tree
            case "tags": report = .tags
            case "raw": report = .raw
            case "dot": report = .dot
            case "call-tree": callTree = true
            case "peek":
                report = .peek
                peekRegex = value
            case "list":
                report = .list
                peekRegex = value
            case "source-path": sourcePath = dir + "/" + value
            case "trim-path": trimPath = value
            case "sample-index": sampleIndex = value
            case "unit": style.outputUnit = value
            case "divide-by": style.divideBy = Double(value)!
            case "focus": filters.focus = value
            case "ignore": filters.ignore = value
            case "hide": filters.hide = value
            case "show": filters.show = value
            case "show-from": filters.showFrom = value
            case "prune-from": filters.pruneFrom = value
            case "tagfocus": filters.tagFocus = value
            case "tagignore": filters.tagIgnore = value
            case "tagshow": filters.tagShow = value
            case "taghide": filters.tagHide = value
            case "relative-percentages": relativePercentages = true
            case "diff-base": diffBase.append(dir + "/" + value)
            case "base": base.append(dir + "/" + value)
            case "normalize": normalize = true
            case "drop-negative": dropNegative = true
            case "granularity": granularity = Granularity(rawValue: value)!
            case "functions": functions = true
            case "filefunctions": filefunctions = true
            case "files": files = true
            case "lines": lines = true
            case "addresses": addresses = true
            case "noinlines": noinlines = true
            case "nodecount": nodecount = Int(value)!
            case "nodefraction": nodefraction = Double(value)!
            case "edgefraction": edgefraction = Double(value)!
            case "cum": cum = true
            case "flat": break
            case "trim": trim = value != "false"
            case "symbolize": break  // accepted; symbols come from the profile
            default: throw UnknownFlag(flag: a)
            }
        }
    }

    /// AnalysisFlags.effectiveGranularity.
    var effectiveGranularity: Granularity {
        if let granularity { return granularity }
        if addresses { return .addresses }
        if lines { return .lines }
        if files { return .files }
        if filefunctions { return .filefunctions }
        return .functions
    }

    /// AnalysisFlags.query: inputs, comparison, sample type, filters.
    func query() -> ProfileQuery {
        var q = ProfileQuery(inputs: profiles)
        q.diffBase = diffBase
        q.base = base
        q.normalize = normalize
        q.sampleIndex = sampleIndex
        q.filters = filters
        q.relativePercentages = relativePercentages
        return q
    }

    /// AnalysisFlags.tableOptions.
    func tableOptions() -> TableOptions {
        var o = TableOptions(sampleIndex: 0)
        o.granularity = effectiveGranularity
        o.inlines = !noinlines
        o.dropNegative = dropNegative
        return o
    }

    /// What the command writes to stdout, in text format: the request the command builds,
    /// through the one library call it makes (`Reports.run`).
    func output() throws -> String {
        let kind: ProfileReportRequest.Kind
        var o = tableOptions()
        switch report {
        case .top?:
            kind = .top
            o.nodeCount = nodecount ?? 0
            o.nodeFraction = nodefraction
            o.edgeFraction = edgefraction
            o.cumSort = cum
        case .traces?: kind = .traces
        case .tags?: kind = .tags
        case .raw?: kind = .raw
        case .list?: kind = .list(peekRegex)
        case .tree?:
            kind = .tree
            o.nodeCount = nodecount ?? 80
            o.nodeFraction = nodefraction
            o.edgeFraction = edgefraction
            o.cumSort = cum
        case .peek?:
            kind = .peek(peekRegex)
            o.nodeCount = 0
            o.nodeFraction = 0
            o.edgeFraction = 0
            o.cumSort = cum
        case .dot?:  // CallGraphArguments
            kind = .dot
            o.nodeCount = nodecount ?? 80
            o.nodeFraction = nodefraction
            o.edgeFraction = edgefraction
            o.cumSort = cum
        case nil:
            throw UnknownFlag(flag: "(no report: -top, -traces, -tags, -tree, -peek or -dot)")
        }
        if !trim { (o.nodeCount, o.nodeFraction, o.edgeFraction) = (0, 0, 0) }  // AnalysisFlags.trimmed
        var r = ProfileReportRequest(kind, query: query())
        (r.sourcePath, r.trimPath) = (sourcePath, trimPath)
        r.table = o
        r.callTree = callTree
        r.style = style
        return try Reports.run(r).text
    }
}
