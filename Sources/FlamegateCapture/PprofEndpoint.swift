import FlamegateCore
import Foundation

/// What to capture from a live service: Go's `net/http/pprof` endpoints, and
/// apple/swift-profile-recorder's (`/debug/pprof/profile`, `POST /sample`).
public enum CaptureKind: String, CaseIterable, Sendable {
    case cpu, heap, allocs, block, mutex, goroutine, threadcreate, trace
    /// swift-profile-recorder's `POST /sample` (perf script text).
    case sample

    /// The endpoint's last path component (`cpu` is Go's `/debug/pprof/profile`).
    public var endpoint: String {
        switch self {
        case .cpu: return "profile"
        default: return rawValue
        }
    }

    /// Go answers `?seconds=N` on these with a delta profile (what happened during N s).
    public var supportsDelta: Bool {
        switch self {
        case .allocs, .block, .mutex, .heap, .goroutine, .threadcreate: return true
        default: return false
        }
    }

    /// Endpoints that always take time (`seconds` defaults to 30 as in pprof / Go).
    public var isTimed: Bool { self == .cpu || self == .trace || self == .sample }

    init?(endpoint: String) {
        if endpoint == "profile" {
            self = .cpu
        } else if let k = CaptureKind(rawValue: endpoint), k != .cpu {
            self = k
        } else {
            return nil
        }
    }
}

/// A resolved HTTP request for one capture.
public struct CaptureRequest: Sendable, CustomStringConvertible {
    /// The full URL, query (`seconds`, `debug`) included.
    public var url: String
    /// `GET`, or `POST` for swift-profile-recorder's `/sample`.
    public var method: String = "GET"
    /// Request body: the `/sample` JSON (interval and sample count); nil for `GET`.
    public var body: [UInt8]? = nil
    /// `Content-Type` of `body` (`application/json`); nil when there is none.
    public var contentType: String? = nil
    /// The endpoint, when recognised.
    public var kind: CaptureKind?
    /// How long the server takes before answering (the `seconds` asked for), if known.
    public var seconds: Int?
    /// The URL, prefixed with the method when it is not `GET`.
    public var description: String { method == "GET" ? url : "\(method) \(url)" }
}

/// Turns what users type (`http://host:port`, `host:port/debug/pprof/heap?seconds=5`)
/// into a request.
public enum PprofEndpoint {
    /// Does an input name a URL rather than a file?
    public static func isURL(_ s: String) -> Bool {
        let l = s.prefix(8).lowercased()
        return l.hasPrefix("http://") || l.hasPrefix("https://")
    }

    /// The URL an input names, as pprof reads sources: `http(s)://…` as given, and
    /// `host:port[/path]` with `http://` added (pprof's adjustURL); nil for files, `-`, and
    /// anything that exists as a file (a file named `a:1` stays a file here).
    public static func sourceURL(_ s: String) -> String? {
        if isURL(s) { return s }
        if s == "-" || s.hasPrefix("/") || s.hasPrefix(".") || !s.contains(":") { return nil }
        if FileManager.default.fileExists(atPath: s) { return nil }
        // url.Parse reads "host:6060" as scheme "host": retry with http://, as pprof does.
        guard let c = URLComponents(string: "http://" + s), let host = c.host, !host.isEmpty, c.port != nil else {
            return nil
        }
        return "http://" + s
    }

    /// Default length of timed captures (pprof's and Go's `seconds` default).
    public static let defaultSeconds = 30

