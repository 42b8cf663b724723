#!/usr/bin/env bash
# Capture real goroutine dumps (/debug/pprof/goroutine?debug=2, the text pprof cannot
# read) from Fixtures/go/service into Tests/Fixtures/goroutine/.
#
#   Fixtures/goroutine/capture.sh            # go1.19 and go1.27
#   Fixtures/goroutine/capture.sh go1.19     # one
#
# For each Go: GOVER-busy.txt is taken under load (handlers, load generator, fraud
# workers in flight); GOVER-idle.txt 62 s later, after the load stopped, so that parked
# goroutines carry wait minutes ("[chan receive, 1 minutes]").
#
# Environment: GO119 (default /usr/lib/go-1.19/bin/go), GO127 (default: go on PATH,
# which must be go1.27.x).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/goroutine
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
GO127=${GO127:-$(command -v go || true)}
gocmd() { env -u GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$@"; }

one() { # one NAME GO
    local name=$1 go=$2 work pid addr
    [[ -x "$go" ]] || { echo "capture.sh: no go at '$go'" >&2; return 1; }
    work=$(mktemp -d)
    (cd "$ROOT/Fixtures/go/service" && CGO_ENABLED=0 gocmd "$go" build -o "$work/service" .)
    "$work/service" -addr 127.0.0.1:0 -load 6 -pace 1ms -duration 5s >"$work/out" 2>"$work/err" &
    pid=$!
    addr=
    for _ in $(seq 1 100); do
        addr=$(sed -n 's/^listening on //p' "$work/out" | head -n1)
        [[ -n "$addr" ]] && break
        sleep 0.1
    done
    [[ -n "$addr" ]] || { echo "capture.sh: service did not start" >&2; kill "$pid"; return 1; }
    sleep 2
    "$work/service" -fetch "http://$addr/debug/pprof/goroutine?debug=2" -o "$OUT/$name-busy.txt"
    sleep 62
    "$work/service" -fetch "http://$addr/debug/pprof/goroutine?debug=2" -o "$OUT/$name-idle.txt"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$name: $(gocmd "$go" version); captured $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$OUT/VERSION"
    rm -rf "$work"
    echo "wrote $OUT/$name-busy.txt $OUT/$name-idle.txt"
}

mkdir -p "$OUT"
sets=("$@")
[[ ${#sets[@]} -gt 0 ]] || sets=(go1.19 go1.27)
: >"$OUT/VERSION"
for s in "${sets[@]}"; do
    case $s in
    go1.19) one go1.19 "$GO119" & ;;
    go1.27) one go1.27 "$GO127" & ;;
    *) echo "capture.sh: unknown set $s" >&2; exit 2 ;;
    esac
done
wait
