/// One diagnostic of `go build -gcflags=-m` (or `-m -m`): an escape-analysis or inlining
/// decision at a source position.
public struct EscapeFinding: Sendable, Equatable {
    /// What the compiler said; raw values are the `kind` names the escape JSON report prints.
    public enum Kind: String, Sendable, CaseIterable {
        /// `EXPR escapes to heap`
        case escapes
        /// `moved to heap: NAME`
        case movedToHeap = "moved-to-heap"
        /// `EXPR does not escape`
        case doesNotEscape = "does-not-escape"
        /// `leaking param: NAME` / `leaking param content: NAME`
        case leakingParam = "leaking-param"
        /// `can inline F`
        case inline
        /// `inlining call to F`
        case inliningCall = "inlining-call"
        /// `cannot inline F: reason` (`-m -m`)
        case cannotInline = "cannot-inline"
        /// any other positioned diagnostic
        case other
    }

    /// The file as the compiler printed it, without a leading `./` (`main.go`,
    /// `internal/x/y.go`, or an absolute path for the standard library).
    public var file: String
    /// 1-based source line.
    public var line: Int
    /// 0 when the compiler printed no column.
    public var column: Int
    /// The enclosing function (`payHandler.func1`, `(*ledger).record`): from `-m -m`'s
    /// "… in F:" lines, else mapped from the function declarations `-m -m` lists; "" when
    /// unknown (plain `-m` output).
    public var function: String
    /// Which diagnostic this is; `other` for positioned messages not recognised.
    public var kind: Kind
    /// The expression or name the diagnostic is about (`make(map[string]int)`, `done`), or the
    /// function for inlining diagnostics.
    public var expression: String
    /// The whole message after the position.
    public var message: String
    /// The allocation is a map (`make(map[…])`, `map[…]{…}`).
    public var isMap: Bool
    /// The allocation is a slice (`make([]…)`, `[]T{…}`, `append`).
    public var isSlice: Bool
    /// `-m -m`'s explanation (the indented `flow:` / `from …` lines), trimmed.
    public var explanation: [String]
    /// The package being compiled (`# pkg` header), "" when none.
    public var package: String

    /// A heap allocation: `escapes` or `moved-to-heap`.
    public var isHeap: Bool { kind == .escapes || kind == .movedToHeap }
    /// `file:line:column`.
    public var position: String { column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)" }
}

/// A parsed `-gcflags=-m` build log.
public struct EscapeReport: Sendable {
    /// The path (or `-`) the build log was read from, for messages.
    public var source: String
    /// Findings in the order the compiler printed them (exact duplicates dropped).
    public var findings: [EscapeFinding]
    /// The log is `-m -m` output (explanations and function names available).
    public var verbose: Bool
    /// The findings that are heap allocations.
    public var heapEscapes: [EscapeFinding] { findings.filter(\.isHeap) }

    /// A report from findings already parsed.
    public init(source: String, findings: [EscapeFinding], verbose: Bool) {
        self.source = source
        self.findings = findings
        self.verbose = verbose
    }
}

