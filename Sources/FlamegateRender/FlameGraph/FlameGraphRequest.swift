import FlamegateCore

/// A flame graph to draw: inputs (merged), an optional base for a differential graph,
/// sample type, filters, how frames are grouped, and how the graph looks.
public struct FlameGraphRequest: Sendable {
    /// SVG (flamegraph.pl style), a standalone HTML page drawn on a canvas, or the laid-out
    /// frames as JSON (`FlameGraphJSON`; by `--format` only, no extension picks it).
    public enum Format: String, CaseIterable, Sendable {
        case svg, html, json
        /// Output extensions and the format each writes.
        public static let extensions: [(ext: String, format: Format)] = [
            ("svg", .svg), ("html", .html), ("htm", .html),
        ]

        /// The format an output path asks for by its extension: .svg, .html/.htm; SVG for `-`
        /// (stdout) and for a name without an extension; nil for any other extension (a
        /// `.png` or `.pdf` would otherwise get SVG bytes under a name that promises an image).
        public static func forOutput(_ path: String) -> Format? {
            guard let ext = outputExtension(path) else { return .svg }
            return extensions.first { $0.ext == ext }?.format
        }

        /// The lower-cased extension of the path's last component; nil when it has none.
        static func outputExtension(_ path: String) -> String? {
            let file = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
            guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return nil }
            return file[file.index(after: dot)...].lowercased()
        }

        /// Why an output path can't be written (its extension names no supported format); nil if it can.
        public static func problem(forOutput path: String) -> String? {
            if forOutput(path) != nil { return nil }
            let list = extensions.map { "." + $0.ext }.joined(separator: ", ")
            return
                "cannot write '\(path)': .\(outputExtension(path) ?? "") is not a flame graph format; supported: \(list) (or - for SVG on stdout)"
        }
    }

    /// Profiles (pprof, perf script, folded); several are merged.
    public var inputs: [String]
    /// Base profiles: draw `inputs` as a differential against them.
    public var diffBase: [String] = []
    /// Sample type by name or index (nil: the profile's default).
    public var sampleIndex: String?
    /// pprof's filters, applied to both sides.
    public var filters = FilterOptions()
    /// Frame grouping, inlines, reversed (leaf-first) merging, flame chart order.
    public var tree = CallTreeOptions()
    /// Fold runtime and system frames into the user frame that called them.
    public var blame = false
    /// With `blame`: regex for user code (nil: the default rule).
    public var user: String?
    /// Geometry, fonts, palette, titles (flamegraph.pl's options).
    public var graph = FlameGraphOptions()
    /// svg, html or json.
    public var format: Format = .svg
    /// html only: load the page's script from this URL rather than inline (`flamegate serve`).
    public var htmlScriptURL: String?
    /// With no `graph.title`: title the graph with the input file names and sample type.
    public var autoTitle = true
    /// With no `graph.title` and no `graph.subtitle`: a subtitle with the total, unit, sample
    /// count, duration and collection time. Off when a title is given (as flamegraph.pl, whose
    /// image grows by a line for a subtitle: an explicit `--title` keeps its geometry).
    public var autoSubtitle = true

    /// A flame graph of `inputs` with flamegraph.pl's defaults.
    public init(inputs: [String]) { self.inputs = inputs }

    /// Parses `--minwidth`: pixels, or `N%` of the total; nil when it is neither.
    public static func parseMinWidth(_ s: String) -> (value: Double, percent: Bool)? {
        var s = Substring(s)
        let pct = s.hasSuffix("%")
        if pct { s = s.dropLast() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let v = Double(s), v.isFinite
        else { return nil }
        return (v, pct)
    }

    /// What is wrong with the graph options, in the words of the flag at fault; nil if nothing.
    public var problem: String? {
        let g = graph
        if g.width <= 20 || g.width > 1_000_000 { return "--width must be between 21 and 1000000" }
        if g.frameHeight <= 0 || g.frameHeight > 10_000 { return "--height must be between 1 and 10000" }
        if !(g.fontSize > 0 && g.fontSize < 1000) { return "--fontsize must be between 0 and 1000" }
        if !(g.fontWidth > 0 && g.fontWidth < 100) { return "--fontwidth must be between 0 and 100" }
        if !Palette.names.contains(g.colors) {
            return "--colors must be one of \(Palette.names.joined(separator: ", "))"
        }
        if Palette.background(g.bgColors, colors: g.colors) == nil {
            return "--bgcolors must be yellow, blue, green, grey or #rrggbb"
        }
        if tree.reverse && tree.flameChart { return "--reverse and --flamechart can't be combined" }
        return nil
    }
}

