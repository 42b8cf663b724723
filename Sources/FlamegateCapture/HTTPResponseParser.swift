/// Why an HTTP answer was refused, for the error line (the fetcher adds the URL).
public struct HTTPParseError: Error, Sendable, Equatable {
    /// What was wrong, e.g. "conflicting Content-Length values: 10, 20".
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

/// The status line and headers of an HTTP/1.x answer, checked as they were parsed.
public struct HTTPResponseHead: Sendable, Equatable {
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    /// The three-digit status.
    public var status: Int
    /// The headers in order, names lowercased; values trimmed, free of control characters.
    public var headers: [Field]

    /// One header line.
    public struct Field: Sendable, Equatable {
        /// Lowercased name.
        public var name: String
        /// The value, trimmed of spaces and tabs.
        public var value: String
    }

    /// Every value of the header `name` (any case), in order.
    public func values(_ name: String) -> [String] {
        let n = name.lowercased()
        return headers.filter { $0.name == n }.map(\.value)
    }

    /// The first value of the header `name`, nil when absent.
    public func value(_ name: String) -> String? { values(name).first }

    /// The comma-separated items of every `name` header, trimmed and lowercased, empty items dropped.
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
            .filter { !$0.isEmpty }
    }
}

/// How the body of an answer ends.
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body (HEAD, 1xx, 204, 304).
    case none
    /// Exactly this many bytes (`Content-Length`).
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
    /// Until the server closes the connection (neither header).
    case untilClose

    /// The framing `head` declares for a request made with `method`. Refuses what a
    /// hostile or broken server could use to make us misread or over-allocate: a
    /// `Content-Length` that is not decimal digits, has more than 18 digits, or is given
    /// twice with different values; a `Transfer-Encoding` other than `chunked` (as Go's
    /// client). With `chunked`, `Content-Length` is ignored (RFC 9112 §6.3).
    public static func of(_ head: HTTPResponseHead, method: String) throws(HTTPParseError) -> HTTPBodyFraming {
        if method == "HEAD" || head.status < 200 || head.status == 204 || head.status == 304 { return .none }
        let te = head.tokens("transfer-encoding")
        if !te.isEmpty {
            guard te == ["chunked"] else {
                throw HTTPParseError("Transfer-Encoding: \(te.joined(separator: ", ")) is not supported (only chunked)")
            }
            return .chunked
        }
        let lengths = head.values("content-length").flatMap {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        .map { $0.trimmingSpaces() }
        if lengths.isEmpty { return .untilClose }
        for l in lengths {
            guard !l.isEmpty, l.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw HTTPParseError("Content-Length: \(l) is not a number of bytes")
            }
            // 18 digits: under 10^18 bytes, far past any cap, and never an Int overflow.
            guard l.utf8.count <= 18 else { throw HTTPParseError("Content-Length: \(l) is absurd") }
        }
        let values = lengths.map { $0.utf8.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        if values.contains(where: { $0 != values[0] }) {
            throw HTTPParseError("conflicting Content-Length values: \(lengths.joined(separator: ", "))")
        }
        return .length(values[0])
    }
}

/// An incremental HTTP/1.x response parser: bytes in as they arrive, events out. It
/// holds at most the head (≤ `maxHeadBytes`) and a chunk-size or trailer line; body
/// bytes are handed out as slices of the caller's input, never buffered here.
public struct HTTPResponseParser: Sendable {
    /// Largest status line plus headers accepted.
    public static let maxHeadBytes = 64 << 10
    /// Most header lines accepted.
    public static let maxHeaderCount = 128
    /// Longest chunk-size line (with extensions) accepted.
    public static let maxChunkLine = 4096
    /// Largest trailer section accepted after the last chunk.
    public static let maxTrailerBytes = 16 << 10
    /// Most interim (1xx) answers skipped before the final one.
    public static let maxInterim = 16

