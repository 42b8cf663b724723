import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// The legacy readers' rules one at a time, on small inputs (the files from real
/// producers are held to pprof's own output in LegacyParityTests).
@Suite struct LegacyReadersTests {
    static func read(_ text: String) throws -> Profile { try read(Array(text.utf8)) }

    static func read(_ bytes: [UInt8]) throws -> Profile {
        try bytes.withUnsafeBytes { b throws(InputError) in
            try LegacyProfileFormat().read(b, context: ProfileReadContext(source: "test"))
        }
    }

    @Test func heapRecordsAreUnsampledAtTheHeaderRate() throws {
        // Go writes twice its MemProfileRate: heap/1048576 means one sample per 512 KiB.
        let p = try Self.read("heap profile: 1: 4096 [1: 4096] @ heap/1048576\n1: 4096 [1: 4096] @ 0x1001 0x2002\n")
        let (count, size) = LegacyHeapReader.scale(1, 4096, rate: 524288)
        #expect(count == 128 && size > 526_000 && size < 527_000)  // 1/(1-e^(-4096/524288)) ≈ 128.5
        #expect(p.sampleTypes.map(\.type) == ["objects", "space"])
        #expect(Array(p.samples.values) == [count, size])
        // Every frame is a return address: one byte back.
        #expect(p.locations.map(\.address) == [0x1000, 0x2001])
        #expect(p.samples.labels.map(\.num) == [4096])
        #expect(p.period == 524288 && p.periodType == ValueType(type: "space", unit: "bytes"))
        #expect(p.dropFrames.contains("runtime\\..*") && p.keepFrames.contains("runtime\\.panic"))
    }

    @Test func heapSpellings() throws {
        func period(_ header: String) throws -> Int64 { try Self.read(header + "\n1: 10 [1: 10] @ 0x1\n").period }
        #expect(try period("heap profile: 1: 10 [1: 10] @ heap_v2/4096") == 4096)
        #expect(try period("heap profile: 1: 10 [1: 10] @ heapprofile") == 1)
        #expect(try period("heap profile: 1: 10 [1: 10] @ heap") == 0)
        #expect(try period("heap profile: 1: 10 [1: 10] @ growthz") == 1)
        #expect(try period("heap profile: 1: 10 [1: 10] @ fragmentationz") == 1)
        // Different alloc columns: four sample types, alloc first so inuse_space is the default.
        let p = try Self.read("heap profile: 1: 10 [2: 20] @ heapprofile\n1: 10 [2: 20] @ 0x1\n")
        #expect(p.sampleTypes.count == 4 && Array(p.samples.values) == [2, 20, 1, 10])
        // A record with nothing in use still carries its (zero) block size, as pprof's does.
        let z = try Self.read("heap profile: 0: 0 [0: 0] @ heapprofile\n0: 0 [0: 0] @ 0x1\n")
        #expect(z.samples.labels.count == 1 && z.samples.labels[0].num == 0)
    }

    @Test func contentionCyclesBecomeNanoseconds() throws {
        let p = try Self.read(
            "--- contentionz 1 ---\ncycles/second = 2000000000\nsampling period = 10\nms since reset = 5\n"
                + "  4000 3 @ 0x11 0x22\n")
        // 4000 cycles × period 10 at 2 GHz = 20000 ns; 3 contentions × 10.
        #expect(Array(p.samples.values) == [30, 20000])
        #expect(p.durationNanos == 5_000_000)
        #expect(p.sampleTypes.map(\.type) == ["contentions", "delay"])
        #expect(p.dropFrames.contains("RecordLockProfileData"))
    }

    @Test func threadzCountsSameStacksAndKeepsTheLeaf() throws {
        let text = """
            --- threadz 1 ---

            --- Thread 1 (name: a/1) stack: ---
              PC: 0x1000 0x2001 0x3001
            --- Thread 2 (name: b/2) stack: ---
              [same as previous thread]
            --- Memory map: ---
              00000000-00004000: /bin/app
            """
        let p = try Self.read(text)
        #expect(p.samples.count == 1 && p.samples.values == [2])
        // The leaf is not a call: it keeps its address; its callers move back one byte.
        #expect(p.locations.map(\.address) == [0x1000, 0x2000, 0x3000])
        #expect(p.mappings.count == 1 && p.strings[p.mappings[0].file] == "/bin/app")
    }

