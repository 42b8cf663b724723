#!/usr/bin/env bash
# Writes Tests/Fixtures/trace/go127-MODE.goroutines.tsv (and go1.19/MODE.goroutines.tsv): go tool trace's goroutine analysis
# (Go 1.27's web UI: /goroutines, then /goroutine?name=GROUP for each group) of each
# go127-MODE.trace and go1.19/MODE.trace fixture (Go 1.27's tool reads the old format too), as lines
#   GOROUTINE-ID <TAB> GROUP <TAB> COLUMN <TAB> NANOSECONDS
# one per figure the tool's tables show (Total, Execution time, Block time (REASON),
# Sched wait time, Syscall execution time, Unknown time, and the special ranges such as
# GC mark assist or stop-the-world), durations parsed back from Go's time.Duration text
# (exact to the nanosecond). Run by hand after make-traces.sh; nothing here runs at test
# time. Needs python3 and curl.
#
#   Fixtures/trace/make-goroutines.sh
#
# Environment: GO127 (default: go on PATH, which must be go1.27.x).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/trace
GO127=${GO127:-$(command -v go || true)}
[[ -x "$GO127" ]] || { echo "make-goroutines.sh: no go at '$GO127'" >&2; exit 1; }
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
"$GO127" version | grep -q 'go1\.27' || { echo "make-goroutines.sh: $GO127 is not go1.27" >&2; exit 1; }
port=17171
for t in "$OUT"/go127-*.trace "$OUT"/go1.19/*.trace; do
    m=${t%.trace}; m=${m#"$OUT"/}
    "$GO127" tool trace -http=127.0.0.1:$port "$t" > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/goroutines" > /dev/null 2>&1 && break; sleep 0.5; done
    { echo "# go tool trace -http $m.trace: /goroutines and /goroutine?name=… parsed by Fixtures/trace/make-goroutines.sh"
      python3 "$ROOT/Fixtures/trace/goroutine_pages.py" "http://127.0.0.1:$port"; } > "${t%.trace}.goroutines.tsv"
    kill $pid; wait $pid 2>/dev/null || true
done
