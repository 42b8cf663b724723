// Stands in for Sources/FlamegateCapture/TLSHTTPClient.swift in the fuzz build only
// (Fuzz/run.sh): that file needs AsyncHTTPClient and SwiftNIO, which the fuzz build does
// not compile. The `http` target fuzzes the response parser and body framing that
// `PlainHTTPClient` and `TLSHTTPClient` share; it never opens a connection.
enum TLSHTTPClient {
    static func exchange(
        _ hop: HTTPHop, deadline: FetchDeadline, maxBytes: Int, extraTrustRoots: [String], tick: (Int) -> Void
    ) throws(FetchFailure) -> HTTPExchange {
        throw FetchFailure("https:// is not part of the fuzz build")
    }
}
