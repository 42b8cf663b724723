import FlamegateCore

/// A rendered report and the warnings a front end shows beside it (on stderr, in a banner).
public struct RenderedReport: Sendable {
    /// The report, ready to print.
    public var text: String
    /// Non-fatal notes about the inputs (e.g. a filter that matched nothing).
    public var warnings: [String]
    /// A report with its warnings.
    public init(text: String, warnings: [String] = []) {
        self.text = text
        self.warnings = warnings
    }
}

/// pprof's text reports (`-top`, `-traces`, `-tree`, `-peek`) over a `ProfileQuery`.
public struct ProfileReportRequest: Sendable {
    /// Which report.
    public enum Kind: Sendable, Equatable {
        case top, traces, tree
        /// `-tags`: the value per label key and label value.
        case tags
        /// `-raw`: the profile itself, as pprof's `Profile.String()` dumps it.
        case raw
        /// `-comments`: the profile's free-form comments, one per line.
        case comments
        /// `-list REGEX`: source lines of the matching functions with their values.
        case list(String)
        /// `-peek REGEX`: callers and callees of the matching rows.
        case peek(String)
        /// `-dot`: the call graph in Graphviz's DOT language (`callTree`: one node per path).
        case dot
    }
    /// Which report.
    public var kind: Kind
    /// Inputs, comparison, sample type and filters.
    public var query: ProfileQuery
    /// Rows: granularity, inlines, node count and fractions, sort order.
    public var table = TableOptions(sampleIndex: 0)
    /// Units, `-divide_by`, time zone.
    public var style = ReportStyle()
    /// text or json (tree is text only, as in pprof; peek and list have a JSON form of ours).
    public var format: Reports.Format = .text
    /// `-list`: where sources are looked up (pprof's -source_path, ":"-separated; "" = the
    /// working directory) and the prefix trimmed from the profile's paths (-trim_path).
    public var sourcePath = ""
    /// pprof's -trim_path.
    public var trimPath = ""
    /// pprof's `-call_tree` (`dot` only): a node per call path instead of per function.
    public var callTree = false
    /// A request for `kind` over `query`, pprof's defaults otherwise.
    public init(_ kind: Kind, query: ProfileQuery) {
        self.kind = kind
        self.query = query
    }
}

extension Reports {
    /// Runs one of pprof's reports: load, select, aggregate, render.
    public static func run(_ r: ProfileReportRequest, opener: InputOpener = .files) throws(InputError)
        -> RenderedReport
    {
        let sel = try r.query.select(opener: opener)
        let text: String
        switch r.kind {
        case .top: text = top(sel, options: r.table, style: r.style, format: r.format)
        case .traces:
            text = traces(
                sel.profile, sampleIndex: sel.sampleIndex, style: r.style, format: r.format, total: sel.total,
                granularity: r.table.granularity, inlines: r.table.inlines)
        case .tree: text = try tree(sel, options: r.table, style: r.style)
        case .raw: text = PprofRaw.render(sel.profile, utc: r.style.utc)
        case .comments: text = sel.profile.comments.map { TextEscape.cell($0) + "\n" }.joined()
        case .list(let regex):
            let symbol: Pattern
            do { symbol = try Pattern(regex, option: "list") } catch { throw InputError(source: "list", error.message) }
            let listing = SourceListing(
                profile: sel.profile, sampleIndex: sel.sampleIndex, symbol: symbol, sourcePath: r.sourcePath,
                trimPath: r.trimPath, inlines: r.table.inlines)
            guard !listing.order.isEmpty else {
                throw InputError(source: "list", "no matches found for regexp: \(regex)")
            }
            text =
                r.format == .json
                ? listJSON(listing, profile: sel.profile, sampleIndex: sel.sampleIndex, total: sel.total)
                : PprofText.list(
                    listing, profile: sel.profile, sampleIndex: sel.sampleIndex, style: r.style, total: sel.total)
        case .tags: text = PprofText.tags(sel.profile, sampleIndex: sel.sampleIndex, style: r.style, total: sel.total)
        case .peek(let regex):
            text =
                r.format == .json
                ? try peekJSON(sel, options: r.table, symbol: regex)
                : try tree(sel, options: r.table, style: r.style, symbol: regex)
        case .dot: text = dot(sel, options: r.table, callTree: r.callTree, style: r.style)
        }
        return RenderedReport(text: text, warnings: sel.warnings)
    }

    /// `info`: what a profile holds.
    public static func info(
        _ path: String, style: ReportStyle, format: Format, opener: InputOpener = .files
    ) throws(InputError) -> String {
        info(try ProfileInput.readAny(path, opener: opener), source: path, style: style, format: format)
    }
}

