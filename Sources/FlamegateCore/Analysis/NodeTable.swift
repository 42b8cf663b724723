/// How finely samples are grouped into report rows (pprof's `-granularity`).
public enum Granularity: String, CaseIterable, Sendable {
    case functions, filefunctions, files, lines, addresses
}

/// What a report row stands for; pprof's `graph.NodeInfo`. Strings are interned ids.
public struct NodeInfo: Hashable, Sendable {
    /// String id of the function name; 0 when the granularity drops names or the frame has none.
    public var name: Int32 = 0
    /// String id of the cleaned source path; 0 when not kept at this granularity.
    public var file: Int32 = 0
    /// Program counter; 0 unless the granularity keeps addresses.
    public var address: UInt64 = 0
    /// Function start line; pprof keeps it only for nameless frames.
    public var startLine: Int64 = 0
    /// Source line; 0 unless the granularity keeps lines.
    public var line: Int64 = 0
    /// Source column; kept only at `addresses` granularity with inlines.
    public var column: Int64 = 0
    /// String id of the mapping's file; kept only for nameless frames (shown as `[libfoo.so]`).
    public var objfile: Int32 = 0
}

/// Every frame of every location resolved to a report node, for one granularity.
///
/// `frames[frameStart[loc] ..< frameStart[loc+1]]` are the nodes of location `loc`,
/// innermost first (inlined frames first, the real call last), as pprof's
/// `graph.CreateNodes` makes them.
public struct NodeTable: Sendable {
    /// Distinct nodes; a node's index is its row identity.
    public var infos: [NodeInfo] = []
    /// Printable name per node (pprof's `PrintableName`).
    public var names: [String] = []
    /// Node index per frame, grouped by location; see `frameStart`.
    public var frames: [Int32] = []
    /// `frameStart[loc] ..< frameStart[loc + 1]` indexes `frames` for location `loc`.
    public var frameStart: [Int32] = [0]
    /// Nodes that appear as an inlined (not outermost) frame somewhere.
    public var appearsInlined: [Bool] = []

    /// Number of distinct nodes.
    public var count: Int { infos.count }

    /// Builds the table, applying pprof's `Aggregate` rules for `granularity`.
    public init(profile p: Profile, granularity: Granularity = .functions, inlines: Bool = true) {
        var strings = p.strings
        var keep = (function: true, filename: false, line: false, column: false, address: false)
        var aggregate = true
        switch granularity {
        case .functions: break
        case .filefunctions: keep.filename = true
        case .files:
            keep.function = false
            keep.filename = true
        case .lines:
            keep.filename = true
            keep.line = true
        case .addresses:
            if inlines {
                aggregate = false  // pprof leaves the profile untouched here
            } else {
                keep.filename = true
                keep.line = true
                keep.address = true
            }
        }
        if !aggregate {
            keep = (true, true, true, true, true)
        }
        var index: [NodeInfo: Int32] = [:]
        var cleaned: [Int32: Int32] = [:]
        frames.reserveCapacity(p.lines.count + 16)
        frameStart.reserveCapacity(p.locations.count + 1)
        func node(_ info: NodeInfo, inlined: Bool) -> Int32 {
            if let n = index[info] {
                if inlined { appearsInlined[Int(n)] = true }
                return n
            }
            let n = Int32(infos.count)
            index[info] = n
            infos.append(info)
            appearsInlined.append(inlined)
            return n
        }
        for loc in p.locations {
            let objfile: Int32 = loc.mapping >= 0 ? p.mappings[Int(loc.mapping)].file : 0
            let address = keep.address ? loc.address : 0
            var first = Int(loc.lineStart)
            let end = Int(loc.lineStart + loc.lineCount)
            if !inlines && end - first > 1 { first = end - 1 }
            if first == end {
                frames.append(node(NodeInfo(address: address, objfile: objfile), inlined: false))
            } else {
                for j in first..<end {
                    let ln = p.lines[j]
                    var info = NodeInfo(address: address)
                    if ln.function < 0 {
                        info.objfile = objfile
                    } else {
                        let f = p.functions[Int(ln.function)]
                        info.line = keep.line ? ln.line : 0
                        info.column = keep.column ? ln.column : 0
                        info.name = keep.function ? f.name : 0
                        if keep.filename && f.filename != 0 {
                            if let c = cleaned[f.filename] {
                                info.file = c
                            } else {
                                let c = strings.intern(PathClean.clean(strings[f.filename]))
                                cleaned[f.filename] = c
                                info.file = c
                            }
                        }
                        if info.name == 0 {
                            // pprof keeps the object file and start line only for nameless frames.
                            info.objfile = objfile
                            info.startLine = f.startLine
                        }
                    }
                    frames.append(node(info, inlined: j != end - 1))
                }
            }
            frameStart.append(Int32(frames.count))
        }
        names = infos.map { NodeTable.printableName($0, strings) }
        self.strings = strings
    }

    /// The interned strings the node infos refer to (the profile's plus cleaned paths).
    public var strings = StringTable()

    /// pprof's `NodeInfo.PrintableName`.
    static func printableName(_ i: NodeInfo, _ s: StringTable) -> String {
        var parts: [String] = []
        if i.address != 0 {
            let hex = String(i.address, radix: 16)
            parts.append(String(repeating: "0", count: max(0, 16 - hex.count)) + hex)
        }
        if i.name != 0 { parts.append(s[i.name]) }
        if i.line != 0 {
            var t = "\(s[i.file]):\(i.line)"
            if i.column != 0 { t += ":\(i.column)" }
            parts.append(t)
        } else if i.file != 0 {
            parts.append(s[i.file])
        } else if i.name != 0 {
        } else if i.objfile != 0 {
            parts.append("[" + PathClean.base(s[i.objfile]) + "]")
        } else {
            parts.append("<unknown>")
        }
        return parts.joined(separator: " ")
    }

    /// Go's `fmt.Sprint(NodeInfo)`, pprof's last tie-breaker when sorting.
    func goDebugString(_ n: Int) -> String {
        let i = infos[n]
        return
            "{\(strings[i.name])  \(i.address) \(strings[i.file]) \(i.startLine) \(i.line) \(i.column) \(strings[i.objfile])}"
    }
}

/// Go's `path/filepath` Clean and Base, for the names pprof prints.
public enum PathClean {
    /// Go's `filepath.Clean`: collapses `//`, `.` and `..`; "" becomes ".".
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." {
                    out.removeLast()
                } else if !rooted {
                    out.append(part)
                }
                continue
            }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Go's `filepath.Base`: last element, trailing slashes ignored; "" becomes ".".
    public static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return "/" }
        if let i = p.lastIndex(of: "/") { return String(p[p.index(after: i)...]) }
        return String(p)
    }
}
