/// Byte-for-byte comparison with a committed reference, described by its first difference.
public enum Golden {
    /// nil when `got` and `want` are the same bytes; else where they first differ: the
    /// first differing line, or the line counts when one is a prefix of the other.
    public static func difference(_ got: String, _ want: String, _ what: String) -> String? {
        if Array(got.utf8) == Array(want.utf8) { return nil }
        let g = got.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let w = want.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for i in 0..<min(g.count, w.count) where !g[i].elementsEqual(w[i]) {
            let gotLine = String(decoding: g[i], as: UTF8.self)
            let wantLine = String(decoding: w[i], as: UTF8.self)
            return "\(what): line \(i + 1) differs\n got: \(gotLine)\nwant: \(wantLine)"
        }
        return "\(what): \(g.count) lines, the reference has \(w.count)"
    }
}
