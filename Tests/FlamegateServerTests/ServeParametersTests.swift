import FlamegateServer
import Testing

/// The server's pure parts: query strings (pprof's short names), `--http` addresses and
/// the Host check. The HTTP behaviour is tested end to end in FlamegateCLITests.
@Suite struct ServeParametersTests {
    @Test func shortNamesFoldIntoLongOnes() {
        let q = QueryParameters("si=alloc_space&f=main%5C.&i=runtime&h=fmt&s=x&sf=y&tf=handler%3Dpay&n=10&g=lines")
        #expect(q["sample_index"] == "alloc_space")
        #expect(q["focus"] == "main\\.")
        #expect(q["ignore"] == "runtime")
        #expect(q["hide"] == "fmt")
        #expect(q["show"] == "x")
        #expect(q["show_from"] == "y")
        #expect(q["tagfocus"] == "handler=pay")
        #expect(q["nodecount"] == "10")
        #expect(q["granularity"] == "lines")
        // Both spellings are one request (one cache entry).
        #expect(
            QueryParameters("f=main&si=cpu").cacheKey == QueryParameters("sample_index=cpu&focus=main").cacheKey)
        #expect(QueryParameters("sample-index=cpu")["sample_index"] == "cpu")
    }

    @Test func decoding() {
        let q = QueryParameters("focus=a+b%2Bc&hide=%E2%80%94&bad=%zz&empty=&flag")
        #expect(q["focus"] == "a b+c")
        #expect(q["hide"] == "—")
        #expect(q["bad"] == "%zz")
        #expect(q.nonEmpty("empty") == nil && q["empty"] == "")
        #expect(q.flag("flag") && !q.flag("missing"))
    }

    @Test func addressesAsPprofReadsThem() {
        #expect(ServeAddress.parse(":8080")! == ("127.0.0.1", 8080))
        #expect(ServeAddress.parse("localhost:9")! == ("127.0.0.1", 9))
        #expect(ServeAddress.parse("0.0.0.0:80")! == ("0.0.0.0", 80))
        #expect(ServeAddress.parse("[::1]:8080")! == ("::1", 8080))
        #expect(ServeAddress.parse("8080")! == ("127.0.0.1", 8080))
        #expect(ServeAddress.parse("host:99999") == nil)
        #expect(ServeAddress.parse("host") == nil)
        #expect(ServeAddress.parse("::1:80") == nil)
    }

    @Test func hostCheck() {
        var c = ServeConfiguration()
        let loop = ServeSafety(config: c)
        #expect(loop.allows(host: "127.0.0.1:8080", port: 8080))
        #expect(loop.allows(host: "LOCALHOST:8080", port: 8080))
        #expect(loop.allows(host: "[::1]:8080", port: 8080))
        #expect(!loop.allows(host: "evil.example:8080", port: 8080))
        #expect(!loop.allows(host: "127.0.0.1:8081", port: 8080))
        #expect(!loop.allows(host: nil, port: 8080))
        #expect(loop.exposureWarning == nil)
        c.host = "10.0.0.5"
        let lan = ServeSafety(config: c)
        #expect(lan.allows(host: "10.0.0.5:8080", port: 8080))
        #expect(!lan.allows(host: "localhost:8080", port: 8080))
        #expect(lan.exposureWarning?.contains("10.0.0.5") == true)
        c.allowedHosts = ["profiles.example"]
        #expect(ServeSafety(config: c).allows(host: "profiles.example:8080", port: 8080))
        c.host = "0.0.0.0"
        #expect(ServeSafety(config: c).allows(host: "anything:1", port: 8080))
        #expect(ServeSafety(config: c).url(port: 8080) == "http://localhost:8080/")
    }
}
