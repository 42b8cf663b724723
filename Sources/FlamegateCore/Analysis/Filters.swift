/// pprof's sample filters (`-focus`, `-ignore`, `-hide`, `-show`, `-show_from`,
/// `-prune_from`, `-tagfocus`, `-tagignore`, `-tagshow`, `-taghide`) and the profile's own
/// `drop_frames`/`keep_frames`, with pprof's exact semantics. Regexes are Go's RE2 syntax
/// (`Pattern`).
public struct FilterOptions: Sendable, Equatable {
    /// `-focus`: keep only samples with a frame whose function, file or mapping matches.
    public var focus: String?
    /// `-ignore`: drop samples with a frame whose function, file or mapping matches.
    public var ignore: String?
    /// `-hide`: remove matching frames from stacks, keeping the samples.
    public var hide: String?
    /// `-show`: keep only matching frames in stacks, keeping the samples.
    public var show: String?
    /// `-show_from`: drop the callers above the outermost matching frame; samples without one go.
    public var showFrom: String?
    /// `-prune_from`: drop the callees below a matching frame (the frame itself stays).
    public var pruneFrom: String?
    /// `-tagfocus`: keep samples with a matching label: `[key=]regex,…` or a numeric range like `1kb:10kb`.
    public var tagFocus: String?
    /// `-tagignore`: drop samples with a matching label (same syntax as `tagFocus`).
    public var tagIgnore: String?
    /// `-tagshow`: keep only labels whose key matches.
    public var tagShow: String?
    /// `-taghide`: remove labels whose key matches.
    public var tagHide: String?
    /// Filters from pprof's flags; nil or "" leaves a filter off.
    public init(
        focus: String? = nil, ignore: String? = nil, hide: String? = nil, show: String? = nil,
        showFrom: String? = nil, pruneFrom: String? = nil, tagFocus: String? = nil, tagIgnore: String? = nil,
        tagShow: String? = nil, tagHide: String? = nil
    ) {
        self.focus = focus
        self.ignore = ignore
        self.hide = hide
        self.show = show
        self.showFrom = showFrom
        self.pruneFrom = pruneFrom
        self.tagFocus = tagFocus
        self.tagIgnore = tagIgnore
        self.tagShow = tagShow
        self.tagHide = tagHide
    }

    /// True when no filter is set (then `ProfileFilter.apply` changes nothing).
    public var isEmpty: Bool { self == FilterOptions() }

    /// The "Active filters:" lines pprof prints (prune_from is not listed, as in pprof).
    public var activeFilters: [String] {
        var out: [String] = []
        func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { out.append(k + "=" + v) } }
        add("focus", focus)
        add("ignore", ignore)
        add("hide", hide)
        add("show", show)
        add("show_from", showFrom)
        add("tagfocus", tagFocus)
        add("tagignore", tagIgnore)
        add("tagshow", tagShow)
        add("taghide", tagHide)
        return out
    }
}

/// A compiled pattern with unanchored "matches anywhere" semantics (Go's MatchString),
/// in Go's RE2 syntax and with its errors, matched in time linear in the text
/// (`Support/Regex/`): a pattern from a profile or a rules file cannot stall a report.
public struct Pattern: Sendable {
    let matcher: RegexMatcher
    /// The regex as the user wrote it, for messages.
    public let source: String

    /// Compiles `source`; `option` names the flag in the error (pprof's "parsing focus regexp: …").
    public init(_ source: String, option: String) throws(ProfileError) {
        do {
            matcher = RegexMatcher(try RegexParser.parse(source))
        } catch {
            throw ProfileError("parsing \(option) regexp: \(error)")
        }
        self.source = source
    }

    /// True when the pattern matches anywhere in `s` (unanchored, like Go's MatchString).
    public func matches(_ s: String) -> Bool { matcher.matches(s) }
}

