import FlamegateCore
import FlamegateRender

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An output file that could not be written (exit 2).
struct OutputError: Error {
    var message: String
}

/// stdout was closed by its reader (e.g. `| head`): stop quietly with status 0.
struct ReaderWentAway: Error {}

/// Writes all bytes to a descriptor; false on a write error (errno says which).
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

/// Writes text to stdout; a closed pipe ends the command quietly. A name's raw bytes
/// (invalid UTF-8 in the profile) are written back as those bytes, as pprof prints them.
func writeOut(_ s: String) throws {
    if LosslessUTF8.hasRawBytes(s) {
        try LosslessUTF8.bytes(s).withUnsafeBytes { try writeStdout($0) }
        return
    }
    var s = s
    try s.withUTF8 { try writeStdout(UnsafeRawBufferPointer($0)) }
}

/// Writes bytes to stdout; a closed pipe ends the command quietly.
func writeStdout(_ bytes: UnsafeRawBufferPointer) throws {
    if !writeAll(1, bytes) && errno == EPIPE { throw ReaderWentAway() }
}

/// Writes to stderr (messages, warnings).
func writeErr(_ s: String) {
    _ = LosslessUTF8.bytes(s).withUnsafeBytes { writeAll(2, $0) }
}

/// Warnings from the library, one line each on stderr (a name in one can't break the line
/// or reach the terminal as a control sequence).
func warn(_ warnings: [String], prefix: String = "flamegate: ") {
    for w in warnings { writeErr(prefix + TextEscape.cell(w) + "\n") }
}

/// Writes a file, or stdout for "-".
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    if path == "-" {
        try bytes.withUnsafeBytes { try writeStdout($0) }
        return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0 { throw OutputError(message: "\(path): cannot write: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    if !bytes.withUnsafeBytes({ writeAll(fd, $0) }) {
        throw OutputError(message: "\(path): write failed: \(String(cString: strerror(errno)))")
    }
}
