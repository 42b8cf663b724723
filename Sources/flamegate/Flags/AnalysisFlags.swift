import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

/// pprof's filters, granularity and comparison flags, shared by the reports.
struct AnalysisFlags: ParsableArguments {
    @OptionGroup var filter: FilterFlags
    @Flag(name: names("relative-percentages"), help: "Percentages of the focused samples, not of the whole profile.")
    var relativePercentages = false

    @Option(
        name: names("diff-base"),
        help: "Compare against this profile: base negated and merged, percentages of the base.")
    var diffBase: [String] = []
    @Option(name: names("base"), help: "Subtract this profile (for cumulative profiles such as heap allocations).")
    var base: [String] = []
    @Flag(name: names("normalize"), help: "Scale the profile to the base's total before comparing.")
    var normalize = false
    @Flag(name: names("drop-negative"), help: "Leave out rows whose value is negative (in comparisons).")
    var dropNegative = false

    @Option(name: names("granularity"), help: "Group by functions (default), filefunctions, files, lines or addresses.")
    var granularity: Granularity?
    @Flag(name: names("functions"), help: "Same as --granularity functions.")
    var functions = false
    @Flag(name: names("filefunctions"), help: "Same as --granularity filefunctions.")
    var filefunctions = false
    @Flag(name: names("files"), help: "Same as --granularity files.")
    var files = false
    @Flag(name: names("lines"), help: "Same as --granularity lines.")
    var lines = false
    @Flag(name: names("addresses"), help: "Same as --granularity addresses.")
    var addresses = false
    @Flag(name: names("noinlines"), help: "Attribute inlined frames to the function they were inlined into.")
    var noinlines = false

    @Option(
        name: names("trim"),
        help: "false: drop no rows (pprof's -trim=false: --nodecount, --nodefraction, --edgefraction become 0).")
    var trim = true
    @Option(
        name: names("symbolize"),
        help:
            "Accepted for pprof's command lines (none, local, remote…); Flamegate reads symbols from the profile only.")
    var symbolize: String?
    @Option(name: names("timeout"), help: "For URL inputs: give up after this many seconds (default: --seconds + 30).")
    var timeout: Double?

    @Option(
        name: names("profile"),
        help: "For URL inputs: which /debug/pprof endpoint (cpu, heap, allocs, block, mutex, goroutine, threadcreate).")
    var profileKind: CaptureKind?
    @Option(
        name: names("seconds"),
        help: "For URL inputs: seconds to capture (CPU) or the delta window (allocs, block, mutex…).")
    var seconds: Int?

    var filters: FilterOptions { filter.options }

    var effectiveGranularity: Granularity {
        if let granularity { return granularity }
        if addresses { return .addresses }
        if lines { return .lines }
        if files { return .files }
        if filefunctions { return .filefunctions }
        return .functions
    }

    func validate() throws {
        if !diffBase.isEmpty && !base.isEmpty { throw ValidationError("use either --diff-base or --base, not both") }
        if let k = traceKind, TraceProfileKind(rawValue: k) == nil {
            throw ValidationError("--kind must be sched, sync, net or syscall")
        }
    }

    /// The query these flags describe over `profiles`; URL inputs become endpoint URLs
    /// by --profile/--seconds.
    func query(_ profiles: [String], sampleIndex: String?) throws -> ProfileQuery {
        var q = ProfileQuery(inputs: try resolve(profiles))
        q.diffBase = try resolve(diffBase)
        q.base = try resolve(base)
        q.normalize = normalize
        q.sampleIndex = sampleIndex
        q.filters = filters
        q.relativePercentages = relativePercentages
        return q
    }

    /// URL inputs made into endpoint URLs by --profile/--seconds; files unchanged.
    func resolve(_ paths: [String]) throws -> [String] {
        try PprofEndpoint.resolve(paths, profile: profileKind, seconds: seconds)
    }

    @Option(
        name: names("kind"),
        help: "Read Go execution traces as this profile (sched, sync, net or syscall), as `go tool trace -pprof=KIND`.")
    var traceKind: String?

    /// Where inputs come from: files, stdin and URLs (with --timeout); with --kind, traces
    /// read as that profile.
    var opener: InputOpener {
        let base = InputOpener.network(timeout: timeout)
        guard let k = traceKind.flatMap(TraceProfileKind.init(rawValue:)) else { return base }
        return .traces(as: k, from: base)
    }

    /// `o` with pprof's -trim=false applied (no row or edge dropped).
    func trimmed(_ o: TableOptions) -> TableOptions {
        guard !trim else { return o }
        var o = o
        (o.nodeCount, o.nodeFraction, o.edgeFraction) = (0, 0, 0)
        return o
    }

    func tableOptions() -> TableOptions {
        var o = TableOptions(sampleIndex: 0)
        o.granularity = effectiveGranularity
        o.inlines = !noinlines
        o.dropNegative = dropNegative
        return o
    }
}