/// pprof's sample filters applied to a profile in place (see `FilterOptions`).
public enum ProfileFilter {
    /// Applies the location and tag filters in pprof's order. Returns warnings such as
    /// "Focus expression matched no samples" (pprof prints them on stderr).
    public static func apply(_ p: inout Profile, _ o: FilterOptions) throws(ProfileError) -> [String] {
        var warnings: [String] = []
        func rx(_ v: String?, _ name: String) throws(ProfileError) -> Pattern? {
            guard let v, !v.isEmpty else { return nil }
            return try Pattern(v, option: name)
        }
        let focus = try rx(o.focus, "focus")
        let ignore = try rx(o.ignore, "ignore")
        let hide = try rx(o.hide, "hide")
        let show = try rx(o.show, "show")
        let showFrom = try rx(o.showFrom, "show_from")
        let units = p.numLabelUnits()
        let tagFocus = try TagFilter.compile(o.tagFocus, "tagfocus", units)
        let tagIgnore = try TagFilter.compile(o.tagIgnore, "tagignore", units)
        let pruneFrom = try rx(o.pruneFrom, "prune_from")

        let (fm, im, hm, hnm) = filterByName(&p, focus, ignore, hide, show)
        if focus != nil && !fm { warnings.append("Focus expression matched no samples") }
        if ignore != nil && !im { warnings.append("Ignore expression matched no samples") }
        if hide != nil && !hm { warnings.append("Hide expression matched no samples") }
        if show != nil && !hnm { warnings.append("Show expression matched no samples") }
        if let showFrom, !ProfileFilter.showFrom(&p, showFrom) {
            warnings.append("ShowFrom expression matched no samples")
        }
        let (tfm, tim) = filterByTag(&p, tagFocus, tagIgnore)
        if tagFocus != nil && !tfm { warnings.append("TagFocus expression matched no samples") }
        if tagIgnore != nil && !tim { warnings.append("TagIgnore expression matched no samples") }
        let tagShow = try rx(o.tagShow, "tagshow")
        let tagHide = try rx(o.tagHide, "taghide")
        let (tns, tnh) = filterTagsByName(&p, tagShow, tagHide)
        if tagShow != nil && !tns { warnings.append("TagShow expression matched no samples") }
        if tagHide != nil && !tnh { warnings.append("TagHide expression matched no samples") }
        if let pruneFrom { ProfileFilter.pruneFrom(&p, pruneFrom) }
        return warnings
    }

    /// Per function: does the pattern match its name or file name (pprof's `matchesName` per line).
    static func functionMatches(_ p: Profile, _ re: Pattern) -> [Bool] {
        var cache: [Int32: Bool] = [:]
        func m(_ s: Int32) -> Bool {
            if let c = cache[s] { return c }
            let r = re.matches(p.strings[s])
            cache[s] = r
            return r
        }
        return p.functions.map { m($0.name) || m($0.filename) }
    }

    static func mappingMatches(_ p: Profile, _ re: Pattern) -> [Bool] {
        p.mappings.map { re.matches(p.strings[$0.file]) }
    }

    /// Replaces the lines of location `i`.
    static func setLines(_ p: inout Profile, _ i: Int, _ lines: [Line]) {
        let l = p.locations[i]
        if lines.count <= Int(l.lineCount) {
            // Shrinking: write in place (lines of a location are not shared).
            for (k, ln) in lines.enumerated() { p.lines[Int(l.lineStart) + k] = ln }
        } else {
            p.locations[i].lineStart = Int32(p.lines.count)
            p.lines.append(contentsOf: lines)
        }
        p.locations[i].lineCount = Int32(lines.count)
    }

