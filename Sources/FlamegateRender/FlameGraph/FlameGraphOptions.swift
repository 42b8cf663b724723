/// Options of flame graph output; names and defaults are flamegraph.pl's.
public struct FlameGraphOptions: Sendable {
    /// nil: "Flame Graph", "Icicle Graph", "Flame Chart" or "Differential Flame Graph".
    public var title: String? = nil
    public var subtitle = ""
    public var width = 1200
    public var frameHeight = 16
    /// Frames narrower than this are left out: pixels, or percent of the total when `minWidthPercent`.
    public var minWidth = 0.1
    public var minWidthPercent = false
    public var fontType = "Verdana"
    public var fontSize = 12.0
    public var fontWidth = 0.59
    /// nil: values are printed in the profile's unit (`Units.label`); else `1,234 <countname>` as flamegraph.pl.
    public var countName: String? = nil
    public var nameType = "Function:"
    /// `auto` (language-aware) or one of flamegraph.pl's palettes.
    public var colors = "auto"
    public var bgColors = ""
    public var hash = false
    public var inverted = false
    public var flameChart = false
    public var negate = false
    public var notes = ""
    /// Differential: scale the base to the candidate's total.
    public var normalize = false
    /// Sample type and unit of the values (from the profile).
    public var sampleType = "samples"
    public var unit = "count"
    /// flamegraph.pl's defaults.
    public init() {}

    var resolvedTitle: String {
        if let title, !title.isEmpty { return title }
        if flameChart { return "Flame Chart" }
        return inverted ? "Icicle Graph" : "Flame Graph"
    }
}
