import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

/// Flamegate's reports against `go tool pprof`'s own output on real Go profiles
/// (references made by Fixtures/pprof/capture.sh; no Go needed here).
@Suite struct PprofParityTests {
    static let references = Fixtures.pprofReferences(sets: ["go1.19", "go1.27", "go1.27-fixed"])

    @Test func referencesExist() {
        // Guards the parameterised tests below against silently running on nothing.
        #expect(Self.references.count >= 100)
        #expect(Set(Self.references.map(\.set)).isSuperset(of: ["go1.19", "go1.27"]))
    }

    /// pprof's flags, parsed the simple way (PprofCommandLine reads them as the CLI does).
    struct Parsed {
        var report = ""
        var files: [String] = []
        var sampleIndex: String? = nil
        var options = TableOptions(sampleIndex: 0)
        var style = ReportStyle()
    }

    static func parse(_ args: [String]) -> Parsed {
        var p = Parsed()
        p.style.utc = true
        for a in args {
            let kv = a.split(separator: "=", maxSplits: 1).map(String.init)
            switch kv[0] {
            case "-top": p.report = "top"
            case "-traces": p.report = "traces"
            case "-tags": p.report = "tags"
            case "-raw": p.report = "raw"
            case "-cum": p.options.cumSort = true
            case "-nodecount": p.options.nodeCount = Int(kv[1])!
            case "-nodefraction": p.options.nodeFraction = Double(kv[1])!
            case "-sample_index": p.sampleIndex = kv[1]
            case "-unit": p.style.outputUnit = kv[1]
            case "-noinlines": p.options.inlines = false
            case "-granularity": p.options.granularity = Granularity(rawValue: kv[1])!
            default:
                precondition(!a.hasPrefix("-"), "unhandled pprof flag \(a) in references.tsv")
                p.files.append(a)
            }
        }
        return p
    }

    /// The same references read as the CLI reads them (PprofCommandLine): selection,
    /// granularity and defaults as `flamegate -top …` applies them.
    @Test(arguments: references)
    func commandLineMatchesPprof(_ ref: Fixtures.Reference) throws {
        let got = try PprofCommandLine(ref.args, in: ref.dir).output()
        if let d = Golden.difference(got, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }

    @Test(arguments: references)
    func libraryMatchesPprof(_ ref: Fixtures.Reference) throws {
        var parsed = Self.parse(ref.args)
        let profile = try ProfileLoader.load(parsed.files.map { ref.dir + "/" + $0 })
        let si = try profile.sampleIndex(named: parsed.sampleIndex ?? "")
        parsed.options.sampleIndex = si
        let got: String
        switch parsed.report {
        case "top": got = Reports.top(profile, options: parsed.options, style: parsed.style, format: .text)
        case "raw": got = PprofRaw.render(profile, utc: true)
        case "tags":
            got = PprofText.tags(
                profile, sampleIndex: si, style: parsed.style, total: FunctionTable.reportTotal(profile, si))
        default: got = Reports.traces(profile, sampleIndex: si, style: parsed.style, format: .text)
        }
        if let d = Golden.difference(got, try ref.expected(), ref.description) { Issue.record("\(d)") }
    }
}