/// Reader of the Go compiler's `-m` diagnostics.
public enum GoEscape {
    /// Parses `go build -gcflags=-m` or `-gcflags='-m -m'` output (stderr). Throws when the
    /// input is empty or holds no positioned diagnostic.
    public static func parse(_ bytes: [UInt8], source: String) throws(InputError) -> EscapeReport {
        if bytes.isEmpty {
            throw InputError(
                source: source,
                "empty file: expected `go build -gcflags=-m` output (lines like './main.go:12:6: can inline f')")
        }
        var findings: [EscapeFinding] = []
        var seen: Set<String> = []
        var pkg = ""
        var verbose = false
        // -m -m: function by position (+ expression) from "… in F:" and "for F with" lines.
        var fnByPosExpr: [String: String] = [:]
        var fnByPos: [String: String] = [:]
        var pendingKey: String? = nil  // pos|expr of the last "… in F:" header
        var pendingFlow: [String] = []
        var flowByKey: [String: [String]] = [:]
        var decls: [String: [(line: Int, name: String)]] = [:]  // file → top-level function declarations
        var lastFinding: Int? = nil
        var positioned = 0

        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var stop = end
            if stop > start && bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            let line = LosslessUTF8.decode(bytes[start..<stop])
            start = end + 1
            if line.hasPrefix("# ") {
                pkg = String(line.dropFirst(2))
                continue
            }
            guard let pos = position(line) else { continue }
            positioned += 1
            let file = pos.file.hasPrefix("./") ? String(pos.file.dropFirst(2)) : pos.file
            let msg = pos.message
            let posKey = "\(file):\(pos.line):\(pos.column)"

            if msg.first == " " || msg.first == "\t" {
                // An indented explanation line of -m -m.
                verbose = true
                let t = msg.trimming(" \t")
                if pendingKey != nil {
                    pendingFlow.append(t)
                } else if let i = lastFinding {
                    findings[i].explanation.append(t)
                }
                continue
            }
            func flushPending() {
                if let k = pendingKey {
                    flowByKey[k, default: []] += pendingFlow
                }
                pendingKey = nil
                pendingFlow = []
            }
            // -m -m headers: register the function, collect the flow that follows.
            if msg.hasSuffix(":"), let r = msg.range(of: " escapes to heap in ") {
                flushPending()
                verbose = true
                let expr = String(msg[..<r.lowerBound])
                let fn = String(msg[r.upperBound...].dropLast())
                fnByPosExpr[posKey + "|" + expr] = fn
                if fnByPos[posKey] == nil { fnByPos[posKey] = fn }
                pendingKey = posKey + "|" + expr
                continue
            }
            if msg.hasPrefix("parameter "), let f = msg.range(of: " for "),
                let w = msg.range(of: " with ", range: f.upperBound..<msg.endIndex)
            {
                flushPending()
                verbose = true
                let fn = String(msg[f.upperBound..<w.lowerBound])
                let rest = msg.dropFirst("parameter ".count)
                let name = String(rest.prefix(while: { $0 != " " }))
                fnByPosExpr[posKey + "|" + name] = fn
                if fnByPos[posKey] == nil { fnByPos[posKey] = fn }
                pendingKey = posKey + "|" + name
                continue
            }
            if let r = msg.range(of: " capturing by ") {
                verbose = true
                let fn = String(msg[..<r.lowerBound])
                if fnByPos[posKey] == nil { fnByPos[posKey] = fn }
                continue
            }
            flushPending()

            var kind = EscapeFinding.Kind.other
            var expr = ""
            var function = ""
            if msg.hasPrefix("can inline ") {
                kind = .inline
                let rest = msg.dropFirst("can inline ".count)
                expr = String(rest.range(of: " with cost ").map { rest[..<$0.lowerBound] } ?? rest)
                function = expr
                if rest.contains(" with cost ") { verbose = true }
                if pos.column > 0 { addDecl(&decls, file, pos.line, expr) }
            } else if msg.hasPrefix("cannot inline ") {
                kind = .cannotInline
                verbose = true
                let rest = msg.dropFirst("cannot inline ".count)
                expr = String(rest.range(of: ": ").map { rest[..<$0.lowerBound] } ?? rest)
                function = expr
                addDecl(&decls, file, pos.line, expr)
            } else if msg.hasPrefix("inlining call to ") {
                kind = .inliningCall
                let rest = msg.dropFirst("inlining call to ".count)
                expr = String(rest.range(of: " with cost ").map { rest[..<$0.lowerBound] } ?? rest)
            } else if msg.hasPrefix("moved to heap: ") {
                kind = .movedToHeap
                expr = String(msg.dropFirst("moved to heap: ".count))
            } else if msg.hasSuffix(" escapes to heap") {
                kind = .escapes
                expr = String(msg.dropLast(" escapes to heap".count))
            } else if msg.hasSuffix(" does not escape") {
                kind = .doesNotEscape
                expr = String(msg.dropLast(" does not escape".count))
            } else if msg.hasPrefix("leaking param content: ") {
                kind = .leakingParam
                expr = String(msg.dropFirst("leaking param content: ".count).prefix(while: { $0 != " " }))
            } else if msg.hasPrefix("leaking param: ") {
                kind = .leakingParam
                expr = String(msg.dropFirst("leaking param: ".count).prefix(while: { $0 != " " }))
            } else {
                expr = msg
            }
            let dedupe = posKey + "|" + kind.rawValue + "|" + expr
            if seen.contains(dedupe) { continue }
            seen.insert(dedupe)
            if function.isEmpty { function = fnByPosExpr[posKey + "|" + expr] ?? fnByPos[posKey] ?? "" }
            var f = EscapeFinding(
                file: file, line: pos.line, column: pos.column, function: function, kind: kind, expression: expr,
                message: msg, isMap: false, isSlice: false, explanation: flowByKey[posKey + "|" + expr] ?? [],
                package: pkg)
            if f.isHeap {
                f.isMap = isMapExpr(expr)
                f.isSlice = isSliceExpr(expr)
            }
            findings.append(f)
            lastFinding = findings.count - 1
        }
        if positioned == 0 {
            throw InputError(
                source: source,
                "no compiler diagnostics: expected `go build -gcflags=-m` output (lines like './main.go:12:6: can inline f' or './main.go:20:11: make(map[string]int) escapes to heap')"
            )
        }
        // -m -m lists every function's declaration (can/cannot inline): map the remaining
        // findings to the nearest top-level declaration above them.
        if verbose {
            for (file, list) in decls { decls[file] = list.sorted { $0.line < $1.line } }
            for i in findings.indices where findings[i].function.isEmpty {
                guard let list = decls[findings[i].file] else { continue }
                var best: String? = nil
                for d in list {
                    if d.line <= findings[i].line { best = d.name } else { break }
                }
                if let best { findings[i].function = best }
            }
        }
        return EscapeReport(source: source, findings: findings, verbose: verbose)
    }

    /// Reads a file (or `-` for stdin; URLs with Capture's opener) and parses it.
    public static func read(_ path: String, opener: InputOpener = .files) throws(InputError) -> EscapeReport {
        try parse(opener.open(path), source: path)
    }

    static func addDecl(
        _ decls: inout [String: [(line: Int, name: String)]], _ file: String, _ line: Int, _ name: String
    ) {
        // Closures and compiler wrappers (F.func1, F.gowrap1, F.deferwrap1) are not declarations.
        if let dot = name.lastIndex(of: ".") {
            let last = name[name.index(after: dot)...]
            for p in ["func", "gowrap", "deferwrap"] where last.hasPrefix(p) {
                let digits = last.dropFirst(p.count)
                if !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return }
            }
        }
        if decls[file]?.contains(where: { $0.line == line }) == true { return }
        decls[file, default: []].append((line, name))
    }

    static func isMapExpr(_ e: String) -> Bool {
        e.hasPrefix("make(map[") || e.hasPrefix("map[") || e.hasPrefix("&map[") || e.hasPrefix("new(map[")
    }

    static func isSliceExpr(_ e: String) -> Bool {
        e.hasPrefix("make([]") || e.hasPrefix("[]") || e == "append" || e.hasPrefix("append(")
    }

    /// Splits `path:line:col: message` (or `path:line: message`).
    public static func position(_ line: String) -> (file: String, line: Int, column: Int, message: String)? {
        let u = Array(line.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: ":") && i > 0 {
                var j = i + 1
                var ln = 0
                var digits = 0
                while j < u.count, u[j] >= 48, u[j] <= 57, digits < 10 {
                    ln = ln * 10 + Int(u[j] - 48)
                    j += 1
                    digits += 1
                }
                if digits > 0 && j < u.count && u[j] == UInt8(ascii: ":") {
                    var k = j + 1
                    var col = 0
                    var cd = 0
                    while k < u.count, u[k] >= 48, u[k] <= 57, cd < 10 {
                        col = col * 10 + Int(u[k] - 48)
                        k += 1
                        cd += 1
                    }
                    var msgStart = -1
                    if cd > 0 && k < u.count && u[k] == UInt8(ascii: ":")
                        && (k + 1 == u.count || u[k + 1] == UInt8(ascii: " "))
                    {
                        msgStart = k + 1
                    } else if cd == 0 && (j + 1 == u.count || u[j + 1] == UInt8(ascii: " ")) {
                        msgStart = j + 1
                        col = 0
                    }
                    if msgStart >= 0 {
                        let file = String(decoding: u[0..<i], as: UTF8.self)
                        var m = msgStart
                        if m < u.count && u[m] == UInt8(ascii: " ") { m += 1 }
                        let message = String(decoding: u[m...], as: UTF8.self)
                        if file.contains(" ") && !file.hasPrefix("/") { return nil }
                        return (file, ln, col, message)
                    }
                }
            }
            i += 1
        }
        return nil
    }
}

