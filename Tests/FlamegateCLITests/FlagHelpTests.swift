import FlamegateTestSupport
import Testing

/// Issue 18 §6: mistyped commands and flags get "did you mean", enum-like values are
/// checked against their accepted list, and unimplemented flags are not offered in help.
@Suite struct FlagHelpTests {
    let cpu = Fixtures.path("pprof/go1.27/cpu.pb.gz")

    @Test func mistypedCommandSuggestsTheNearestOne() throws {
        let r = try Fixtures.run(["tpo", cpu])
        #expect(r.status == 2)
        #expect(r.stderr == "flamegate: unknown command 'tpo'. Did you mean 'top'? (see 'flamegate --help')\n")
        let nested = try Fixtures.run(["bench", "compre", "a.txt", "b.txt"])
        #expect(nested.status == 2)
        #expect(
            nested.stderr.hasPrefix("flamegate: unknown command 'compre'. Did you mean 'compare'?"), "\(nested.stderr)")
        let far = try Fixtures.run(["frobnicate", cpu])
        #expect(far.stderr == "flamegate: unknown command 'frobnicate' (see 'flamegate --help')\n")
    }

    @Test func mistypedFlagSuggestsTheNearestOneOnOneLine() throws {
        let r = try Fixtures.run(["top", "--nodecont", "5", cpu])
        #expect(r.status == 2)
        #expect(r.stderr == "flamegate: Error: Unknown option '--nodecont'. Did you mean '--nodecount'? (see --help)\n")
    }

    @Test func enumLikeValuesAreCheckedWithTheAcceptedList() throws {
        let unit = try Fixtures.run(["top", "--unit", "parsecs", cpu])
        #expect(unit.status == 2)
        #expect(
            unit.stderr.contains("--unit: 'parsecs' is not a unit; expected one of minimum, auto, B, kB"),
            "\(unit.stderr)")
        let typo = try Fixtures.run(["top", "--unit", "kbb", cpu])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("(did you mean 'kB'?)"), "\(typo.stderr)")
        for ok in ["ms", "seconds", "MB", "auto", "minimum"] {
            let r = try Fixtures.run(["top", "--unit", ok, "-nodecount=1", cpu])
            #expect(r.status == 0, "\(ok): \(r.stderr)")
        }
        let g = try Fixtures.run(["top", "--granularity", "fnuctions", cpu])
        #expect(g.status == 2)
        #expect(g.stderr.contains("'functions', 'filefunctions', 'files', 'lines' or 'addresses'"))
        let to = try Fixtures.run(["convert", "--to", "foled", "-o", "-", cpu])
        #expect(to.status == 2)
        #expect(to.stderr.contains("--to must be one of pprof, folded, speedscope"))
        let colors = try Fixtures.run(["flame", "--colors", "blorp", "-o", "-", cpu])
        #expect(colors.status == 2)
        #expect(colors.stderr.contains("--colors must be one of auto, hot, mem"))
    }

    @Test func collapseDoesNotOfferInlineOrContext() throws {
        let help = try Fixtures.run(["collapse", "--help"])
        #expect(help.status == 0)
        #expect(!help.stdout.contains("--inline"))
        #expect(!help.stdout.contains("--context"))
    }
}
