// HTTP/1.x answers as `flamegate fetch` reads them off a socket (`HTTPResponseParser`,
// `HTTPBodyFraming`, `BodyCollector`, the error line). The first byte picks how the rest
// is cut into reads (1 to 128 bytes, as a slow server would send them) and whether the
// request was GET or HEAD.
@testable import FlamegateCapture
@testable import FlamegateCore

struct Outcome: Equatable {
    var events: [String] = []
    var body: [UInt8] = []
    var error: String? = nil
}

/// Parses `input` in reads of `step` bytes, then the end of the connection.
func parse(_ input: [UInt8], step: Int, method: String) -> Outcome {
    var p = HTTPResponseParser(method: method)
    var o = Outcome()
    var framing: HTTPBodyFraming? = nil
    func take(_ e: HTTPResponseParser.Event) {
        switch e {
        case .head(let h, let f):
            require(o.events.isEmpty, "a second head")
            require(h.status >= 200 && h.status <= 999, "final status \(h.status)")
            for f in h.headers {
                require(!f.name.isEmpty && f.name == f.name.lowercased(), "header name \(f.name)")
                require(
                    !f.value.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F },
                    "control character in a value")
            }
            if case .length(let n) = f { require(n >= 0 && n < 1_000_000_000_000_000_000, "length \(n)") }
            framing = f
            o.events.append("head \(h.status) \(f)")
        case .body(let b):
            require(!b.isEmpty, "empty body event")
            require(o.events.first?.hasPrefix("head") == true, "body before head")
            o.body += b
        case .end:
            require(!o.events.contains("end"), "two ends")
            o.events.append("end")
        }
    }
    do throws(HTTPParseError) {
        var i = 0
        while i < input.count && !p.isDone {
            var slice = input[i..<min(input.count, i + step)]
            i += slice.count
            while let e = try p.next(&slice) { take(e) }
        }
        if let e = try p.finish() { take(e) }
    } catch {
        require(
            !error.message.isEmpty && !error.message.contains("\n"), "error message \(error.message.debugDescription)")
        o.error = error.message
        return o
    }
    require(o.events.last == "end", "no end after finish()")
    if case .length(let n) = framing { require(o.body.count == n, "body \(o.body.count) != Content-Length \(n)") }
    if framing == HTTPBodyFraming.none { require(o.body.isEmpty, "a body where none is allowed") }
    return o
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let b = Array(bytes(data, size))
    guard let first = b.first else { return 0 }
    let input = Array(b.dropFirst())
    let method = first & 0x80 != 0 ? "HEAD" : "GET"
    let whole = parse(input, step: Int.max, method: method)
    let cut = parse(input, step: Int(first & 0x7F) + 1, method: method)
    // However the bytes arrive, the same answer (or an error either way).
    require((whole.error == nil) == (cut.error == nil), "whole: \(whole.error ?? "ok"), cut: \(cut.error ?? "ok")")
    if whole.error == nil { require(whole == cut, "reads change the answer") }

    // What `fetch` keeps: never more than the cap, 4 KiB of an error body, one clean line.
    var c = BodyCollector(maxBytes: 1000)
    let status = [200, 500, 302][Int(first) % 3]
    do throws(FetchFailure) {
        try c.begin(status: status, declaredLength: nil, hasLocation: first & 1 == 0)
        var rest = whole.body[...]
        while !rest.isEmpty {
            let n = min(rest.count, Int(first & 0x3F) + 1)
            if !(try c.append(rest.prefix(n))) { break }
            rest = rest.dropFirst(n)
        }
    } catch {
        require(status == 200 && whole.body.count > 1000, "cap error under the cap")
    }
    require(c.count <= (status == 200 ? 1000 : 4096), "collector holds \(c.count)")
    let text = HTTPFetch.errorText(input)
    require(
        !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
        "control character in the error line")
    return 0
}