/// A drawn flame graph and the warnings to show beside it.
public struct RenderedFlameGraph: Sendable {
    /// The SVG or HTML document.
    public var bytes: [UInt8]
    /// Non-fatal notes about the inputs.
    public var warnings: [String]
}

/// The flame graph pipeline: load, (blame), select, build the call tree, lay out, draw.
public enum FlameGraph {
    /// The default title: the kind of graph, the inputs' file names and the sample type,
    /// e.g. `Flame Graph: cpu.pb.gz — cpu (nanoseconds)`.
    public static func defaultTitle(inputs: [String], base: [String], sampleType: String, unit: String, kind: String)
        -> String
    {
        // File names; with their folder when candidate and base would read the same.
        let sameNames =
            !base.isEmpty && inputs.map { $0.split(separator: "/").last } == base.map { $0.split(separator: "/").last }
        func files(_ paths: [String]) -> String {
            let names = paths.map {
                $0 == "-" ? "stdin" : $0.split(separator: "/").suffix(sameNames ? 2 : 1).joined(separator: "/")
            }
            return names.count > 3
                ? names.prefix(3).joined(separator: ", ") + " +\(names.count - 3)" : names.joined(separator: ", ")
        }
        var what = files(inputs)
        if !base.isEmpty { what += " vs " + files(base) }
        // Counts (also decimal folded counts, stored ×10^k) need no unit beside the type.
        let isCount = unit.isEmpty || StackProfile.foldedFractionDigits(unit: unit) != nil
        let type = isCount ? sampleType : "\(sampleType) (\(unit))"
        return "\(kind): \(what) — \(type)"
    }

    /// The default subtitle: total in the unit, the sample count, and the profile's duration
    /// and collection time when it records them.
    public static func summary(
        _ p: Profile, sampleType: String, unit: String, total: Int64, differential: Bool, options o: FlameGraphOptions
    ) -> String {
        let text = FlameText(o: o)
        var parts = ["\(differential ? "Candidate total" : "Total") \(text.value(total))"]
        if Units.isKnown(unit) || o.countName != nil { parts[0] += " (\(sampleType), \(unit))" }
        // Samples: the `samples` column when the profile has one (pprof CPU), else the stack records.
        var samples: Int64 = 0
        if sampleType == "samples" && unit == "count" && !differential {
            // The total is the sample count.
        } else if let k = p.sampleTypes.firstIndex(where: { $0.type == "samples" && $0.unit == "count" }) {
            for i in 0..<p.samples.count { samples &+= p.samples.value(i, k) }
            parts.append("\(FlameText.commas(samples)) samples")
        } else {
            parts.append("\(FlameText.commas(Int64(p.samples.count))) stacks")
        }
        if p.durationNanos > 0 { parts.append("duration \(Units.label(p.durationNanos, unit: "nanoseconds"))") }
        if p.timeNanos > 0 { parts.append("collected \(utc(p.timeNanos))") }
        return parts.joined(separator: ", ")
    }

