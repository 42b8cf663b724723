import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What pprof's call-graph outputs (`dot`, `svg`, `png`) take beside the report and
/// analysis flags: pprof's graph trimming (80 nodes by default), `-call_tree`, the output.
/// (The commands hold the three groups side by side: option groups nested in option
/// groups make ArgumentParser's start-up several times slower.)
struct CallGraphFlags: ParsableArguments {
    @Option(
        name: names("nodecount"), help: "Show at most N nodes; label nodelets count as nodes (default 80, as pprof).")
    var nodecount: Int = 80
    @Option(
        name: names("nodefraction"), help: "Drop nodes whose cum is below this fraction of the total (default 0.005).")
    var nodefraction: Double = 0.005
    @Option(name: names("edgefraction"), help: "Drop calls below this fraction of the total (default 0.001).")
    var edgefraction: Double = 0.001
    @Flag(name: names("cum"), help: "Accepted as pprof does; a graph's node order does not depend on it.")
    var cum = false
    @Flag(name: names("call-tree"), help: "A node per call path (a tree) instead of per function.")
    var callTree = false
    @Option(name: names("output", short: "o"), help: "Output file; - for stdout (the default).")
    var output: String = "-"

    /// Builds the graph of `profiles` and writes it: DOT text, or (`image`: svg, png)
    /// Graphviz's picture of it.
    func run(
        _ profiles: [String], report: ReportFlags, analysis: AnalysisFlags, image: String? = nil
    ) throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
        if report.format != .text { throw ValidationError("call graphs have no --format json; use dot, svg or png") }
        if let image, output == "-", isatty(1) != 0 {
            throw ValidationError(
                "not writing \(image.uppercased()) to a terminal; give -o FILE.\(image) or redirect stdout")
        }
        var r = ProfileReportRequest(.dot, query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        r.table.nodeCount = nodecount
        r.table.nodeFraction = nodefraction
        r.table.edgeFraction = edgefraction
        r.table.cumSort = cum
        r.table = analysis.trimmed(r.table)
        r.callTree = callTree
        r.style = report.style
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        if let image {
            try writeFile(output, try Graphviz.render(out.text, format: image))
        } else {
            try writeFile(output, Array(out.text.utf8))
        }
    }
}
