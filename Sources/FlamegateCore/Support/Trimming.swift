extension StringProtocol {
    /// The text without the leading and trailing characters in `set` (default: spaces) —
    /// the one trimming helper, for names, cells and fields alike.
    public func trimming(_ set: String = " ") -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
