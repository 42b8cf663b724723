import ArgumentParser
import FlamegateCore
import FlamegateRender

/// Flags every text report shares: sample type, units, time zone, output format.
struct ReportFlags: ParsableArguments {
    @Option(
        name: names("sample-index"),
        help: ArgumentHelp(
            "Sample type to report, by name or index (default: the profile's default_sample_type, else the last type).",
            valueName: "name|N"))
    var sampleIndex: String?

    @Option(name: names("unit"), help: "Output unit: minimum (default), auto, or a unit such as ms, s, kB, MB.")
    var unit: String = "minimum"

    @Option(name: names("divide-by"), help: "Divide every value by this number (pprof's -divide_by).")
    var divideBy: Double = 1

    @Flag(name: names("utc"), help: "Print the Time: header in UTC instead of the local time zone.")
    var utc = false

    @Option(name: names("format"), help: "Output format: text or json.")
    var format: Reports.Format = .text

    var style: ReportStyle {
        var s = ReportStyle()
        s.outputUnit = unit
        s.divideBy = divideBy
        s.utc = utc
        return s
    }

    func validate() throws {
        if divideBy == 0 { throw ValidationError("-divide_by must not be zero") }
        if let e = Units.outputUnitError(unit) { throw ValidationError(e) }
    }
}

extension Reports.Format: ExpressibleByArgument {}
