/// The legacy profile formats pprof still reads — Go's `?debug=1` text (heap, block, mutex,
/// goroutine, threadcreate), gperftools/tcmalloc text (`heap profile:`, `--- contention:`,
/// `--- threadz`), Java's `--- heapz`/`--- contentionz`/CPU text and gperftools' binary CPU
/// profile. They are recognised so that none is ever misread as another format (Go's
/// heap text used to pass for `perf script` output and give a wrong report); reading them
/// is not supported yet, and says so.
public struct LegacyProfileFormat: ProfileFormat {
    /// Which legacy format the head of an input is, with where it usually comes from.
    static func recognize(_ head: UnsafeRawBufferPointer) -> String? {
        if binaryCPUHeader(head) { return "gperftools binary CPU profile" }
        guard FormatDetector.isText(head) else { return nil }
        // The first line that is not blank decides, as pprof's parsers decide on it.
        var first = ""
        PerfScriptReader.forEachLine(in: head) { line in
            if !first.isEmpty { return }
            first = String(decoding: line, as: UTF8.self).trimming(" \t\r")
        }
        let lower = first.lowercased()
        if lower.hasPrefix("heap profile:") {
            return "legacy heap profile text (`heap profile: …`: Go's /debug/pprof/heap?debug=1, or tcmalloc)"
        }
        for kind in ["goroutine", "threadcreate", "block", "mutex", "allocs", "heap"]
        where lower.hasPrefix(kind + " profile: total ") {
            return "Go \(kind) profile text (`\(kind) profile: total …`: /debug/pprof/\(kind)?debug=1)"
        }
        if lower.hasPrefix("--- contention") {
            return "legacy contention profile text (`--- contention:`: Go's /debug/pprof/block?debug=1)"
        }
        if lower.hasPrefix("--- mutex") {
            return "legacy contention profile text (`--- mutex:`: Go's /debug/pprof/mutex?debug=1)"
        }
        if lower.hasPrefix("--- threadz") { return "legacy threadz profile text (`--- threadz`)" }
        for kind in ["heapz", "heap", "contentionz", "contention", "cpu"] where lower.hasPrefix("--- " + kind) {
            return "Java \(kind) profile text (`--- \(kind) …`)"
        }
        return nil
    }

    /// gperftools' CPU profile header: words 0, 3, 0 (then the period), 32- or 64-bit,
    /// either byte order.
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
    /// Recognised so that they are never read as something else.
    public init() {}
    /// Go, C++ and Java legacy text headers, or gperftools' binary CPU header.
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { Self.recognize(head) != nil }
    /// Refuses, naming the format and the way to get a profile Flamegate reads.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        let what = Self.recognize(FormatRegistry.head(bytes)) ?? "a legacy profile"
        throw InputError(
            source: c.source,
            "\(what) is not supported yet; for Go, fetch the protobuf form (the endpoint without ?debug=1)")
    }
}