    static func filterByName(
        _ p: inout Profile, _ focus: Pattern?, _ ignore: Pattern?, _ hide: Pattern?, _ show: Pattern?
    )
        -> (Bool, Bool, Bool, Bool)
    {
        if focus == nil && ignore == nil && hide == nil && show == nil { return (true, false, false, false) }
        var fm = false
        var im = false
        var hm = false
        var hnm = false
        let fF = focus.map { functionMatches(p, $0) }
        let fM = focus.map { mappingMatches(p, $0) }
        let iF = ignore.map { functionMatches(p, $0) }
        let iM = ignore.map { mappingMatches(p, $0) }
        let hF = hide.map { functionMatches(p, $0) }
        let hM = hide.map { mappingMatches(p, $0) }
        let sF = show.map { functionMatches(p, $0) }
        let sM = show.map { mappingMatches(p, $0) }
        func locMatches(_ i: Int, _ fmatch: [Bool], _ mmatch: [Bool]) -> Bool {
            for ln in p.lines(ofLocation: i) where ln.function >= 0 && fmatch[Int(ln.function)] { return true }
            let m = p.locations[i].mapping
            return m >= 0 && mmatch[Int(m)]
        }
        // 0 = neither, 1 = focus, 2 = ignore
        var state = [UInt8](repeating: 0, count: p.locations.count)
        var hidden = [Bool](repeating: false, count: p.locations.count)
        var anyHidden = false
        for i in p.locations.indices {
            if let iF, let iM, locMatches(i, iF, iM) {
                im = true
                state[i] = 2
            } else if fF == nil || locMatches(i, fF!, fM!) {
                fm = true
                state[i] = 1
            }
            let m = p.locations[i].mapping
            if let hF, let hM, locMatches(i, hF, hM) {
                hm = true
                let lines: [Line] =
                    (m >= 0 && hM[Int(m)])
                    ? [] : p.lines(ofLocation: i).filter { !($0.function >= 0 && hF[Int($0.function)]) }
                setLines(&p, i, lines)
                if lines.isEmpty {
                    hidden[i] = true
                    anyHidden = true
                }
            }
            if let sF, let sM {
                let lines: [Line] =
                    (m >= 0 && sM[Int(m)])
                    ? Array(p.lines(ofLocation: i))
                    : p.lines(ofLocation: i).filter { $0.function < 0 || sF[Int($0.function)] }
                setLines(&p, i, lines)
                if lines.isEmpty {
                    hidden[i] = true
                    anyHidden = true
                } else {
                    hnm = true
                }
            }
        }
        let old = p.samples
        var table = SampleTable(valueCount: old.valueCount)
        table.locations.reserveCapacity(old.locations.count)
        table.values.reserveCapacity(old.values.count)
        var locs: [Int32] = []
        for s in 0..<old.count {
            var focused = false
            var ignored = false
            for k in old.locationRange(s) {
                let st = state[Int(old.locations[k])]
                if st == 2 {
                    ignored = true
                    break
                }
                if st == 1 { focused = true }
            }
            if ignored || !focused { continue }
            locs.removeAll(keepingCapacity: true)
            for k in old.locationRange(s) where !(anyHidden && hidden[Int(old.locations[k])]) {
                locs.append(old.locations[k])
            }
            if locs.isEmpty { continue }
            table.append(
                locations: locs, values: old.values[s * old.valueCount..<(s + 1) * old.valueCount],
                labels: Array(old.labels[old.labelRange(s)]))
        }
        p.samples = table
        return (fm, im, hm, hnm)
    }

    static func showFrom(_ p: inout Profile, _ re: Pattern) -> Bool {
        let fmatch = functionMatches(p, re)
        let mmatch = mappingMatches(p, re)
        var matched = false
        var keep = [Bool](repeating: false, count: p.locations.count)
        for i in p.locations.indices {
            let m = p.locations[i].mapping
            if m >= 0 && mmatch[Int(m)] {
                keep[i] = true
                matched = true
                continue
            }
            let lines = p.lines(ofLocation: i)
            if let last = lines.indices.last(where: { lines[$0].function >= 0 && fmatch[Int(lines[$0].function)] }) {
                setLines(&p, i, Array(lines[lines.startIndex...last]))
                keep[i] = true
                matched = true
            }
        }
        rebuildSamples(&p) { locs in
            guard let root = locs.lastIndex(where: { keep[Int($0)] }) else { return nil }
            return Array(locs[...root])
        }
        return matched
    }

    static func pruneFrom(_ p: inout Profile, _ re: Pattern) {
        var beneath = [Bool](repeating: false, count: p.locations.count)
        var cache: [Int32: Bool] = [:]
        for i in p.locations.indices {
            let lines = Array(p.lines(ofLocation: i))
            for (k, ln) in lines.enumerated() where ln.function >= 0 {
                let name = p.functions[Int(ln.function)].name
                if name == 0 { continue }
                let hit: Bool
                if let c = cache[name] {
                    hit = c
                } else {
                    hit = re.matches(simplifyFunc(p.strings[name]))
                    cache[name] = hit
                }
                if hit {
                    beneath[i] = true
                    setLines(&p, i, Array(lines[k...]))
                    break
                }
            }
        }
        rebuildSamples(&p) { locs in
            if let i = locs.firstIndex(where: { beneath[Int($0)] }) { return Array(locs[i...]) }
            return locs
        }
    }

