/// The legacy profile formats pprof still reads — Go's `?debug=1` text (heap, allocs,
/// block, mutex, goroutine, threadcreate), gperftools/tcmalloc text (`heap profile:`,
/// growthz, `--- contentionz`, `--- threadz`), Java's `--- heapz`/`--- contentionz`/CPU
/// profiles and gperftools' binary CPU profile — read as `go tool pprof` reads them
/// (`Formats/Legacy/`). They are recognised by their headers, near misses included, so
/// that none is ever misread as another format (Go's heap text used to pass for
/// `perf script` output); a file pprof would not read is refused, saying why.
public struct LegacyProfileFormat: ProfileFormat {
    /// Which legacy format the head of an input is (with where it usually comes from), and
    /// the pprof parser that reads it.
    static func recognize(_ head: UnsafeRawBufferPointer) -> (what: String, reader: LegacyReaders.Reader)? {
        let bytes = Array(head)
        if LegacyCPUReader.header(bytes) != nil || binaryCPUHeader(head) {
            return ("gperftools binary CPU profile", .cpu)
        }
        guard FormatDetector.isText(head) else { return nil }
        let firstRaw = bytes[..<(bytes.firstIndex(of: 0x0A) ?? bytes.count)]
        // pprof's count and threadz parsers skip blank and `#` lines; the first other line decides.
        var firstMeaningful: ArraySlice<UInt8> = []
        var firstNonBlank = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: 0x0A) ?? rest.endIndex
            let line = rest[..<end]
            rest = end < rest.endIndex ? rest[(end + 1)...] : []
            let t = GoText.trimSpace(line)
            if firstNonBlank.isEmpty && !t.isEmpty { firstNonBlank = GoText.string(t).lowercased() }
            if !GoText.isSpaceOrComment(line) {
                firstMeaningful = line.last == 0x0D ? line.dropLast() : line
                break
            }
        }
        if LegacyHeapReader.header.matches(firstRaw) || LegacyHeapReader.growthHeader.matches(firstRaw)
            || LegacyHeapReader.fragmentationHeader.matches(firstRaw) || firstNonBlank.hasPrefix("heap profile:")
        {
            return ("legacy heap profile text (`heap profile: …`: Go's /debug/pprof/heap?debug=1, or tcmalloc)", .heap)
        }
        if let m = LegacyCountReader.header.firstMatch(firstMeaningful) {
            let kind = GoText.string(m.text(1, in: firstMeaningful))
            return ("Go \(kind) profile text (`\(kind) profile: total …`: /debug/pprof/\(kind)?debug=1)", .count)
        }
        for kind in ["goroutine", "threadcreate", "block", "mutex", "allocs", "heap"]
        where firstNonBlank.hasPrefix(kind + " profile: total ") {
            return ("Go \(kind) profile text (`\(kind) profile: total …`: /debug/pprof/\(kind)?debug=1)", .count)
        }
        if LegacyThreadzReader.start.matches(firstMeaningful) || LegacyThreadzReader.thread.matches(firstMeaningful)
            || firstNonBlank.hasPrefix("--- threadz")
        {
            return ("legacy threadz profile text (`--- threadz`)", .threadz)
        }
        let javaHeader = GoText.string(GoText.trimSpace(firstRaw))
        if javaHeader == "--- heapz 1 ---" || javaHeader == "--- contentionz 1 ---" {
            let kind = javaHeader == "--- heapz 1 ---" ? "heapz" : "contentionz"
            // A C++ contentionz profile has the same first line; its attributes tell them apart.
            if kind == "heapz" || GoText.contains(bytes[...], "format = java")
                || GoText.contains(bytes[...], "format=java")
            {
                return ("Java \(kind) profile text (`--- \(kind) 1 ---`)", .java)
            }
        }
        if GoText.hasPrefix(firstRaw, "--- contentionz ") || firstNonBlank.hasPrefix("--- contention") {
            return (
                "legacy contention profile text (`--- contention:`: Go's /debug/pprof/block?debug=1, or C++'s contentionz)",
                .contention
            )
        }
        if firstNonBlank.hasPrefix("--- mutex") {
            return ("legacy contention profile text (`--- mutex:`: Go's /debug/pprof/mutex?debug=1)", .contention)
        }
        for kind in ["heapz", "heap", "contentionz", "contention", "cpu"] where firstNonBlank.hasPrefix("--- " + kind) {
            return ("Java \(kind) profile text (`--- \(kind) …`)", .java)
        }
        return nil
    }

    /// gperftools' CPU profile header, leniently: words 0, 3, 0, then a period, 32- or
    /// 64-bit, either byte order (pprof also wants a 0 fifth word; such a near miss is
    /// refused by name rather than read as something else).
    static func binaryCPUHeader(_ h: UnsafeRawBufferPointer) -> Bool {
        for width in [4, 8] where h.count >= 5 * width {
            for bigEndian in [false, true] {
                func word(_ i: Int) -> UInt64 {
                    var v: UInt64 = 0
                    for k in 0..<width {
                        let b = UInt64(h[i * width + (bigEndian ? k : width - 1 - k)])
                        v = v << 8 | b
                    }
                    return v
                }
                if word(0) == 0 && word(1) == 3 && word(2) == 0 && word(3) > 0 { return true }
            }
        }
        return false
    }

    /// "legacy profile".
    public var name: String { "legacy profile" }
    /// Go, C++ and Java legacy profiles.
    public init() {}
    /// Go, C++ and Java legacy text headers, or gperftools' binary CPU header.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { Self.recognize(head) != nil }

    /// Reads the profile as pprof's legacy parsers do, or refuses it as pprof would,
    /// naming the format, the line (or byte) and what was expected.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        let recognized = Self.recognize(FormatRegistry.head(bytes))
        let what = recognized?.what ?? "a legacy profile"
        let result: Result<Profile, LegacyReaders.UnrecognizedInput>
        do {
            result = try LegacyReaders.read(Array(bytes))
        } catch {
            var location = ""
            if let line = error.line { location = ", line \(line)" }
            if let offset = error.offset { location = ", at byte \(offset)" }
            throw InputError(source: c.source, "\(what)\(location): \(error.message)")
        }
        switch result {
        case .success(var p):
            // What pprof's driver does to every profile it fetches: a profile without
            // mappings gets one empty mapping for all its locations (Java's text profiles),
            // and its symbolizer names the functions.
            if p.mappings.isEmpty {
                p.mappings = [Mapping(id: 1)]
                for i in p.locations.indices { p.locations[i].mapping = 0 }
            }
            PprofFunctionNames.apply(&p)
            return p
        case .failure(let none):
            let index = LegacyReaders.Reader.allCases.firstIndex(of: recognized?.reader ?? .heap) ?? 0
            let why = index < none.reasons.count ? none.reasons[index] : "unrecognized"
            throw InputError(source: c.source, "\(what) that pprof does not read: \(why)")
        }
    }
}
