#!/usr/bin/env bash
# Capture pprof fixtures from Fixtures/go/service and write `go tool pprof`
# reference outputs next to them. See Fixtures/pprof/README.md.
#
#   Fixtures/pprof/capture.sh                 # all standard sets
#   Fixtures/pprof/capture.sh go1.27          # one standard set
#   GO=/path/to/go OUT=Tests/Fixtures/pprof/x MODE=fixed PROFILES="cpu heap" \
#     Fixtures/pprof/capture.sh               # a custom set
#
# Standard sets (under Tests/Fixtures/pprof/):
#   go1.27        service built by modern Go (PPROF_GO), -mode=regress, all profiles
#   go1.27-fixed  service built by modern Go, -mode=fixed, cpu allocs heap
#   go1.19        service built by /usr/lib/go-1.19/bin/go, -mode=regress, all profiles
#
# Environment:
#   PPROF_GO      go whose `go tool pprof` makes the references (default: go on
#                 PATH, else the pip-installed go). Must be go1.27.3 for the
#                 committed references.
#   GO            go that builds the service (default PPROF_GO)
#   OUT           output folder (a custom set; relative to the repository root)
#   MODE          regress | fixed (default regress)
#   PROFILES      which profiles to capture (default: all)
#   SECONDS_CPU   CPU profile length (default 5)
#   LOAD          load-generator goroutines (default 14)
#   PACE          pause of each load goroutine between requests (default 1ms;
#                 keeps the CPU profile at roughly 400-500 samples so the
#                 -traces/-raw references stay small)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERVICE_DIR=$ROOT/Fixtures/go/service
ALL_PROFILES="cpu cpu2 heap allocs block mutex goroutine threadcreate"

if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
export PPROF_GO
[[ -x "$PPROF_GO" ]] || { echo "capture.sh: no go for pprof at $PPROF_GO" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Without OUT: run the standard sets by calling ourselves once per set.
if [[ -z "${OUT:-}" ]]; then
    sets=("$@")
    [[ ${#sets[@]} -gt 0 ]] || sets=(go1.27 go1.27-fixed go1.19)
    for set in "${sets[@]}"; do
        case $set in
        go1.27)       GO=$PPROF_GO MODE=regress PROFILES=$ALL_PROFILES ;;
        go1.27-fixed) GO=$PPROF_GO MODE=fixed PROFILES="cpu allocs heap" ;;
        go1.19)       GO=/usr/lib/go-1.19/bin/go MODE=regress PROFILES=$ALL_PROFILES
                      if [[ ! -x $GO ]]; then
                          echo "capture.sh: $GO missing (apt-get install -y golang-1.19-go)" >&2; exit 1
                      fi ;;
        *) echo "capture.sh: unknown set $set" >&2; exit 2 ;;
        esac
        echo "== set $set"
        GO=$GO MODE=$MODE PROFILES=$PROFILES OUT=Tests/Fixtures/pprof/$set "${BASH_SOURCE[0]}"
    done
    exit 0
fi

# ---------------------------------------------------------------------------
# One set.
GO=${GO:-$PPROF_GO}
MODE=${MODE:-regress}
PROFILES=${PROFILES:-$ALL_PROFILES}
SECONDS_CPU=${SECONDS_CPU:-5}
LOAD=${LOAD:-14}
PACE=${PACE:-1ms}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac

