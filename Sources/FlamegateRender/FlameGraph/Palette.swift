import FlamegateCore

/// Frame colours: flamegraph.pl's palettes (same formulas, same name hashes, so `--hash`
/// gives its colours) and Flamegate's default language-aware palette.
public enum Palette {
    /// flamegraph.pl's `--colors` choices, plus `auto` (the language-aware default).
    public static let names = [
        "auto", "hot", "mem", "io", "wakeup", "chain", "java", "js", "perl", "red", "green", "blue", "aqua",
        "yellow", "purple", "orange",
    ]

    /// A colour, 0–255 a channel.
    public struct RGB: Equatable, Sendable {
        /// Red, green and blue, each 0–255.
        public var r: Int, g: Int, b: Int
        /// The colour with these channels.
        public init(_ r: Int, _ g: Int, _ b: Int) {
            self.r = r
            self.g = g
            self.b = b
        }
        /// `rgb(r,g,b)`, as flamegraph.pl writes fills.
        public var css: String { "rgb(\(r),\(g),\(b))" }
    }

    /// What kind of code a frame is, for the language-aware palette.
    public enum Kind: String, Sendable {
        case kernel, runtime, stdlib, user, unknown
    }

    /// flamegraph.pl's `namehash`: weights early characters; a `module\`` prefix is dropped.
    public static func nameHash<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> Double {
        var chars = Array(scalars)
        // s/.(.*?)`// : from the first character to the first backtick after it.
        if chars.count >= 2, let bt = chars[1...].firstIndex(of: "`") {
            chars.removeSubrange(0...bt)
        }
        var vector = 0.0
        var weight = 1.0
        var max = 1.0
        var mod = 10
        for c in chars {
            let i = Int(c.value) % mod
            vector += (Double(i) / Double(mod - 1)) * weight
            mod += 1
            max += weight
            weight *= 0.70
            if mod > 12 { break }
        }
        return 1 - vector / max
    }

    /// flamegraph.pl's default (`random_namehash`): srand(sum of code points); rand(1) —
    /// Perl's own drand48, so the values are the script's.
    public static func randomNameHash(_ name: String) -> Double {
        var sum: UInt32 = 0
        for s in name.unicodeScalars { sum = sum &+ s.value }
        var x = (UInt64(sum) << 16) | 0x330E
        x = (x &* 0x5_DEEC_E66D &+ 0xB) & 0xFFFF_FFFF_FFFF
        return Double(x) / 281_474_976_710_656.0
    }

    /// flamegraph.pl's `color($type, $hash, $name)`.
    public static func perlColor(_ type: String, hash: Bool, name: String) -> RGB {
        let v1: Double
        let v2: Double
        let v3: Double
        if hash {
            v1 = nameHash(name.unicodeScalars)
            v2 = nameHash(name.unicodeScalars.reversed())
            v3 = v2
        } else {
            v1 = randomNameHash(name)
            v2 = v1
            v3 = v1
        }
        var type = type
        switch type {
        case "hot": return RGB(205 + Int(50 * v3), Int(230 * v1), Int(55 * v2))
        case "mem": return RGB(0, 190 + Int(50 * v2), Int(210 * v1))
        case "io":
            let r = 80 + Int(60 * v1)
            return RGB(r, r, 190 + Int(55 * v2))
        case "java":
            type = firstHue([
                (name.hasSuffix("_[j]"), "green"), (name.hasSuffix("_[i]"), "aqua"),
                (javaPackage(name) || name.contains(":::"), "green"), (name.contains("::"), "yellow"),
                (name.hasSuffix("_[k]"), "orange"),
            ])
        case "perl":
            type = firstHue([
                (name.contains("::"), "yellow"), (name.contains("Perl") || name.contains(".pl"), "green"),
                (name.hasSuffix("_[k]"), "orange"),
            ])
        case "js":
            let jit = name.hasSuffix("_[j]")
            type = firstHue([
                (jit && name.contains("/"), "green"), (jit, "aqua"), (name.contains("::"), "yellow"),
                (jsPath(name), "green"), (name.contains(":"), "aqua"), (name == " ", "green"),
                (name.contains("_[k]"), "orange"),
            ])
        case "wakeup": type = "aqua"
        case "chain": type = name.contains("_[w]") ? "aqua" : "blue"
        default: break
        }
        return flat(type, v1) ?? RGB(0, 0, 0)
    }

