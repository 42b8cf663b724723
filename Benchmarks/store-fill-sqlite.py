#!/usr/bin/env python3
# The SQLite twin of store-fill-postgres.py: rows exactly as `flamegate store add` writes them for
# Benchmarks/store.sh's series, profile 0 added by flamegate, the rest copied in.
# Faster than store.sh's fill (each profile decoded by `store add`, 14-25/s): used when the
# store must be filled without a release build at hand. Usage (profile 0 = p000 of store.sh):
#   flamegate store add --store STORE --label branch=main --label service=svc0 --label batch=0 p000.pb.gz
#   Benchmarks/store-fill-sqlite.py PATH Benchmarks/out/store/base.pb.gz 10000
#   FILL=0 BIN=… Benchmarks/store.sh   # then time it
import gzip, hashlib, sqlite3, sys, time
path, base_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = open(base_path, "rb").read()
db = sqlite3.connect(path)
rows = db.execute("SELECT time_ns, duration_ns, at_ns, sample_types, hash FROM profiles").fetchall()
assert len(rows) == 1
t, dur, at, types, h0 = rows[0]
def varint(v):
    s = bytearray()
    while True:
        b = v & 0x7F; v >>= 7
        if v: s.append(b | 0x80)
        else: s.append(b); return bytes(s)
def content(k):
    extra = b"\x68" + varint(k % 6000 + 1) + b"\x68" + varint(k // 6000 + 1)
    return base + gzip.compress(extra, mtime=0)
assert hashlib.sha256(content(0)).hexdigest() == h0
now = time.time_ns()
for k in range(1, count):
    b, i = k // 100, k % 100
    data = content(k)
    h = hashlib.sha256(data).hexdigest()
    db.execute("INSERT INTO blobs (hash, size, data) VALUES (?, ?, ?)", (h, len(data), data))
    cur = db.execute("INSERT INTO profiles (hash, label_set, added_ns, time_ns, duration_ns, at_ns, sample_types, source) VALUES (?,?,?,?,?,?,?,?)",
        (h, f"batch={b}\nbranch=main\nservice=svc{b % 10}", now + k, t, dur, at, types, f"Benchmarks/out/store/batch-sqlite/p{i:03d}.pb.gz"))
    pid = cur.lastrowid
    db.executemany("INSERT INTO labels (profile_id, key, value) VALUES (?, ?, ?)", [(pid, "branch", "main"), (pid, "service", f"svc{b % 10}"), (pid, "batch", str(b))])
    if k % 100 == 99:
        db.commit()
    if k % 1000 == 0: print(f"{k}", file=sys.stderr, flush=True)
db.commit()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"filled to {count}", file=sys.stderr)
