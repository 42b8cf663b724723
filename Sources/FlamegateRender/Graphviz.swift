import FlamegateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Graphviz's `dot`, which lays out pprof's call graphs as images (`-svg`, `-png`), run
/// as pprof runs it: `dot -T<format>` over the DOT text.
public enum Graphviz {
    /// What to tell a user without Graphviz.
    public static let missing =
        "Graphviz's dot is not on PATH; svg and png need it: apt-get install graphviz (brew install graphviz on macOS)"

    /// The image `dot -T<format>` makes of `dot` (format: svg, png, pdf…). Graphviz's own
    /// messages go to stderr; a missing `dot` or a failed run is an `InputError`.
    public static func render(_ dot: String, format: String) throws(InputError) -> [UInt8] {
        // Files rather than pipes: no deadlock however large the graph or the image.
        let base = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/flamegate-dot-XXXXXX"
        var template = Array(base.utf8CString)
        guard mkdtemp(&template) != nil else {
            throw InputError(source: "dot", "cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        let dir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let input = dir + "/graph.dot"
        let output = dir + "/graph." + format
        defer {
            unlink(input)
            unlink(output)
            rmdir(dir)
        }
        try writeFile(input, Array(dot.utf8))
        let args = ["dot", "-T" + format, "-o", output, input]
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "dot", nil, nil, &cargs, environ)
        if rc == ENOENT { throw InputError(source: "dot", missing) }
        if rc != 0 { throw InputError(source: "dot", "cannot run Graphviz's dot: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        if !exited || code != 0 {
            throw InputError(
                source: "dot", exited ? "Graphviz's dot failed (exit status \(code))" : "Graphviz's dot was killed")
        }
        return try readFile(output)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws(InputError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if fd < 0 { throw InputError(source: path, "cannot write: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: path, "cannot write: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    static func readFile(_ path: String) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw InputError(source: "dot", "made no output: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: path, "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }
}