    /// gperftools' header in all four word layouts, Java's flag, the trailer.
    @Test func binaryCPUHeaderInEveryLayout() throws {
        for (width, bigEndian) in [(4, false), (4, true), (8, false), (8, true)] {
            var b: [UInt8] = []
            func word(_ v: UInt64) {
                for k in 0..<width {
                    let shift = UInt64(bigEndian ? width - 1 - k : k) * 8
                    b.append(UInt8(truncatingIfNeeded: v >> shift))
                }
            }
            // header; 2 samples of 0x500 ← 0x601, 1 of 0x700 ← 0x801 ← 0x901; trailer. (Had
            // nearly all samples the same caller of the leaf, pprof would drop it as the
            // profiler's signal frame.)
            for w: UInt64 in [0, 3, 0, 10000, 0, 2, 2, 0x500, 0x601, 1, 3, 0x700, 0x801, 0x901, 0, 1, 0] { word(w) }
            let p = try Self.read(b)
            #expect(p.period == 10_000_000, "\(width) \(bigEndian)")
            #expect(Array(p.samples.values) == [2, 20_000_000, 1, 10_000_000])
            #expect(p.locations.map(\.address) == [0x500, 0x600, 0x700, 0x800, 0x900])
            // No memory map: the locations go to one mapping covering everything.
            #expect(p.mappings.count == 1 && p.mappings[0].limit == UInt64.max)
        }
    }

    @Test func javaHeapIsUnsampledAtHalfAMegabyte() throws {
        let p = try Self.read(
            """
            --- heapz 1 ---
            format = java
            resolution = bytes
              1000 10 @ 0x0000001 0x0000002

             0x0000001 com.example.Leaf.alloc (Leaf.java:12)
             0x0000002 VM

            """)
        let (count, size) = LegacyHeapReader.scale(10, 1000, rate: 524288)
        #expect(Array(p.samples.values) == [count, size])
        #expect(p.samples.labels.map(\.num) == [100])
        #expect(p.functions.map { p.strings[$0.name] } == ["com.example.Leaf.alloc", "VM"])
        #expect(p.lines.map(\.line) == [12, 0])
        #expect(p.locations.allSatisfy { $0.address == 0 })
        #expect(p.periodType == ValueType(type: "", unit: ""))
    }

    @Test func memoryMapLayouts() throws {
        let heap = "heap profile: 1: 10 [1: 10] @ heapprofile\n1: 10 [1: 10] @ 0x401001 0x7f0000001001\n"
        let p = try Self.read(
            heap + """
                MAPPED_LIBRARIES:
                I0101 00:00:00.000000 1 x.cc:1] lib=/lib/libc.so.6
                00400000-00500000 r-xp 00000000 08:01 7 /bin/app
                00500000-00600000 rw-p 00100000 08:01 7 /bin/app
                7f0000000000-7f0000100000 r-xp 00000000 08:01 9 $lib
                """)
        #expect(p.mappings.map { p.strings[$0.file] } == ["/bin/app", "/lib/libc.so.6"])
        #expect(p.locations.map { p.mappings[Int($0.mapping)].id } == [1, 2])
    }

    @Test func refusals() throws {
        func error(_ text: String) -> String {
            do {
                _ = try Self.read(text)
                return "read"
            } catch { return "\(error)" }
        }
        #expect(error("goroutine profile: total 1\n1 @\n").contains("line 2"))
        #expect(error("heap profile: 1: 10 [1: 10] @ heap/2\n0: 8 [1: 10] @ 0x1\n").contains("in-use count is 0"))
        #expect(
            error("--- heapz 1 ---\nformat = java\nresolution = bytes\n 10 0 @ 0x1\n").contains(
                "count (its second number) is 0"))
        #expect(
            error("--- contentionz 1 ---\nformat = java\n 10 1 @ 0x1\n").contains("missing sample type information"))
        #expect(
            error("heap profile: 1: 10 [1: 10] @ heap/2\n" + String(repeating: "1", count: 70_000) + "\n").contains(
                "line 2"))
    }
}