    /// The hue of the first rule that holds, else red: how flamegraph.pl's java, perl and js
    /// palettes pick a hue from a frame's name (each rule list is the script's if/elsif chain).
    static func firstHue(_ rules: [(holds: Bool, hue: String)]) -> String {
        rules.first { $0.holds }?.hue ?? "red"
    }

    static func flat(_ type: String, _ v1: Double) -> RGB? {
        switch type {
        case "red":
            let x = 50 + Int(80 * v1)
            return RGB(200 + Int(55 * v1), x, x)
        case "green":
            let x = 50 + Int(60 * v1)
            return RGB(x, 200 + Int(55 * v1), x)
        case "blue":
            let x = 80 + Int(60 * v1)
            return RGB(x, x, 205 + Int(50 * v1))
        case "yellow":
            let x = 175 + Int(55 * v1)
            return RGB(x, x, 50 + Int(20 * v1))
        case "purple":
            let x = 190 + Int(65 * v1)
            return RGB(x, 80 + Int(60 * v1), x)
        case "aqua": return RGB(50 + Int(60 * v1), 165 + Int(55 * v1), 165 + Int(55 * v1))
        case "orange": return RGB(190 + Int(65 * v1), 90 + Int(65 * v1), 0)
        default: return nil
        }
    }

    static func javaPackage(_ name: String) -> Bool {
        var s = Substring(name)
        if s.hasPrefix("L") { s = s.dropFirst() }
        for p in ["java/", "javax/", "jdk/", "net/", "org/", "com/", "io/", "sun/"] where s.hasPrefix(p) { return true }
        return false
    }

    static func jsPath(_ name: String) -> Bool {
        guard let slash = name.firstIndex(of: "/") else { return false }
        return name[slash...].contains(".js")
    }

    // MARK: language-aware default

    static let goStdRoots: Set<String> = [
        "archive", "bufio", "bytes", "cmp", "compress", "container", "context", "crypto", "database", "debug",
        "embed", "encoding", "errors", "expvar", "flag", "fmt", "go", "hash", "html", "image", "index", "io",
        "iter", "log", "maps", "math", "mime", "net", "os", "path", "plugin", "reflect", "regexp", "slices",
        "sort", "strconv", "strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode",
        "unique", "unsafe", "weak", "internal", "vendor",
    ]
    static let libcNames: Set<String> = [
        "malloc", "free", "calloc", "realloc", "memcpy", "memmove", "memset", "memcmp", "strlen", "strcmp",
        "_int_malloc", "_int_free", "_int_realloc", "cfree", "__libc_start_main", "__libc_start_call_main",
        "_start", "start_thread", "clone", "clone3", "pthread_mutex_lock", "pthread_mutex_unlock",
        "__GI___libc_write", "__GI___libc_read", "syscall", "__brk", "brk", "sbrk", "mmap", "munmap",
        "__memcpy_avx_unaligned_erms", "__memset_avx2_unaligned_erms", "__memmove_avx_unaligned_erms",
        "qsort", "printf", "puts", "write", "read", "_dl_start", "_dl_start_user", "__libc_malloc",
        "__libc_free", "malloc_consolidate", "sysmalloc", "tcache_get", "tcache_put",
    ]

