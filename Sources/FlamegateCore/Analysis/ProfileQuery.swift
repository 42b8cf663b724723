/// The request every profile report starts from: which inputs (merged), an optional base
/// to compare against (pprof's `-diff_base` or `-base`), the sample type and the filters.
public struct ProfileQuery: Sendable {
    /// Profiles to read; several are merged as pprof merges them.
    public var inputs: [String]
    /// pprof's `-diff_base`: the base negated and merged, percentages of the base.
    public var diffBase: [String] = []
    /// pprof's `-base`: the base subtracted (cumulative profiles such as allocations).
    public var base: [String] = []
    /// pprof's `-normalize`: scale the base to the candidate's total first.
    public var normalize = false
    /// pprof's `-sample_index`: a sample type's name or index (nil: the profile's default).
    public var sampleIndex: String?
    /// pprof's focus/ignore/hide/show/tag filters.
    public var filters = FilterOptions()
    /// Percentages of the focused samples instead of the whole profile.
    public var relativePercentages = false

    /// A query over `inputs` with pprof's defaults.
    public init(inputs: [String]) { self.inputs = inputs }

    /// The inputs as one label for messages ("a.pb.gz, b.pb.gz").
    public var source: String { inputs.joined(separator: ", ") }

    /// Loads the inputs (with the base, if any), picks the sample type and applies the filters.
    public func select(opener: InputOpener = .files) throws(InputError) -> ProfileSelection {
        let p: Profile
        if !diffBase.isEmpty {
            p = try ProfileLoader.loadDiff(
                inputs, base: diffBase, mode: .diffBase, normalize: normalize, opener: opener)
        } else if !base.isEmpty {
            p = try ProfileLoader.loadDiff(inputs, base: base, mode: .subtract, normalize: normalize, opener: opener)
        } else {
            p = try ProfileLoader.load(inputs, opener: opener)
        }
        return try ProfileSelection.select(
            p, sampleIndex: sampleIndex, filters: filters, relativePercentages: relativePercentages, source: source)
    }
}

extension ProfileQuery {
    /// pprof's `-proto`: the selected profile (after comparison and filters) as gzip pprof,
    /// with the selection's warnings (a filter that matched nothing says so).
    public func proto(opener: InputOpener = .files) throws(InputError) -> (bytes: [UInt8], warnings: [String]) {
        let sel = try select(opener: opener)
        return (try FormatRegistry.write(sel.profile, as: "pprof", source: source), sel.warnings)
    }
}