/// `flamegate blame`: runtime and system work charged to the user code that caused it.
public struct BlameRequest: Sendable {
    /// Inputs, sample type and filters.
    public var query: ProfileQuery
    /// Regex for user code (nil: not Go's runtime or standard library, not system libraries).
    public var user: String?
    /// Rows per table (0: all).
    public var limit = 20
    /// text or json.
    public var format: Reports.Format = .text
    /// A blame request over `query`.
    public init(query: ProfileQuery) { self.query = query }
}

/// `flamegate diff`: two profiles compared function by function.
public struct FunctionDiffRequest: Sendable {
    /// The base profile (before).
    public var base: String
    /// The candidate profile (after).
    public var candidate: String
    /// Sample type and filters, applied to both (its inputs are ignored).
    public var query = ProfileQuery(inputs: [])
    /// Granularity, inlines, negative rows.
    public var table = TableOptions(sampleIndex: 0)
    /// Sort by the change in cum instead of flat.
    public var sortByCum = false
    /// Rows to show (0: all).
    public var limit = 30
    /// text or json.
    public var format: Reports.Format = .text
    /// A comparison of `candidate` with `base`.
    public init(base: String, candidate: String) {
        self.base = base
        self.candidate = candidate
    }
}

/// `flamegate explain`: findings (known performance patterns) in each profile.
public struct FindingsRequest: Sendable {
    /// Profiles, each examined on its own.
    public var profiles: [String]
    /// A YAML file of extra rules (same id replaces a built-in rule).
    public var rulesFile: String?
    /// Only this sample type (nil: every type a rule applies to).
    public var sampleIndex: String?
    /// text, json or markdown.
    public var format: AnalysisText.FindingsFormat = .text
    /// Findings in `profiles` under the built-in rules.
    public init(profiles: [String]) { self.profiles = profiles }
}

extension AnalysisText {
    /// Runs `blame`: select, charge runtime work to user frames, render.
    public static func blame(_ r: BlameRequest, opener: InputOpener = .files) throws(InputError) -> RenderedReport {
        let sel = try r.query.select(opener: opener)
        var pattern: Pattern? = nil
        if let user = r.user {
            do { pattern = try Pattern(user, option: "user") } catch {
                throw InputError(source: "--user", error.message)
            }
        }
        let b = Blame(
            profile: sel.profile, sampleIndex: sel.sampleIndex, user: Blame.UserCode(pattern: pattern), total: sel.total
        )
        let text = blame(
            b, sampleType: sel.profile.sampleTypes[sel.sampleIndex], format: r.format,
            limit: r.limit == 0 ? Int.max : r.limit)
        return RenderedReport(text: text, warnings: sel.warnings)
    }

    /// Runs `diff`: both profiles selected alike (the candidate in the base's sample type
    /// unless one is named), then compared function by function.
    public static func diff(_ r: FunctionDiffRequest, opener: InputOpener = .files) throws(InputError)
        -> RenderedReport
    {
        var q = r.query
        q.inputs = [r.base]
        let b = try q.select(opener: opener)
        q.inputs = [r.candidate]
        q.sampleIndex = r.query.sampleIndex ?? b.profile.sampleTypes[b.sampleIndex].type
        let c = try q.select(opener: opener)
        let bu = b.profile.sampleTypes[b.sampleIndex].unit
        let cu = c.profile.sampleTypes[c.sampleIndex].unit
        if bu != cu {
            throw InputError(
                source: r.candidate, "unit \(cu) differs from the base's \(bu); pick matching --sample-index values")
        }
        let d = FunctionDiff(
            base: b.profile, baseIndex: b.sampleIndex, candidate: c.profile, candidateIndex: c.sampleIndex,
            options: r.table, normalize: r.query.normalize, sortByCum: r.sortByCum)
        let text = diff(
            d, base: r.base, candidate: r.candidate, format: r.format, limit: r.limit == 0 ? Int.max : r.limit)
        return RenderedReport(text: text, warnings: b.warnings + c.warnings)
    }

    /// Runs `explain`: the built-in rules (plus the rules file) over each profile.
    public static func explain(_ r: FindingsRequest, opener: InputOpener = .files) throws(InputError) -> String {
        var user: [FindingRule] = []
        if let rules = r.rulesFile {
            let bytes = try ProfileInput.readBytes(rules)
            user = try FindingRules.parse(String(decoding: bytes, as: UTF8.self), source: rules)
        }
        let all = FindingRules.combined(user: user)
        var findings: [Finding] = []
        for path in r.profiles {
            let p = try ProfileLoader.load([path], opener: opener)
            let si = try r.sampleIndex.map { name throws(InputError) in
                try ProfileLoader.sampleIndex(p, name, source: path)
            }
            findings += Findings.evaluate(p, rules: all, sampleIndex: si, source: path)
        }
        return Self.findings(findings, profiles: r.profiles, format: r.format)
    }
}
