/// The one list of formats: input detection, `convert`, `merge` and the gate's input
/// routing all ask it. Adding a format is one file (its `InputFormat`) and one line here.
public enum FormatRegistry {
    /// Every format, in sniffing order: the gate's inputs first (their text would otherwise
    /// be mistaken for stacks), then profiles — goroutine dumps and legacy profiles (whose
    /// headers are exact) before pprof's catch-all binary test and the generic text formats;
    /// speedscope's JSON, which names its schema, is told from metric JSON in `kind(of:)`.
    public static let formats: [any InputFormat] = [
        MetricJSONFormat(),
        GoBenchFormat(),
        GoEscapeFormat(),
        GoroutineDumpFormat(),
        LegacyProfileFormat(),
        // Go execution traces: binary with an exact header, so before pprof's catch-all.
        TraceFormat(),
        PprofFormat(),
        PerfScriptFormat(),
        FoldedFormat(),
        SpeedscopeFormat(),
    ]

    /// The profile formats, in sniffing order.
    public static let profileFormats: [any ProfileFormat] = formats.compactMap { $0 as? any ProfileFormat }

    /// The profile format called `name`.
    public static func profileFormat(named name: String) -> (any ProfileFormat)? {
        profileFormats.first { $0.name == name }
    }

    /// Names of the formats `write` supports.
    public static var writableNames: [String] { profileFormats.filter(\.canWrite).map(\.name) }

