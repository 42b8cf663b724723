#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A problem with one input: which file, where in it, and what was expected.
public struct InputError: Error, CustomStringConvertible, Sendable {
    /// The file, URL or `-` the input came from.
    public var source: String
    /// Byte offset of the problem (in the inflated data for gzip input); nil when none applies.
    public var offset: Int?
    /// What was wrong or expected.
    public var message: String
    /// An error in `source`, at byte `offset` when given.
    public init(source: String, offset: Int? = nil, _ message: String) {
        self.source = source
        self.offset = offset
        self.message = message
    }
    /// A byte-level `DecodeError` placed in `source`.
    public init(source: String, _ e: DecodeError) {
        self.init(source: source, offset: e.offset, e.message)
    }
    /// One line, always: line breaks inside (e.g. from a quoted value of the input) are
    /// written as `\n` / `\r`.
    public var description: String {
        let text = offset.map { "\(source): at byte \($0): \(message)" } ?? "\(source): \(message)"
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// Reads inputs from files or stdin (`-`) and decodes them.
public enum ProfileInput {
    /// Reads a whole file (or stdin for "-") into memory.
    public static func readBytes(_ path: String) throws(InputError) -> [UInt8] {
        // A registered name (`store:…`) before the file system.
        if let bytes = try InputSources.open(path) { return bytes }
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            if fd < 0 { throw InputError(source: path, systemMessage(errno)) }
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) != 0 { throw InputError(source: path, systemMessage(errno)) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(source: path, "is a directory, expected a profile file")
        }
        if (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0 {
            // Regular file: one allocation of the right size, read straight into it.
            let size = Int(st.st_size)
            var failure: Int32 = 0
            var out = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
                var off = 0
                while off < size {
                    let n = read(fd, buf.baseAddress! + off, size - off)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        break
                    }
                    if n == 0 { break }
                    off += n
                }
                count = off
            }
            if failure != 0 { throw InputError(source: path, systemMessage(failure)) }
            // A file that grew while we read it: take the rest too.
            var extra = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = extra.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                out.append(contentsOf: extra[0..<n])
            }
            return out
        }
        // A pipe or device: no size to trust. Checked as it arrives (binary that is not
        // protobuf fails at its first bytes: `top /dev/zero`) and capped at
        // `Gzip.defaultLimit` (FLAMEGATE_MAX_INFLATE, else 8 GiB or the machine's memory).
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var check = FormatRegistry.EarlyCheck()
        let cap = Gzip.defaultLimit
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: path, systemMessage(errno))
            }
            if n == 0 { break }
            if out.count + n > cap {
                throw InputError(
                    source: path,
                    "input runs past the \(Gzip.describe(limit: cap)) limit for pipes and devices (set \(Gzip.limitVariable) to raise it)")
            }
            out.append(contentsOf: chunk[0..<n])
            let e: DecodeError? = out.withUnsafeBytes { b in
                do throws(DecodeError) { try check.feed(b) } catch { return error }
                return nil
            }
            if let e { throw InputError(source: path, e) }
        }
        return out
    }

    /// Reads and decodes a pprof profile (gzip or raw protobuf).
    public static func readProfile(_ path: String) throws(InputError) -> Profile {
        var bytes = try readBytes(path)
        if bytes.isEmpty { throw InputError(source: path, "empty file: expected a pprof profile") }
        let inflated = try inflateIfGzip(&bytes, source: path, prefix: "malformed pprof profile: ")
        let r = bytes.withUnsafeBytes { b -> Result<Profile, InputError> in
            do throws(InputError) { return .success(try decodePprof(b, source: path, inflated: inflated)) } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }

    /// Replaces gzip data by what it inflates to (the compressed copy is freed before
    /// decoding); returns whether it was gzip. `prefix` starts the error message.
    static func inflateIfGzip(_ bytes: inout [UInt8], source: String, prefix: String) throws(InputError) -> Bool {
        guard bytes.withUnsafeBytes({ Gzip.isGzip($0) }) else { return false }
        var check = FormatRegistry.EarlyCheck()
        var early = false
        let r = bytes.withUnsafeBytes { b -> Result<[UInt8], DecodeError> in
            do throws(DecodeError) {
                return .success(
                    try Gzip.inflate(b) { (d: UnsafeRawBufferPointer) throws(DecodeError) -> Void in
                        do throws(DecodeError) { try check.feed(d) } catch {
                            early = true
                            throw error
                        }
                    })
            } catch { return .failure(error) }
        }
        switch r {
        case .success(let raw): bytes = raw
        case .failure(let e) where early:
            throw InputError(source: source, offset: e.offset, e.message + " (offset in the decompressed data)")
        case .failure(let e): throw InputError(source: source, offset: e.offset, prefix + e.message)
        }
        if bytes.isEmpty { throw InputError(source: source, "empty data inside the gzip file") }
        return true
    }

    /// Decodes pprof protobuf, naming the file and offset on error; function names as
    /// `go tool pprof` shows them (`PprofFunctionNames`).
    static func decodePprof(_ b: UnsafeRawBufferPointer, source: String, inflated: Bool, hint: String = "")
        throws(InputError) -> Profile
    {
        do throws(DecodeError) {
            var p = try PprofDecoder.decode(b)
            PprofFunctionNames.apply(&p)
            return p
        } catch {
            let whereNote = inflated && error.offset != nil ? " (offset in the decompressed data)" : ""
            throw InputError(
                source: source, offset: error.offset, "malformed pprof profile: " + error.message + whereNote + hint)
        }
    }

    static func systemMessage(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory, expected a profile file"
        default: return String(cString: strerror(code))
        }
    }
}