    /// `YYYY-MM-DD HH:MM:SS UTC` for nanoseconds since the epoch (civil-from-days, no Foundation).
    static func utc(_ nanos: Int64) -> String {
        let secs = nanos / 1_000_000_000
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60)) UTC"
    }

    /// Draws the graph a request describes.
    public static func render(_ r: FlameGraphRequest, opener: InputOpener = .files) throws(InputError)
        -> RenderedFlameGraph
    {
        let source = r.inputs.joined(separator: ", ")
        var pattern: Pattern? = nil
        if let user = r.user {
            do { pattern = try Pattern(user, option: "user") } catch {
                throw InputError(source: "--user", error.message)
            }
        }
        let user = Blame.UserCode(pattern: pattern)
        let loaded = try ProfileLoader.load(r.inputs, opener: opener)
        let p = r.blame ? Blame.foldRuntime(loaded, user: user) : loaded
        var o = r.graph
        var warnings: [String] = []
        let tree: CallTree
        // Folded input with two counts per line (difffolded.pl) is a differential by itself.
        let twoCount = p.sampleTypes.map(\.type) == ["base", "cand"] && r.sampleIndex == nil
        if !r.diffBase.isEmpty {
            let loadedBase = try ProfileLoader.load(r.diffBase, opener: opener)
            let b = r.blame ? Blame.foldRuntime(loadedBase, user: user) : loadedBase
            let bsrc = r.diffBase.joined(separator: ", ")
            let cand = try ProfileSelection.select(p, sampleIndex: r.sampleIndex, filters: r.filters, source: source)
            // The base's sample type: the same type name as the candidate's, else the same rule.
            let st = cand.profile.sampleTypes[cand.sampleIndex]
            let name = b.sampleTypes.contains { $0.type == st.type } ? st.type : r.sampleIndex
            let base = try ProfileSelection.select(b, sampleIndex: name, filters: r.filters, source: bsrc)
            if b.sampleTypes[base.sampleIndex].unit != st.unit {
                throw InputError(
                    source: bsrc,
                    "base unit \(b.sampleTypes[base.sampleIndex].unit) differs from the candidate's \(st.unit)")
            }
            tree = CallTree(
                base: base.profile, baseIndex: base.sampleIndex, candidate: cand.profile,
                candidateIndex: cand.sampleIndex, options: r.tree)
            o.sampleType = st.type
            o.unit = st.unit
        } else if twoCount {
            let sel = try ProfileSelection.select(p, sampleIndex: "cand", filters: r.filters, source: source)
            tree = CallTree(
                base: sel.profile, baseIndex: 0, candidate: sel.profile, candidateIndex: 1, options: r.tree)
            warnings = sel.warnings
            o.sampleType = "samples"
            o.unit = sel.profile.sampleTypes[1].unit
        } else {
            let sel = try ProfileSelection.select(p, sampleIndex: r.sampleIndex, filters: r.filters, source: source)
            warnings = sel.warnings
            tree = CallTree(profile: sel.profile, sampleIndex: sel.sampleIndex, options: r.tree)
            o.sampleType = sel.profile.sampleTypes[sel.sampleIndex].type
            o.unit = sel.profile.sampleTypes[sel.sampleIndex].unit
        }
        if tree.count == 0 || (tree.total(0, 0) == 0 && tree.total(0, tree.columns - 1) == 0) {
            throw InputError(source: source, "no samples with a non-zero value to draw")
        }
        o.flameChart = r.tree.flameChart
        if o.title == nil && r.autoSubtitle && o.subtitle.isEmpty {
            o.subtitle = FlameGraph.summary(
                p, sampleType: o.sampleType, unit: o.unit, total: tree.total(0, tree.columns - 1),
                differential: tree.isDifferential, options: o)
        }
        if o.title == nil && r.autoTitle {
            o.title = FlameGraph.defaultTitle(
                inputs: r.inputs, base: r.diffBase, sampleType: o.sampleType, unit: o.unit,
                kind: tree.isDifferential ? "Differential Flame Graph" : o.resolvedTitle)
        }
        // Two-count folded input is drawn as flamegraph.pl draws it (widths, colours).
        let oneCount = twoCount ? pow10(StackProfile.foldedFractionDigits(unit: o.unit) ?? 0) : 1
        let layout =
            twoCount && r.diffBase.isEmpty && !o.normalize
            ? FlameLayout(twoCount: tree, oneCount: oneCount)
            : FlameLayout(tree, normalize: o.normalize, positions: r.format != .html)
        switch r.format {
        case .svg: return RenderedFlameGraph(bytes: FlameGraphSVG.renderBytes(layout, options: o), warnings: warnings)
        case .html:
            return RenderedFlameGraph(
                bytes: FlameGraphHTML.render(layout, options: o, scriptURL: r.htmlScriptURL), warnings: warnings)
        case .json: return RenderedFlameGraph(bytes: FlameGraphJSON.render(layout, options: o), warnings: warnings)
        }
    }
}

/// 10^k as a Double.
private func pow10(_ k: Int) -> Double { (0..<k).reduce(1.0) { a, _ in a * 10 } }
