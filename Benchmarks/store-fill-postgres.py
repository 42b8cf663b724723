#!/usr/bin/env python3
# Fills a PostgreSQL store to COUNT profiles with exactly the rows `flamegate store add`
# writes for Benchmarks/store.sh's series (same bytes, hashes, labels, facts), by COPY:
# profile 0 must already have been added by flamegate (its facts are copied).
# Faster than store.sh's fill (each profile decoded by `store add`, 14-25/s): used when the
# store must be filled without a release build at hand. Usage (profile 0 = p000 of store.sh):
#   flamegate store add --store STORE --label branch=main --label service=svc0 --label batch=0 p000.pb.gz
#   Benchmarks/store-fill-postgres.py URL Benchmarks/out/store/base.pb.gz 10000
#   FILL=0 BIN=… Benchmarks/store.sh   # then time it
import gzip, hashlib, subprocess, sys, time
url, base_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = open(base_path, "rb").read()
def psql(args, **kw):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt"] + args, check=True, **kw)
row = psql(["-c", "SELECT time_ns, duration_ns, at_ns, sample_types, count(*) OVER () FROM profiles ORDER BY id LIMIT 1"],
           capture_output=True, text=True).stdout.strip().split("|")
t, dur, at, types, n = int(row[0]), int(row[1]), int(row[2]), row[3], int(row[4])
assert n == 1, f"expected exactly one profile stored by flamegate, found {n}"
def varint(v):
    s = bytearray()
    while True:
        b = v & 0x7F; v >>= 7
        if v: s.append(b | 0x80)
        else: s.append(b); return bytes(s)
def content(k):
    extra = b"\x68" + varint(k % 6000 + 1) + b"\x68" + varint(k // 6000 + 1)
    return base + gzip.compress(extra, mtime=0)
first = content(0)
h0 = psql(["-c", "SELECT hash FROM profiles WHERE id = (SELECT min(id) FROM profiles)"], capture_output=True, text=True).stdout.strip()
assert h0 == hashlib.sha256(first).hexdigest(), "profile 0 is not the series' first content"
now = time.time_ns()
blobs = subprocess.Popen(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", "COPY blobs (hash, size, data) FROM STDIN"], stdin=subprocess.PIPE)
profiles, labels = [], []
for k in range(1, count):
    b, i = k // 100, k % 100
    data = content(k)
    h = hashlib.sha256(data).hexdigest()
    blobs.stdin.write(f"{h}\t{len(data)}\t\\\\x{data.hex()}\n".encode())
    labelset = f"batch={b}\\nbranch=main\\nservice=svc{b % 10}"
    pid = k + 1
    profiles.append(f"{pid}\t{h}\t{labelset}\t{now + k}\t{t}\t{dur}\t{at}\t{types}\tBenchmarks/out/store/batch-postgres/p{i:03d}.pb.gz\n")
    labels += [f"{pid}\tbranch\tmain\n", f"{pid}\tservice\tsvc{b % 10}\n", f"{pid}\tbatch\t{b}\n"]
    if k % 1000 == 0: print(f"{k} blobs", file=sys.stderr, flush=True)
blobs.stdin.close()
assert blobs.wait() == 0
psql(["-c", "COPY profiles (id, hash, label_set, added_ns, time_ns, duration_ns, at_ns, sample_types, source) FROM STDIN"], input="".join(profiles), text=True)
psql(["-c", "COPY labels (profile_id, key, value) FROM STDIN"], input="".join(labels), text=True)
psql(["-c", "SELECT setval(pg_get_serial_sequence('profiles', 'id'), (SELECT max(id) FROM profiles)); ANALYZE"])
print(f"filled to {count} profiles", file=sys.stderr)
