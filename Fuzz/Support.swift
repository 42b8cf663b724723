// Shared by every fuzz target (compiled into each by Fuzz/run.sh): the invariants that
// must hold for anything a reader accepted, and the reports that must not trap on it.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

/// Traps (a libFuzzer crash) when an invariant fails.
@inline(__always)
func require(_ ok: @autoclosure () -> Bool, _ what: @autoclosure () -> String) {
    if !ok() { fatalError("fuzz invariant failed: \(what())") }
}

/// A buffer view of libFuzzer's bytes.
func bytes(_ data: UnsafeRawPointer?, _ size: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: size == 0 ? nil : data, count: size)
}

/// Structural invariants of the model: every index resolves, counts agree.
func checkModel(_ p: Profile) {
    let s = p.samples
    let nt = p.sampleTypes.count
    require(s.valueCount == nt, "valueCount \(s.valueCount) != \(nt) sample types")
    require(s.values.count == s.count * nt, "values \(s.values.count) != \(s.count) samples × \(nt)")
    require(s.locationOffsets.first == 0 && s.locationOffsets.last == s.locations.count, "location offsets")
    for i in 0..<s.count { require(s.locationOffsets[i] <= s.locationOffsets[i + 1], "offsets not monotonic") }
    for li in s.locations { require(li >= 0 && Int(li) < p.locations.count, "sample location index \(li)") }
    if !s.labelOffsets.isEmpty {
        require(s.labelOffsets.count == s.count + 1 && s.labelOffsets.last == s.labels.count, "label offsets")
        for l in s.labels {
            for id in [l.key, l.str, l.unit] { require(id >= 0 && Int(id) < p.strings.count, "label string \(id)") }
        }
    }
    for l in p.locations {
        require(l.lineStart >= 0 && l.lineCount >= 0 && Int(l.lineStart) + Int(l.lineCount) <= p.lines.count, "location lines")
        require(l.mapping >= -1 && Int(l.mapping) < p.mappings.count, "location mapping \(l.mapping)")
    }
    for line in p.lines { require(line.function >= -1 && Int(line.function) < p.functions.count, "line function") }
    for f in p.functions {
        for id in [f.name, f.systemName, f.filename] { require(id >= 0 && Int(id) < p.strings.count, "function string") }
    }
    for m in p.mappings {
        for id in [m.file, m.buildID] { require(id >= 0 && Int(id) < p.strings.count, "mapping string") }
    }
}

/// pprof's report total is the sum of |value| (when no sample is a diff base).
func checkTotals(_ p: Profile) {
    let s = p.samples
    guard FunctionTable.baseLabelIDs(p) == nil else { return }
    for si in 0..<p.sampleTypes.count {
        var sum: Int64 = 0
        for i in 0..<s.count { sum &+= absSat(s.value(i, si)) }
        require(FunctionTable.reportTotal(p, si) == sum, "reportTotal of type \(si)")
    }
}

/// The reports a user runs on what was read: none may trap.
func renderReports(_ p: Profile) {
    guard let si = try? p.sampleIndex(named: "") else { return }
    let style = ReportStyle()
    var o = TableOptions(sampleIndex: si)
    _ = Reports.top(p, options: o, style: style, format: .text)
    o.nodeFraction = 0
    o.cumSort = true
    o.granularity = .lines
    _ = Reports.top(p, options: o, style: style, format: .json)
    _ = PprofText.traces(p, sampleIndex: si, style: style)
}

/// Encoding what was read and decoding it again gives the same samples.
func checkRoundTrip(_ p: Profile) {
    guard !p.sampleTypes.isEmpty else { return }
    let encoded = PprofEncoder.encode(p)
    let r = encoded.withUnsafeBytes { b -> Result<Profile, DecodeError> in
        do throws(DecodeError) { return .success(try PprofDecoder.decode(b)) } catch { return .failure(error) }
    }
    let q: Profile
    switch r {
    case .success(let x): q = x
    case .failure(let error):
        // A profile with only empty parts is not a profile once written; anything else is.
        if p.samples.count == 0 && p.locations.isEmpty && p.functions.isEmpty { return }
        fatalError("fuzz invariant failed: re-encoded profile does not decode: \(error)")
    }
    require(q.samples.count == p.samples.count, "round trip sample count")
    require(q.samples.values == p.samples.values, "round trip values")
    require(q.samples.locations.count == p.samples.locations.count, "round trip stack depth")
}

/// Everything above, for a profile a reader accepted.
func checkProfile(_ p: Profile) {
    checkModel(p)
    checkTotals(p)
    renderReports(p)
}
