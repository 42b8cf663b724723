// The gate's non-profile inputs. Their readers live with their parsers (`GoBench`,
// `GoEscape`, `YAMLValue`); the registry only needs to recognise them.

/// Lines of a text head (at most `limit`), as Strings; nil when the head is binary.
private func textLines(_ head: UnsafeRawBufferPointer, limit: Int = 2000) -> [String]? {
    if head.contains(0) { return nil }
    var lines: [String] = []
    var start = 0
    while start < head.count && lines.count < limit {
        var end = start
        while end < head.count && head[end] != 0x0A { end += 1 }
        lines.append(String(decoding: UnsafeRawBufferPointer(rebasing: head[start..<end]), as: UTF8.self))
        start = end + 1
    }
    return lines
}

/// A JSON object of numbers (`metric` rules): the first non-space byte is `{`.
public struct MetricJSONFormat: InputFormat {
    /// The name in messages.
    public var name: String { "metric JSON" }
    /// Read by `metric` rules.
    public var kind: InputKind { .metric }
    /// The metric JSON format.
    public init() {}
    /// Text whose first non-space byte is `{`.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        if head.contains(0) { return false }
        return head.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{")
    }
}

/// `go test -bench` output: a `BenchmarkName N value unit` line.
public struct GoBenchFormat: InputFormat {
    /// The name in messages.
    public var name: String { "go test -bench" }
    /// Read by `bench` rules.
    public var kind: InputKind { .bench }
    /// The `go test -bench` format.
    public init() {}
    /// A `Benchmark…` line with an integer iteration count and a numeric value.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        guard let lines = textLines(head) else { return false }
        return lines.contains { line in
            guard line.hasPrefix("Benchmark") else { return false }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return f.count >= 4 && Int(f[1]) != nil && Double(f[2]) != nil
        }
    }
}

/// `go build -gcflags=-m` diagnostics: a `file.go:line:col: message` line.
public struct GoEscapeFormat: InputFormat {
    /// The name in messages.
    public var name: String { "go build -gcflags=-m" }
    /// Read by `escape` rules.
    public var kind: InputKind { .escape }
    /// The `-gcflags=-m` format.
    public init() {}
    /// A `file.go:line:col: message` line (not a benchmark line).
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool {
        guard let lines = textLines(head) else { return false }
        return lines.contains { line in
            guard !line.hasPrefix("Benchmark"), let pos = GoEscape.position(line) else { return false }
            return !pos.message.isEmpty && pos.file.hasSuffix(".go")
        }
    }
}
