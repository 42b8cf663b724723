/// One unit's measurements of one benchmark: every run's value, in file order.
public struct GoBenchMetric: Sendable, Equatable {
    /// The unit as written (`ns/op`, `B/op`, `allocs/op`, `p99-ns`, `items/s`…).
    public var unit: String
    /// One value per run (`-count N` gives N), in file order, in `unit`.
    public var values: [Double]
    /// A metric from its unit and values.
    public init(unit: String, values: [Double]) {
        self.unit = unit
        self.values = values
    }
}

/// One benchmark (name and package) with all its runs (`-count N` gives N per unit).
public struct GoBenchmark: Sendable, Equatable {
    /// The name without the `Benchmark` prefix, with the GOMAXPROCS suffix: `MapPerCall-8`,
    /// `Parse/small-8` (as benchstat prints it).
    public var name: String
    /// The `pkg:` in effect when the results were printed ("" when none).
    public var pkg: String
    /// The `-N` GOMAXPROCS suffix, when present.
    public var procs: Int?
    /// Iteration counts of the runs.
    public var iterations: [Int]
    /// Units in first-appearance order.
    public var metrics: [GoBenchMetric]

    /// The values recorded for `unit` (empty when none).
    public func values(_ unit: String) -> [Double] { metrics.first { $0.unit == unit }?.values ?? [] }
    /// The name without the GOMAXPROCS suffix.
    public var baseName: String {
        guard let procs else { return name }
        return String(name.dropLast(String(procs).count + 1))
    }
}

/// A parsed `go test -bench` output file.
public struct GoBenchFile: Sendable {
    /// The path (or `-`) the output was read from, for messages.
    public var source: String
    /// Benchmarks in first-appearance order; one entry per (pkg, name).
    public var benchmarks: [GoBenchmark]
    /// Configuration lines (`goos`, `goarch`, `pkg`, `cpu`, any `key: value`), first value
    /// of each key, in order.
    public var config: [(key: String, value: String)]
    /// Lines that began like a result but could not be read (`line N: …`); they are skipped,
    /// as benchstat skips them with a warning.
    public var warnings: [String]

    /// benchmark name → unit → values (benchmarks of several packages with one name are
    /// merged, in file order).
    public var byName: [String: [String: [Double]]] {
        var out: [String: [String: [Double]]] = [:]
        for b in benchmarks {
            for m in b.metrics { out[b.name, default: [:]][m.unit, default: []].append(contentsOf: m.values) }
        }
        return out
    }

    /// The first value of a configuration key.
    public func configValue(_ key: String) -> String? { config.first { $0.key == key }?.value }
}

