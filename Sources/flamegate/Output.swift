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

/// Writes bytes to stdout; a closed pipe ends the command quietly, any other write error
/// (a full disk, `/dev/full`, an I/O error) is exit 2 with the errno, never a silent 0.
func writeStdout(_ bytes: UnsafeRawBufferPointer) throws {
    if writeAll(1, bytes) { return }
    let code = errno
    if code == EPIPE { throw ReaderWentAway() }
    throw OutputError(message: "stdout: write failed: \(String(cString: strerror(code)))")
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

/// Writes a file, or stdout for "-". A regular file is written to a temporary name in the
/// same folder and renamed over the target only when every byte was written, so a failed
/// write leaves the previous file intact and never a truncated one. Devices and pipes
/// (`/dev/stdout`, a FIFO) are written in place: renaming over them would replace the node.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    if path == "-" {
        try bytes.withUnsafeBytes { try writeStdout($0) }
        return
    }
    var st = stat()
    if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
        if (st.st_mode & S_IFMT) == S_IFDIR { throw OutputError(message: "\(path): cannot write: is a directory") }
        let fd = open(path, O_WRONLY | O_TRUNC)
        if fd < 0 { throw OutputError(message: "\(path): cannot write: \(String(cString: strerror(errno)))") }
        let ok = bytes.withUnsafeBytes { writeAll(fd, $0) }
        let code = errno
        if close(fd) != 0 && ok { throw OutputError(message: "\(path): write failed: \(String(cString: strerror(errno)))") }
        if !ok { throw OutputError(message: "\(path): write failed: \(String(cString: strerror(code)))") }
        return
    }
    // A symlink to a file: replace the file it points to, not the link.
    var target = path
    if let real = realpath(path, nil) {
        target = String(cString: real)
        free(real)
    }
    let slash = target.lastIndex(of: "/")
    let dir = slash.map { String(target[..<$0]) } ?? "."
    let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
    var template = Array("\(dir.isEmpty ? "/" : dir)/.\(base).flamegate-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 { throw OutputError(message: "\(path): cannot write: \(String(cString: strerror(errno)))") }
    let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    func fail(_ code: Int32) -> OutputError {
        unlink(temp)
        return OutputError(message: "\(path): write failed: \(String(cString: strerror(code)))")
    }
    if !bytes.withUnsafeBytes({ writeAll(fd, $0) }) {
        let code = errno
        close(fd)
        throw fail(code)
    }
    // mkstemp makes the file 0600; give it what a plain create would (0666 less the umask),
    // or keep the mode of the file it replaces.
    let mask = umask(0)
    umask(mask)
    var old = stat()
    let mode = stat(target, &old) == 0 ? old.st_mode & 0o7777 : 0o666 & ~mask
    fchmod(fd, mode)
    if close(fd) != 0 { throw fail(errno) }
    if rename(temp, target) != 0 { throw fail(errno) }
}
