/// The first steps of every report: read the inputs (merged as pprof merges several),
/// combine them with a base for comparisons, pick the sample type and apply the filters.
public enum ProfileLoader {
    /// Reads each input and merges them as pprof does when given several profiles, then
    /// applies the profile's own drop_frames/keep_frames.
    public static func load(_ paths: [String], opener: InputOpener = .files) throws(InputError) -> Profile {
        // A selector matching several stored profiles merges them like several files.
        let paths = try InputSources.expand(paths)
        var profiles: [Profile] = []
        for path in paths { profiles.append(try ProfileInput.readAny(path, opener: opener)) }
        let source = paths.joined(separator: ", ")
        var p: Profile
        do {
            p = try ProfileMerge.merge(profiles)
        } catch {
            throw InputError(source: source, "cannot merge: \(error.message)")
        }
        do { try ProfileFilter.removeUninteresting(&p) } catch { throw InputError(source: source, error.message) }
        return p
    }

    /// Reads candidate and base inputs and combines them as pprof's `-diff_base` /
    /// `-base` do (`normalize`: pprof's `-normalize`).
    public static func loadDiff(
        _ paths: [String], base: [String], mode: ProfileDiff.Mode, normalize: Bool, opener: InputOpener = .files
    ) throws(InputError) -> Profile {
        let source = (paths + base).joined(separator: ", ")
        let cand = try loadMerged(paths, opener: opener)
        let b = try loadMerged(base, opener: opener)
        var p: Profile
        do {
            p = try ProfileDiff.combine(candidate: cand, base: b, mode: mode, normalize: normalize)
        } catch {
            throw InputError(source: source, "cannot compare: \(error.message)")
        }
        do { try ProfileFilter.removeUninteresting(&p) } catch { throw InputError(source: source, error.message) }
        return p
    }

    static func loadMerged(_ paths: [String], opener: InputOpener) throws(InputError) -> Profile {
        let paths = try InputSources.expand(paths)
        var profiles: [Profile] = []
        for path in paths { profiles.append(try ProfileInput.readAny(path, opener: opener)) }
        do {
            return try ProfileMerge.merge(profiles)
        } catch {
            throw InputError(source: paths.joined(separator: ", "), "cannot merge: \(error.message)")
        }
    }

    /// Resolves a `-sample_index` value against a profile.
    public static func sampleIndex(_ p: Profile, _ name: String?, source: String) throws(InputError) -> Int {
        do { return try p.sampleIndex(named: name ?? "") } catch { throw InputError(source: source, error.message) }
    }
}

/// What a report looks at: the profile after filters, and pprof's report total
/// (taken before focusing unless `relativePercentages`).
public struct ProfileSelection: Sendable {
    /// The profile after the filters.
    public var profile: Profile
    /// Index of the chosen sample type in `profile.sampleTypes`.
    public var sampleIndex: Int
    /// pprof's report total (sum of |values|): before the filters unless `relativePercentages`.
    public var total: Int64
    /// The "Active filters:" lines to print.
    public var activeFilters: [String]
    /// Filter warnings such as "Focus expression matched no samples".
    public var warnings: [String]

    /// Picks the sample type and applies filters in pprof's order.
    public static func select(
        _ p: Profile, sampleIndex name: String?, filters: FilterOptions, relativePercentages: Bool = false,
        source: String
    ) throws(InputError) -> ProfileSelection {
        var p = p
        let si = try ProfileLoader.sampleIndex(p, name, source: source)
        var warnings = p.readWarnings
        do {
            if relativePercentages { warnings += try ProfileFilter.apply(&p, filters) }
            let total = FunctionTable.reportTotal(p, si)
            if !relativePercentages { warnings += try ProfileFilter.apply(&p, filters) }
            return ProfileSelection(
                profile: p, sampleIndex: si, total: total, activeFilters: filters.activeFilters, warnings: warnings)
        } catch {
            throw InputError(source: source, error.message)
        }
    }
}
