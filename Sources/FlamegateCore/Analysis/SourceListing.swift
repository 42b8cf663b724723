#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// pprof's `-list REGEX`: for each function whose name matches, its source lines with the
/// flat and cum value charged to each (pprof's `printSource` over a `lines` graph).
public struct SourceListing: Sendable {
    /// One function in one source file.
    public struct Routine: Sendable {
        /// The function's name.
        public var name: String
        /// The source file as pprof names it (after `trimPath`).
        public var file: String
        /// Sums of the function's line nodes in this file.
        public var flat: Int64
        /// Sum of cum over the line nodes (a line may count a sample another also counts).
        public var cum: Int64
        /// The listed lines: number, text, flat, cum.
        public var lines: [(number: Int, text: String, flat: Int64, cum: Int64)]
        /// Why the source could not be shown ("could not find file … on path …").
        public var error: String?
    }

    /// Matching functions, by name; within one, its files in path order. A name listed
    /// with no file is a function without source information.
    public var routines: [Routine] = []
    /// Names of matching functions with no source file in the profile.
    public var noSource: [String] = []
    /// The order names appear in: (name, is it without source?), for printing.
    public var order: [(name: String, routines: [Int], noSource: Bool)] = []

    /// Builds the listing. `sourcePath` (pprof's -source_path, ":"-separated; "" = the
    /// working directory for reading) and `trimPath` (-trim_path) locate the files.
    public init(
        profile p: Profile, sampleIndex si: Int, symbol: Pattern, sourcePath: String, trimPath: String,
        inlines: Bool
    ) {
        let nodes = NodeTable(profile: p, granularity: .lines, inlines: inlines)
        var flat = [Int64](repeating: 0, count: nodes.count)
        var cum = [Int64](repeating: 0, count: nodes.count)
        FunctionTable.accumulate(p, nodes, si, &flat, &cum)
        let s = nodes.strings
        // pprof keeps each function's start line in list nodes (ObjNames).
        var startLine: [Int32: Int64] = [:]
        for f in p.functions where startLine[f.name] == nil { startLine[f.name] = f.startLine }
        struct Node {
            var file: String
            var line: Int
            var start: Int
            var flat: Int64
            var cum: Int64
        }
        var byName: [String: [Node]] = [:]
        for i in 0..<nodes.count where !(flat[i] == 0 && cum[i] == 0) {
            let info = nodes.infos[i]
            let name = s[info.name]
            guard symbol.matches(name) else { continue }
            // pprof trims function file names before building the graph (with the
            // -source_path as given, not the working directory).
            let file =
                info.file == 0
                ? "" : PathClean.clean(Self.trimPath(s[info.file], trim: trimPath, searchPath: sourcePath))
            let start = Int(info.name == 0 ? info.startLine : (startLine[info.name] ?? 0))
            byName[name, default: []].append(
                Node(file: file, line: Int(info.line), start: start, flat: flat[i], cum: cum[i]))
        }
        let reader = SourceReader(searchPath: sourcePath.isEmpty ? Self.workingDirectory() : sourcePath, trim: trimPath)
        for name in byName.keys.sorted(by: { LosslessUTF8.precedes($0, $1) }) {
            let nodesOfName = byName[name]!
            var byFile: [String: [Node]] = [:]
            for n in nodesOfName where !n.file.isEmpty { byFile[n.file, default: []].append(n) }
            if byFile.isEmpty {
                order.append((name, [], true))
                noSource.append(name)
                continue
            }
            let files = byFile.keys.sorted { a, b in
                let sa = byFile[a]![0].start
                let sb = byFile[b]![0].start
                return a != b ? LosslessUTF8.precedes(a, b) : sa < sb
            }
            var indices: [Int] = []
            for file in files {
                let fns = byFile[file]!
                var r = Routine(
                    name: name, file: file, flat: fns.reduce(0) { $0 &+ $1.flat }, cum: fns.reduce(0) { $0 &+ $1.cum },
                    lines: [], error: nil)
                // pprof's getSourceFromFile: from the start line (else 5 before the first
                // sample) to 5 after the last.
                let margin = 5
                var start = fns[0].start != 0 ? fns[0].start : fns[0].line - margin
                var end = fns[0].line + margin
                var perLine: [Int: (Int64, Int64)] = [:]
                for n in fns {
                    let nodeStart = n.start != 0 ? n.start : n.line - margin
                    if nodeStart < start {
                        start = nodeStart
                    } else if n.line + margin > end {
                        end = n.line + margin
                    }
                    let v = perLine[n.line] ?? (0, 0)
                    perLine[n.line] = (v.0 &+ n.flat, v.1 &+ n.cum)
                }
                start = max(start, 1)
                if let text = reader.lines(file) {
                    var number = start
                    while number <= end && number < text.count {
                        let v = perLine[number] ?? (0, 0)
                        r.lines.append((number, text[number], v.0, v.1))
                        number += 1
                    }
                } else {
                    r.error = reader.error(file)
                }
                indices.append(routines.count)
                routines.append(r)
            }
            order.append((name, indices, false))
        }
    }