// MARK: - Diff

/// Heap escapes new in the candidate and gone from the base, matched by file, function and
/// expression (not by line: code that only moved is not a change). Several identical
/// escapes in one function are matched by count.
public struct EscapeDiff: Sendable {
    /// Heap escapes in the candidate without a match in the base (candidate positions).
    public var added: [EscapeFinding]
    /// Heap escapes in the base without a match in the candidate (base positions).
    public var removed: [EscapeFinding]
    /// Heap escapes present on both sides.
    public var unchanged: Int

    /// The matching key: file, function, kind family and expression.
    public static func key(_ f: EscapeFinding) -> String {
        "\(f.file)\u{0}\(f.function)\u{0}\(f.expression)\u{0}\(f.kind == .movedToHeap ? "moved" : "escapes")"
    }

    /// Matches heap escapes by `key`, counting duplicates: extra ones in cand are added, extra in base removed.
    public static func compare(base: EscapeReport, cand: EscapeReport) -> EscapeDiff {
        let b = base.heapEscapes
        let c = cand.heapEscapes
        var baseCount: [String: Int] = [:]
        for f in b { baseCount[key(f), default: 0] += 1 }
        var candCount: [String: Int] = [:]
        for f in c { candCount[key(f), default: 0] += 1 }
        var added: [EscapeFinding] = []
        var used: [String: Int] = [:]
        var unchanged = 0
        for f in c {
            let k = key(f)
            used[k, default: 0] += 1
            if used[k]! > baseCount[k, default: 0] { added.append(f) } else { unchanged += 1 }
        }
        var removed: [EscapeFinding] = []
        used = [:]
        for f in b {
            let k = key(f)
            used[k, default: 0] += 1
            if used[k]! > candCount[k, default: 0] { removed.append(f) }
        }
        return EscapeDiff(added: added, removed: removed, unchanged: unchanged)
    }
}

