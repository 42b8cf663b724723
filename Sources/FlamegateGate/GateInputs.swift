import FlamegateCore
import FlamegateRender

/// Which kind of input a file holds, from its bytes (`FormatRegistry.kind`): a JSON
/// object (metric), `go test -bench` output (bench), `-gcflags=-m` diagnostics (escape),
/// else a profile (pprof, gzip, `perf script`, folded stacks).
public enum GateInputSniffer {
    /// The rule kind that reads these bytes.
    public static func kind(of bytes: [UInt8]) -> GateRule.Kind {
        if bytes.withUnsafeBytes({ TraceReader.version($0) }) != nil { return .trace }
        switch bytes.withUnsafeBytes({ FormatRegistry.kind(of: $0) }) {
        case .profile: return .profile
        case .bench: return .bench
        case .escape: return .escape
        case .metric: return .metric
        }
    }
}

/// Loads gate inputs once each (several rules may read the same file).
public final class GateInputCache: @unchecked Sendable {
    var bytes: [String: [UInt8]] = [:]
    var profiles: [String: Profile] = [:]
    var benches: [String: GoBenchFile] = [:]
    var escapes: [String: EscapeReport] = [:]
    var metrics: [String: YAMLValue] = [:]
    var traces: [String: TraceStats] = [:]

    /// An empty cache; not thread-safe, so use one per gate run.
    public init() {}

    func read(_ path: String) throws(InputError) -> [UInt8] {
        if let b = bytes[path] { return b }
        let b = try ProfileInput.readBytes(path)
        bytes[path] = b
        return b
    }

    /// The kind a file holds.
    public func kind(_ path: String) throws(InputError) -> GateRule.Kind {
        let bytes = try read(path)
        // Nothing to route by: say which file, rather than "no input of this kind".
        if bytes.isEmpty {
            throw InputError(
                source: path,
                "empty file: expected a profile, `go test -bench` output, `-gcflags=-m` diagnostics or a JSON object of numbers"
            )
        }
        return GateInputSniffer.kind(of: bytes)
    }

    /// Each file as one profile (with the profile's drop/keep frames applied).
    func profile(_ path: String) throws(InputError) -> Profile {
        if let p = profiles[path] { return p }
        let p = try ProfileLoader.load([path])
        profiles[path] = p
        return p
    }

    /// A profile's default sample type (its `default_sample_type`, else the last type).
    func defaultSampleType(_ path: String) throws(InputError) -> String {
        let p = try profile(path)
        guard let i = try? p.sampleIndex(named: "") else { return "" }
        return p.sampleTypes[i].type
    }

    func bench(_ path: String) throws(InputError) -> GoBenchFile {
        if let b = benches[path] { return b }
        let b = try GoBench.parse(try read(path), source: path)
        benches[path] = b
        return b
    }

    func escape(_ path: String) throws(InputError) -> EscapeReport {
        if let e = escapes[path] { return e }
        let e = try GoEscape.parse(try read(path), source: path)
        escapes[path] = e
        return e
    }

    func metric(_ path: String) throws(InputError) -> YAMLValue {
        if let m = metrics[path] { return m }
        let bytes = try read(path)
        if bytes.isEmpty { throw InputError(source: path, "empty file: expected a JSON object of numbers") }
        // JSON is YAML (flow style): Yams reads it and keeps line and column for errors.
        let m = try YAMLValue.parse(String(decoding: bytes, as: UTF8.self), source: path)
        metrics[path] = m
        return m
    }
}