    static func workingDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// pprof's `trimPath`: without a trim prefix, strip up to the base name of a search
    /// directory found in the path; then strip a configured prefix or /proc/self/cwd/.
    static func trimPath(_ path: String, trim: String, searchPath: String) -> String {
        if trim.isEmpty {
            for dir in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
                let want = "/" + PathClean.base(String(dir)) + "/"
                if let r = path.range(of: want) { return String(path[r.upperBound...]) }
            }
        }
        var prefixes = trim.isEmpty ? [] : trim.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        prefixes += ["/proc/self/cwd/./", "/proc/self/cwd/"]
        for var p in prefixes {
            if !p.hasSuffix("/") { p += "/" }
            if path.hasPrefix(p) { return String(path.dropFirst(p.count)) }
        }
        return path
    }
}

/// Source files as pprof's `sourceReader` finds them: a relative name is looked up in each
/// search directory and its parents; files are read once.
final class SourceReader {
    let searchPath: String
    let trim: String
    var files: [String: [String]?] = [:]
    var errors: [String: String] = [:]

    init(searchPath: String, trim: String) {
        self.searchPath = searchPath
        self.trim = trim
    }

    /// The file's lines, 1-based (index 0 is empty); nil when it cannot be found.
    func lines(_ path: String) -> [String]? {
        if let cached = files[path] { return cached }
        let text = open(path)
        files[path] = text
        return text
    }

    func error(_ path: String) -> String { errors[path] ?? "could not read \(path)" }

    func open(_ path: String) -> [String]? {
        let p = SourceListing.trimPath(path, trim: trim, searchPath: searchPath)
        if p.hasPrefix("/") {
            if let t = read(p) { return t }
            errors[path] = "open \(p): no such file or directory"
            return nil
        }
        for dirPart in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            var dir = String(dirPart)
            while true {
                if let t = read(PathClean.clean(dir + "/" + p)) { return t }
                let parent = Self.dir(dir)
                if parent == dir { break }
                dir = parent
            }
        }
        errors[path] = "could not find file \(p) on path \(searchPath)"
        return nil
    }

    /// Go's `filepath.Dir`.
    static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return PathClean.clean(head.isEmpty ? "/" : head)
    }

    /// Lines as Go's bufio.Scanner gives them (a trailing \r dropped), behind an empty line 0.
    func read(_ path: String) -> [String]? {
        guard let bytes = try? ProfileInput.readBytes(path) else { return nil }
        var out = [""]
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                var e = i
                if e > start && bytes[e - 1] == 0x0D { e -= 1 }
                out.append(String(decoding: bytes[start..<e], as: UTF8.self))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count {
            var e = bytes.count
            if bytes[e - 1] == 0x0D { e -= 1 }
            out.append(String(decoding: bytes[start..<e], as: UTF8.self))
        }
        return out
    }
}