// MARK: - Join with an allocation profile

/// Allocation totals per source line of a heap/allocs profile, charged to the allocation
/// site in the user's code: each sample's alloc_space and alloc_objects go to the leaf-most
/// frame (inlined frames included, innermost first) whose file is one of `files` (the files
/// of the build log, matched on their path suffix); without `files`, to the leaf-most frame
/// outside the runtime. Callers further up the stack are not charged, so a handler that
/// calls the allocating code does not look hot itself.
public struct AllocSites: Sendable {
    /// Bytes and objects allocated at a line.
    public struct Heat: Sendable, Equatable {
        /// Bytes: alloc_space, else inuse_space or space, whichever the profile has.
        public var space: Int64
        /// Objects: alloc_objects, else inuse_objects or objects.
        public var objects: Int64
        /// Heat from bytes and object count.
        public init(space: Int64, objects: Int64) {
            self.space = space
            self.objects = objects
        }
    }

    /// profile file name → line → heat.
    public private(set) var byFile: [String: [Int64: Heat]] = [:]
    /// Profile totals (the denominator for "hot").
    public private(set) var totalSpace: Int64 = 0
    public private(set) var totalObjects: Int64 = 0
    /// The sample types used (e.g. "alloc_space", "alloc_objects").
    public private(set) var spaceType = ""
    public private(set) var objectsType = ""

