/// Options of flame graph output; names and defaults are flamegraph.pl's.
public struct FlameGraphOptions: Sendable {
    /// nil: "Flame Graph", "Icicle Graph", "Flame Chart" or "Differential Flame Graph".
    public var title: String? = nil
    /// Second title line; "" = none.
    public var subtitle = ""
    /// Image width in pixels.
    public var width = 1200
    /// Height of one frame row in pixels.
    public var frameHeight = 16
    /// Frames narrower than this are left out: pixels, or percent of the total when `minWidthPercent`.
    public var minWidth = 0.1
    /// `minWidth` is a percent of the total rather than pixels (flamegraph.pl's `--minwidth N%`).
    public var minWidthPercent = false
    /// Font family of the frame labels.
    public var fontType = "Verdana"
    /// Font size of the labels (flamegraph.pl's `--fontsize`).
    public var fontSize = 12.0
    /// Average character width as a fraction of `fontSize`, used to fit labels into frames.
    public var fontWidth = 0.59
    /// nil: values are printed in the profile's unit (`Units.label`); else `1,234 <countname>` as flamegraph.pl.
    public var countName: String? = nil
    /// The word before the frame name in tooltips and the details line.
    public var nameType = "Function:"
    /// `auto` (language-aware) or one of flamegraph.pl's palettes.
    public var colors = "auto"
    /// `--bgcolors`: yellow, blue, green, grey or `#rrggbb`; "" picks one to suit `colors`.
    public var bgColors = ""
    /// `--hash`: colour by a hash of the name (stable across graphs) instead of the seeded-random hue.
    public var hash = false
    /// Icicle graph: the root at the top, stacks growing down.
    public var inverted = false
    /// Flame chart: samples in order, only adjacent common prefixes merged, no sorting.
    public var flameChart = false
    /// Differential: swap the colours, so red means the base was larger.
    public var negate = false
    /// Text embedded in the output as a `NOTES` comment; "" = none.
    public var notes = ""
    /// Differential: scale the base to the candidate's total.
    public var normalize = false
    /// Sample type and unit of the values (from the profile).
    public var sampleType = "samples"
    /// Unit of the values, e.g. `nanoseconds`, `bytes`.
    public var unit = "count"
    /// flamegraph.pl's defaults.
    public init() {}

    var resolvedTitle: String {
        if let title, !title.isEmpty { return title }
        if flameChart { return "Flame Chart" }
        return inverted ? "Icicle Graph" : "Flame Graph"
    }
}