    /// What `next` found.
    public enum Event: Sendable, Equatable {
        /// The final answer's head (interim 1xx answers are skipped) and its framing.
        case head(HTTPResponseHead, HTTPBodyFraming)
        /// The next body bytes (after chunked decoding).
        case body(ArraySlice<UInt8>)
        /// The body is complete.
        case end
    }

    private enum State: Sendable {
        case head
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd(sawCR: Bool)
        case trailer
        case untilClose
        case endPending
        case done
    }

    let method: String
    private var state = State.head
    private var line: [UInt8] = []  // head, or a chunk-size / trailer line being gathered
    private var scanned = 0  // bytes of `line` already searched for the head's end
    private var trailerBytes = 0
    private var interim = 0
    private var sawBytes = false

    /// A parser for the answer to a request made with `method` (`HEAD` answers have no body).
    public init(method: String = "GET") { self.method = method }

    /// Whether the body is complete.
    public var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes bytes from the front of `input` and returns the next event, or nil when
    /// `input` is used up without one (feed more).
    public mutating func next(_ input: inout ArraySlice<UInt8>) throws(HTTPParseError) -> Event? {
        if !input.isEmpty { sawBytes = true }
        while true {
            switch state {
            case .done:
                return nil
            case .endPending:
                state = .done
                return .end
            case .head:
                guard let head = try takeHead(&input) else { return nil }
                if head.status >= 100 && head.status < 200 {
                    if head.status == 101 { throw HTTPParseError("the server switched protocols (HTTP 101)") }
                    interim += 1
                    if interim > Self.maxInterim {
                        throw HTTPParseError("more than \(Self.maxInterim) interim (1xx) answers")
                    }
                    continue
                }
                let framing = try HTTPBodyFraming.of(head, method: method)
                switch framing {
                case .none, .length(0): state = .endPending
                case .length(let n): state = .length(remaining: n)
                case .chunked: state = .chunkSize
                case .untilClose: state = .untilClose
                }
                return .head(head, framing)
            case .length(let remaining):
                if input.isEmpty { return nil }
                let n = min(remaining, input.count)
                let part = input.prefix(n)
                input = input.dropFirst(n)
                state = remaining == n ? .endPending : .length(remaining: remaining - n)
                return .body(part)
            case .untilClose:
                if input.isEmpty { return nil }
                let part = input
                input = input[input.endIndex...]
                return .body(part)
            case .chunkSize:
                guard let l = try takeLine(&input, limit: Self.maxChunkLine, what: "chunk-size line") else {
                    return nil
                }
                let size = try Self.chunkSize(l)
                state = size == 0 ? .trailer : .chunkData(remaining: size)
            case .chunkData(let remaining):
                if input.isEmpty { return nil }
                let n = min(remaining, input.count)
                let part = input.prefix(n)
                input = input.dropFirst(n)
                state = remaining == n ? .chunkDataEnd(sawCR: false) : .chunkData(remaining: remaining - n)
                return .body(part)
            case .chunkDataEnd(let sawCR):
                // CRLF (or a bare LF) must follow the chunk's bytes.
                guard let c = input.first else { return nil }
                input = input.dropFirst()
                if c == 0x0D && !sawCR {
                    state = .chunkDataEnd(sawCR: true)
                } else if c == 0x0A {
                    state = .chunkSize
                } else {
                    throw HTTPParseError("chunked body: a chunk is longer than its declared size")
                }
            case .trailer:
                guard let l = try takeLine(&input, limit: Self.maxTrailerBytes, what: "trailer line") else {
                    return nil
                }
                trailerBytes += l.count + 2
                if trailerBytes > Self.maxTrailerBytes {
                    throw HTTPParseError("chunked body: trailers longer than \(Self.maxTrailerBytes) bytes")
                }
                if l.isEmpty {
                    state = .done
                    return .end
                }
                _ = try Self.field(l)  // checked like a header, then dropped
            }
        }
    }