/// Reader of Go's benchmark format (golang.org/design/14313-benchmark-format): result lines
/// `BenchmarkName-N  <iterations>  <value> <unit> [<value> <unit>…]`, configuration lines
/// `key: value`, everything else (PASS, ok, logs, test output) ignored.
public enum GoBench {
    /// Parses `go test -bench [-benchmem] [-count N]` output. Throws when the input holds no
    /// benchmark result at all (naming the first unreadable result line if there was one).
    public static func parse(_ bytes: [UInt8], source: String) throws(InputError) -> GoBenchFile {
        var file = GoBenchFile(source: source, benchmarks: [], config: [], warnings: [])
        if bytes.isEmpty {
            throw InputError(
                source: source,
                "empty file: expected `go test -bench` output (lines like 'BenchmarkName-8  1000  123 ns/op')")
        }
        var index: [String: Int] = [:]  // pkg + "\u{0}" + name → benchmarks index
        var pkg = ""
        var firstBad: (offset: Int, message: String)? = nil
        var lineNo = 0
        var start = 0
        let n = bytes.count
        while start < n {
            lineNo += 1
            var end = start
            while end < n && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var stop = end
            if stop > start && bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            let line = LosslessUTF8.decode(bytes[start..<stop])
            let lineStart = start
            start = end + 1

            if let (k, v) = configLine(line) {
                if k == "pkg" { pkg = v }
                if !file.config.contains(where: { $0.key == k }) { file.config.append((k, v)) }
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            guard let first = fields.first, isBenchmarkName(first) else { continue }
            if fields.count == 1 { continue }  // the name printed before a benchmark's log output
            func bad(_ msg: String) {
                let m = "line \(lineNo): \(msg)"
                file.warnings.append(m)
                if firstBad == nil { firstBad = (lineStart, m) }
            }
            guard let iters = Int(fields[1]), iters >= 0 else {
                // A benchmark name followed by log text (no iteration count): not a result.
                if fields[1].first?.isNumber == true {
                    bad("expected an iteration count after \(first), found '\(fields[1])'")
                }
                continue
            }
            if fields.count < 4 || fields.count % 2 != 0 {
                bad("expected '<value> <unit>' pairs after the iteration count of \(first)")
                continue
            }
            var metrics: [GoBenchMetric] = []
            var ok = true
            var i = 2
            while i + 1 < fields.count {
                guard let v = Double(fields[i]), v.isFinite else {
                    bad("expected a number before unit '\(fields[i + 1])' of \(first), found '\(fields[i])'")
                    ok = false
                    break
                }
                let unit = String(fields[i + 1])
                if !metrics.contains(where: { $0.unit == unit }) {
                    metrics.append(GoBenchMetric(unit: unit, values: [v]))
                }
                i += 2
            }
            if !ok { continue }
            let full = String(first)
            let name = String(full.dropFirst("Benchmark".count))
            let key = pkg + "\u{0}" + name
            let bi: Int
            if let existing = index[key] {
                bi = existing
            } else {
                bi = file.benchmarks.count
                index[key] = bi
                file.benchmarks.append(
                    GoBenchmark(name: name, pkg: pkg, procs: procsSuffix(name), iterations: [], metrics: []))
            }
            file.benchmarks[bi].iterations.append(iters)
            for m in metrics {
                if let j = file.benchmarks[bi].metrics.firstIndex(where: { $0.unit == m.unit }) {
                    file.benchmarks[bi].metrics[j].values.append(contentsOf: m.values)
                } else {
                    file.benchmarks[bi].metrics.append(m)
                }
            }
        }
        if file.benchmarks.isEmpty {
            if let firstBad {
                throw InputError(
                    source: source, offset: firstBad.offset,
                    firstBad.message + " (no readable benchmark result in the file)")
            }
            throw InputError(
                source: source,
                "no benchmark results: expected `go test -bench` output with lines like 'BenchmarkName-8  1000  123 ns/op'"
            )
        }
        return file
    }

    /// Reads a file (or `-` for stdin; URLs with Capture's opener) and parses it.
    public static func read(_ path: String, opener: InputOpener = .files) throws(InputError) -> GoBenchFile {
        try parse(opener.open(path), source: path)
    }

    /// `Benchmark` followed by nothing or by a character that is not a lower-case letter.
    static func isBenchmarkName(_ s: Substring) -> Bool {
        guard s.hasPrefix("Benchmark") else { return false }
        let rest = s.dropFirst("Benchmark".count)
        guard let c = rest.first else { return true }
        return !c.isLowercase
    }

    /// `key: value` where the key starts with a lower-case letter and holds no space or
    /// upper-case letter.
    static func configLine(_ line: String) -> (String, String)? {
        // The first character decides most lines (results start with "Benchmark") before
        // the whole line is searched for a colon.
        guard let c = line.first, c.isLowercase, let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        if key.contains(where: { $0.isWhitespace || $0.isUppercase }) { return nil }
        let after = line[line.index(after: colon)...]
        // The value follows ": " (or is empty).
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        let value = after.drop(while: { $0 == " " || $0 == "\t" })
        var v = String(value)
        while let l = v.last, l == " " || l == "\t" { v.removeLast() }
        return (String(key), v)
    }

    static func procsSuffix(_ name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let digits = name[name.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// benchstat's unit tidying (benchunit's `Tidy`): `ns/op` → `sec/op` (×1e-9), `MB/s` →
    /// `B/s` (×1e6), and in any other unit each `ns` of the numerator becomes `sec` (×1e-9)
    /// and each `MB` becomes `B` (×1e6): `p99-ns` → `p99-sec`. Other units are kept.
    public static func tidyUnit(_ unit: String) -> (unit: String, factor: Double) {
        switch unit {
        case "ns/op": return ("sec/op", 1e-9)
        case "MB/s": return ("B/s", 1e6)
        case "B/op", "allocs/op": return (unit, 1)
        default: break
        }
        if !(unit.contains("ns") || unit.contains("MB")) { return (unit, 1) }
        var factor = 1.0
        var out = ""
        var last = unit.unicodeScalars.startIndex
        for t in unitTokens(unit) where !t.denominator && (t.token == "ns" || t.token == "MB") {
            out += String(unit.unicodeScalars[last..<t.range.lowerBound])
            if t.token == "ns" {
                out += "sec"
                factor /= 1e9
            } else {
                out += "B"
                factor *= 1e6
            }
            last = t.range.upperBound
        }
        out += String(unit.unicodeScalars[last...])
        return (out, factor)
    }

    /// One part of a unit (`p99`, `ns`) and where it stands.
    public struct UnitPart: Sendable {
        public var token: String
        public var range: Range<String.UnicodeScalarView.Index>
        /// After a `/` (until the next `*`).
        public var denominator: Bool
    }

    /// A unit's parts as benchunit reads them: separated by `*`, `/`, `-` and spaces; parts
    /// after a `/` are in the denominator until the next `*`.
    public static func unitTokens(_ unit: String) -> [UnitPart] {
        var out: [UnitPart] = []
        let s = unit.unicodeScalars
        var denominator = false
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "*" {
                denominator = false
            } else if c == "/" {
                denominator = true
            } else if !(c == "-" || c.properties.isWhitespace) {
                var j = i
                while j < s.endIndex, !(s[j] == "*" || s[j] == "/" || s[j] == "-" || s[j].properties.isWhitespace) {
                    j = s.index(after: j)
                }
                out.append(UnitPart(token: String(s[i..<j]), range: i..<j, denominator: denominator))
                i = j
                continue
            }
            i = s.index(after: i)
        }
        return out
    }
}
