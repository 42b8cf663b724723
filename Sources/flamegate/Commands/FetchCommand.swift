import ArgumentParser
import FlamegateCapture
import FlamegateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Capture a profile from a live service (Go's net/http/pprof, swift-profile-recorder) and save it.",
        discussion: """
            URL is a base (http://host:port, /debug/pprof is added) or a full endpoint (http://host:port/debug/pprof/heap?seconds=10). Any command that reads a profile also takes a URL: `flamegate top http://host:6060/debug/pprof/profile?seconds=10`; a base URL alone means a 30 s CPU profile, as in pprof.

            --seconds N: CPU profile and trace length; for allocs, block, mutex, heap, goroutine and threadcreate, Go answers a delta profile (what happened during N s). --debug 2 with --profile goroutine saves the text goroutine dump, which every command reads (grouped by stack and wait state). --profile sample asks swift-profile-recorder's POST /sample (perf script text); its /debug/pprof/profile works as for Go.

            On a terminal, stderr shows a countdown, then the bytes received. Redirects are followed; https works. An answer that is not a profile (an HTML login page served with status 200, a JSON error) is refused with its status, content type and first bytes (exit 2), and nothing is written.

            Examples:
              flamegate fetch http://127.0.0.1:6060 --profile cpu --seconds 10 -o cpu.pb.gz
              flamegate fetch http://127.0.0.1:6060 --profile allocs --seconds 30 -o allocs-delta.pb.gz
              flamegate fetch http://127.0.0.1:6060 --profile goroutine --debug 2 -o goroutines.txt
              flamegate top http://127.0.0.1:6060/debug/pprof/heap
            """)

    @Argument(
        help: ArgumentHelp("Service URL: http(s)://host:port[/debug/pprof[/ENDPOINT]][?seconds=N].", valueName: "url"))
    var url: String

    @Option(
        name: names("profile"),
        help:
            "cpu, heap, allocs, block, mutex, goroutine, threadcreate, trace, or sample (swift-profile-recorder). Default: the URL's endpoint, else cpu."
    )
    var profile: CaptureKind?

    @Option(
        name: names("seconds"),
        help:
            "Capture length (cpu, trace, sample: default 30) or delta window (allocs, block, mutex, heap, goroutine, threadcreate)."
    )
    var seconds: Int?

    @Option(name: names("debug"), help: "Go's debug parameter (2 with goroutine: the text goroutine dump).")
    var debug: Int?

    @Option(name: names("timeout"), help: "Give up after this many seconds (default: --seconds + 30).")
    var timeout: Double?

    @Option(name: names("max-bytes"), help: "Largest answer accepted, e.g. 1GiB (default), 200MB, 1048576.")
    var maxBytes: String = "1GiB"

    @Option(name: [.short, .long], help: "Output file; - for stdout.")
    var output: String

    func validate() throws {
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be a positive number") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if FetchOptions.parseSize(maxBytes) == nil {
            throw ValidationError("--max-bytes: '\(maxBytes)' is not a size (e.g. 1GiB, 200MB, 65536)")
        }
        if let debug, debug < 0 { throw ValidationError("--debug must be ≥ 0") }
        if PprofEndpoint.sourceURL(url) == nil {
            throw ValidationError("'\(url)' is not an http:// or https:// URL, nor host:port")
        }
    }

    func run() throws {
        let options = FetchOptions(timeout: timeout, maxBytes: FetchOptions.parseSize(maxBytes) ?? (1 << 30))
        let (bytes, req) = try Capture.fetch(
            FetchRequest(
                url: PprofEndpoint.sourceURL(url) ?? url, profile: profile, seconds: seconds, debug: debug,
                options: options))
        try writeFile(output, bytes)
        if isatty(2) == 1 && output != "-" { writeErr("saved \(bytes.count) bytes from \(req) to \(output)\n") }
    }
}

extension CaptureKind: ExpressibleByArgument {}