    /// The server closed the connection: the end of an until-close body, else an error
    /// saying what was cut short.
    public mutating func finish() throws(HTTPParseError) -> Event? {
        switch state {
        case .done: return nil
        case .endPending, .untilClose:
            state = .done
            return .end
        case .head:
            throw HTTPParseError(
                sawBytes
                    ? "the connection was closed before the answer's headers were complete"
                    : "the server closed the connection without answering")
        case .length(let remaining):
            throw HTTPParseError(
                "the connection was closed \(remaining) bytes short of the declared Content-Length")
        case .chunkSize, .chunkData, .chunkDataEnd, .trailer:
            throw HTTPParseError("the connection was closed before the chunked body ended")
        }
    }

    // MARK: - Lines

    /// Gathers one line (LF-terminated; a CR before the LF is dropped) of at most `limit`
    /// bytes; nil while incomplete.
    private mutating func takeLine(_ input: inout ArraySlice<UInt8>, limit: Int, what: String) throws(HTTPParseError)
        -> [UInt8]?
    {
        if let lf = input.firstIndex(of: 0x0A) {
            line.append(contentsOf: input[input.startIndex..<lf])
            input = input[(lf + 1)...]
            var l = line
            line = []
            if l.last == 0x0D { l.removeLast() }
            if l.count > limit { throw HTTPParseError("chunked body: \(what) longer than \(limit) bytes") }
            if l.contains(0x0D) { throw HTTPParseError("chunked body: a bare CR in a \(what)") }
            return l
        }
        line.append(contentsOf: input)
        input = input[input.endIndex...]
        if line.count > limit + 1 { throw HTTPParseError("chunked body: \(what) longer than \(limit) bytes") }
        return nil
    }