    /// The first 64 KiB, or for text the first whole line when it is longer (up to 16 MiB):
    /// every sniffer decides on the head alone, and a long first line is still a line.
    static func head(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let window = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 1 << 16)])
        guard bytes.count > window.count, !window.contains(0x0A), FormatDetector.isText(window) else { return window }
        let far = min(bytes.count, 16 << 20)
        var end = far
        if let nl = UnsafeRawBufferPointer(rebasing: bytes[window.count..<far]).firstIndex(of: 0x0A) {
            end = window.count + nl + 1
        }
        return UnsafeRawBufferPointer(rebasing: bytes[0..<end])
    }

    /// A check of an input's bytes while they still arrive (a pipe, gzip being inflated):
    /// once 64 KiB are in, binary data that only pprof could claim must walk as protobuf,
    /// so `top /dev/zero` or a gzip bomb of zeros fails at byte 0 in bounded memory.
    struct EarlyCheck {
        var decided = false
        var pprof: PprofStreamCheck? = nil

        mutating func feed(_ data: UnsafeRawBufferPointer) throws(DecodeError) {
            if !decided {
                if data.count < 1 << 16 { return }
                decided = true
                let h = head(data)
                if Gzip.isGzip(h) { return }
                let format = detectProfile(h)
                if format is PprofFormat || (format == nil && looksLike(h) == nil) { pprof = PprofStreamCheck() }
            }
            do { try pprof?.advance(data) } catch {
                throw DecodeError(offset: error.offset, "malformed pprof profile: " + error.message)
            }
        }
    }

    /// The readable profile format of (inflated) bytes, or nil when none fits.
    public static func detectProfile(_ bytes: UnsafeRawBufferPointer) -> (any ProfileFormat)? {
        if bytes.isEmpty { return nil }
        let h = head(bytes)
        return profileFormats.first { $0.canRead && $0.sniff(h) }
    }

    /// What a file holds, for the gate's routing: gzip data is a profile; otherwise the
    /// first format that recognises the bytes, else a profile (whose reader then says
    /// what is wrong with it).
    public static func kind(of bytes: UnsafeRawBufferPointer) -> InputKind {
        if Gzip.isGzip(bytes) { return .profile }
        let h = head(bytes)
        // speedscope's JSON names its schema: a profile, not the gate's metric JSON.
        if SpeedscopeFormat().sniff(h) { return .profile }
        return formats.first { $0.kind != .profile && $0.sniff(h) }?.kind ?? .profile
    }

    /// Reads a profile in any readable format from `path` (gzip allowed; `-` is stdin);
    /// `opener` says where bytes come from (files and stdin; Capture's adds URLs).
    public static func read(
        _ path: String, demangle: DemangleMode = .simplified, opener: InputOpener = .files, traceKind: String? = nil
    ) throws(InputError) -> Profile {
        // A large perf script file is folded as it is read, never held whole.
        if let p = try PerfScriptFile.profile(path: path, demangle: demangle) { return try checked(p, path) }
        var bytes = try opener.open(path)
        if bytes.isEmpty {
            throw InputError(source: path, "empty file: expected a pprof profile, perf script output or folded stacks")
        }
        let inflated = try ProfileInput.inflateIfGzip(&bytes, source: path, prefix: "malformed gzip data: ")
        let context = ProfileReadContext(source: path, inflated: inflated, demangle: demangle, traceKind: traceKind)
        let result = bytes.withUnsafeBytes { b -> Result<Profile, InputError> in
            do throws(InputError) {
                if let format = detectProfile(b) { return .success(try checked(try format.read(b, context: context), path)) }
                // Text that no format claims: say what it looks like instead of a protobuf error.
                if let looks = looksLike(head(b)) {
                    throw InputError(
                        source: path,
                        "not a profile: it looks like \(looks); expected pprof (gzip or raw protobuf), perf script output, folded stacks ('frame;frame count' lines), a Go goroutine dump, a legacy profile pprof reads (Go ?debug=1 text, tcmalloc, threadz, Java, gperftools CPU), or a speedscope JSON file"
                    )
                }
                // Binary: report what pprof decoding says, the likeliest intent.
                return .success(
                    try checked(
                        try ProfileInput.decodePprof(
                            b, source: path, inflated: inflated,
                            hint: "; not perf script output or folded stacks ('frame;frame count' lines) either"),
                        path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `p`, once its sample values are known to add up without wrapping (`CheckedSum`).
    static func checked(_ p: Profile, _ source: String) throws(InputError) -> Profile {
        do { _ = try p.checkedMagnitudeTotals() } catch { throw InputError(source: source, error.message) }
        return p
    }

    /// What an unreadable input looks like, for the error: a known file type by its magic
    /// bytes, or text by its first character; nil for other binary data.
    static func looksLike(_ h: UnsafeRawBufferPointer) -> String? {
        func starts(_ magic: [UInt8]) -> Bool { h.count >= magic.count && zip(h, magic).allSatisfy { $0 == $1 } }
        if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "a PNG image" }
        if starts(Array("%PDF".utf8)) { return "a PDF document" }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return "an ELF executable" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "a zip archive" }
        guard FormatDetector.isText(h) else { return nil }
        // Text is valid UTF-8 (a character cut at the end of the window aside).
        let window = Array(h.prefix(512))
        var valid = false
        let cuts = h.count > window.count ? min(4, window.count) : 1
        for cut in 0..<cuts where String(validating: window.dropLast(cut), as: UTF8.self) != nil {
            valid = true
            break
        }
        if !valid { return nil }
        let text = String(decoding: window, as: UTF8.self).trimming(" \t\r\n").lowercased()
        if text.hasPrefix("{") || text.hasPrefix("[") { return "JSON" }
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") { return "an HTML page" }
        if text.hasPrefix("<?xml") || text.hasPrefix("<svg") { return "XML or SVG" }
        return "plain text"
    }

    /// Writes `profile` as the format called `name`.
    public static func write(
        _ profile: Profile, as name: String, options: ProfileWriteOptions = ProfileWriteOptions(), source: String
    ) throws(InputError) -> [UInt8] {
        guard let f = profileFormat(named: name), f.canWrite else {
            throw InputError(
                source: source, "cannot write '\(name)': expected one of \(writableNames.joined(separator: ", "))")
        }
        return try f.write(profile, options: options, source: source)
    }
}

extension ProfileInput {
    /// Reads a profile in any supported format (`FormatRegistry.read`).
    public static func readAny(
        _ path: String, demangle: DemangleMode = .simplified, opener: InputOpener = .files
    ) throws(InputError) -> Profile {
        try FormatRegistry.read(path, demangle: demangle, opener: opener)
    }
}