    /// Builds the table; throws when the profile has no space/bytes sample type.
    public init(profile p: Profile, source: String, files: [String]? = nil) throws(InputError) {
        func find(_ names: [String]) -> Int? {
            for n in names { if let i = p.sampleTypes.firstIndex(where: { $0.type == n }) { return i } }
            return nil
        }
        guard
            let si = find(["alloc_space", "inuse_space", "space"])
                ?? p.sampleTypes.firstIndex(where: { $0.unit == "bytes" })
        else {
            throw InputError(
                source: source,
                "no allocation sample type: expected a Go heap/allocs profile (alloc_space), found \(p.sampleTypes.map(\.description).joined(separator: ", "))"
            )
        }
        let oi = find(["alloc_objects", "inuse_objects", "objects"])
        spaceType = p.sampleTypes[si].type
        objectsType = oi.map { p.sampleTypes[$0].type } ?? ""
        let wanted = files.map { $0.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 } }
        // Per function index: does its file count as the user's code?
        var eligible: [Int32: Bool] = [:]
        func isEligible(_ fi: Int) -> Bool {
            let key = Int32(fi)
            if let e = eligible[key] { return e }
            let fn = p.functions[fi]
            let file = p.strings[fn.filename]
            var e: Bool
            if let wanted {
                e = wanted.contains { file == $0 || file.hasSuffix("/" + $0) }
            } else {
                let name = p.strings[fn.name]
                e = !file.isEmpty && !name.hasPrefix("runtime.") && !name.hasPrefix("internal/runtime/")
            }
            eligible[key] = e
            return e
        }
        for s in 0..<p.samples.count {
            let space = p.samples.value(s, si)
            let objects = oi.map { p.samples.value(s, $0) } ?? 0
            totalSpace &+= space
            totalObjects &+= objects
            search: for li in p.samples.locationRange(s) {
                let loc = Int(p.samples.locations[li])
                guard loc >= 0 && loc < p.locations.count else { continue }
                for line in p.lines(ofLocation: loc) {
                    let fi = Int(line.function)
                    guard fi >= 0 && fi < p.functions.count, isEligible(fi) else { continue }
                    let file = p.strings[p.functions[fi].filename]
                    var h = byFile[file, default: [:]][line.line] ?? Heat(space: 0, objects: 0)
                    h.space &+= space
                    h.objects &+= objects
                    byFile[file, default: [:]][line.line] = h
                    break search
                }
            }
        }
    }

    /// The profile files a build-log path refers to: equal, or ending in "/" + the path
    /// (build logs print `./main.go`, profiles record absolute build paths).
    public func files(matching file: String) -> [String] {
        let f = file.hasPrefix("./") ? String(file.dropFirst(2)) : file
        return byFile.keys.filter { $0 == f || $0.hasSuffix("/" + f) }.sorted()
    }

    /// Heat at file:line (summed over matching profile files); nil when none recorded.
    public func heat(file: String, line: Int) -> Heat? {
        var h = Heat(space: 0, objects: 0)
        var found = false
        for pf in files(matching: file) {
            if let x = byFile[pf]?[Int64(line)] {
                h.space &+= x.space
                h.objects &+= x.objects
                found = true
            }
        }
        return found ? h : nil
    }

    /// Whether `h` is at least `fraction` of the profile's total space.
    public func isHot(_ h: Heat?, fraction: Double) -> Bool {
        guard let h, totalSpace > 0 else { return false }
        return Double(h.space) >= fraction * Double(totalSpace) && h.space > 0
    }
}
