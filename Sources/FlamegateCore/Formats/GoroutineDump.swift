/// Go's goroutine dump (`/debug/pprof/goroutine?debug=2`, or a crash's traceback), the
/// text pprof cannot read, as a profile: one sample per distinct (stack, wait state, wait
/// minutes, creator), valued in goroutines. The wait state is also the root frame
/// (`[chan receive]`), so flame graphs split by state first while `top`'s flat column
/// still shows where goroutines are parked. Labels: `state`, `wait` (minutes, when Go
/// printed them), `created_by`.
public enum GoroutineDump {
    /// Does the text start like a goroutine dump (`goroutine 1 [running]:`)?
    public static func recognizes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n && (bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
        var e = i
        while e < n && e - i < 4096 && bytes[e] != 0x0A { e += 1 }
        return header(Array(bytes[i..<e])) != nil
    }

    /// `recognizes(_:)` over an array.
    public static func recognizes(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { recognizes($0) } }

    /// `profile(_:source:)` over an array.
    public static func profile(_ bytes: [UInt8], source: String) throws(InputError) -> Profile {
        let r = bytes.withUnsafeBytes { b -> Result<Profile, InputError> in
            do throws(InputError) { return .success(try profile(b, source: source)) } catch { return .failure(error) }
        }
        switch r {
        case .success(let p): return p
        case .failure(let e): throw e
        }
    }

    struct Header {
        var state: String
        var minutes: Int64?
    }

    /// `goroutine 18 [chan receive, 3 minutes, locked to thread]:` (Go may put more
    /// between the id and the bracket, e.g. `gp=0x… m=nil`).
    static func header(_ line: [UInt8]) -> Header? {
        var l = line[...]
        while let last = l.last, last == 0x0D || last == 0x20 { l = l.dropLast() }
        let prefix = Array("goroutine ".utf8)
        guard l.starts(with: prefix) else { return nil }
        var i = l.startIndex + prefix.count
        let digitsStart = i
        while i < l.endIndex, l[i] >= 0x30 && l[i] <= 0x39 { i += 1 }
        guard i > digitsStart else { return nil }
        guard l.count >= 2, l[l.endIndex - 1] == 0x3A, l[l.endIndex - 2] == 0x5D else { return nil }  // "]:"
        guard let open = l[i...].firstIndex(of: 0x5B) else { return nil }  // "["
        let inside = String(decoding: l[(open + 1)..<(l.endIndex - 2)], as: UTF8.self)
        let parts = inside.split(separator: ",").map { $0.trimming() }
        guard let first = parts.first, !first.isEmpty else { return nil }
        var h = Header(state: first, minutes: nil)
        for p in parts.dropFirst() {
            let words = p.split(separator: " ")
            if words.count == 2, words[1] == "minutes" || words[1] == "minute", let m = Int64(words[0]) {
                h.minutes = m
            }
        }
        return h
    }

    struct Key: Hashable {
        var locations: [Int32]
        var state: String
        var minutes: Int64?
        var creator: String
    }

