#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// pprof's `measurement` rules: unit families, automatic scaling, and the exact
/// number formatting (`%.2f` trimmed of ".00", percentages as `%5.2f%%` / `%5.2g%%`).
public enum Units {
    struct Unit {
        let name: String
        let aliases: [String]
        let factor: Double
    }
    struct Family {
        let units: [Unit]
        let defaultUnit: Unit
    }

    static let families: [Family] = [
        Family(
            units: [
                Unit(name: "B", aliases: ["b", "byte"], factor: 1),
                Unit(name: "kB", aliases: ["kb", "kbyte", "kilobyte"], factor: Double(1 << 10)),
                Unit(name: "MB", aliases: ["mb", "mbyte", "megabyte"], factor: Double(1 << 20)),
                Unit(name: "GB", aliases: ["gb", "gbyte", "gigabyte"], factor: Double(1 << 30)),
                Unit(name: "TB", aliases: ["tb", "tbyte", "terabyte"], factor: Double(1 << 40)),
                Unit(name: "PB", aliases: ["pb", "pbyte", "petabyte"], factor: Double(1 << 50)),
            ], defaultUnit: Unit(name: "B", aliases: ["b", "byte"], factor: 1)),
        Family(
            units: [
                Unit(name: "ns", aliases: ["ns", "nanosecond"], factor: 1),
                Unit(name: "us", aliases: ["μs", "us", "microsecond"], factor: 1e3),
                Unit(name: "ms", aliases: ["ms", "millisecond"], factor: 1e6),
                Unit(name: "s", aliases: ["s", "sec", "second"], factor: 1e9),
                Unit(name: "hrs", aliases: ["hour", "hr"], factor: 3600e9),
            ], defaultUnit: Unit(name: "s", aliases: [], factor: 1e9)),
        Family(
            units: [
                Unit(name: "n*GCU", aliases: ["nanogcu"], factor: 1e-9),
                Unit(name: "u*GCU", aliases: ["microgcu"], factor: 1e-6),
                Unit(name: "m*GCU", aliases: ["milligcu"], factor: 1e-3),
                Unit(name: "GCU", aliases: ["gcu"], factor: 1),
                Unit(name: "k*GCU", aliases: ["kilogcu"], factor: 1e3),
                Unit(name: "M*GCU", aliases: ["megagcu"], factor: 1e6),
                Unit(name: "G*GCU", aliases: ["gigagcu"], factor: 1e9),
                Unit(name: "T*GCU", aliases: ["teragcu"], factor: 1e12),
                Unit(name: "P*GCU", aliases: ["petagcu"], factor: 1e15),
            ], defaultUnit: Unit(name: "GCU", aliases: [], factor: 1)),
    ]

    static func sniff(_ family: Family, _ unit: String) -> Unit? {
        // Cached: the same few unit strings are looked up for every value printed.
        if let hit = sniffCache.get(family.defaultUnit.name, unit) { return hit.unit }
        let r = sniffUncached(family, unit)
        sniffCache.put(family.defaultUnit.name, unit, r)
        return r
    }

    static let sniffCache = SniffCache()

    static func sniffUncached(_ family: Family, _ unit: String) -> Unit? {
        var u = unit.lowercased()
        if u.utf8.count > 2 && u.hasSuffix("s") { u.removeLast() }
        return family.units.first { $0.aliases.contains(u) }
    }

    /// Whether `unit` belongs to a known family (bytes, time, GCU).
    public static func isKnown(_ unit: String) -> Bool { families.contains { sniff($0, unit) != nil } }

    /// The `--unit` values: minimum, auto, then every unit pprof scales to (their aliases
    /// and plurals, such as `seconds` or `megabytes`, are accepted too).
    public static var outputUnitNames: [String] { ["minimum", "auto"] + families.flatMap { $0.units.map(\.name) } }

    /// Why `unit` is not an output unit (with the accepted list), or nil when it is one.
    public static func outputUnitError(_ unit: String) -> String? {
        if unit == "minimum" || unit == "auto" || isKnown(unit) { return nil }
        var m = "--unit: '\(unit)' is not a unit; expected one of \(outputUnitNames.joined(separator: ", "))"
        if let near = Suggest.closest(to: unit, among: outputUnitNames) { m += " (did you mean '\(near)'?)" }
        return m
    }

    static func autoScale(_ family: Family, _ value: Double) -> (Double, String)? {
        var f = 0.0
        var name = ""
        for u in family.units where u.factor >= f && value / u.factor >= 1.0 {
            f = u.factor
            name = u.name
        }
        return f == 0 ? nil : (value / f, name)
    }

    /// Converts `value` in `from` to `to` ("minimum"/"auto" pick the best unit).
    public static func scale(_ value: Int64, from: String, to: String) -> (Double, String) {
        if value < 0 && value != Int64.min {
            let (v, u) = scale(-value, from: from, to: to)
            return (-v, u)
        }
        // Folded counts with decimals are stored times 10^k in `count/10^k`: print the counts.
        if let k = StackProfile.foldedFractionDigits(unit: from), k > 0 {
            let (v, u) = scale(value, from: "count", to: to == from ? "count" : to)
            return (v / (0..<k).reduce(1.0) { a, _ in a * 10 }, u)
        }
        for fam in families {
            guard let fu = sniff(fam, from) else { continue }
            let v = Double(value) * fu.factor
            if to == "minimum" || to == "auto" {
                if let r = autoScale(fam, v) { return r }
                return (v / fam.defaultUnit.factor, fam.defaultUnit.name)
            }
            guard let tu = sniff(fam, to) else { return (v / fam.defaultUnit.factor, fam.defaultUnit.name) }
            return (v / tu.factor, tu.name)
        }
        switch to {
        case "count", "sample", "unit", "minimum", "auto": return (Double(value), "")
        default: return (Double(value), to)
        }
    }