    /// Gathers the head up to its blank line; nil while incomplete.
    private mutating func takeHead(_ input: inout ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPResponseHead? {
        let room = Self.maxHeadBytes - line.count
        let take = input.prefix(room + 1)
        line.append(contentsOf: take)
        // The blank line: LF (CR)? LF, searched from just before the new bytes.
        var i = max(scanned - 2, 0)
        var end: Int? = nil
        while i < line.count {
            if line[i] == 0x0A {
                if i + 1 < line.count && line[i + 1] == 0x0A {
                    end = i + 2
                    break
                }
                if i + 2 < line.count && line[i + 1] == 0x0D && line[i + 2] == 0x0A {
                    end = i + 3
                    break
                }
            }
            i += 1
        }
        guard let end else {
            scanned = line.count
            input = input.dropFirst(take.count)
            if line.count > Self.maxHeadBytes {
                throw HTTPParseError("the answer's headers are longer than \(Self.maxHeadBytes >> 10) KiB")
            }
            return nil
        }
        // Give back what follows the head.
        let extra = line.count - end
        input = input.dropFirst(take.count - extra)
        let head = try Self.parseHead(line[0..<end])
        line = []
        scanned = 0
        return head
    }

    // MARK: - Grammar

    /// Parses a status line and header lines (the bytes up to and including the blank line).
    public static func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPResponseHead {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { l -> ArraySlice<UInt8> in
            l.last == 0x0D ? l.dropLast() : l
        }
        // Drop the blank line and the empty piece after the final LF.
        while let l = lines.last, l.isEmpty { lines.removeLast() }
        guard let statusLine = lines.first else { throw HTTPParseError("the answer is not HTTP/1.x (empty)") }
        let (minor, status) = try parseStatusLine(statusLine)
        var fields: [HTTPResponseHead.Field] = []
        for l in lines.dropFirst() {
            if l.isEmpty { throw HTTPParseError("a blank line inside the headers") }
            if l.first == 0x20 || l.first == 0x09 {
                throw HTTPParseError("a header continued on the next line (obsolete line folding)")
            }
            fields.append(try field(l))
            if fields.count > maxHeaderCount { throw HTTPParseError("more than \(maxHeaderCount) headers") }
        }
        return HTTPResponseHead(minorVersion: minor, status: status, headers: fields)
    }

    /// `HTTP/1.x NNN reason`: the minor version and the status.
    static func parseStatusLine(_ l: ArraySlice<UInt8>) throws(HTTPParseError) -> (Int, Int) {
        let b = Array(l)
        let prefix = Array("HTTP/1.".utf8)
        guard b.count >= 12, b.starts(with: prefix), b[7] == 0x30 || b[7] == 0x31, b[8] == 0x20 else {
            throw HTTPParseError("the answer is not HTTP/1.x (it starts with \"\(printable(b.prefix(40)))\")")
        }
        let digits = b[9..<12]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.first != 0x30 else {
            throw HTTPParseError("malformed status code \"\(printable(digits))\"")
        }
        guard b.count == 12 || b[12] == 0x20 else {
            throw HTTPParseError("malformed status line \"\(printable(b.prefix(80)))\"")
        }
        for c in b.dropFirst(12) where isControl(c) {
            throw HTTPParseError("a control character (0x\(hex(c))) in the status line")
        }
        let status = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (Int(b[7] - 0x30), status)
    }

    /// `name: value`, the name a token, the value without control characters (tab allowed).
    static func field(_ l: some Collection<UInt8>) throws(HTTPParseError) -> HTTPResponseHead.Field {
        let b = Array(l)
        guard let colon = b.firstIndex(of: 0x3A), colon > 0 else {
            throw HTTPParseError("a header line without a name and colon: \"\(printable(b.prefix(80)))\"")
        }
        let name = b[0..<colon]
        guard name.allSatisfy(isTokenChar) else {
            throw HTTPParseError("an invalid header name \"\(printable(name.prefix(80)))\"")
        }
        var value = b[(colon + 1)...]
        while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
        while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
        for c in value where isControl(c) && c != 0x09 {
            throw HTTPParseError(
                "a control character (0x\(hex(c))) in the \(String(decoding: name, as: UTF8.self)) header")
        }
        return HTTPResponseHead.Field(
            name: String(decoding: name, as: UTF8.self).lowercased(), value: String(decoding: value, as: UTF8.self))
    }

    /// The size of a chunk-size line: hex digits, then optional whitespace and `;extensions`.
    static func chunkSize(_ l: [UInt8]) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        var i = 0
        while i < l.count, let d = hexValue(l[i]) {
            digits += 1
            // 15 hex digits: under 2^60, never an overflow; far past any cap.
            if digits > 15 { throw HTTPParseError("chunked body: absurd chunk size \"\(printable(l.prefix(40)))\"") }
            size = size << 4 | d
            i += 1
        }
        guard digits > 0 else {
            throw HTTPParseError("chunked body: \"\(printable(l.prefix(40)))\" is not a chunk size")
        }
        var rest = l[i...]
        while let f = rest.first, f == 0x20 || f == 0x09 { rest = rest.dropFirst() }
        guard rest.isEmpty || rest.first == 0x3B else {
            throw HTTPParseError("chunked body: \"\(printable(l.prefix(40)))\" is not a chunk size")
        }
        for c in rest where isControl(c) && c != 0x09 {
            throw HTTPParseError("chunked body: a control character (0x\(hex(c))) in a chunk extension")
        }
        return size
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    static func isControl(_ c: UInt8) -> Bool { c < 0x20 || c == 0x7F }

    /// RFC 9110 tchar.
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(c)
        }
    }

    static func hex(_ c: UInt8) -> String {
        let h = String(c, radix: 16)
        return h.count == 1 ? "0" + h : h
    }

    /// Bytes from the server shown in a message: printable ASCII as is, others as `\xNN`
    /// (a hostile server must not put terminal escapes in our error line).
    public static func printable(_ bytes: some Collection<UInt8>) -> String {
        var s = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F && b != 0x5C {
                s.append(Character(Unicode.Scalar(b)))
            } else {
                s += "\\x" + hex(b)
            }
        }
        return s
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
