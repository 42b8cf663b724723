#!/usr/bin/env bash
# The profile store at scale (issue 21 §6): fills a store with 10,000 profiles of ~1 MB
# and times `store list --label` and `top store:…,last=5`, on SQLite and on PostgreSQL.
#
#   Benchmarks/store.sh                  # both backends (PostgreSQL via .ci/postgres.sh)
#   BACKENDS=sqlite Benchmarks/store.sh  # one backend
#   COUNT=1000 Benchmarks/store.sh       # fewer profiles (a quick look)
#   BIN=/tmp/flamegate Benchmarks/store.sh   # that binary (no build)
#   FILL=0 Benchmarks/store.sh           # time the store the last run filled (no fill)
#   FLAMEGATE_TEST_POSTGRES=postgres://… BACKENDS=postgres Benchmarks/store.sh
#                                        # that server (kept) instead of a throwaway one
#
# The throwaway PostgreSQL is tuned for the bulk load (fsync, synchronous_commit and
# full_page_writes off, wal_level=minimal, max_wal_size=8GB): a benchmark cluster that may
# lose everything in a crash. Reads are unaffected by these settings.
#
# The profiles: one ~1 MB synthetic Go CPU profile (Benchmarks/synthetic, 14,000 distinct
# stacks, gzip) repeated, each copy followed by a second small gzip member that adds two
# `comment` entries (protobuf field 13, string-table indexes i mod 6000 + 1 and i / 6000 + 1)
# — so every copy is different content (the store's dedupe doesn't collapse them), ~1 MB
# each. (A second time_nanos would be refused, as pprof refuses it; so all copies share one
# time, and the store's order among them is the order they were added.) 100 `store add` calls of 100 profiles, labels
# service=svcN (10 services: 1,000 profiles each), batch=B (100 each), branch=main.
# Timings: the median of 5 runs of the release binary, wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-10000}
BATCH=100
BACKENDS=${BACKENDS:-sqlite postgres}
OUT=Benchmarks/out/store
mkdir -p "$OUT"
GO=${GO:-$(command -v go || echo "$GOROOT/bin/go")}

if [[ "${1:-}" != "--inner" ]]; then
    if [[ -z "${BIN:-}" ]]; then
        swift build -c release --product flamegate >&2
        BIN=$(swift build -c release --show-bin-path)/flamegate
    fi
    export BIN
    if [[ ! -s $OUT/base.pb.gz ]]; then
        (cd Benchmarks/synthetic && env GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$GO" build -o "../../$OUT/gen-synthetic" .)
        "$OUT/gen-synthetic" -samples 14000 -functions 4000 -o "$OUT/base.pb.gz" >&2
    fi
    for b in $BACKENDS; do
        if [[ $b == postgres && -n "${FLAMEGATE_TEST_POSTGRES:-}" ]]; then
            "$0" --inner postgres
        elif [[ $b == postgres ]]; then
            POSTGRES_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=8GB -c checkpoint_timeout=30min" \
                .ci/postgres.sh "$0" --inner postgres
        else
            "$0" --inner sqlite
        fi
    done
    exit 0
fi

backend=$2
if [[ $backend == postgres ]]; then
    STORE=$FLAMEGATE_TEST_POSTGRES
else
    [[ ${FILL:-1} == 0 ]] || rm -f "$OUT/store.sqlite" "$OUT/store.sqlite-wal" "$OUT/store.sqlite-shm"
    STORE=sqlite:$OUT/store.sqlite
fi
echo "== $backend: $("$BIN" --version), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
export FLAMEGATE_STORE=$STORE

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time5() { # median wall ms of 5 runs of "$@" (output discarded), after one warm-up run
    "$@" >/dev/null
    for _ in 1 2 3 4 5; do
        local t=$(date +%s%N)
        "$@" >/dev/null
        ms "$t"
    done | median
}

if [[ ${FILL:-1} != 0 ]]; then
echo "== $backend: filling $COUNT profiles of $(stat -c %s "$OUT/base.pb.gz") bytes each (+ a ~27-byte gzip member)" >&2
batchdir=$OUT/batch-$backend
fill_start=$(date +%s%N)
for ((b = 0; b < COUNT / BATCH; b++)); do
    rm -rf "$batchdir" && mkdir -p "$batchdir"
    python3 - "$OUT/base.pb.gz" "$batchdir" "$b" "$BATCH" <<'PY'
import gzip, sys
base = open(sys.argv[1], "rb").read()
out, b, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def varint(v):
    s = bytearray()
    while True:
        byte = v & 0x7F
        v >>= 7
        if v:
            s.append(byte | 0x80)
        else:
            s.append(byte)
            return bytes(s)
for i in range(n):
    k = b * n + i
    extra = b"\x68" + varint(k % 6000 + 1) + b"\x68" + varint(k // 6000 + 1)
    with open(f"{out}/p{i:03d}.pb.gz", "wb") as f:
        f.write(base + gzip.compress(extra, mtime=0))
PY
    "$BIN" store add --label branch=main --label service=svc$((b % 10)) --label batch=$b "$batchdir"/*.pb.gz >/dev/null
done
rm -rf "$batchdir"
fill_ms=$(ms "$fill_start")
echo "fill: $COUNT profiles in $((fill_ms / 1000)) s ($((COUNT * 1000 / (fill_ms > 0 ? fill_ms : 1))) profiles/s)"
fi
if [[ $backend == sqlite ]]; then
    echo "store size: $(du -sh "$OUT/store.sqlite" | cut -f1)"
fi
rows=$("$BIN" store list --label service=svc3 | tail -n +2 | wc -l)
echo "store list --label service=svc3 ($rows rows): $(time5 "$BIN" store list --label service=svc3) ms"
last=$((COUNT / BATCH - 1))
echo "store list --label batch=$last ($("$BIN" store list --label batch=$last | tail -n +2 | wc -l) rows): $(time5 "$BIN" store list --label batch=$last) ms"
echo "store list --label service=svc3 --label batch=3 --format json: $(time5 "$BIN" store list --label service=svc3 --label batch=3 --format json) ms"
echo "top store:service=svc3,last=5: $(time5 "$BIN" top store:service=svc3,last=5) ms"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "top (the same 5 profiles as files): $(
    "$BIN" store export "$("$BIN" store list --label service=svc3 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')" -o "$OUT/one-$backend.pb.gz"
    time5 "$BIN" top "$OUT/one-$backend.pb.gz" "$OUT/one-$backend.pb.gz" "$OUT/one-$backend.pb.gz" "$OUT/one-$backend.pb.gz" "$OUT/one-$backend.pb.gz") ms"
