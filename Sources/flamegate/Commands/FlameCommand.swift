import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct FlameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flame",
        abstract: "Interactive flame graphs: SVG (flamegraph.pl style) or standalone HTML, differential too.",
        discussion: """
            Reads pprof profiles, perf script output or folded stacks (several inputs are merged) and writes a flame graph. The output's extension picks the format (.svg, .html or .htm; any other extension, e.g. .png or .pdf, is refused); --format overrides; -o - writes SVG to stdout. The title defaults to the kind of graph, the input file names and the sample type, and the subtitle to the total, unit, sample count, duration and collection time (when the profile records them); --title drops the default subtitle, keeping flamegraph.pl's image height.

            The SVG follows flamegraph.pl: click a frame to zoom, Reset Zoom, Search (or Ctrl-F) with a regexp and "Matched: x%". With --hash --colors hot --title "Flame Graph" and the same folded input, frame geometry, colours and image size equal flamegraph.pl --hash. Both carry a colour legend. The HTML is a single file drawn on a canvas (fast with a million frames, opening with the root in view) with the same interactions (search as you type), an icicle toggle and a function table (every function, sortable, following the zoom).

            Differential: --diff-base BASE compares the inputs (candidate) with BASE; folded input with two counts per line (difffolded.pl) is differential by itself. Red grew, blue shrank, saturation by |delta| of the inclusive value; frames only in the base are hatched. --normalize scales the base to the candidate's total.

            Examples:
              flamegate flame cpu.pb.gz -o cpu.svg
              flamegate flame --focus=http --colors=hot perf.folded -o out.html
              flamegate flame new.pb.gz --diff-base old.pb.gz --normalize -o diff.html
            """)

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output file (.svg or .html); - for stdout (SVG).")
    var output: String = "-"

    @Option(
        name: names("format"),
        help: "svg, html, or json (the frames as data; see docs/json.md) (default: from the output's extension, else svg).")
    var format: FlameGraphRequest.Format?

    @Option(
        name: names("sample-index"), help: ArgumentHelp("Sample type to draw, by name or index.", valueName: "name|N"))
    var sampleIndex: String?

    @Option(
        name: names("granularity"), help: "Frames are functions (default), filefunctions, files, lines or addresses.")
    var granularity: Granularity = .functions

    @Flag(name: names("noinlines"), help: "Charge inlined frames to the function they were inlined into.")
    var noinlines = false

    @OptionGroup var filter: FilterFlags

    // flamegraph.pl options
    @Option(
        name: names("kind"),
        help: "Read Go execution traces as this profile (sched, sync, net or syscall), as `go tool trace -pprof=KIND`.")
    var traceKind: String?

    @Option(name: names("title"), help: "Title (default: kind, inputs, sample type; drops the default subtitle).")
    var title: String?
    @Option(
        name: names("subtitle"), help: "Second title line (default: total, samples, duration, time; \"\" for none).")
    var subtitle: String?
    @Option(name: names("width"), help: "Image width in pixels (default 1200).") var width: Int = 1200
    @Option(name: names("height"), help: "Frame height in pixels (default 16).") var height: Int = 16
    @Option(name: names("minwidth"), help: "Omit frames narrower than this: pixels, or N% of the total (default 0.1).")
    var minwidth: String = "0.1"
    @Option(name: names("fonttype"), help: "Font family (default Verdana).") var fonttype: String = "Verdana"
    @Option(name: names("fontsize"), help: "Font size (default 12).") var fontsize: Double = 12
    @Option(name: names("fontwidth"), help: "Average character width relative to the font size (default 0.59).")
    var fontwidth: Double = 0.59
    @Option(name: names("countname"), help: "Count label (default: values in the profile's unit, e.g. 1.20s, 4MB).")
    var countname: String?
    @Option(name: names("nametype"), help: "Name label in the details line (default \"Function:\").")
    var nametype: String = "Function:"
    @Option(
        name: names("colors"),
        help:
            "Palette: auto (language-aware, default), hot, mem, io, wakeup, chain, java, js, perl, red, green, blue, aqua, yellow, purple, orange."
    )
    var colors: String = "auto"
    @Option(name: names("bgcolors"), help: "Background: yellow, blue, green, grey or #rrggbb (default by palette).")
    var bgcolors: String = ""
    @Flag(name: names("hash"), help: "Colours keyed by a hash of the name (flamegraph.pl --hash).") var hash = false
    @Flag(name: names("reverse"), help: "Stack-reversed flame graph: merged from the leaf.") var reverse = false
    @Flag(name: names("inverted"), help: "Icicle graph (root at the top).") var inverted = false
    @Flag(name: names("flamechart"), help: "Flame chart: samples in input order, not merged or sorted.")
    var flamechart = false
    @Flag(name: names("negate"), help: "Differential: swap the hues (blue grew, red shrank).") var negate = false
    @Option(name: names("notes"), help: "Notes embedded in a comment.") var notes: String = ""

    // differential
    @Option(name: names("diff-base", "base"), help: "Base profile(s): draw the inputs as a differential against them.")
    var diffBase: [String] = []
    @Flag(name: names("normalize"), help: "Differential: scale the base to the candidate's total.") var normalize =
        false

    @Argument(
        help: ArgumentHelp("Profiles (pprof, perf script, folded; .gz allowed); - for stdin.", valueName: "input"))
    var inputs: [String] = []

    @Flag(
        name: names("blame"),
        help: "Fold runtime and system frames into the user frame that called them (see `flamegate blame`).")
    var blame = false

    @Option(
        name: names("user"),
        help: "With --blame: regex for user code (default: not Go's runtime/standard library, not system libraries).")
    var user: String?

    /// The request these flags describe.
    func request() -> FlameGraphRequest {
        var r = FlameGraphRequest(inputs: inputs)
        r.diffBase = diffBase
        r.sampleIndex = sampleIndex
        r.filters = filter.options
        r.tree.granularity = granularity
        r.tree.inlines = !noinlines
        r.tree.reverse = reverse
        r.tree.flameChart = flamechart
        r.blame = blame
        r.user = user
        var o = FlameGraphOptions()
        o.title = title
        o.subtitle = subtitle ?? ""
        r.autoSubtitle = subtitle == nil
        o.width = width
        o.frameHeight = height
        if let (v, pct) = FlameGraphRequest.parseMinWidth(minwidth) {
            o.minWidth = v
            o.minWidthPercent = pct
        }
        (o.fontType, o.fontSize, o.fontWidth) = (fonttype, fontsize, fontwidth)
        (o.countName, o.nameType, o.colors, o.bgColors) = (countname, nametype, colors, bgcolors)
        (o.hash, o.inverted, o.flameChart, o.negate) = (hash, inverted, flamechart, negate)
        (o.notes, o.normalize) = (notes, normalize)
        r.graph = o
        r.format = format ?? .forOutput(output) ?? .svg
        return r
    }

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one input") }
        // The extension picks the format unless --format does: refuse one that names no format.
        if format == nil, let problem = FlameGraphRequest.Format.problem(forOutput: output) {
            throw ValidationError(problem)
        }
        if FlameGraphRequest.parseMinWidth(minwidth) == nil {
            throw ValidationError("--minwidth '\(minwidth)' is not a number (pixels) or N%")
        }
        if let problem = request().problem { throw ValidationError(problem) }
        if let k = traceKind, TraceProfileKind(rawValue: k) == nil {
            throw ValidationError("--kind must be sched, sync, net or syscall")
        }
    }

    func run() throws {
        var opener = InputOpener.network
        if let k = traceKind.flatMap(TraceProfileKind.init(rawValue:)) { opener = .traces(as: k, from: opener) }
        let out = try FlameGraph.render(request(), opener: opener)
        warn(out.warnings)
        try writeFile(output, out.bytes)
    }
}

extension FlameGraphRequest.Format: ExpressibleByArgument {}
