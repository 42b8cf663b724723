#!/usr/bin/env bash
# Speed and memory of `flamegate trace pprof --kind sched` beside `go tool trace
# -pprof=sched` on a large Go execution trace (issue 20: ≥ 200 MB; goal ≥ 10× faster,
# memory flat as the trace grows), with a check that both profiles give the same
# `go tool pprof -top`.
#
#   Benchmarks/trace.sh [SIZE_MB]        (default 200)
#
# Generates Benchmarks/out/trace-SIZE.trace with Fixtures/trace/tracegen -mode big
# (Go 1.27; GC churn, mutex contention, channels and tasks in a loop) until it is at least
# SIZE_MB, builds flamegate in release, and runs each tool 3 times under /usr/bin/time
# (wall seconds, max RSS). Environment: GO127 (default: go on PATH, go1.27.x),
# FLAMEGATE (default: the release build in .build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZE=${1:-200}
OUT=$ROOT/Benchmarks/out
GO127=${GO127:-$(command -v go || true)}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
mkdir -p "$OUT"
T=$OUT/trace-$SIZE.trace
if [[ ! -s $T ]] || (( $(stat -c %s "$T") < SIZE * 1000000 )); then
    (cd Fixtures/trace/tracegen && CGO_ENABLED=0 "$GO127" build -o "$OUT/tracegen" .)
    secs=10
    while :; do
        "$OUT/tracegen" -mode big -seconds "$secs" -o "$T"
        have=$(stat -c %s "$T")
        (( have >= SIZE * 1000000 )) && break
        secs=$(( secs * SIZE * 1000000 / have + 2 ))
    done
fi
echo "trace: $T ($(( $(stat -c %s "$T") / 1000000 )) MB)"
if [[ -z "${FLAMEGATE:-}" ]]; then
    swift build -c release --product flamegate >&2
    FLAMEGATE=$ROOT/.build/release/flamegate
fi
measure() { # measure NAME CMD...: RUNS runs (default 3), prints wall s and max RSS MB of each
    local name=$1; shift
    for i in $(seq 1 "${RUNS:-3}"); do
        /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > /dev/null
        read -r wall rss < "$OUT/time.txt"
        echo "$name run $i: ${wall}s, $(( rss / 1024 )) MB max RSS"
    done
}
measure "go tool trace -pprof=sched" sh -c "\"$GO127\" tool trace -pprof=sched \"$T\" > \"$OUT/go-sched.pb\""
measure "flamegate trace pprof --kind sched" "$FLAMEGATE" trace pprof --kind sched "$T" -o "$OUT/fg-sched.pb.gz"
"$GO127" tool pprof -top -nodecount=100000 -sample_index=delay "$OUT/go-sched.pb" 2>/dev/null | sort > "$OUT/go-sched.top"
"$GO127" tool pprof -top -nodecount=100000 -sample_index=delay "$OUT/fg-sched.pb.gz" 2>/dev/null | sort > "$OUT/fg-sched.top"
if cmp -s "$OUT/go-sched.top" "$OUT/fg-sched.top"; then echo "same -top (as sets of rows)"; else echo "-top DIFFERS"; exit 1; fi
