/// Whether fetched bytes are a profile at all: `flamegate fetch` saves only what some
/// profile format recognises, so a login page served with status 200 is not saved as one.
extension FormatRegistry {
    /// What `bytes` look like when they are not a profile (nil: they are one, or may be).
    /// Gzip data is judged on what it inflates to. Any profile format's sniffer counts,
    /// readable or not (legacy `?debug=1` text is a profile, if one Flamegate refuses to
    /// read); binary data counts unless its magic bytes name another file type, since a
    /// Go execution trace, pprof protobuf and gperftools' CPU profile are all binary.
    public static func notAProfile(_ bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "empty" }
        // Gzip: judge the head of what it inflates to; a large profile is not inflated whole.
        var raw = bytes
        if bytes.withUnsafeBytes({ Gzip.isGzip($0) }) {
            let head = bytes.withUnsafeBytes { b -> Result<[UInt8], DecodeError> in
                do throws(DecodeError) { return .success(try Gzip.inflate(b, prefix: 1 << 16)) } catch {
                    return .failure(error)
                }
            }
            switch head {
            case .success(let h): raw = h
            case .failure(let e): return "gzip data that does not inflate (\(e.message))"
            }
            if raw.isEmpty { return "gzip data that inflates to nothing" }
        }
        return raw.withUnsafeBytes { b -> String? in
            let h = head(b)
            let looks = looksLike(h)
            if FormatDetector.isText(h) {
                if profileFormats.contains(where: { $0.sniff(h) }) { return nil }
                return looks ?? "text"
            }
            // Binary: only a known non-profile file type is refused, or markup and JSON
            // (`<` and `{` are protobuf tags pprof never starts with: an end group and a
            // start group).
            if let looks, looks != "plain text" { return looks }
            let first = h.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            if first == UInt8(ascii: "<") { return "HTML or XML" }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return "JSON" }
            return nil
        }
    }

    /// The first bytes of a response, printable on one line: text as is (newlines as
    /// spaces), other bytes as `\xNN`, at most `limit` bytes.
    public static func firstBytes(_ bytes: [UInt8], limit: Int = 80) -> String {
        var s = ""
        for b in bytes.prefix(limit) {
            switch b {
            case 0x0A, 0x0D, 0x09: s += " "
            case 0x20..<0x7F where b != UInt8(ascii: "\\"): s.append(Character(Unicode.Scalar(b)))
            default:
                let hex = String(b, radix: 16)
                s += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return bytes.count > limit ? s + "…" : s
    }
}
