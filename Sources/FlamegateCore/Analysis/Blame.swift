/// Charges work done in runtime and system frames (mallocgc, mapassign, memmove,
/// libc, libswiftCore, the kernel…) to the nearest user frame that called it.
public struct Blame: Sendable {
    /// Decides what counts as user code.
    public struct UserCode: Sendable {
        let pattern: Pattern?
        /// In a Go program, dot-less names are assembly runtime routines (gcWriteBarrier,
        /// memeqbody) and `type:.`/`_.` names are compiler-generated.
        var goProgram = false

        /// `pattern` nil: the default heuristic (not Go's runtime or standard library,
        /// not system libraries or the kernel); else user code is whatever matches.
        public init(pattern: Pattern? = nil) { self.pattern = pattern }

        /// The same rule, told whether the profile comes from a Go program.
        func adapted(to p: Profile) -> UserCode {
            var u = self
            var go = 0
            var all = 0
            for f in p.functions.prefix(2000) where f.name != 0 {
                all += 1
                let n = p.strings[f.name]
                if n.hasPrefix("runtime.") || n.hasPrefix("main.") || UserCode.isGoStandardLibrary(n) { go += 1 }
            }
            u.goProgram = all > 0 && go * 3 >= all
            return u
        }

        /// Whether a frame is user code: `pattern` decides if set, else not runtime, std or system library, kernel.
        public func isUser(name: String, mappingFile: String) -> Bool {
            if let pattern { return pattern.matches(name) }
            if name.isEmpty || name == "<unknown>" { return false }
            if goProgram && (!name.contains(".") || name.hasPrefix("type:.") || name.hasPrefix("_.")) { return false }
            if name.hasSuffix("_[k]") || name.hasSuffix("_[j]") { return false }
            if UserCode.isSystemLibrary(mappingFile) { return false }
            if name.hasPrefix("std::") || name.hasPrefix("core::") || name.hasPrefix("alloc::") || name.hasPrefix("__")
            {
                return false
            }
            if name.hasPrefix("Swift.") || name.hasPrefix("Foundation.") || name.hasPrefix("swift_") { return false }
            return !UserCode.isGoStandardLibrary(name)
        }

        /// libc, the dynamic loader, C++/Swift/Python runtimes, the kernel.
        public static func isSystemLibrary(_ file: String) -> Bool {
            if file.isEmpty { return false }
            let base = PathClean.base(file)
            if base.hasPrefix("[") { return !base.hasPrefix("[heap") && !base.hasPrefix("[anon") }  // [kernel.kallsyms], [vdso]
            for prefix in [
                "libc.", "libc-", "libm.", "libm-", "ld-linux", "ld-2.", "libpthread", "libdl", "librt", "libstdc++",
                "libgcc_s", "libswift", "libFoundation", "lib_FoundationICU", "libdispatch", "libBlocksRuntime",
                "libpython", "libz.", "libcrypto", "libssl",
            ] where base.hasPrefix(prefix) {
                return true
            }
            return false
        }

