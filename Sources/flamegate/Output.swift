#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

struct OutputError: Error {
    var message: String
}

/// Writes all bytes to a descriptor; a closed pipe (e.g. `| head`) ends quietly.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var off = 0
    while off < bytes.count {
        let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        off += n
    }
    return true
}

func writeOut(_ s: String) {
    var s = s
    let ok = s.withUTF8 { writeAll(1, UnsafeRawBufferPointer($0)) }
    if !ok && errno == EPIPE { exit(0) }
}

func writeErr(_ s: String) {
    var s = s
    _ = s.withUTF8 { writeAll(2, UnsafeRawBufferPointer($0)) }
}

/// Writes a file, or stdout for "-".
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    if path == "-" {
        _ = bytes.withUnsafeBytes { writeAll(1, $0) }
        return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0 { throw OutputError(message: "\(path): cannot write: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    if !bytes.withUnsafeBytes({ writeAll(fd, $0) }) {
        throw OutputError(message: "\(path): write failed: \(String(cString: strerror(errno)))")
    }
}