    /// URL inputs made into full endpoint URLs by `profile`/`seconds` (pprof's `-seconds`);
    /// files, and everything when neither is given, unchanged.
    public static func resolve(_ paths: [String], profile: CaptureKind?, seconds: Int?) throws(InputError) -> [String] {
        guard profile != nil || seconds != nil else { return paths }
        var out: [String] = []
        for p in paths {
            if let url = sourceURL(p) {
                out.append(try request(url, profile: profile, seconds: seconds).url)
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// Builds the request. `url` is a base (`http://host:port`, `…/debug/pprof`) or a full
    /// endpoint; `profile`, `seconds` and `debug` add to it (an endpoint named in the URL
    /// must agree with `profile`; a `seconds`/`debug` already in the query must agree too).
    public static func request(
        _ url: String, profile: CaptureKind? = nil, seconds: Int? = nil, debug: Int? = nil,
        sampleInterval: Int = 10
    ) throws(InputError) -> CaptureRequest {
        guard isURL(url), var c = URLComponents(string: url), let host = c.host, !host.isEmpty else {
            throw InputError(source: url, "not a valid http:// or https:// URL")
        }
        if let seconds, seconds <= 0 { throw InputError(source: url, "--seconds must be a positive number") }
        var path = c.path
        while path.hasSuffix("/") { path.removeLast() }
        var items = c.queryItems ?? []
        func query(_ name: String) -> String? { items.first(where: { $0.name == name })?.value }

        // Which endpoint: the URL's last component, else the flag, else cpu.
        var kind: CaptureKind? = nil
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let isBase = path.isEmpty || path.hasSuffix("/debug/pprof")
        if !isBase {
            if last == "sample" {
                kind = .sample
            } else if path.contains("/debug/pprof/") {
                kind = CaptureKind(endpoint: last)
                if kind == nil && profile != nil {
                    throw InputError(source: url, "unknown pprof endpoint '\(last)'")
                }
            }
            if let profile, let kind, profile != kind {
                throw InputError(
                    source: url, "the URL names the \(kind.rawValue) endpoint but --profile is \(profile.rawValue)")
            }
        } else {
            let k = profile ?? .cpu
            kind = k
            if k == .sample {
                path = String(path.dropLast(path.hasSuffix("/debug/pprof") ? "/debug/pprof".count : 0)) + "/sample"
            } else {
                if !path.hasSuffix("/debug/pprof") { path += "/debug/pprof" }
                path += "/" + k.endpoint
            }
        }
        c.path = path

        // seconds: flag, or the URL's query.
        var secs = seconds
        if let q = query("seconds") {
            guard let v = Int(q), v > 0 else {
                throw InputError(source: url, "seconds=\(q) in the URL is not a positive number")
            }
            if let seconds, seconds != v {
                throw InputError(source: url, "the URL asks for seconds=\(v) but --seconds is \(seconds)")
            }
            secs = v
        }
        if let k = kind, secs != nil, !k.isTimed, !k.supportsDelta {
            throw InputError(
                source: url,
                "the \(k.rawValue) profile has no delta form: --seconds works with cpu, trace, sample, allocs, block, mutex, heap, goroutine and threadcreate"
            )
        }
        if let debug {
            if debug < 0 { throw InputError(source: url, "--debug must be ≥ 0") }
            if let q = query("debug"), q != String(debug) {
                throw InputError(source: url, "the URL asks for debug=\(q) but --debug is \(debug)")
            }
            if query("debug") == nil { items.append(URLQueryItem(name: "debug", value: String(debug))) }
        }

        if kind == .sample {
            // swift-profile-recorder: POST /sample {"timeInterval":"10 ms","numberOfSamples":N}.
            let s = secs ?? 10
            let interval = max(1, sampleInterval)
            let n = max(1, s * 1000 / interval)
            items.removeAll(where: { $0.name == "seconds" })
            c.queryItems = items.isEmpty ? nil : items
            guard let u = c.string else { throw InputError(source: url, "not a valid URL") }
            let body = "{\"timeInterval\":\"\(interval) ms\",\"numberOfSamples\":\(n)}"
            return CaptureRequest(
                url: u, method: "POST", body: Array(body.utf8), contentType: "application/json", kind: .sample,
                seconds: s)
        }
        if let k = kind, k.isTimed, secs == nil, query("seconds") == nil { secs = defaultSeconds }
        if let secs, query("seconds") == nil { items.append(URLQueryItem(name: "seconds", value: String(secs))) }
        c.queryItems = items.isEmpty ? nil : items
        guard let u = c.string else { throw InputError(source: url, "not a valid URL") }
        return CaptureRequest(url: u, kind: kind, seconds: secs)
    }
}
