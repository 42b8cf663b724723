import FlamegateCore

/// A flame graph to draw: inputs (merged), an optional base for a differential graph,
/// sample type, filters, how frames are grouped, and how the graph looks.
public struct FlameGraphRequest: Sendable {
    /// SVG (flamegraph.pl style) or a standalone HTML page drawn on a canvas.
    public enum Format: String, CaseIterable, Sendable {
        case svg, html
        /// The format an output path asks for by its extension (.html/.htm, else SVG).
        public static func forOutput(_ path: String) -> Format {
            let p = path.lowercased()
            return p.hasSuffix(".html") || p.hasSuffix(".htm") ? .html : .svg
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
    /// svg or html.
    public var format: Format = .svg

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
        // Two-count folded input is drawn as flamegraph.pl draws it (widths, colours).
        let oneCount = twoCount ? pow10(StackProfile.foldedFractionDigits(unit: o.unit) ?? 0) : 1
        let layout =
            twoCount && r.diffBase.isEmpty && !o.normalize
            ? FlameLayout(twoCount: tree, oneCount: oneCount) : FlameLayout(tree, normalize: o.normalize)
        switch r.format {
        case .svg: return RenderedFlameGraph(bytes: FlameGraphSVG.renderBytes(layout, options: o), warnings: warnings)
        case .html: return RenderedFlameGraph(bytes: FlameGraphHTML.render(layout, options: o), warnings: warnings)
        }
    }
}

/// 10^k as a Double.
private func pow10(_ k: Int) -> Double { (0..<k).reduce(1.0) { a, _ in a * 10 } }
