/// The memory-map section legacy text profiles end with (after `--- Memory map: ---` or
/// gperftools' `MAPPED_LIBRARIES:`; the text after a binary CPU profile), read as pprof's
/// `ParseMemoryMapFromScanner` reads it: `/proc/self/maps` lines or the brief
/// `start-end: file (@offset) buildid` form, glog prefixes removed, `name=value` lines
/// defining `$name` for the lines after them, non-executable ranges skipped. pprof then
/// tidies the mappings (`massageMappings`) and renumbers the profile.
enum LegacyMemoryMap {
    /// pprof's `isMemoryMapSentinel`.
    static func isSentinel(_ line: ArraySlice<UInt8>) -> Bool {
        GoText.contains(line, memoryMap) || GoText.contains(line, mappedLibraries)
    }
    private static let memoryMap = Array("--- Memory map: ---".utf8)
    private static let mappedLibraries = Array("MAPPED_LIBRARIES:".utf8)

    // Pieces of the two line layouts.
    private static let hexRange = #"\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?"#
    private static let perm = #"(?:\s+([-rwxp]+))?"#
    private static let spaceHex = #"(?:\s+([[:xdigit:]]+))?"#
    private static let spaceString = #"(?:\s+(\S+))?"#
    /// `/proc/self/maps`: range, permissions, offset, device, inode, path.
    static let procMaps = LegacyRegex(
        "^" + hexRange + perm + spaceHex + #"\s+[[:xdigit:]]+:[[:xdigit:]]+"# + #"\s+[[:digit:]]+"# + spaceString)
    /// The brief form: range, permissions, file, `(@offset)`, build id.
    static let briefMaps = LegacyRegex(
        "^" + hexRange + perm + spaceString + #"(?:\s+\(@([[:xdigit:]]+)\))?"# + spaceHex)
    /// A glog prefix, `I0101 12:00:00.000 1234 file.cc:56] `.
    static let logPrefix = LegacyRegex(#"^[^\[\]]+:[0-9]+]\s"#)

    enum Entry {
        case mapping(LegacyProfile.Mapping)
        /// An executable flag is missing: not code.
        case notExecutable
        case unrecognized
    }

    /// pprof's `parseMappingEntry`.
    static func entry(_ line: ArraySlice<UInt8>) -> Entry {
        var start: Range<Int>?
        var end: Range<Int>?
        var perm: Range<Int>?
        var file: Range<Int>?
        var offset: Range<Int>?
        var buildID: Range<Int>?
        if let m = procMaps.firstMatch(line) {
            (start, end, perm, offset, file) = (m.range(1), m.range(2), m.range(3), m.range(4), m.range(5))
        } else if let m = briefMaps.firstMatch(line) {
            (start, end, perm, file, offset, buildID) = (
                m.range(1), m.range(2), m.range(3), m.range(4), m.range(5), m.range(6)
            )
        } else {
            return .unrecognized
        }
        let base = line.startIndex
        func text(_ r: Range<Int>?) -> ArraySlice<UInt8> {
            guard let r else { return [] }
            return line[(base + r.lowerBound)..<(base + r.upperBound)]
        }
        let p = text(perm)
        if !p.isEmpty && !p.contains(UInt8(ascii: "x")) { return .notExecutable }
        guard let s = GoText.parseUint(text(start), base: 16), let l = GoText.parseUint(text(end), base: 16) else {
            return .unrecognized
        }
        var m = LegacyProfile.Mapping(
            start: s, limit: l, file: GoText.string(text(file)), buildID: GoText.string(text(buildID)))
        let o = text(offset)
        if !o.isEmpty {
            guard let v = GoText.parseUint(o, base: 16) else { return .unrecognized }
            m.offset = v
        }
        return .mapping(m)
    }

    /// pprof's `removeLoggingInfo`.
    static func removeLogPrefix(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let m = logPrefix.firstMatch(line), let r = m.range(0) else { return line }
        return line[(line.startIndex + r.upperBound)...]
    }

    /// `strings.Replacer` over `$name` → value pairs: at each position the first pair (in
    /// the order defined) whose name starts there; a later definition of a name loses.
    static func substitute(_ line: ArraySlice<UInt8>, _ attrs: [(name: [UInt8], value: [UInt8])]) -> ArraySlice<
        UInt8
    > {
        guard !attrs.isEmpty, line.contains(UInt8(ascii: "$")) else {
            return line
        }
        var out: [UInt8] = []
        var i = line.startIndex
        outer: while i < line.endIndex {
            for a in attrs where !a.name.isEmpty && line[i...].starts(with: a.name) {
                out += a.value
                i += a.name.count
                continue outer
            }
            out.append(line[i])
            i += 1
        }
        return out[...]
    }

    /// Reads the lines after the sentinel into `p.mappings`, then pprof's
    /// `massageMappings`, `remapLocationIDs`, `remapFunctionIDs` and `remapMappingIDs`.
    static func read(_ lines: inout LegacyLines, into p: inout LegacyProfile) throws(LegacyFailure) {
        var attrs: [(name: [UInt8], value: [UInt8])] = []
        while try lines.scan() {
            let line = substitute(removeLogPrefix(lines.text), attrs)
            switch entry(line) {
            case .mapping(let m): p.mappings.append(m)
            case .notExecutable: continue
            case .unrecognized:
                // `name=value` defines `$name` for the lines after it.
                if let eq = line.firstIndex(of: UInt8(ascii: "=")) {
                    attrs.append(
                        (
                            [UInt8(ascii: "$")] + GoText.trimSpace(line[..<eq]),
                            Array(GoText.trimSpace(line[(eq + 1)...]))
                        ))
                }
            }
        }
        finish(&p)
    }

    /// What pprof does after reading a memory map (also with none).
    static func finish(_ p: inout LegacyProfile) {
        massage(&p.mappings)
        p.remapLocations()
        p.remapFunctions()
        p.remapMappings()
    }

    /// pprof's `massageMappings`: adjacent ranges of one file become one; what looks like
    /// the main binary (a file that is not a shared library or a `[…]` pseudo-file) goes first.
    static func massage(_ ms: inout [LegacyProfile.Mapping]) {
        if ms.count > 1 {
            var merged = [ms[0]]
            for m in ms.dropFirst() {
                let last = merged[merged.count - 1]
                if adjacent(last, m) {
                    merged[merged.count - 1].limit = m.limit
                    if !m.file.isEmpty { merged[merged.count - 1].file = m.file }
                    if !m.buildID.isEmpty { merged[merged.count - 1].buildID = m.buildID }
                    continue
                }
                merged.append(m)
            }
            ms = merged
        }
        for i in ms.indices {
            let file = Array(GoText.trimSpace(removing(Array("(deleted)".utf8), from: Array(ms[i].file.utf8))[...]))
            if file.isEmpty || isSharedLibrary(file) || file[0] == UInt8(ascii: "[") { continue }
            ms.swapAt(0, i)
            break
        }
    }

    /// `strings.ReplaceAll(s, what, "")`.
    static func removing(_ what: [UInt8], from s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i...].starts(with: what) {
                i += what.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// pprof's `libRx`, `([.]so$|[.]so[._][0-9]+)`, anywhere in the name.
    static func isSharedLibrary(_ f: [UInt8]) -> Bool {
        let dotSo: [UInt8] = Array(".so".utf8)
        if f.count >= 3 && Array(f.suffix(3)) == dotSo { return true }
        var i = 0
        while i + 4 < f.count {
            if f[i] == 0x2E && f[i + 1] == 0x73 && f[i + 2] == 0x6F && (f[i + 3] == 0x2E || f[i + 3] == 0x5F)
                && f[i + 4] >= 0x30 && f[i + 4] <= 0x39
            {
                return true
            }
            i += 1
        }
        return false
    }

    /// pprof's `adjacent`: one mapping split in two (same file and build id where both
    /// have one, touching ranges, consistent offsets where both have one).
    static func adjacent(_ a: LegacyProfile.Mapping, _ b: LegacyProfile.Mapping) -> Bool {
        if !a.file.isEmpty && !b.file.isEmpty && a.file != b.file { return false }
        if !a.buildID.isEmpty && !b.buildID.isEmpty && a.buildID != b.buildID { return false }
        if a.limit != b.start { return false }
        if a.offset != 0 && b.offset != 0 && a.offset &+ (a.limit &- a.start) != b.offset { return false }
        return true
    }
}