    /// Parses a dump. Never traps: unknown lines between goroutines are skipped; a dump
    /// without a single goroutine is an error.
    public static func profile(_ bytes: UnsafeRawBufferPointer, source: String) throws(InputError) -> Profile {
        var p = Profile(sampleTypes: [ValueType(type: "goroutine", unit: "count")])
        p.periodType = ValueType(type: "goroutine", unit: "count")
        p.period = 1
        var functionOf: [String: Int32] = [:]  // "name\0file"
        var locationOf: [Int64: Int32] = [:]
        func location(_ name: String, file: String, line: Int64) -> Int32 {
            let fkey = name + "\u{0}" + file
            let f: Int32
            if let x = functionOf[fkey] {
                f = x
            } else {
                f = Int32(p.functions.count)
                let s = p.strings.intern(name)
                p.functions.append(
                    Function(
                        id: UInt64(f) + 1, name: s, systemName: s, filename: file.isEmpty ? 0 : p.strings.intern(file)))
                functionOf[fkey] = f
            }
            let lkey = Int64(f) << 32 | (line & 0xFFFF_FFFF)
            if let l = locationOf[lkey] { return l }
            let l = Int32(p.locations.count)
            p.locations.append(Location(id: UInt64(l) + 1, lineStart: Int32(p.lines.count), lineCount: 1))
            p.lines.append(Line(function: f, line: line))
            locationOf[lkey] = l
            return l
        }

        var counts: [Key: Int64] = [:]
        var order: [Key] = []
        var goroutines = 0

        // Current goroutine being read.
        var cur: Header? = nil
        var stack: [Int32] = []
        var creator = ""
        var pendingName: String? = nil  // a function line waiting for its file line
        var pendingIsCreator = false

        func flushPending(file: String, line: Int64) {
            guard let name = pendingName else { return }
            if pendingIsCreator {
                creator = name
            } else {
                stack.append(location(name, file: file, line: line))
            }
            pendingName = nil
        }
        func finishGoroutine() {
            flushPending(file: "", line: 0)
            guard let h = cur else { return }
            var locs = stack
            locs.append(location("[\(h.state)]", file: "", line: 0))  // root: the wait state
            let key = Key(locations: locs, state: h.state, minutes: h.minutes, creator: creator)
            if let c = counts[key] {
                counts[key] = c + 1
            } else {
                counts[key] = 1
                order.append(key)
            }
            goroutines += 1
            cur = nil
            stack.removeAll(keepingCapacity: true)
            creator = ""
        }

        PerfScriptReader.forEachLine(in: bytes) { raw in
            var line = Array(raw)
            while let last = line.last, last == 0x0D || last == 0x20 { line.removeLast() }
            if line.isEmpty {
                finishGoroutine()
                return
            }
            if let h = header(line) {
                finishGoroutine()
                cur = h
                return
            }
            guard cur != nil else { return }  // text outside a goroutine (e.g. a panic message)
            if line[0] == 0x09 {
                // "\t/path/file.go:123 +0x85"
                var body = line.dropFirst()
                if let sp = body.lastIndex(of: 0x20), body[(sp + 1)...].starts(with: Array("+0x".utf8)) {
                    body = body[..<sp]
                }
                var file = LosslessUTF8.decode(body)
                var lineNo: Int64 = 0
                if let colon = body.lastIndex(of: 0x3A),
                    let n = Int64(String(decoding: body[(colon + 1)...], as: UTF8.self))
                {
                    lineNo = n
                    file = LosslessUTF8.decode(body[..<colon])
                }
                flushPending(file: file, line: lineNo)
                return
            }
            flushPending(file: "", line: 0)
            let text = LosslessUTF8.decode(line)
            if text.hasPrefix("created by ") {
                var name = String(text.dropFirst("created by ".count))
                if let r = name.range(of: " in goroutine ") { name = String(name[..<r.lowerBound]) }
                pendingName = name
                pendingIsCreator = true
                return
            }
            if text.hasPrefix("...") { return }  // "...additional frames elided..."
            var name = text
            if name.hasSuffix(")"), let open = name.lastIndex(of: "("), open > name.startIndex {
                name = String(name[..<open])
            }
            pendingName = name
            pendingIsCreator = false
        }
        finishGoroutine()
        if goroutines == 0 {
            throw InputError(source: source, "no goroutines in the dump (expected 'goroutine N [state]:' blocks)")
        }
        let kState = p.strings.intern("state")
        let kWait = p.strings.intern("wait")
        let kMinutes = p.strings.intern("minutes")
        let kCreated = p.strings.intern("created_by")
        for key in order {
            var labels = [Label(key: kState, str: p.strings.intern(key.state))]
            if let m = key.minutes { labels.append(Label(key: kWait, num: m, unit: kMinutes)) }
            if !key.creator.isEmpty { labels.append(Label(key: kCreated, str: p.strings.intern(key.creator))) }
            p.samples.append(locations: key.locations, values: [counts[key] ?? 0], labels: labels)
        }
        p.comments = ["goroutine dump: \(goroutines) goroutines"]
        return p
    }
}
