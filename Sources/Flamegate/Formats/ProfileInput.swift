#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A problem with one input: which file, where in it, and what was expected.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var source: String
    public var offset: Int?
    public var message: String
    public init(source: String, offset: Int? = nil, _ message: String) {
        self.source = source
        self.offset = offset
        self.message = message
    }
    public init(source: String, _ e: DecodeError) {
        self.init(source: source, offset: e.offset, e.message)
    }
    public var description: String {
        if let offset { return "\(source): at byte \(offset): \(message)" }
        return "\(source): \(message)"
    }
}

/// Reads inputs from files or stdin (`-`) and decodes them.
public enum ProfileInput {
    /// Reads a whole file (or stdin for "-") into memory.
    public static func readBytes(_ path: String) throws(InputError) -> [UInt8] {
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
        var capacity = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 1 << 20
        var out = [UInt8]()
        out.reserveCapacity(capacity + 1)
        while true {
            if out.count == capacity {
                capacity = max(capacity * 2, 1 << 20)
                out.reserveCapacity(capacity + 1)
            }
            let want = capacity + 1 - out.count
            let before = out.count
            var readError: Int32 = 0
            out.append(contentsOf: repeatElement(0, count: want))
            let n = out.withUnsafeMutableBytes { b in read(fd, b.baseAddress! + before, want) }
            if n < 0 {
                readError = errno
                if readError == EINTR {
                    out.removeLast(want)
                    continue
                }
                throw InputError(source: path, systemMessage(readError))
            }
            out.removeLast(want - n)
            if n == 0 { break }
        }
        return out
    }

    /// Reads and decodes a pprof profile (gzip or raw protobuf).
    public static func readProfile(_ path: String) throws(InputError) -> Profile {
        let bytes = try readBytes(path)
        if bytes.isEmpty { throw InputError(source: path, "empty file: expected a pprof profile") }
        let result = bytes.withUnsafeBytes { b -> Result<Profile, DecodeError> in
            do throws(DecodeError) { return .success(try PprofDecoder.decode(possiblyCompressed: b)) } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let p): return p
        case .failure(let e): throw InputError(source: path, offset: e.offset, "malformed pprof profile: " + e.message)
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
