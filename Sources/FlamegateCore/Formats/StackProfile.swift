/// Profiles made from stacks of names: collapsed `perf script` samples and folded stacks
/// become the `Profile` model (one function and one location per distinct frame name and
/// module), and a `Profile` becomes folded stacks again.
public enum StackProfile {
    /// Interns names into functions, modules into mappings, (function, mapping) into locations.
    struct Builder {
        var profile: Profile
        var functionOf: [String: Int32] = [:]
        var mappingOf: [String: Int32] = [:]
        var locationOf: [Int64: Int32] = [:]

        init(sampleTypes: [ValueType]) { profile = Profile(sampleTypes: sampleTypes) }

        mutating func mapping(_ file: String) -> Int32 {
            if let m = mappingOf[file] { return m }
            let m = Int32(profile.mappings.count)
            var mp = Mapping(id: UInt64(m) + 1, file: profile.strings.intern(file))
            mp.hasFunctions = true
            profile.mappings.append(mp)
            mappingOf[file] = m
            return m
        }

        mutating func location(_ name: String, module: String?) -> Int32 {
            let f: Int32
            if let x = functionOf[name] {
                f = x
            } else {
                f = Int32(profile.functions.count)
                let s = profile.strings.intern(name)
                profile.functions.append(Function(id: UInt64(f) + 1, name: s, systemName: s))
                functionOf[name] = f
            }
            let m: Int32 = module.map { mapping($0) } ?? -1
            let key = Int64(f) << 32 | Int64(UInt32(bitPattern: m))
            if let l = locationOf[key] { return l }
            let l = Int32(profile.locations.count)
            profile.locations.append(
                Location(id: UInt64(l) + 1, mapping: m, lineStart: Int32(profile.lines.count), lineCount: 1))
            profile.lines.append(Line(function: f))
            locationOf[key] = l
            return l
        }
    }

    /// Unit of an event's period: nanoseconds for the software clocks, else a count.
    static func unit(ofEvent e: String) -> String {
        e == "cpu-clock" || e == "task-clock" || e.hasPrefix("cpu-clock:") || e.hasPrefix("task-clock:")
            ? "nanoseconds" : "count"
    }

    /// A profile from collapsed perf samples (run the collapser with `recordModules`).
    /// Sample types: `samples/count`, plus `EVENT/UNIT` with the summed periods when perf
    /// printed periods. The process name is the root frame, as in stackcollapse-perf.pl.
    public static func profile(fromPerf c: PerfCollapser) -> Profile {
        let event = c.keptEvent.map { LosslessUTF8.decode($0) }
        var types = [ValueType(type: "samples", unit: "count")]
        if c.sawPeriod, let event { types.append(ValueType(type: event, unit: unit(ofEvent: event))) }
        var b = Builder(sampleTypes: types)
        if types.count == 2 {
            b.profile.periodType = types[1]
            b.profile.period = Int64(clamping: c.firstPeriod)
            b.profile.defaultSampleType = types[1].type
        } else {
            b.profile.periodType = types[0]
            b.profile.period = 1
        }
        var moduleName: [[UInt8]: String] = [:]
        // The main binary first (pprof's reports show the first mapping as "File:"): the
        // module named like the process of the heaviest stack.
        var heaviest = -1
        for e in 0..<c.stackCount where heaviest < 0 || c.count(e) > c.count(heaviest) { heaviest = e }
        if heaviest >= 0, let comm = c.stack(heaviest).split(separator: 0x3B, omittingEmptySubsequences: false).first {
            let want = Array(comm)
            for m in Set(c.modules.values).sorted(by: FoldedStacks.precedes) {
                let base = m.split(separator: 0x2F).last.map(Array.init) ?? m
                if base == want || (want.count >= 15 && base.starts(with: want)) {
                    _ = b.mapping(LosslessUTF8.decode(m))
                    break
                }
            }
        }
        var locs: [Int32] = []
        var vals: [Int64] = []
        for e in 0..<c.stackCount {
            let key = c.stack(e)
            locs.removeAll(keepingCapacity: true)
            var first = true
            for frame in key.split(separator: 0x3B, omittingEmptySubsequences: false) {
                let bytes = Array(frame)
                let name = LosslessUTF8.decode(bytes)
                var module: String? = nil
                if !first, let m = c.modules[bytes] {
                    if let s = moduleName[m] {
                        module = s
                    } else {
                        let s = LosslessUTF8.decode(m)
                        moduleName[m] = s
                        module = s
                    }
                }
                first = false
                locs.append(b.location(name, module: module))
            }
            locs.reverse()
            vals.removeAll(keepingCapacity: true)
            vals.append(Int64(c.sampleCounts[e]))
            if types.count == 2 { vals.append(Int64(clamping: c.count(e))) }
            b.profile.samples.append(locations: locs, values: vals)
        }
        return b.profile
    }

    /// Collapses `perf script` text and builds its profile.
    public static func profile(
        fromPerfScript bytes: UnsafeRawBufferPointer, source: String, demangle: DemangleMode = .simplified
    ) throws(InputError) -> Profile {
        var o = PerfCollapseOptions()
        o.demangle = demangle
        o.recordModules = true
        let c = PerfCollapser.collapse(bytes, options: o)
        if c.sawNulByte {
            throw InputError(source: source, "binary data (NUL bytes), not perf script text")
        }
        if c.eventLines == 0 {
            throw InputError(
                source: source,
                "no perf script samples found (no line like 'comm PID [CPU] TIME: PERIOD EVENT:')")
        }
        return profile(fromPerf: c)
    }

