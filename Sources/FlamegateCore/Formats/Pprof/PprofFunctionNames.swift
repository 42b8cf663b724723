/// The names `go tool pprof` shows, which are not always the names in the file: after
/// reading a profile its symbolizer (default `-symbolize` mode) gives every function whose
/// name is empty or equal to its system name the system name, simplified when it looks like
/// demangled C++: parameter lists and template arguments go, so
/// `std::vector<int>::push_back(int const&)` reads `std::vector::push_back`. Go's runtime
/// writes name = system name, so Go profiles pass through unchanged except where a name
/// is missing. Mangled names (`_Z…`) stay as they are; pprof would demangle them.
public enum PprofFunctionNames {
    /// Gives nameless functions (or those named by their system name) the name pprof would show.
    public static func apply(_ p: inout Profile) {
        var cache: [Int32: Int32] = [:]
        for i in p.functions.indices {
            let f = p.functions[i]
            if f.name != 0 && f.name != f.systemName { continue }  // a producer's own display name
            if let known = cache[f.systemName] {
                p.functions[i].name = known
                continue
            }
            let system = p.strings[f.systemName]
            var name = f.systemName
            if let simple = simplified(system) { name = p.strings.intern(simple) }
            cache[f.systemName] = name
            p.functions[i].name = name
        }
    }

    /// `name` without parameter lists and template arguments when it looks like demangled
    /// C++; nil when it stays as it is.
    static func simplified(_ name: String) -> String? {
        let b = Array(name.utf8)
        guard looksLikeDemangledCPlusPlus(b) else { return nil }
        let out = removeMatching(removeMatching(b, 0x28, 0x29), 0x3C, 0x3E)  // ( ) then < >
        return out.count == b.count ? nil : String(decoding: out, as: UTF8.self)
    }

    /// Not Java's `Class.<init>`, not Go's `pkg.(*T[...]).M`; `::` or any of `<>[]`.
    static func looksLikeDemangledCPlusPlus(_ b: [UInt8]) -> Bool {
        var bracket = false
        for i in b.indices {
            switch b[i] {
            case 0x2E where i + 1 < b.count && b[i + 1] == 0x3C: return false  // ".<"
            case 0x5D where i + 2 < b.count && b[i + 1] == 0x29 && b[i + 2] == 0x2E: return false  // "])."
            case 0x3C, 0x3E, 0x5B, 0x5D: bracket = true
            case 0x3A where i + 1 < b.count && b[i + 1] == 0x3A: bracket = true  // "::"
            default: break
            }
        }
        return bracket
    }

    /// Removes each outermost `open…close` group, nested ones with it. An unmatched `close`
    /// stops the work and keeps what was removed before it (as pprof does).
    static func removeMatching(_ name: [UInt8], _ open: UInt8, _ close: UInt8) -> [UInt8] {
        var s = name
        var nesting = 0
        var first = 0
        var i = 0
        while i < s.count {
            if s[i] == open {
                nesting += 1
                if nesting == 1 { first = i }
            } else if s[i] == close {
                nesting -= 1
                if nesting < 0 { return s }
                if nesting == 0 {
                    s.removeSubrange(first...i)
                    i = first
                    continue
                }
            }
            i += 1
        }
        return s
    }
}