    /// The profile's `drop_frames`/`keep_frames` (pprof's `RemoveUninteresting`).
    public static func removeUninteresting(_ p: inout Profile) throws(ProfileError) {
        guard !p.dropFrames.isEmpty else { return }
        // A regex that does not compile prunes nothing: pprof ignores RemoveUninteresting's error.
        guard let drop = try? Pattern("^(" + p.dropFrames + ")$", option: "drop_frames") else { return }
        var keep: Pattern? = nil
        if !p.keepFrames.isEmpty {
            guard let k = try? Pattern("^(" + p.keepFrames + ")$", option: "keep_frames") else { return }
            keep = k
        }
        var prune = [Bool](repeating: false, count: p.locations.count)
        var beneath = [Bool](repeating: false, count: p.locations.count)
        var cache: [Int32: Bool] = [:]
        for i in p.locations.indices {
            let lines = Array(p.lines(ofLocation: i))
            var hitIndex = -1
            for k in stride(from: lines.count - 1, through: 0, by: -1) {
                let f = lines[k].function
                guard f >= 0, p.functions[Int(f)].name != 0 else { continue }
                let name = p.functions[Int(f)].name
                let hit: Bool
                if let c = cache[name] {
                    hit = c
                } else {
                    let simple = simplifyFunc(p.strings[name])
                    hit = drop.matches(simple) && !(keep?.matches(simple) ?? false)
                    cache[name] = hit
                }
                if hit {
                    hitIndex = k
                    break
                }
            }
            if hitIndex >= 0 {
                beneath[i] = true
                if hitIndex == lines.count - 1 {
                    prune[i] = true
                } else {
                    setLines(&p, i, Array(lines[(hitIndex + 1)...]))
                }
            }
        }
        rebuildSamples(&p) { locs in
            var foundUser = false
            for i in stride(from: locs.count - 1, through: 0, by: -1) {
                let l = Int(locs[i])
                if !prune[l] && !beneath[l] {
                    foundUser = true
                    continue
                }
                if !foundUser { continue }
                if prune[l] { return Array(locs[(i + 1)...]) }
                return Array(locs[i...])
            }
            return locs
        }
    }

    /// pprof's `simplifyFunc`: drop a leading "." and everything from the first "("
    /// that does not start a reserved name.
    static func simplifyFunc(_ f: String) -> String {
        var name = Substring(f)
        if name.hasPrefix(".") { name = name.dropFirst() }
        let reserved = ["(anonymous namespace)", "operator()"]
        var i = name.startIndex
        while i < name.endIndex {
            let rest = name[i...]
            if let r = reserved.first(where: { rest.hasPrefix($0) }) {
                i = name.index(i, offsetBy: r.count)
                continue
            }
            if name[i] == "(" { return String(name[..<i]) }
            i = name.index(after: i)
        }
        return String(name)
    }

    /// Rewrites every sample's locations; nil drops the sample.
    static func rebuildSamples(_ p: inout Profile, _ body: ([Int32]) -> [Int32]?) {
        let old = p.samples
        var table = SampleTable(valueCount: old.valueCount)
        table.locations.reserveCapacity(old.locations.count)
        for s in 0..<old.count {
            guard let locs = body(Array(old.locations[old.locationRange(s)])) else { continue }
            table.append(
                locations: locs, values: old.values[s * old.valueCount..<(s + 1) * old.valueCount],
                labels: Array(old.labels[old.labelRange(s)]))
        }
        p.samples = table
    }

    static func filterByTag(_ p: inout Profile, _ focus: TagFilter?, _ ignore: TagFilter?) -> (Bool, Bool) {
        if focus == nil && ignore == nil { return (true, false) }
        var fm = false
        var im = false
        let old = p.samples
        var table = SampleTable(valueCount: old.valueCount)
        for s in 0..<old.count {
            let labels = Array(old.labels[old.labelRange(s)])
            let focused = focus?.matches(labels, p) ?? true
            let ignored = ignore?.matches(labels, p) ?? false
            fm = fm || focused
            im = im || ignored
            if focused && !ignored {
                table.append(
                    locations: old.locations[old.locationRange(s)],
                    values: old.values[s * old.valueCount..<(s + 1) * old.valueCount], labels: labels)
            }
        }
        p.samples = table
        return (fm, im)
    }

    static func filterTagsByName(_ p: inout Profile, _ show: Pattern?, _ hide: Pattern?) -> (Bool, Bool) {
        if show == nil && hide == nil { return (false, false) }
        var sm = false
        var hm = false
        var verdict: [Int32: Bool] = [:]  // key -> remove
        func remove(_ key: Int32) -> Bool {
            if let v = verdict[key] { return v }
            let name = p.strings[key]
            let matchShow = show == nil || show!.matches(name)
            let matchHide = hide != nil && hide!.matches(name)
            if matchShow { sm = true }
            if matchHide { hm = true }
            let r = !matchShow || matchHide
            verdict[key] = r
            return r
        }
        let old = p.samples
        guard !old.labelOffsets.isEmpty else { return (sm, hm) }
        var labels: [Label] = []
        var offsets: [Int] = [0]
        for s in 0..<old.count {
            for l in old.labels[old.labelRange(s)] where !remove(l.key) { labels.append(l) }
            offsets.append(labels.count)
        }
        p.samples.labels = labels
        p.samples.labelOffsets = offsets
        return (sm, hm)
    }
}