    /// `value` scaled and printed as pprof prints it, e.g. "1.50s", "512kB", "0".
    public static func scaledLabel(_ value: Int64, from: String, to: String) -> String {
        let (v, u) = scale(value, from: from, to: to)
        var sv = cFormat("%.2f", v)
        if sv.hasSuffix(".00") { sv.removeLast(3) }
        if sv == "0" || sv == "-0" { return "0" }
        return sv + u
    }

    /// pprof's `measurement.Label`: auto-scaled.
    public static func label(_ value: Int64, unit: String) -> String { scaledLabel(value, from: unit, to: "auto") }

    /// pprof's `measurement.Percentage`: always 6 characters wide except for tiny values.
    public static func percentage(_ value: Int64, of total: Int64) -> String {
        var ratio = 0.0
        if total != 0 { ratio = abs(Double(value) / Double(total)) * 100 }
        if ratio >= 99.95 && ratio <= 100.05 { return "  100%" }
        if ratio >= 1.0 { return cFormat("%5.2f", ratio) + "%" }
        return cFormat("%5.2g", ratio) + "%"
    }

    /// `%.Nf` without the C library for the common case; nil when the value is too large
    /// or so close to a rounding tie that only exact decimal expansion can decide
    /// (then `cFormat` is used, so the output is always printf's).
    @inlinable
    public static func fixed(_ v: Double, decimals: Int) -> String? {
        guard decimals >= 0 && decimals <= 6, v.isFinite else { return nil }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let x = v * scale
        guard abs(x) < 1e9 else { return nil }
        let r = x.rounded(.toNearestOrEven)
        if abs(abs(x - r) - 0.5) < 1e-6 { return nil }
        var digits = Array(String(Int64(abs(r))).utf8)
        if digits.count <= decimals {
            digits = [UInt8](repeating: 48, count: decimals + 1 - digits.count) + digits
        }
        var out = [UInt8]()
        out.reserveCapacity(digits.count + 2)
        if v.sign == .minus { out.append(45) }
        out.append(contentsOf: digits[0..<(digits.count - decimals)])
        if decimals > 0 {
            out.append(46)
            out.append(contentsOf: digits[(digits.count - decimals)...])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// printf-style formatting of one double (the C library rounds exactly as Go's fmt does).
    public static func cFormat(_ format: String, _ v: Double) -> String {
        switch format {
        case "%.2f", "%0.2f": if let s = fixed(v, decimals: 2) { return s }
        case "%.1f", "%0.1f": if let s = fixed(v, decimals: 1) { return s }
        case "%.6g":
            // Whole numbers below 10^6 print as themselves (the JSON reports' counts and bytes);
            // everything else goes to the C library.
            if v == v.rounded(), abs(v) < 1e6 {
                return v == 0 ? (v.sign == .minus ? "-0" : "0") : String(Int64(v))
            }
        case "%5.2f":
            if let s = fixed(v, decimals: 2) {
                return s.utf8.count >= 5 ? s : String(repeating: " ", count: 5 - s.utf8.count) + s
            }
        default: break
        }
        return vformat(format, v)
    }

    static func vformat(_ format: String, _ v: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            let n = withVaList([v]) { vsnprintf(buf.baseAddress, 64, format, $0) }
            if n >= 64 {
                var big = [CChar](repeating: 0, count: Int(n) + 1)
                _ = withVaList([v]) { vsnprintf(&big, big.count, format, $0) }
                return big.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            }
            return String(cString: buf.baseAddress!)
        }
    }
}

/// A small thread-safe memo of unit lookups.
final class SniffCache: @unchecked Sendable {
    struct Entry { let unit: Units.Unit? }
    private var map: [String: Entry] = [:]
    private let lock = NSLockLite()
    func get(_ family: String, _ unit: String) -> Entry? {
        lock.locked { map[family + "\u{0}" + unit] }
    }
    func put(_ family: String, _ unit: String, _ u: Units.Unit?) {
        lock.locked {
            if map.count > 1024 { map.removeAll() }
            map[family + "\u{0}" + unit] = Entry(unit: u)
        }
    }
}

/// A pthread mutex (no Foundation in this module).
final class NSLockLite: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return body()
    }
}

/// Go's `int64(float64)` without the trap: out-of-range values saturate, NaN is 0.
@inlinable public func int64Saturating(_ d: Double) -> Int64 {
    if d.isNaN { return 0 }
    if d >= 9_223_372_036_854_775_807.0 { return .max }
    if d <= -9_223_372_036_854_775_808.0 { return .min }
    return Int64(d)
}

/// |v| that cannot trap (|Int64.min| saturates to Int64.max).
@inlinable public func absSat(_ v: Int64) -> Int64 { v == .min ? .max : (v < 0 ? -v : v) }
