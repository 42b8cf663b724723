#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// How Swift symbols are named: as printed (`none`, stackcollapse-perf.pl parity), the
/// runtime's full demangling (`full`), or `swift demangle --simplified`'s form (`simplified`).
public enum DemangleMode: String, Sendable, CaseIterable {
    case none, full, simplified
}

/// `swift_demangle` is exported by libswiftCore (every Swift program links it).
/// It returns a malloc'ed string (to free), or nil for names that are not Swift symbols.
@_silgen_name("swift_demangle")
private func _swiftDemangle(
    _ mangledName: UnsafePointer<CChar>?, _ mangledNameLength: UInt,
    _ outputBuffer: UnsafeMutablePointer<CChar>?, _ outputBufferSize: UnsafeMutablePointer<UInt>?,
    _ flags: UInt32
) -> UnsafeMutablePointer<CChar>?

/// In-process Swift demangling.
///
/// `full` is `swift_demangle`'s output (the runtime prints `Swift.Array<Int>` where the
/// `swift demangle` CLI prints `[Int]`). `simplified` uses the runtime's backtrace demangler
/// (`_swift_backtrace_demangle`, looked up at run time), which applies the same options as
/// `swift demangle --simplified` (no module names, no argument types, shortened thunks and
/// value witnesses); checked against the CLI on real symbols in
/// `Tests/Fixtures/perf/swift-demangle.simplified.txt`. If a runtime lacks that entry point,
/// `simplified` falls back to a best-effort reduction of the full form.
public enum SwiftDemangler {
    typealias BacktraceDemangle =
        @convention(c) (
            UnsafePointer<CChar>?, Int, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?
        ) -> UnsafeMutablePointer<CChar>?

    static let backtraceDemangle: BacktraceDemangle? = {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        guard let sym = dlsym(handle, "_swift_backtrace_demangle") else { return nil }
        return unsafeBitCast(sym, to: BacktraceDemangle.self)
    }()

    /// Whether the bytes start like a Swift mangled name (`$s`, `_$s`, `$S`, `$e`, `_T0`…).
    @inline(__always)
    public static func looksLikeSwift(_ p: UnsafeRawBufferPointer) -> Bool {
        let n = p.count
        guard n >= 3 else { return false }
        var i = 0
        if p[0] == 0x5F { i = 1 }  // '_'
        if n - i < 3 { return false }
        if p[i] == 0x24 {  // '$'
            let c = p[i + 1]
            return c == 0x73 || c == 0x53 || c == 0x65  // s S e
        }
        // Swift 4 and older: _T0 / _T
        return i == 1 && p[1] == 0x54 && p[2] == 0x30
    }

    /// The demangled name, or nil when the bytes are not a Swift symbol (or mode is none).
    /// A linker suffix such as `@plt` is kept after the demangled name.
    public static func demangle(_ raw: UnsafeRawBufferPointer, mode: DemangleMode) -> [UInt8]? {
        if mode == .none || !looksLikeSwift(raw) { return nil }
        guard let base = raw.baseAddress else { return nil }
        // Mangled names never contain '@'; what follows one (@plt, @@GLIBC…) is a suffix.
        var cut = raw.count
        if let at = memchr(base, 0x40, raw.count) { cut = base.distance(to: UnsafeRawPointer(at)) }
        if cut < 3 { return nil }
        // NUL-terminated copy: the C entry points read C strings.
        if memchr(base, 0, cut) != nil { return nil }
        var name = [CChar](repeating: 0, count: cut + 1)
        name.withUnsafeMutableBytes { d in _ = memcpy(d.baseAddress!, base, cut) }
        var out: [UInt8]?
        name.withUnsafeBufferPointer { c in
            let cstr = c.baseAddress!
            let r: UnsafeMutablePointer<CChar>?
            switch mode {
            case .none: r = nil
            case .full: r = _swiftDemangle(cstr, UInt(cut), nil, nil, 0)
            case .simplified:
                if let bt = backtraceDemangle {
                    r = bt(cstr, cut, nil, nil)
                } else {
                    r = _swiftDemangle(cstr, UInt(cut), nil, nil, 0)
                }
            }
            guard let r else { return }
            defer { free(r) }
            let len = strlen(r)
            var bytes = [UInt8](repeating: 0, count: len)
            bytes.withUnsafeMutableBytes { d in _ = memcpy(d.baseAddress!, r, len) }
            // The backtrace demangler echoes names it cannot demangle.
            if bytes.count == cut && memcmp(bytes, base, cut) == 0 { return }
            if bytes.isEmpty { return }
            if mode == .simplified && backtraceDemangle == nil { bytes = simplifyFull(bytes) }
            out = bytes
        }
        guard var o = out else { return nil }
        if cut < raw.count { o.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[cut...])) }
        return o
    }

    /// String convenience.
    public static func demangle(_ s: String, mode: DemangleMode) -> String? {
        var s = s
        return s.withUTF8 { u in
            demangle(UnsafeRawBufferPointer(u), mode: mode).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Fallback only (runtimes without `_swift_backtrace_demangle`): drops the result type
    /// (` -> …` / ` : …` at nesting depth 0) and argument types, keeping labels.
    static func simplifyFull(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var depth = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            if depth == 0 && c == 0x20 && i + 3 < s.count
                && ((s[i + 1] == 0x2D && s[i + 2] == 0x3E) || (s[i + 1] == 0x3A && s[i + 2] == 0x20))
            {
                break
            }
            if c == 0x28 || c == 0x3C || c == 0x5B { depth += 1 }
            if c == 0x29 || c == 0x3E || c == 0x5D { depth = max(0, depth - 1) }
            out.append(c)
            i += 1
        }
        return out
    }
}
