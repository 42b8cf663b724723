import Testing

@testable import FlamegateCapture

/// The HTTP/1.x response grammar, without a socket: every answer is parsed whole and
/// byte by byte (the reads of a slow server), which must agree.
@Suite struct HTTPResponseParserTests {
    struct Parsed: Equatable {
        var head: HTTPResponseHead?
        var framing: HTTPBodyFraming?
        var body: [UInt8] = []
        var ended = false
    }

    func parse(_ text: String, method: String = "GET", split: Int = Int.max, eof: Bool = true) throws(HTTPParseError)
        -> Parsed
    {
        var p = HTTPResponseParser(method: method)
        var out = Parsed()
        let bytes = Array(text.utf8)
        var i = 0
        func take(_ e: HTTPResponseParser.Event) {
            switch e {
            case .head(let h, let f): (out.head, out.framing) = (h, f)
            case .body(let b): out.body += b
            case .end: out.ended = true
            }
        }
        while i < bytes.count {
            var input = bytes[i..<min(bytes.count, i + split)]
            i += input.count
            while let e = try p.next(&input) { take(e) }
        }
        if eof && !out.ended, let e = try p.finish() { take(e) }
        return out
    }

    func both(_ text: String, method: String = "GET") throws -> Parsed {
        let whole = try parse(text, method: method)
        let bytewise = try parse(text, method: method, split: 1)
        #expect(whole == bytewise)
        return whole
    }

    func failure(_ text: String, eof: Bool = true) -> String? {
        do {
            _ = try parse(text, eof: eof)
            return nil
        } catch {
            #expect((try? parse(text, split: 1, eof: eof)) == nil, "byte by byte must fail too")
            return error.message
        }
    }

    @Test func statusLineAndHeaders() throws {
        let r = try both(
            "HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\nabc")
        #expect(r.head?.status == 200)
        #expect(r.head?.minorVersion == 1)
        #expect(r.head?.value("content-type") == "text/plain")
        #expect(r.head?.values("X-A") == ["1", "2"])
        #expect(r.framing == .length(3))
        #expect(r.body == Array("abc".utf8))
        #expect(r.ended)
        // Bare LF line ends, no reason phrase, HTTP/1.0 until close.
        let old = try both("HTTP/1.0 404\nServer: x\n\nnot found")
        #expect(old.head?.status == 404)
        #expect(old.framing == .untilClose)
        #expect(old.body == Array("not found".utf8))
        // Interim answers are skipped.
        let cont = try both("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        #expect(cont.head?.status == 204)
        #expect(cont.framing == HTTPBodyFraming.none)
        #expect(cont.ended)
        // A HEAD answer has no body whatever it declares.
        #expect(try both("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", method: "HEAD").ended)
    }

    @Test func refusesMalformedHeads() {
        #expect(failure("HTTP/2 200 OK\r\n\r\n")?.contains("not HTTP/1.x") == true)
        #expect(failure("HTTP/1.1 20 OK\r\n\r\n") != nil)
        #expect(failure("HTTP/1.1 abc OK\r\n\r\n")?.contains("malformed status code") == true)
        #expect(failure("HTTP/1.1 200OK\r\n\r\n")?.contains("malformed status line") == true)
        #expect(failure("HTTP/1.1 200 O\u{1B}K\r\n\r\n")?.contains("control character (0x1b)") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n")?.contains("without a name and colon") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")?.contains("invalid header name") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nX: a\u{0}b\r\n\r\n")?.contains("control character (0x00)") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n")?.contains("control character (0x0d)") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n")?.contains("line folding") == true)
        #expect(failure("HTTP/1.1 101 Switching Protocols\r\n\r\n")?.contains("switched protocols") == true)
        let many = "HTTP/1.1 200 OK\r\n" + String(repeating: "X: y\r\n", count: 129) + "\r\n"
        #expect(failure(many)?.contains("more than 128 headers") == true)
        let long = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70_000)
        #expect(failure(long, eof: false)?.contains("longer than 64 KiB") == true)
        let interim = String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 17) + "HTTP/1.1 200 OK\r\n\r\n"
        #expect(failure(interim)?.contains("interim") == true)
        #expect(failure("") == "the server closed the connection without answering")
        #expect(failure("HTTP/1.1 200 OK\r\n")?.contains("before the answer's headers were complete") == true)
    }

    @Test func contentLengthRules() throws {
        #expect(
            try both("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok").body == [0x6F, 0x6B])
        #expect(
            failure("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")?.contains("conflicting")
                == true)
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok")?.contains("not a number") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\nok")?.contains("not a number") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nok")?.contains("not a number") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length: 2,\r\n\r\nok")?.contains("not a number") == true)
        #expect(
            failure("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n")?.contains("absurd") == true)
        // 18 digits parse (and are then refused by the cap, not by an overflow).
        let big = try parse("HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999\r\n\r\n", eof: false)
        #expect(big.framing == .length(999_999_999_999_999_999))
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")?.contains("5 bytes short") == true)
        // chunked wins over Content-Length (RFC 9112 §6.3).
        let te = try both(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
        #expect(te.body == Array("ok".utf8))
    }

    @Test func chunked() throws {
        let r = try both(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n5;ext=1\r\nhello\r\nA \r\n, world!!!\r\n0\r\nX-T: 1\r\n\r\n"
        )
        #expect(String(decoding: r.body, as: UTF8.self) == "hello, world!!!")
        #expect(r.ended)
        #expect(
            failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")?.contains("not a chunk size") == true
        )
        #expect(
            failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n")?.contains("absurd")
                == true)
        #expect(
            failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")?.contains(
                "longer than its declared")
                == true)
        #expect(
            failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n")?.contains(
                "before the chunked body ended") == true)
        let ext =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "x", count: 5000) + "\r\n"
        #expect(failure(ext)?.contains("longer than 4096 bytes") == true)
        let trailers =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
            + String(repeating: "X: \(String(repeating: "t", count: 100))\r\n", count: 200) + "\r\n"
        #expect(failure(trailers)?.contains("trailers longer") == true)
        #expect(failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")?.contains("not supported") == true)
    }
}