    /// The unit of folded values with `digits` decimals: `count`, else `count/10^digits`
    /// (a value of 15 in `count/10` is 1.5 samples).
    public static func foldedUnit(fractionDigits digits: Int) -> String {
        digits == 0 ? "count" : "count/1" + String(repeating: "0", count: digits)
    }

    /// The decimals of a folded unit made by `foldedUnit`, nil for other units.
    public static func foldedFractionDigits(unit: String) -> Int? {
        if unit == "count" { return 0 }
        guard unit.hasPrefix("count/1") else { return nil }
        let zeros = unit.dropFirst(7)
        return !zeros.isEmpty && zeros.allSatisfy { $0 == "0" } ? zeros.count : nil
    }

    /// A profile from folded stacks: `samples/count`, or `base/count` and `cand/count`
    /// for difffolded's two-count lines (default: `cand`). Decimal counts keep every digit:
    /// the unit is then `count/10^k` (see `foldedUnit`). Skipped lines become a warning in
    /// flamegraph.pl's words.
    public static func profile(fromFolded f: FoldedFile) -> Profile {
        let unit = foldedUnit(fractionDigits: f.fractionDigits)
        let types =
            f.columns == 2
            ? [ValueType(type: "base", unit: unit), ValueType(type: "cand", unit: unit)]
            : [ValueType(type: "samples", unit: unit)]
        var b = Builder(sampleTypes: types)
        if f.skippedLines > 0 { b.profile.readWarnings.append("Ignored \(f.skippedLines) lines with invalid format") }
        b.profile.periodType = types[types.count - 1]
        b.profile.period = 1
        if f.columns == 2 { b.profile.defaultSampleType = "cand" }
        var locs: [Int32] = []
        let n = types.count
        // The location of each interned name, made on its first use (in the order the
        // stacks are walked, leaf first, so ids are as when every frame is looked up).
        var locationOf = [Int32](repeating: -1, count: f.names.count)
        b.profile.samples.locations.reserveCapacity(f.frames.count)
        b.profile.samples.locationOffsets.reserveCapacity(f.stackCount + 1)
        b.profile.samples.values.reserveCapacity(f.values.count)
        for i in 0..<f.stackCount {
            locs.removeAll(keepingCapacity: true)
            var k = f.stackStart[i + 1] - 1
            let start = f.stackStart[i]
            while k >= start {
                let id = Int(f.frames[k])
                var l = locationOf[id]
                if l < 0 {
                    l = b.location(f.names[id], module: nil)
                    locationOf[id] = l
                }
                locs.append(l)
                k -= 1
            }
            b.profile.samples.append(locations: locs, values: f.values[(i * n)..<(i * n + n)])
        }
        return b.profile
    }

    /// Name of one frame line for folded output: the function name, else the mapping's
    /// file, else the address.
    static func frameName(_ p: Profile, location l: Location, line: Line?) -> String {
        if let line, line.function >= 0, Int(line.function) < p.functions.count {
            let n = p.functionName(line.function)
            if !n.isEmpty { return n }
        }
        if l.mapping >= 0, Int(l.mapping) < p.mappings.count {
            let file = p.strings[p.mappings[Int(l.mapping)].file]
            if !file.isEmpty { return "[" + (file.split(separator: "/").last.map(String.init) ?? file) + "]" }
        }
        return "0x" + String(l.address, radix: 16)
    }

    /// Root-first frame names of sample `i` (inlined frames expanded, outermost first).
    public static func frames(_ p: Profile, sample i: Int) -> [String] {
        var out: [String] = []
        for k in p.samples.locationRange(i).reversed() {
            let li = Int(p.samples.locations[k])
            guard li >= 0 && li < p.locations.count else { continue }
            let l = p.locations[li]
            let lines = p.lines(ofLocation: li)
            if lines.isEmpty {
                out.append(frameName(p, location: l, line: nil))
            } else {
                for line in lines.reversed() { out.append(frameName(p, location: l, line: line)) }
            }
        }
        return out
    }

    /// Folded stacks (`;`-joined, root first; `;` inside a name becomes `:`) with the summed
    /// values of one sample type. Negative values are left out (folded counts are unsigned).
    public static func folded(_ p: Profile, sampleIndex si: Int) -> [[UInt8]: UInt64] {
        var stacks: [[UInt8]: UInt64] = [:]
        var key: [UInt8] = []
        for i in 0..<p.samples.count {
            let v = p.samples.value(i, si)
            if v < 0 { continue }
            key.removeAll(keepingCapacity: true)
            for (k, name) in frames(p, sample: i).enumerated() {
                if k > 0 { key.append(0x3B) }
                let start = key.count
                LosslessUTF8.append(name, to: &key)  // a name's raw bytes stay raw in folded text
                for j in start..<key.count {
                    if key[j] == 0x3B { key[j] = 0x3A } else if key[j] == 0x0A { key[j] = 0x20 }
                }
            }
            let (s, o) = stacks[key, default: 0].addingReportingOverflow(UInt64(v))
            stacks[key] = o ? UInt64.max : s
        }
        return stacks
    }
}
