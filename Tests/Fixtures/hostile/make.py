#!/usr/bin/env python3
"""Writes the hostile inputs of issue 22 (one per case) into this folder:

  overflow.pb          two samples of 2^63-1 ns: their total wraps int64
  min-value.pb         one sample of -2^63 (its negation, as -diff_base does, wraps)
  overflow-merge.pb    one sample of 2^62+1: two copies merged wrap
  inline-bomb.pb.gz    one location with 10,000,000 identical inline lines (merged into one)
  inline-deep.pb.gz    one location with 1,100,000 distinct inline lines (past the frame cap)
  long-line.folded     a valid folded file whose first line is 100 KiB long
  bomb.pb.gz           2 GiB of zeros, gzip'd (~2 MB)

  python3 Tests/Fixtures/hostile/make.py
"""
import gzip, os, struct, zlib

here = os.path.dirname(os.path.abspath(__file__))

def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def field(num, wire, payload):
    key = varint(num << 3 | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload

def msg(*fields):
    return b"".join(fields)

def profile(samples, locations, functions, strings, period_type=("cpu", "nanoseconds")):
    """samples: [(location ids, [values])]; locations: [(id, [(function id, line)])]."""
    s = list(strings)
    def sid(x):
        if x not in s:
            s.append(x)
        return s.index(x)
    out = bytearray()
    out += field(1, 2, msg(field(1, 0, sid("samples")), field(2, 0, sid("count"))))
    out += field(1, 2, msg(field(1, 0, sid(period_type[0])), field(2, 0, sid(period_type[1]))))
    for locs, vals in samples:
        out += field(2, 2, msg(field(1, 2, b"".join(varint(l) for l in locs)),
                               field(2, 2, b"".join(varint(v) for v in vals))))
    for lid, lines in locations:
        body = field(1, 0, lid)
        for fid, line in lines:
            body += field(4, 2, msg(field(1, 0, fid), field(2, 0, line)))
        out += field(4, 2, body)
    for fid, name in functions:
        out += field(5, 2, msg(field(1, 0, fid), field(2, 0, sid(name)), field(4, 0, sid("main.go"))))
    strings_blob = b"".join(field(6, 2, x.encode()) for x in s)
    out += field(11, 2, msg(field(1, 0, sid(period_type[0])), field(2, 0, sid(period_type[1]))))
    out += field(12, 0, 10000000)
    # the string table must be complete before writing: re-emit with the final list
    return bytes(out), s

def write_profile(name, samples, locations, functions, compress=False):
    body, strings = profile(samples, locations, functions, [""])
    body, strings = profile(samples, locations, functions, strings)
    data = body + b"".join(field(6, 2, x.encode()) for x in strings)
    if compress:
        data = gzip.compress(data, 9)
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)

MAX = (1 << 63) - 1
funcs = [(1, "main.main"), (2, "main.spin"), (3, "main.wait")]
locs = [(1, [(1, 10)]), (2, [(2, 20)]), (3, [(3, 30)])]
write_profile("overflow.pb", [([2, 1], [1, MAX]), ([3, 1], [1, MAX])], locs, funcs)
write_profile("min-value.pb", [([2, 1], [1, -(1 << 63)])], locs, funcs)
write_profile("overflow-merge.pb", [([2, 1], [1, (1 << 62) + 1])], locs, funcs)

def inline_profile(name, line_bytes, count):
    """A profile whose only location holds `count` copies of an inline line, written
    without building it in memory (the generic writer would take minutes)."""
    body, strings = profile([([1], [1, 1000])], [], funcs, [""])
    body, strings = profile([([1], [1, 1000])], [], funcs, strings)
    loc = bytearray(field(1, 0, 1))
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(os.path.join(here, name), "wb") as f:
        f.write(z.compress(body + b"".join(field(6, 2, x.encode()) for x in strings)))
        lines = [line_bytes(i) for i in range(count)]
        payload = b"".join(lines)
        f.write(z.compress(varint(4 << 3 | 2) + varint(len(loc) + len(payload)) + loc))
        f.write(z.compress(payload))
        f.write(z.flush())

inline_profile("inline-bomb.pb.gz", lambda i: field(4, 2, msg(field(1, 0, 2), field(2, 0, 20))), 10_000_000)
inline_profile("inline-deep.pb.gz", lambda i: field(4, 2, msg(field(1, 0, 2), field(2, 0, i + 1))), 1_100_000)

with open(os.path.join(here, "long-line.folded"), "w") as f:
    frames = ";".join("frame%05d" % i for i in range(10_000))
    f.write("main;" + frames + " 7\nmain;other 3\n")

# 2 GiB of zeros, compressed in pieces so the generator needs little memory.
z = zlib.compressobj(9, zlib.DEFLATED, 31)
chunk = bytes(1 << 20)
with open(os.path.join(here, "bomb.pb.gz"), "wb") as f:
    for _ in range(2048):
        f.write(z.compress(chunk))
    f.write(z.flush())
