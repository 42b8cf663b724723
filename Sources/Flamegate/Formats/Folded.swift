#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Folded stacks (`frame;frame;frame count` lines), the format of Brendan Gregg's
/// stackcollapse scripts and flamegraph.pl.
public enum FoldedStacks {
    /// Byte-wise comparison, as Perl's default `sort` (no locale): a prefix sorts first.
    @inline(__always)
    public static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let m = min(a.count, b.count)
        let c = a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in m == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, m) } }
        return c != 0 ? c < 0 : a.count < b.count
    }

    /// `stack count\n` for every stack, sorted byte-wise by stack.
    public static func write(_ stacks: [[UInt8]: UInt64]) -> [UInt8] {
        let keys = stacks.keys.sorted(by: precedes)
        var out = [UInt8]()
        out.reserveCapacity(keys.reduce(0) { $0 + $1.count + 12 })
        for k in keys {
            out.append(contentsOf: k)
            out.append(0x20)
            appendDecimal(stacks[k]!, to: &out)
            out.append(0x0A)
        }
        return out
    }

    static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v == 0 {
            out.append(0x30)
            return
        }
        var digits: (UInt64, Int) = (v, 0)
        var tmp = [UInt8](repeating: 0, count: 20)
        while digits.0 > 0 {
            tmp[19 - digits.1] = UInt8(digits.0 % 10) + 0x30
            digits.0 /= 10
            digits.1 += 1
        }
        out.append(contentsOf: tmp[(20 - digits.1)...])
    }
}

extension FoldedStacks {
    /// Folded output of stacks kept in one arena (`starts`/`lengths` index it).
    static func write(arena: [UInt8], starts: [Int], lengths: [Int], counts: [UInt64]) -> [UInt8] {
        var order = Array(starts.indices)
        arena.withUnsafeBytes { a in
            let base = a.baseAddress
            order.sort { x, y in
                let lx = lengths[x]
                let ly = lengths[y]
                let m = min(lx, ly)
                let c = m == 0 ? 0 : memcmp(base! + starts[x], base! + starts[y], m)
                return c != 0 ? c < 0 : lx < ly
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(arena.count + starts.count * 12)
        for e in order {
            out.append(contentsOf: arena[starts[e]..<(starts[e] + lengths[e])])
            out.append(0x20)
            appendDecimal(counts[e], to: &out)
            out.append(0x0A)
        }
        return out
    }
}