        /// Go symbols whose package path's first element has no dot (`runtime`,
        /// `internal/runtime/maps`, `encoding/json`), except `main`.
        public static func isGoStandardLibrary(_ name: String) -> Bool {
            var head = Substring(name)
            if let paren = head.firstIndex(where: { $0 == "(" || $0 == " " || $0 == "[" }) { head = head[..<paren] }
            let afterSlash = head.lastIndex(of: "/").map { head.index(after: $0) } ?? head.startIndex
            guard let dot = head[afterSlash...].firstIndex(of: ".") else { return false }
            let pkg = head[..<dot]
            if pkg.isEmpty || pkg == "main" { return false }
            guard pkg.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "/" || $0 == "-") })
            else { return false }
            let first = pkg.split(separator: "/", maxSplits: 1).first ?? pkg
            return !first.contains(".") && first.first?.isLowercase == true
        }
    }

    /// One (user frame, runtime entry frame) pair and the work charged to it.
    public struct Row: Sendable {
        /// The user frame charged (or "(no user frame)").
        public var user: String
        /// The first runtime/system frame it called on the way to the work.
        public var entry: String
        /// Sum of the sample values charged to the pair.
        public var value: Int64
    }

    /// Pairs sorted by |value| descending, then by user and entry name.
    public var rows: [Row]
    /// Per user frame, all runtime work charged to it.
    public var perUser: [(name: String, value: Int64)]
    /// Sum over samples whose innermost frame is runtime/system code.
    public var runtimeTotal: Int64
    /// pprof's report total (sum of |values|).
    public var total: Int64

    /// The user-frame name used when no user frame is on the stack at all.
    public static let noUserFrame = "(no user frame)"

    /// Blames every sample whose innermost frame is not user code.
    public init(profile p: Profile, sampleIndex si: Int, user: UserCode = UserCode(), total: Int64? = nil) {
        let nodes = NodeTable(profile: p)
        let isUser = Blame.userFrames(p, nodes, user.adapted(to: p))
        var byPair: [UInt64: Int64] = [:]
        var byUser: [Int32: Int64] = [:]
        var runtimeTotal: Int64 = 0
        let s = p.samples
        let none: Int32 = -1
        for i in 0..<s.count {
            let w = s.value(i, si)
            if w == 0 { continue }
            var first = true
            var entry: Int32 = none
            var charged: Int32 = none
            var done = false
            for k in s.locationRange(i) where !done {
                let loc = Int(s.locations[k])
                for j in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                    if isUser[j] {
                        if !first { charged = nodes.frames[j] }
                        done = true
                        break
                    }
                    first = false
                    entry = nodes.frames[j]
                }
            }
            if first { continue }  // the sample's own leaf is user code
            runtimeTotal &+= w
            let key = UInt64(UInt32(bitPattern: charged)) << 32 | UInt64(UInt32(bitPattern: entry))
            byPair[key, default: 0] &+= w
            byUser[charged, default: 0] &+= w
        }
        func name(_ n: Int32) -> String { n < 0 ? Blame.noUserFrame : nodes.names[Int(n)] }
        rows = byPair.map { key, v in
            Row(
                user: name(Int32(bitPattern: UInt32(key >> 32))),
                entry: name(Int32(bitPattern: UInt32(key & 0xffff_ffff))), value: v)
        }.sorted { a, b in
            if absSat(a.value) != absSat(b.value) { return absSat(a.value) > absSat(b.value) }
            if a.user != b.user { return LosslessUTF8.precedes(a.user, b.user) }
            return LosslessUTF8.precedes(a.entry, b.entry)
        }
        perUser = byUser.map { (name($0.key), $0.value) }.sorted { a, b in
            absSat(a.1) != absSat(b.1) ? absSat(a.1) > absSat(b.1) : LosslessUTF8.precedes(a.0, b.0)
        }
        self.runtimeTotal = runtimeTotal
        self.total = total ?? FunctionTable.reportTotal(p, si)
    }

    /// Per frame of the node table: is it user code?
    static func userFrames(_ p: Profile, _ nodes: NodeTable, _ user: UserCode) -> [Bool] {
        var out = [Bool](repeating: false, count: nodes.frames.count)
        var cache: [UInt64: Bool] = [:]
        for loc in 0..<(nodes.frameStart.count - 1) {
            let m = p.locations[loc].mapping
            let file = m >= 0 ? p.mappings[Int(m)].file : 0
            for j in Int(nodes.frameStart[loc])..<Int(nodes.frameStart[loc + 1]) {
                let n = nodes.frames[j]
                let key = UInt64(UInt32(bitPattern: n)) << 32 | UInt64(UInt32(bitPattern: file))
                if let c = cache[key] {
                    out[j] = c
                    continue
                }
                let r = user.isUser(name: nodes.names[Int(n)], mappingFile: p.strings[file])
                cache[key] = r
                out[j] = r
            }
        }
        return out
    }

    /// A copy of `p` whose stacks stop at the nearest user frame: runtime and system
    /// frames below it are folded into it (`flamegate flame --blame`).
    public static func foldRuntime(_ p: Profile, user: UserCode = UserCode()) -> Profile {
        var out = p
        let nodes = NodeTable(profile: p)
        let isUser = userFrames(p, nodes, user.adapted(to: p))
        // A location whose innermost lines are runtime but that holds a user line
        // gets a trimmed copy starting at that user line.
        var trimmed: [Int32: Int32] = [:]
        var nextID = (p.locations.map(\.id).max() ?? 0) + 1
        let s = p.samples
        var table = SampleTable(valueCount: s.valueCount)
        table.locations.reserveCapacity(s.locations.count)
        var locs: [Int32] = []
        for i in 0..<s.count {
            locs.removeAll(keepingCapacity: true)
            let range = s.locationRange(i)
            var cut: Int? = nil
            var cutLine: Int? = nil
            search: for k in range {
                let loc = Int(s.locations[k])
                let a = Int(nodes.frameStart[loc])
                for j in a..<Int(nodes.frameStart[loc + 1]) where isUser[j] {
                    cut = k
                    cutLine = j - a
                    break search
                }
            }
            if let cut, let cutLine {
                let loc = s.locations[cut]
                if cutLine == 0 {
                    locs.append(loc)
                } else if let t = trimmed[loc] {
                    locs.append(t)
                } else {
                    let l = out.locations[Int(loc)]
                    let lines = Array(out.lines[Int(l.lineStart + Int32(cutLine))..<Int(l.lineStart + l.lineCount)])
                    var copy = l
                    copy.id = nextID
                    nextID += 1
                    copy.lineStart = Int32(out.lines.count)
                    copy.lineCount = Int32(lines.count)
                    out.lines.append(contentsOf: lines)
                    let idx = Int32(out.locations.count)
                    out.locations.append(copy)
                    trimmed[loc] = idx
                    locs.append(idx)
                }
                locs.append(contentsOf: s.locations[(cut + 1)..<range.upperBound])
            } else {
                locs.append(contentsOf: s.locations[range])
            }
            table.append(
                locations: locs, values: s.values[i * s.valueCount..<(i + 1) * s.valueCount],
                labels: Array(s.labels[s.labelRange(i)]))
        }
        out.samples = table
        return out
    }
}
