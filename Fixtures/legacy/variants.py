#!/usr/bin/env python3
"""Derives the legacy-format variants no producer here writes from the real profiles in
Tests/Fixtures/legacy/pprof-testdata (google/pprof's test data): gperftools' binary CPU
profile in the other word widths and byte orders, the heap header spellings pprof reads
(heap_v2/N, heapprofile, heap without a period, fragmentationz), gperftools' own heap
layout (MAPPED_LIBRARIES: followed by /proc/self/maps lines), glog-prefixed and
$attribute memory maps, and threadz's "no stack trace" end marker. refs.sh then records
what `go tool pprof` makes of each.

    Fixtures/legacy/variants.py
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "legacy")
SRC = os.path.join(ROOT, "pprof-testdata")
OUT = os.path.join(ROOT, "variants")


def read(name):
    with open(os.path.join(SRC, name), "rb") as f:
        return f.read()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def cpu_words(data, width, order):
    """The binary part (header, samples, end marker) as words, and the text after it."""
    fmt = order + ("I" if width == 4 else "Q")
    words, pos = [], 0

    def word():
        nonlocal pos
        (w,) = struct.unpack_from(fmt, data, pos)
        pos += width
        return w

    words += [word() for _ in range(5)]
    while True:
        count, n = word(), word()
        addrs = [word() for _ in range(n)]
        words += [count, n] + addrs
        if count == 0 and n == 1 and addrs[0] == 0:
            return words, data[pos:]


def reencode(src, src_width, src_order, width, order, name):
    words, trailer = cpu_words(read(src), src_width, src_order)
    if width == 4 and max(words) >= 1 << 32:
        raise SystemExit(f"{src}: a word does not fit in 32 bits")
    fmt = order + ("I" if width == 4 else "Q")
    write(name, b"".join(struct.pack(fmt, w) for w in words) + trailer)


def replace_first_line(src, line, name):
    data = read(src)
    write(name, line.encode() + data[data.index(b"\n"):])


os.makedirs(OUT, exist_ok=True)
# Binary CPU profiles: go.crc32.cpu is 64-bit little-endian, java.cpu 32-bit little-endian.
reencode("go.crc32.cpu", 8, "<", 8, ">", "go.crc32.cpu.64be")
reencode("go.crc32.cpu", 8, "<", 4, "<", "go.crc32.cpu.32le")
reencode("go.crc32.cpu", 8, "<", 4, ">", "go.crc32.cpu.32be")
reencode("java.cpu", 4, "<", 8, ">", "java.cpu.64be")

# Heap headers: the sampling rate decides the unsampling (scaleHeapSample).
replace_first_line("gobench.heap", "heap profile: 13: 1595680 [47130736: 2584596557304] @ heap_v2/524288",
                   "gobench.heap_v2")
replace_first_line("gobench.heap", "heap profile: 13: 1595680 [47130736: 2584596557304] @ heapprofile",
                   "gobench.heapprofile")
replace_first_line("gobench.heap", "heap profile: 13: 1595680 [47130736: 2584596557304] @ heap",
                   "gobench.heap-noperiod")
# fragmentationz: growthz's layout under another name (its first samples and the map).
growth = read("cppbench.growth").split(b"\n")
mapat = growth.index(b"--- Memory map: ---")
write("cppbench.fragmentation",
      b"\n".join([b"heap profile:     85: 178257920 [    85: 178257920] @ fragmentationz"]
                 + growth[1:12] + growth[mapat:]))

# gperftools' heap profiler: samples, then MAPPED_LIBRARIES: and /proc/self/maps lines —
# split executable ranges, offsets, a non-executable range, a deleted file, [vdso].
heap = read("cppbench.heap")
samples = heap[:heap.index(b"--- Memory map: ---")]
maps = b"""MAPPED_LIBRARIES:
00400000-00a00000 r-xp 00000000 08:01 1183 /home/cppbench_server_main
00a00000-00fcb000 r-xp 00600000 08:01 1183 /home/cppbench_server_main
011cb000-011d0000 rw-p 00dcb000 08:01 1183 /home/cppbench_server_main
7f47a4351000-7f47a4352000 r-xp 00000000 08:01 2201 /lib/libnss_borg-2.15.so (deleted)
7f47a4b73000-7f47a4d21000 r-xp 00000000 08:01 2202 /lib/libc-2.15.so
7f47a542f000-7f47a5447000 r-xp 00000000 08:01 2203 /lib/libpthread-2.15.so
7f47a5447000-7f47a5646000 ---p 00018000 08:01 2203 /lib/libpthread-2.15.so
7fff63dfe000-7fff63e00000 r-xp 00000000 00:00 0 [vdso]
"""
write("cppbench.heap.mapped_libraries", samples + maps)

# A contention profile whose memory map came through glog (prefixes) and names its
# binary through an attribute.
cont = read("cppbench.contention")
body = cont[:cont.index(b"--- Memory map: ---")]
glog = b"""--- Memory map: ---
I0101 00:00:00.000000  4242 profiledata.cc:88] bin=/srv/cppbench_server_main
I0101 00:00:00.000000  4242 profiledata.cc:88]   00400000-00fcb000: $bin (@0) 0123abcd
I0101 00:00:00.000000  4242 profiledata.cc:88]   7fcdc2feb000-7fcdc3003000: /lib/libpthread-2.15.so
"""
write("cppbench.contention.glog", body + glog)

# threadz: a thread without a stack ends the threads.
thread = read("cppbench.thread")
head, tail = thread.split(b"--- Memory map: ---", 1)
write("cppbench.thread.nostack", head + b"---- no stack trace for thread 7f7948978701\n--- Memory map: ---" + tail)
print("wrote", OUT)
