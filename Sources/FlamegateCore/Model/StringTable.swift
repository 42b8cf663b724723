/// Interned strings: every name past the readers is an `Int32` index into one table.
///
/// Index 0 is always the empty string, as in pprof's `string_table`.
public struct StringTable: Sendable {
    public private(set) var strings: [String]
    private var index: [String: Int32]

    /// A table holding only "" at id 0.
    public init() {
        strings = [""]
        index = ["": 0]
    }

    /// Number of distinct strings, including the empty string.
    public var count: Int { strings.count }

    /// Returns the id of `s`, adding it if new.
    @inlinable
    public mutating func intern(_ s: String) -> Int32 {
        if let id = lookup(s) { return id }
        return append(s)
    }

    /// The id of `s`, if it is in the table.
    public func lookup(_ s: String) -> Int32? { index[s] }

    @usableFromInline
    mutating func append(_ s: String) -> Int32 {
        let id = Int32(strings.count)
        strings.append(s)
        index[s] = id
        return id
    }

    /// The string with id `id`; traps when out of range.
    public subscript(id: Int32) -> String { strings[Int(id)] }

    /// Reserves room for `n` more strings (readers know the count up front).
    public mutating func reserve(_ n: Int) {
        strings.reserveCapacity(strings.count + n)
        index.reserveCapacity(strings.count + n)
    }
}
