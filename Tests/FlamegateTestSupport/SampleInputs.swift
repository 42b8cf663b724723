import FlamegateCore

/// Inputs built in code that both a library test and a CLI test read.
public enum SampleInputs {
    /// A goroutine dump shaped like a leak: parked workers, a semacquire with elided frames.
    public static let goroutineLeak = """
        goroutine 1 [running]:
        main.main()
        \t/src/main.go:10 +0x1d

        goroutine 7 [chan receive, 12 minutes]:
        main.worker(0xc000010000)
        \t/src/leak.go:31 +0x85
        created by main.spawn in goroutine 1
        \t/src/leak.go:20 +0x32

        goroutine 8 [chan receive, 12 minutes]:
        main.worker(0xc000010010)
        \t/src/leak.go:31 +0x85
        created by main.spawn in goroutine 1
        \t/src/leak.go:20 +0x32

        goroutine 9 [chan receive, 3 minutes]:
        main.worker(0xc000010020)
        \t/src/leak.go:31 +0x85
        created by main.spawn
        \t/src/leak.go:20 +0x32

        goroutine 10 gp=0xc000007a40 m=nil [semacquire, 1 minutes, locked to thread]:
        sync.runtime_SemacquireMutex(0xc000012345?, 0x0?, 0x1?)
        \t/go/src/runtime/sema.go:77 +0x25
        sync.(*Mutex).lockSlow(0xc000012340)
        \t/go/src/sync/mutex.go:171 +0x15d
        ...additional frames elided...

        """

    /// 1 MB lines (a frame, an event-like line of spaces, a line without `\n`) in perf
    /// script text, and the folded stacks they give.
    public static let megabyteLines: (perf: [UInt8], folded: [UInt8]) = {
        var text = Array("prog 4242 [000] 1.000000: 250000 cpu-clock: \n".utf8)
        text += Array("\t1234 ".utf8) + [UInt8](repeating: 0x61, count: 1 << 20) + Array("+0x10 (/opt/app/prog)\n".utf8)
        text += Array("\t1235 caller (/opt/app/prog)\n\n".utf8)
        text += Array("p".utf8) + [UInt8](repeating: 0x20, count: 1 << 20) + Array("\n".utf8)
        text += Array("q 1 ".utf8) + [UInt8](repeating: 0x28, count: 1 << 20)
        let want = Array("prog;caller;".utf8) + [UInt8](repeating: 0x61, count: 1 << 20) + Array(" 250000\n".utf8)
        return (text, want)
    }()

    /// 50 MB of zeros, compressed to about 50 kB.
    public static let gzipBomb: [UInt8] = Gzip.deflate([UInt8](repeating: 0, count: 50_000_000), level: 9)
    /// 50 MB of a valid top-level protobuf field (`period: 1`, bytes 60 01) repeated, gzip'd:
    /// a bomb that the streaming check cannot refuse early, so only the inflate cap stops it.
    public static let protobufBomb: [UInt8] = Gzip.deflate(
        [UInt8](unsafeUninitializedCapacity: 50_000_000) { b, n in
            for i in 0..<50_000_000 { b[i] = i % 2 == 0 ? 0x60 : 0x01 }
            n = 50_000_000
        }, level: 9)

    /// A profile whose function names, file, label and binary hold `"`, `\` and line
    /// breaks: text that must be escaped wherever a DOT string carries it.
    public static func awkwardNames() -> Profile {
        var p = Profile(sampleTypes: [ValueType(type: "samples", unit: "count")])
        var s = p.strings
        p.mappings = [Mapping(id: 1, file: s.intern("/bin/my \"service\\"))]
        let names = ["main.\"quoted\"", "pkg.back\\slash\\", "line\nbreak.fn", "ok.main"]
        let file = s.intern("/src/a\"b\\.go")
        for (i, n) in names.enumerated() {
            let name = s.intern(n)
            p.functions.append(Function(id: UInt64(i + 1), name: name, systemName: name, filename: file))
            p.lines.append(Line(function: Int32(i), line: Int64(10 + i)))
            p.locations.append(
                Location(id: UInt64(i + 1), mapping: 0, address: UInt64(0x1000 + i), lineStart: Int32(i), lineCount: 1))
        }
        let key = s.intern("handler")
        let value = s.intern("say \"hi\" \\ now\nplease")
        p.strings = s
        p.samples.append(
            locations: [0, 1, 3] as [Int32], values: [5] as [Int64], labels: [Label(key: key, str: value)])
        p.samples.append(locations: [2, 3] as [Int32], values: [3] as [Int64])
        return p
    }
}
