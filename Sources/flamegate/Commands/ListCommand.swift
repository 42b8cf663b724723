import ArgumentParser
import FlamegateCapture
import FlamegateCore
import FlamegateRender

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract:
            "Source lines of the functions matching a regex, with the flat and cum of each, as `go tool pprof -list`.",
        discussion: """
            Sources are read from the paths the profile records; --trim-path removes a prefix from them (e.g. the build machine's checkout) and --source-path says where to look instead (":"-separated directories, each searched with its parents), as pprof.

            Examples:
              flamegate list 'main\\.payHandler' cpu.pb.gz
              flamegate -list=buildLineItems -trim_path=/build -source_path=. allocs.pb.gz
            """)

    @OptionGroup var report: ReportFlags
    @OptionGroup var analysis: AnalysisFlags

    @Option(name: names("source-path"), help: "Where to look for sources (\":\"-separated; default: here).")
    var sourcePath = ""

    @Option(name: names("trim-path"), help: "Prefix to remove from the profile's source paths (\":\"-separated).")
    var trimPath = ""

    @Argument(help: "Regex over function names.")
    var regex: String

    @Argument(help: ArgumentHelp("Profile files; several are merged first. - for stdin.", valueName: "profile"))
    var profiles: [String]

    func validate() throws {
        if profiles.isEmpty { throw ValidationError("give at least one profile") }
    }

    func run() throws {
        var r = ProfileReportRequest(.list(regex), query: try analysis.query(profiles, sampleIndex: report.sampleIndex))
        r.table = analysis.tableOptions()
        (r.sourcePath, r.trimPath) = (sourcePath, trimPath)
        r.style = report.style
        r.format = report.format
        let out = try Reports.run(r, opener: analysis.opener)
        warn(out.warnings, prefix: "")
        try writeOut(out.text)
    }
}