/// pprof's `-tagfocus`/`-tagignore` matcher: `key=regex,regex` on string labels, or a
/// numeric range (`1kb:10kb`, `100ms:`, `:512`, `64`) on numeric labels.
public struct TagFilter: @unchecked Sendable {
    enum Kind {
        case numeric(key: String?, test: (Int64, String) -> Bool)
        case strings(key: String?, patterns: [Pattern])
    }
    let kind: Kind
    let units: [String: String]

    static func compile(_ value: String?, _ name: String, _ units: [String: String]) throws(ProfileError) -> TagFilter?
    {
        guard var value, !value.isEmpty else { return nil }
        var key: String? = nil
        if let eq = value.firstIndex(of: "=") {
            key = String(value[..<eq])
            value = String(value[value.index(after: eq)...])
        }
        if let test = parseRange(value) {
            return TagFilter(kind: .numeric(key: key, test: test), units: units)
        }
        var pats: [Pattern] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            pats.append(try Pattern(String(part), option: name))
        }
        return TagFilter(kind: .strings(key: key, patterns: pats), units: units)
    }

    func matches(_ labels: [Label], _ p: Profile) -> Bool {
        switch kind {
        case .numeric(let key, let test):
            for l in labels where !l.isString {
                let k = p.strings[l.key]
                if let key, k != key { continue }
                if test(l.num, units[k] ?? k) { return true }
            }
            return false
        case .strings(let key, let pats):
            if let key {
                let vals = labels.filter { $0.isString && p.strings[$0.key] == key }.map { p.strings[$0.str] }
                if vals.isEmpty { return false }
                return pats.contains { re in vals.contains { re.matches($0) } }
            }
            let pairs = labels.filter(\.isString).map { p.strings[$0.key] + ":" + p.strings[$0.str] }
            return pats.allSatisfy { re in pairs.contains { re.matches($0) } }
        }
    }

    /// Finds up to two `[+-]?digits[letters]?` runs, as pprof's `tagFilterRangeRx` does.
    static func ranges(_ s: String) -> [(match: String, number: String, unit: String)] {
        let b = Array(s.utf8)
        var out: [(String, String, String)] = []
        var i = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isAlpha(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        while i < b.count && out.count < 2 {
            var j = i
            if (b[j] == 43 || b[j] == 45) && j + 1 < b.count && isDigit(b[j + 1]) { j += 1 }
            guard isDigit(b[j]) else {
                i += 1
                continue
            }
            let numStart = i
            while j < b.count && isDigit(b[j]) { j += 1 }
            let numEnd = j
            while j < b.count && isAlpha(b[j]) { j += 1 }
            let str = { (a: Int, e: Int) in String(decoding: b[a..<e], as: UTF8.self) }
            out.append((str(numStart, j), str(numStart, numEnd), str(numEnd, j)))
            i = j
        }
        return out
    }

    static func parseRange(_ filter: String) -> ((Int64, String) -> Bool)? {
        let r = ranges(filter)
        guard let first = r.first,
            let v = Int64(first.number.hasPrefix("+") ? String(first.number.dropFirst()) : first.number)
        else { return nil }
        let (scaled, unit) = Units.scale(v, from: first.unit, to: first.unit)
        if r.count == 1 {
            let m = first.match
            if filter == m {
                return { v, u in
                    let (sv, su) = Units.scale(v, from: u, to: unit)
                    return su == unit && sv == scaled
                }
            }
            if filter == m + ":" {
                return { v, u in
                    let (sv, su) = Units.scale(v, from: u, to: unit)
                    return su == unit && sv >= scaled
                }
            }
            if filter == ":" + m {
                return { v, u in
                    let (sv, su) = Units.scale(v, from: u, to: unit)
                    return su == unit && sv <= scaled
                }
            }
            return nil
        }
        guard filter == r[0].match + ":" + r[1].match,
            let v2 = Int64(r[1].number.hasPrefix("+") ? String(r[1].number.dropFirst()) : r[1].number)
        else { return nil }
        let (scaled2, unit2) = Units.scale(v2, from: r[1].unit, to: unit)
        if unit != unit2 { return nil }
        return { v, u in
            let (sv, su) = Units.scale(v, from: u, to: unit)
            return su == unit && sv >= scaled && sv <= scaled2
        }
    }
}