    /// Classifies a frame name: Go runtime / Go standard library / user code; Swift
    /// runtime and stdlib/Foundation; C/C++ libc and kernel (`_[k]`); Rust `core::`/`std::`;
    /// CPython internals and Python's library.
    public static func kind(_ name: String) -> Kind {
        if name.hasSuffix("_[k]") || name.hasPrefix("[kernel") || name.hasPrefix("entry_SYSCALL")
            || name.hasPrefix("do_syscall_") || name.hasPrefix("__x64_sys_") || name.hasPrefix("asm_exc_")
            || name.hasPrefix("asm_sysvec_")
        {
            return .kernel
        }
        if name.isEmpty || name == "[unknown]" || name == "<unknown>" || name.hasPrefix("0x")
            || (name.hasPrefix("[") && name.hasSuffix("]"))
        {
            return .unknown
        }
        // Go
        if name.hasPrefix("runtime.") || name.hasPrefix("runtime/") || name.hasPrefix("internal/runtime/")
            || name.hasPrefix("runtime·") || name == "gogo" || name == "goexit" || name.hasPrefix("aeshash")
        {
            return .runtime
        }
        // Swift
        if name.hasPrefix("swift_") || name.hasPrefix("_swift_") || name.hasPrefix("$ss") || name.hasPrefix("$sS") {
            return name.hasPrefix("swift_") || name.hasPrefix("_swift_") ? .runtime : .stdlib
        }
        for p in [
            "Swift.", "Foundation.", "FoundationEssentials.", "FoundationInternationalization.", "CoreFoundation.",
            "_CF", "CF", "Dispatch.", "_dispatch", "dispatch_", "generic specialization <Swift.",
            "specialized Swift.", "merged Swift.", "protocol witness for Swift.", "static Swift.",
        ] where name.hasPrefix(p) { return .stdlib }
        // Rust / C++
        for p in ["core::", "std::", "alloc::", "<core::", "<std::", "<alloc::", "__gnu_cxx::", "__cxxabiv1::"]
        where name.hasPrefix(p) { return .stdlib }
        // Python
        if name.hasPrefix("_Py") || name.hasPrefix("Py") && name.dropFirst(2).first?.isUppercase == true
            || name.hasPrefix("_PyEval") || name.hasPrefix("slot_tp_") || name.hasPrefix("method_vectorcall")
        {
            return .runtime
        }
        if name.contains("/lib/python") || name.contains("\\lib\\python") || name.hasPrefix("<frozen ") {
            return .stdlib
        }
        // libc and friends
        let bare = name.hasSuffix("@plt") ? String(name.dropLast(4)) : name
        if libcNames.contains(bare) || bare.hasPrefix("__libc_") || bare.hasPrefix("__GI_") || bare.hasPrefix("_dl_")
            || bare.hasPrefix("__memcpy") || bare.hasPrefix("__memset") || bare.hasPrefix("__memmove")
            || bare.hasPrefix("__strlen") || bare.hasPrefix("__pthread") || bare.hasPrefix("pthread_")
            || bare.hasPrefix("__lll_") || bare.hasPrefix("__futex")
        {
            return .runtime
        }
        // Go standard library: `pkg.Func` or `pkg/sub.Func` whose first path element has no dot.
        if let dot = goPackageEnd(name) {
            let pkg = name[..<dot]
            let root = pkg.split(separator: "/").first.map(String.init) ?? ""
            if !root.contains(".") && goStdRoots.contains(root) { return .stdlib }
            return .user
        }
        return .user
    }

    /// End of a Go package path (`net/http` in `net/http.(*conn).serve`), if the name looks like Go.
    static func goPackageEnd(_ name: String) -> String.Index? {
        let u = name.unicodeScalars
        guard let first = u.first, first.properties.isLowercase || first == "_" else { return nil }
        var lastSlash = name.startIndex
        var i = name.startIndex
        while i < name.endIndex {
            let c = name[i]
            if c == "/" { lastSlash = name.index(after: i) }
            if c == "." && i >= lastSlash { return i }
            if !(c.isLetter || c.isNumber || c == "_" || c == "/" || c == "-" || c == "." || c == "~") { return nil }
            i = name.index(after: i)
        }
        return nil
    }

    /// The language-aware default colour: hue by kind, shade by name hash (deterministic).
    public static func auto(_ name: String) -> RGB {
        let v = nameHash(name.unicodeScalars)
        switch kind(name) {
        case .kernel: return RGB(190 + Int(65 * v), 90 + Int(65 * v), 0)  // orange
        case .runtime: return RGB(200 + Int(55 * v), 50 + Int(80 * v), 50 + Int(80 * v))  // red
        case .stdlib: return RGB(175 + Int(55 * v), 175 + Int(55 * v), 50 + Int(20 * v))  // yellow
        case .user: return RGB(50 + Int(60 * v), 190 + Int(55 * v), 50 + Int(60 * v))  // green
        case .unknown: return RGB(170 + Int(30 * v), 170 + Int(30 * v), 170 + Int(30 * v))  // grey
        }
    }

    /// Colour of a frame for `--colors` (`auto` or one of flamegraph.pl's palettes).
    public static func color(_ palette: String, hash: Bool, name: String) -> RGB {
        if palette == "auto" { return auto(name) }
        return perlColor(palette, hash: hash, name: name)
    }

