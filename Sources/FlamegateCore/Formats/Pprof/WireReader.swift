/// A byte-level problem in an input: where (byte offset) and what was expected.
public struct DecodeError: Error, CustomStringConvertible, Sendable {
    /// Byte offset in the (inflated) input; nil when the problem has no single position.
    public var offset: Int?
    /// What was wrong or expected, without the offset.
    public var message: String
    /// An error at `offset` (nil: none).
    public init(offset: Int?, _ message: String) {
        self.offset = offset
        self.message = message
    }
    /// `at byte N: message`, or the message alone without an offset.
    public var description: String {
        if let offset { return "at byte \(offset): \(message)" }
        return message
    }
}

/// Protobuf wire types used by pprof.
public enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case bytes = 2
    case fixed32 = 5
}

/// A cursor over protobuf wire bytes in one contiguous buffer, as pprof's `proto.go`
/// does: no copies, every length checked against the bytes that remain.
public struct WireReader {
    /// Start of the whole buffer; `pos` and `end` are offsets from it, as are error offsets.
    public let base: UnsafePointer<UInt8>
    /// Offset of the next byte to read.
    public var pos: Int
    /// Offset one past the last byte this reader may read (a message's end, not the buffer's).
    public let end: Int

    /// A reader over `base[pos ..< end]`.
    @inlinable
    public init(base: UnsafePointer<UInt8>, pos: Int, end: Int) {
        self.base = base
        self.pos = pos
        self.end = end
    }

    /// True when every byte up to `end` has been read.
    @inlinable public var atEnd: Bool { pos >= end }

    /// Reads a varint that must end before `limit`.
    @inlinable @inline(__always)
    public mutating func varint(limit: Int) throws(DecodeError) -> UInt64 {
        guard pos < limit else { throw DecodeError(offset: pos, "expected a varint, found the end of the data") }
        let b0 = base[pos]
        if b0 < 0x80 {
            pos &+= 1
            return UInt64(b0)
        }
        return try varintSlow(limit: limit)
    }

    @inlinable @inline(__always)
    /// Reads a varint that must end before `end`.
    public mutating func varint() throws(DecodeError) -> UInt64 { try varint(limit: end) }

    @usableFromInline
    mutating func varintSlow(limit: Int) throws(DecodeError) -> UInt64 {
        let start = pos
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < limit else {
                throw DecodeError(offset: start, "truncated varint (the data ends inside it)")
            }
            let b = base[pos]
            pos &+= 1
            if shift == 63 && b > 1 {
                throw DecodeError(offset: start, "bad varint: more than 64 bits")
            }
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw DecodeError(offset: start, "bad varint: longer than 10 bytes") }
        }
    }

    /// Reads a field key; returns field number and wire type.
    @inlinable @inline(__always)
    public mutating func key() throws(DecodeError) -> (field: UInt64, wire: UInt8) {
        let at = pos
        let k = try varint()
        let wire = UInt8(k & 7)
        let field = k >> 3
        if field == 0 { throw DecodeError(offset: at, "invalid field number 0 (not protobuf data)") }
        return (field, wire)
    }

    /// Reads a length prefix and checks that many bytes remain; returns the end offset.
    @inlinable @inline(__always)
    public mutating func lengthDelimitedEnd() throws(DecodeError) -> Int {
        let at = pos
        let n = try varint()
        guard n <= UInt64(end - pos) else {
            throw DecodeError(
                offset: at, "length \(n) runs past the end of the data (\(end - pos) bytes remain)")
        }
        return pos + Int(n)
    }

    /// Skips a field's payload.
    @inlinable
    public mutating func skip(wire: UInt8) throws(DecodeError) {
        switch wire {
        case 0: _ = try varint()
        case 1:
            guard end - pos >= 8 else { throw DecodeError(offset: pos, "truncated fixed64 field") }
            pos += 8
        case 2: pos = try lengthDelimitedEnd()
        case 5:
            guard end - pos >= 4 else { throw DecodeError(offset: pos, "truncated fixed32 field") }
            pos += 4
        default:
            throw DecodeError(offset: pos, "unknown wire type \(wire) (not protobuf data)")
        }
    }

    /// Reads an integer field (varint) and checks the wire type.
    @inlinable
    public mutating func int(wire: UInt8, field: String) throws(DecodeError) -> UInt64 {
        guard wire == 0 else {
            throw DecodeError(offset: pos, "field \(field): expected a varint, found wire type \(wire)")
        }
        return try varint()
    }

    /// Calls `body` for each value of a repeated integer field, packed or not.
    @inlinable
    public mutating func ints(wire: UInt8, field: String, _ body: (UInt64) -> Void) throws(DecodeError) {
        if wire == 0 {
            body(try varint())
        } else if wire == 2 {
            let e = try lengthDelimitedEnd()
            while pos < e { body(try varint(limit: e)) }
        } else {
            throw DecodeError(offset: pos, "field \(field): expected varints, found wire type \(wire)")
        }
    }
}