# Each go finds its own GOROOT; an exported GOROOT would point the old one at
# the new standard library.
gocmd() { env -u GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$@"; }

WORK=$(mktemp -d)
SVC_PID=
cleanup() {
    if [[ -n "$SVC_PID" ]] && kill -0 "$SVC_PID" 2>/dev/null; then
        kill "$SVC_PID" 2>/dev/null || true
        wait "$SVC_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

GO_VERSION=$(gocmd "$GO" version)
PPROF_VERSION=$(gocmd "$PPROF_GO" version)
echo "service built by: $GO_VERSION"
echo "references by:    $PPROF_VERSION tool pprof"

# Build. The binary is named `service` (pprof prints it as "File: service").
mkdir -p "$WORK/bin"
# CGO_ENABLED=0: a static binary, the same whether or not a C compiler is around.
(cd "$SERVICE_DIR" && CGO_ENABLED=0 gocmd "$GO" build -o "$WORK/bin/service" .)

# Start with load. The load must outlast both CPU profiles and the snapshots.
DURATION=$((2 * SECONDS_CPU + 8))
"$WORK/bin/service" -addr 127.0.0.1:0 -mode "$MODE" -load "$LOAD" -pace "$PACE" -duration "${DURATION}s" \
    >"$WORK/service.out" 2>"$WORK/service.err" &
SVC_PID=$!
ADDR=
for _ in $(seq 1 100); do
    ADDR=$(sed -n 's/^listening on //p' "$WORK/service.out" | head -n1)
    [[ -n "$ADDR" ]] && break
    kill -0 "$SVC_PID" 2>/dev/null || break
    sleep 0.1
done
[[ -n "$ADDR" ]] || { echo "capture.sh: service did not start" >&2; cat "$WORK/service.err" >&2; exit 1; }
echo "service on $ADDR (mode $MODE, load $LOAD pace $PACE for ${DURATION}s)"
sleep 1 # let the load warm up

# Re-runnable: remove only what this script writes.
mkdir -p "$OUT"
rm -f "$OUT"/*.pb.gz "$OUT"/*.txt "$OUT/references.tsv" "$OUT/VERSION"

get() { # get NAME PATH -- fetch a profile with the service binary itself (no curl)
    "$WORK/bin/service" -fetch "http://$ADDR$2" -o "$OUT/$1.pb.gz"
    echo "  $1.pb.gz $(wc -c <"$OUT/$1.pb.gz") bytes"
}
want() { [[ " $PROFILES " == *" $1 "* ]]; }

want cpu  && get cpu  "/debug/pprof/profile?seconds=$SECONDS_CPU"
want cpu2 && get cpu2 "/debug/pprof/profile?seconds=$SECONDS_CPU"
for p in heap allocs block mutex goroutine threadcreate; do
    want $p && get $p "/debug/pprof/$p"
done

kill "$SVC_PID"
wait "$SVC_PID" || true
SVC_PID=
rm -f "$WORK/bin/service" # references must not depend on a local binary

# ---------------------------------------------------------------------------
# References.
{
    echo "profiles: $GO_VERSION"
    echo "references: $PPROF_VERSION (go tool pprof)"
    echo "mode: $MODE"
    echo "captured: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu seconds: $SECONDS_CPU, load goroutines: $LOAD, pace: $PACE, load duration: ${DURATION}s"
    echo "host: $(uname -sm), $(nproc) cores"
    echo "service output:"
    sed 's/^/  /' "$WORK/service.out"
} >"$OUT/VERSION"

MANIFEST=$OUT/references.tsv
: >"$MANIFEST"
mkdir -p "$WORK/nobin"
# ref NAME ARGS... : run pprof in $OUT with ARGS, stdout to NAME, record it.
ref() {
    local name=$1
    shift
    if ! (cd "$OUT" && TZ=UTC PPROF_BINARY_PATH="$WORK/nobin"\
        gocmd "$PPROF_GO" tool pprof "$@" >"$name" 2>"$WORK/pprof.err"); then
        echo "capture.sh: pprof $* failed:" >&2
        cat "$WORK/pprof.err" >&2
        exit 1
    fi
    printf '%s\t%s\n' "$name" "$*" >>"$MANIFEST"
}

for p in $ALL_PROFILES; do
    [[ -f "$OUT/$p.pb.gz" ]] || continue
    f=$p.pb.gz
    ref "$p.raw.txt" -raw "$f"
    ref "$p.top.txt" -top "$f"
    ref "$p.top-nodecount40.txt" -top -nodecount=40 "$f"
    ref "$p.top-cum.txt" -top -cum "$f"
    # Sample types: the line after "Samples:" in -raw, e.g.
    # "samples/count cpu/nanoseconds" or "alloc_objects/count alloc_space/bytes ...".
    types=$(awk 'found { print; exit } /^Samples:/ { found = 1 }' "$OUT/$p.raw.txt")
    for t in $types; do
        t=${t%%/*}
        ref "$p.top-si-$t.txt" -top "-sample_index=$t" "$f"
    done
    ref "$p.traces.txt" -traces "$f"
done

if [[ -f "$OUT/cpu.pb.gz" ]]; then
    ref cpu.top-unit-ms.txt -top -unit=ms cpu.pb.gz
    ref cpu.tags.txt -tags cpu.pb.gz
fi
if [[ -f "$OUT/heap.pb.gz" ]]; then
    ref heap.top-nodefraction.txt -top -nodefraction=0.05 heap.pb.gz
fi
if [[ -f "$OUT/cpu.pb.gz" && -f "$OUT/cpu2.pb.gz" ]]; then
    ref merged.top.txt -top cpu.pb.gz cpu2.pb.gz
    ref merged.traces.txt -traces cpu.pb.gz cpu2.pb.gz
fi

echo "wrote $OUT ($(du -sk "$OUT" | cut -f1) KB, $(wc -l <"$MANIFEST") references)"
