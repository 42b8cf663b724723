import FlamegateCore

/// Text of values, percentages and tooltips for the SVG writer (the HTML page formats its own
/// in its script, from the embedded data).
struct FlameText {
    let o: FlameGraphOptions
    /// Whether the unit scales (bytes, time): looked up once, not per frame.
    let knownUnit: Bool
    /// Folded input with decimal counts is stored ×10^k (unit `count/10^k`); shown as
    /// flamegraph.pl shows it, the count rounded to a whole number.
    let fraction: Double?

    init(o: FlameGraphOptions) {
        self.o = o
        knownUnit = Units.isKnown(o.unit)
        if let k = StackProfile.foldedFractionDigits(unit: o.unit), k > 0 {
            var p = 1.0
            for _ in 0..<k { p *= 10 }
            fraction = p
        } else {
            fraction = nil
        }
    }

    /// A stored value as the count it stands for (decimal folded input scaled back).
    func count(_ v: Int64) -> Int64 {
        guard let fraction else { return v }
        return Int64(Units.cFormat("%.0f", Double(v) / fraction)) ?? 0
    }

    /// The word after a count: the sample type for counts, else the unit.
    var word: String { o.unit == "count" || o.unit.isEmpty || fraction != nil ? o.sampleType : o.unit }

    static func commas(_ v: Int64) -> String {
        let neg = v < 0
        let digits = Array(String(v.magnitude))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return neg ? "-" + out : out
    }

    func value(_ v: Int64) -> String {
        if let c = o.countName { return "\(FlameText.commas(count(v))) \(c)" }
        if knownUnit { return Units.label(v, unit: o.unit) }
        return "\(FlameText.commas(count(v))) \(word)"
    }

    func value(_ d: Double) -> String { value(Int64(exactly: d.rounded()) ?? 0) }

    static func pct(_ v: Double, _ of: Double) -> String {
        of == 0 ? "0.00" : Units.cFormat("%.2f", v / of * 100)
    }

    /// flamegraph.pl strips `_[k]`-style annotations from displayed names.
    static func display(_ name: String) -> String {
        let u = name.utf8
        if u.count >= 4 {
            let tail = Array(u.suffix(4))
            if tail[0] == 0x5F && tail[1] == 0x5B && tail[3] == 0x5D && [0x6B, 0x77, 0x69, 0x6A].contains(tail[2]) {
                return String(decoding: u.dropLast(4), as: UTF8.self)
            }
        }
        return name
    }

    /// The tooltip: name on the first line, figures on the second.
    func tooltip(_ l: FlameLayout, _ i: Int) -> String {
        let t = l.tree
        let name = i == 0 ? "all" : FlameText.display(t.nameOf(i))
        if t.isDifferential {
            let b = l.base(i)
            let c = l.candidate(i)
            let d = Double(c) - b
            let sign = d > 0 ? "+" : (d < 0 ? "-" : "±")
            let dp = b == 0 ? (c == 0 ? "0.00%" : "new") : (d >= 0 ? "+" : "") + FlameText.pct(d, b) + "%"
            return "\(name)\nbase \(value(b)), candidate \(value(c)), delta \(sign)\(value(abs(d))) (\(dp))"
                + (l.tree.columns == 2 && c == 0 && b > 0 ? ", only in base" : "")
        }
        let v = t.total(i)
        let total = Double(t.total(0))
        var s = "\(name)\n\(value(v)) (\(FlameText.pct(Double(v), total))%"
        if i > 0 {
            s += " of total, \(FlameText.pct(Double(v), Double(t.total(Int(t.parent[i])))))% of parent"
        }
        s += "), self \(value(t.selfValue(i)))"
        return s
    }
}

/// `FlameText.value` written in place: `1,234 samples`, or the unit's scaled label.
struct ValueWriter {
    let text: FlameText
    /// Escaped " <word>" after the commified count; nil when the unit scales.
    let suffix: [UInt8]?

    init(_ text: FlameText) {
        self.text = text
        let o = text.o
        if let c = o.countName {
            suffix = Array(HTMLEscape.text(" " + c).utf8)
        } else if text.knownUnit {
            suffix = nil
        } else {
            suffix = Array(HTMLEscape.text(" " + text.word).utf8)
        }
    }

    @inline(__always) func write(_ v: Int64, into w: inout ByteWriter) {
        if let suffix {
            w.commas(text.fraction == nil ? v : text.count(v))
            w.append(suffix)
        } else {
            w.escaped(text.value(v))
        }
    }
}