    /// Differential colour: red grew, blue shrank, white unchanged; saturation by |delta| / maxDelta
    /// (flamegraph.pl's `color_scale`).
    public static func diff(_ delta: Double, maxDelta: Double, negate: Bool) -> RGB {
        let d = negate ? -delta : delta
        let m = maxDelta > 0 ? maxDelta : 1
        let a = min(abs(d), m)
        let c = Int(210 * (m - a) / m)
        if d > 0 { return RGB(255, c, c) }
        if d < 0 { return RGB(c, c, 255) }
        return RGB(255, 255, 255)
    }

    /// One entry of a graph's colour legend: a swatch (a `fill` value: `rgb(…)` or
    /// `url(#onlybase)`) and what it means; a nil swatch is a note without one.
    public struct LegendItem: Equatable, Sendable {
        /// The swatch's fill; nil for a note.
        public var fill: String?
        /// What the colour means.
        public var label: String
        /// A legend entry.
        public init(_ fill: String?, _ label: String) {
            self.fill = fill
            self.label = label
        }
    }

    /// What the colours of a graph mean, for the SVG's and the HTML page's legend (one list, so
    /// the two say the same). Differential: flamegraph.pl's scheme (`diff`), red for growth.
    public static func legend(_ palette: String, differential: Bool, negate: Bool) -> [LegendItem] {
        if differential {
            let grew = diff(1, maxDelta: 2, negate: negate)
            let shrank = diff(-1, maxDelta: 2, negate: negate)
            return [
                LegendItem(grew.css, "grew"), LegendItem(shrank.css, "shrank"), LegendItem("rgb(255,255,255)", "same"),
                LegendItem("url(#onlybase)", "only in base"),
                LegendItem(nil, "deeper colour = larger change; width = candidate ∪ base"),
            ]
        }
        let mid = 0.5
        switch palette {
        case "auto":
            return [
                LegendItem(RGB(50 + Int(60 * mid), 190 + Int(55 * mid), 50 + Int(60 * mid)).css, "user code"),
                LegendItem(RGB(175 + Int(55 * mid), 175 + Int(55 * mid), 50 + Int(20 * mid)).css, "standard library"),
                LegendItem(RGB(200 + Int(55 * mid), 50 + Int(80 * mid), 50 + Int(80 * mid)).css, "runtime, libc"),
                LegendItem(RGB(190 + Int(65 * mid), 90 + Int(65 * mid), 0).css, "kernel"),
                LegendItem(RGB(185, 185, 185).css, "unknown"),
            ]
        case "java", "js", "perl":
            let hues: [(String, String)] =
                palette == "java"
                ? [("green", "Java"), ("aqua", "inlined"), ("yellow", "C++"), ("orange", "kernel"), ("red", "native")]
                : palette == "js"
                    ? [
                        ("green", "JS"), ("aqua", "JIT/builtin"), ("yellow", "C++"), ("orange", "kernel"),
                        ("red", "native"),
                    ]
                    : [("green", "Perl"), ("yellow", "C++"), ("orange", "kernel"), ("red", "other")]
            return hues.map { LegendItem(flat($0.0, mid)?.css, $0.1) }
        default:
            return [LegendItem(nil, "--colors \(palette): hue tells frames apart, no meaning; width = share of total")]
        }
    }

    /// flamegraph.pl's background gradients (`--bgcolors`); nil for an unknown choice.
    public static func background(_ bg: String, colors: String) -> (String, String)? {
        var bg = bg
        if bg.isEmpty {
            switch colors {
            case "mem": bg = "green"
            case "io", "wakeup", "chain": bg = "blue"
            case "red", "green", "blue", "aqua", "yellow", "purple", "orange": bg = "grey"
            default: bg = "yellow"
            }
        }
        switch bg {
        case "yellow": return ("#eeeeee", "#eeeeb0")
        case "blue": return ("#eeeeee", "#e0e0ff")
        case "green": return ("#eef2ee", "#e0ffe0")
        case "grey", "gray": return ("#f8f8f8", "#e8e8e8")
        default:
            let u = Array(bg.utf8)
            if u.count == 7 && u[0] == 0x23
                && u[1...].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
            {
                return (bg, bg)
            }
            return nil
        }
    }
}
