import Foundation

/// The one part of a `multipart/form-data` upload that holds the profile: the first part with
/// a filename (a browser's file input), else the first part. Only what an upload form sends is
/// read; anything else is refused with a reason.
struct MultipartUpload {
    var filename: String?
    var data: [UInt8]

    /// The boundary of a `multipart/form-data; boundary=…` content type; nil for other types.
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for p in parts.dropFirst() where p.lowercased().hasPrefix("boundary=") {
            var b = String(p.dropFirst("boundary=".count))
            if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
            return b.isEmpty ? nil : b
        }
        return nil
    }

    /// Parses `body` with `boundary`; a message (what was expected) when it is not multipart.
    static func parse(_ body: [UInt8], boundary: String) -> Result<MultipartUpload, UploadError> {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf2: [UInt8] = [13, 10, 13, 10]
        var parts: [(headers: String, data: ArraySlice<UInt8>)] = []
        guard var at = find(delimiter, in: body, from: 0) else {
            return .failure(UploadError("multipart body: no boundary '\(boundary)' found"))
        }
        while true {
            var start = at + delimiter.count
            // `--boundary--` ends the body.
            if start + 1 < body.count && body[start] == 45 && body[start + 1] == 45 { break }
            if start + 1 < body.count && body[start] == 13 && body[start + 1] == 10 { start += 2 }
            guard let headerEnd = find(crlf2, in: body, from: start) else {
                return .failure(
                    UploadError("multipart body: part at byte \(start) has no blank line after its headers"))
            }
            guard let next = find(Array("\r\n".utf8) + delimiter, in: body, from: headerEnd + 4) else {
                return .failure(UploadError("multipart body: part at byte \(start) has no closing boundary"))
            }
            parts.append((String(decoding: body[start..<headerEnd], as: UTF8.self), body[(headerEnd + 4)..<next]))
            at = next + 2
        }
        let chosen = parts.first { filename(of: $0.headers) != nil } ?? parts.first
        guard let chosen else { return .failure(UploadError("multipart body: no parts")) }
        return .success(MultipartUpload(filename: filename(of: chosen.headers), data: Array(chosen.data)))
    }

    /// The `filename="…"` of a part's Content-Disposition.
    static func filename(of headers: String) -> String? {
        guard let r = headers.range(of: "filename=\"") else { return nil }
        let rest = headers[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let name = String(rest[..<end])
        return name.isEmpty ? nil : name
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = from
        let first = needle[0]
        while i <= hay.count - needle.count {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Why an upload was refused.
struct UploadError: Error {
    var message: String
    init(_ m: String) { message = m }
}
