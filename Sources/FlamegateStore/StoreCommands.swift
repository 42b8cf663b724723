import FlamegateCore
import Foundation

/// What each `flamegate store …` command does, one function each; the CLI only parses flags.
public enum StoreCommands {
    /// `k=v` → (k, v).
    public static func labels(_ specs: [String]) throws(InputError) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        for s in specs {
            guard let eq = s.firstIndex(of: "="), eq != s.startIndex else {
                throw InputError(source: "--label \(s)", "expected KEY=VALUE")
            }
            out.append((String(s[..<eq]), String(s[s.index(after: eq)...])))
        }
        return out
    }

    /// `store add`: reads every file first (each must be a profile), then stores them in one
    /// transaction. Returns one line per input.
    public static func add(store spec: String?, paths: [String], labels: [String]) throws(InputError) -> String {
        let labels = try Self.labels(labels)
        var inputs: [ProfileStore.Input] = []
        for p in paths { inputs.append(ProfileStore.Input(source: p, bytes: try ProfileInput.readBytes(p))) }
        let store = try ProfileStore.open(try StoreLocation.resolve(spec), create: true)
        var out = ""
        for r in try store.add(inputs, labels: labels) {
            out += r.added ? "added \(r.id) \(r.source)\n" : "already stored as \(r.id) \(r.source) (same content, same labels)\n"
        }
        return out
    }

    /// `store list`: a table, or JSON (docs/json.md).
    public static func list(store spec: String?, labels: [String], json: Bool) throws(InputError) -> String {
        let store = try ProfileStore.open(try StoreLocation.resolve(spec))
        let found = try store.list(StoreFilter(labels: try Self.labels(labels)))
        return json ? StoreText.json(found) : StoreText.table(found)
    }

    /// `store rm ID...`.
    public static func remove(store spec: String?, ids: [String]) throws(InputError) -> String {
        var numbers: [Int64] = []
        for id in ids {
            guard let n = Int64(id) else { throw InputError(source: id, "expected a stored profile's id (store list)") }
            numbers.append(n)
        }
        try ProfileStore.open(try StoreLocation.resolve(spec)).remove(numbers)
        return numbers.map { "removed \($0)\n" }.joined()
    }

    /// `store gc --keep N`.
    public static func gc(store spec: String?, keep: Int) throws(InputError) -> String {
        let removed = try ProfileStore.open(try StoreLocation.resolve(spec)).gc(keep: keep)
        return "removed \(removed.count) profile\(removed.count == 1 ? "" : "s")"
            + (removed.isEmpty ? "" : ": " + removed.map(String.init).joined(separator: " ")) + "\n"
    }

    /// `store export ID`: the stored bytes, exactly as added (checked against their hash).
    public static func export(store spec: String?, id: String) throws(InputError) -> [UInt8] {
        guard let n = Int64(id) else { throw InputError(source: id, "expected a stored profile's id (store list)") }
        return try ProfileStore.open(try StoreLocation.resolve(spec)).bytes(n)
    }
}

/// `store list`'s table and JSON.
public enum StoreText {
    /// `2026-12-06T06:09:04Z` (ISO 8601, UTC, whole seconds), computed: `store list` made
    /// an ISO8601DateFormatter (ICU set-up) for every row, its cost growing with the rows.
    static func time(_ ns: Int64) -> String {
        if ns == 0 { return "-" }
        let secs = ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let tod = secs - days * 86400
        // Days since 1970-01-01 → civil date (proleptic Gregorian; H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : String(v) }
        let year = y >= 0 && y < 1000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
        return "\(year)-\(two(m))-\(two(d))T\(two(tod / 3600)):\(two(tod / 60 % 60)):\(two(tod % 60))Z"
    }

    static func size(_ n: Int64) -> String {
        if n < 1024 { return "\(n)B" }
        if n < 1024 * 1024 { return Units.cFormat("%.1fKiB", Double(n) / 1024) }
        return Units.cFormat("%.1fMiB", Double(n) / 1024 / 1024)
    }

    /// ID, time (UTC), duration, size, sample types, labels: one row per profile, oldest first.
    public static func table(_ ps: [StoredProfile]) -> String {
        var rows = [["ID", "TIME", "DURATION", "SIZE", "SAMPLE TYPES", "LABELS"]]
        for p in ps {
            rows.append([
                String(p.id), time(p.atNanos),
                p.durationNanos == 0 ? "-" : Units.cFormat("%.3gs", Double(p.durationNanos) / 1e9), size(p.size),
                p.sampleTypes.joined(separator: ","), p.labels.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
            ])
        }
        var widths = [Int](repeating: 0, count: 6)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                line += i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// An array of objects (docs/json.md, "store list").
    public static func json(_ ps: [StoredProfile]) -> String {
        var w = JSONWriter()
        w.beginArray()
        for p in ps {
            w.beginObject()
            w.field("id", p.id)
            w.field("sha256", p.hash)
            w.field("size", p.size)
            w.field("time", time(p.atNanos))
            w.field("time_ns", p.timeNanos)
            w.field("duration_ns", p.durationNanos)
            w.field("added_ns", p.addedNanos)
            w.beginArray("sample_types")
            for t in p.sampleTypes { w.value(t) }
            w.endArray()
            w.beginObject("labels")
            for l in p.labels { w.field(l.key, l.value) }
            w.endObject()
            w.field("source", p.source)
            w.endObject()
        }
        w.endArray()
        return w.text + "\n"
    }
}
