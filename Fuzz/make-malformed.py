#!/usr/bin/env python3
"""Writes the hand-crafted inputs of Tests/Fixtures/malformed/<reader>/ (one file each:
truncated, garbage, hostile lengths, hostile nesting...). Crashes that fuzzing finds are
added there too, minimized, under names starting with `crash-`. Run from the repository root."""
import gzip, os, random

ROOT = "Tests/Fixtures/malformed"


def put(reader, name, data):
    os.makedirs(f"{ROOT}/{reader}", exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(f"{ROOT}/{reader}/{name}", "wb") as f:
        f.write(data)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, wire, payload=b""):
    key = varint(num << 3 | wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def gz(data):
    return gzip.compress(data, mtime=0)


# --- pprof ------------------------------------------------------------------------------
good = gzip.decompress(open("Tests/Fixtures/pprof/go1.19/threadcreate.pb.gz", "rb").read())
# A gzip stream cut in the middle.
put("pprof", "truncated.pb.gz", open("Tests/Fixtures/pprof/go1.19/threadcreate.pb.gz", "rb").read()[:200])
# Raw protobuf cut in the middle of a message.
put("pprof", "truncated-message.pb", good[: len(good) // 2])
# A length prefix of 2^32 bytes in a 12-byte file.
put("pprof", "hostile-length.pb", field(1, 0, varint(1))[:0] + varint(1 << 3 | 2) + varint(0xFFFFFFFF) + b"\x08\x01")
# A varint that never ends (11 continuation bytes).
put("pprof", "varint-overlong.pb", b"\x08" + b"\xff" * 11 + b"\x01")
# 65,536 empty sample types and 65,536 empty samples: sizing the value buffer by
# samples × types (32 GiB) before checking them against the bytes used to trap.
put("pprof", "types-times-samples.pb.gz", gz(b"\x0a\x00" * 65536 + b"\x12\x00" * 65536 + field(6, 2, b"")))
# A sample referring to a location id that is not in the profile.
prof = (field(1, 2, field(1, 0, varint(1)) + field(2, 0, varint(2)))
        + field(2, 2, field(1, 2, varint(99)) + field(2, 2, varint(5)))
        + b"".join(field(6, 2, s) for s in [b"", b"samples", b"count"]))
put("pprof", "missing-location.pb", prof)
# Random bytes that are neither gzip, protobuf nor text.
rnd = random.Random(8)
put("pprof", "garbage.bin", bytes([0x0F]) + bytes(rnd.randrange(256) for _ in range(255)))
# gzip whose trailer claims 4 GiB (ISIZE is untrusted; it must not size an allocation).
g = bytearray(gz(good[:40]))
g[-4:] = b"\xff\xff\xff\xff"
put("pprof", "hostile-isize.pb.gz", bytes(g))

# --- perf script ------------------------------------------------------------------------
# Frame lines without any sample header line.
put("perf", "frames-only.txt", "\t          4005d6 main (/tmp/cwork)\n\t          4005e1 __libc_start_main (/lib/libc.so.6)\n")
# Only perf's header comments.
put("perf", "header-only.txt", "# ========\n# captured on    : Thu Jan  1 00:00:00 2026\n# ========\n#\n")
# A sample header, then binary junk with NUL bytes.
put("perf", "nul-bytes.txt", b"cwork 1234 [000] 100.000001: 250000 cpu-clock:\n\t  4005d6 main (/tmp/cwork)\n\x00\x01\x02\x00\n\n")

# --- folded stacks ----------------------------------------------------------------------
put("folded", "no-count.txt", "main;work;compute\nmain;work;io\n")
put("folded", "count-overflow.txt", "main;work 99999999999999999999999\n")
put("folded", "mixed-columns.txt", "main;a;b 1 2\nmain;a;c 3\n")

# --- finding rules (YAML) ---------------------------------------------------------------
# 20,000 nested flow sequences: recursion in the YAML composer used to overflow the stack.
put("rules", "deep-nesting.yml", "rules: " + "[" * 20000 + "]" * 20000 + "\n")
put("rules", "unknown-key.yml", "rules:\n  - id: x\n    frames: 'runtime\\.mallocgc'\n    min_share: 5\n    treshold: 3\n")
put("rules", "bad-regex.yml", "rules:\n  - id: x\n    frames: '(unclosed'\n    min_share: 5\n")
put("rules", "invalid-yaml.yml", "rules:\n  - id: [x\n  frames: : :\n\t- tab\n")

# --- Go benchmark output ----------------------------------------------------------------
put("gobench", "no-results.txt", "goos: linux\ngoarch: amd64\nPASS\nok  \texample.com/x\t0.01s\n")
put("gobench", "bad-result.txt", "BenchmarkX-8   notanumber   12 ns/op\nBenchmarkY-8 100 ns/op 12\n")

# --- Go escape analysis output ----------------------------------------------------------
put("goescape", "no-diagnostics.txt", "# example.com/x\nsome build chatter\nwithout positions\n")
put("goescape", "garbage.bin", bytes(rnd.randrange(1, 256) for _ in range(200)))

# --- goroutine dumps --------------------------------------------------------------------
# The sniffer looks at the first 4096 bytes of the first line, which end like a header
# ("]:"); the whole line does not, so the parser finds no goroutine.
put("goroutine", "header-past-4k.txt", "goroutine 1 [" + "a" * (4096 - 15) + "]:tail\n\tmain.go:1\n")
# A panic message without any goroutine block.
put("goroutine", "no-goroutines.txt", "panic: runtime error: index out of range [3] with length 3\n\n[signal SIGSEGV: segmentation violation]\n")

# --- gate rules (YAML) -----------------------------------------------------------------
rule = "rules:\n  - name: map\n    kind: profile\n    frames: 'runtime\\.map'\n"
put("gaterules", "empty.yml", "")
put("gaterules", "no-rules.yml", "base: base.pb.gz\ncandidate: cand.pb.gz\n")
put("gaterules", "unknown-key.yml", rule + "    compare: share\n    treshold: 5\n")
put("gaterules", "compare-not-for-kind.yml",
    "rules:\n  - name: speed\n    kind: bench\n    benchmark: Map\n    compare: share\n    threshold: 5\n")
put("gaterules", "duplicate-name.yml", rule + "    threshold: 5\n" + rule[len("rules:\n"):] + "    threshold: 6\n")
put("gaterules", "nan-threshold.yml", rule + "    threshold: .nan\n")
put("gaterules", "alpha-out-of-range.yml", "alpha: 1.5\n" + rule + "    threshold: 5\n")
put("gaterules", "bad-regex.yml", rule.replace("'runtime\\.map'", "'(unclosed'") + "    threshold: 5\n")
put("gaterules", "deep-nesting.yml", "rules: " + "{a: " * 20000 + "1" + "}" * 20000 + "\n")
put("gaterules", "garbage.bin", bytes(rnd.randrange(0, 256) for _ in range(300)))
# Perl syntax that RE2 (and so pprof and Flamegate) refuses: lookahead, backreference.
put("gaterules", "perl-lookahead.yml", rule.replace("'runtime\\.map'", "'^(?=main\\.)'") + "    threshold: 5\n")
put("rules", "perl-backreference.yml", "rules:\n  - id: x\n    frames: '(a)\\1'\n    min_share: 5\n")
put("rules", "min-share-out-of-range.yml", "rules:\n  - id: x\n    frames: 'runtime\\.mallocgc'\n    min_share: .nan\n")
