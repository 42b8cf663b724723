#!/usr/bin/env bash
# Write `go tool pprof -top` references for Tests/Fixtures/pprof/edge/: profiles on
# which pprof's reading differs from a plain decode (function names it rewrites, regexes
# it ignores, ids it tolerates, files it refuses). Each NAME.pb gets NAME.top.txt when
# pprof prints a report, or NAME.pprof-error.txt (pprof's stderr) when it refuses it.
#
#   Fixtures/pprof/edge-refs.sh
#
# cxx-names.pb.gz is written here from Fixtures/pprof/edge/cxx-names.folded by
# `flamegate convert` (C++, Java and Go generic names; pprof simplifies the C++ ones).
# The other inputs are fuzzer-mutated Go service profiles kept from Fuzz/run.sh pprof
# (see the folder's NOTES.md); they are committed, not regenerated.
#
# Environment: PPROF_GO as in analysis-refs.sh (go1.27.3 for the committed references).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/pprof/edge
if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$PPROF_GO" ]] || { echo "edge-refs.sh: no go for pprof at $PPROF_GO" >&2; exit 1; }
gocmd() { env -u GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$@"; }

(cd "$ROOT" && swift build --product flamegate >/dev/null)
"$ROOT/.build/debug/flamegate" convert "$ROOT/Fixtures/pprof/edge/cxx-names.folded" --to pprof \
    -o "$OUT/cxx-names.pb.gz"

cd "$OUT"
for f in *.pb *.pb.gz; do
    name=${f%.gz}
    name=${name%.pb}
    rm -f "$name.top.txt" "$name.pprof-error.txt"
    # PPROF_BINARY_PATH=/nonexistent: never symbolize against a local binary.
    if gocmd PPROF_BINARY_PATH=/nonexistent "$PPROF_GO" tool pprof -top "$f" >"$name.top.txt" 2>/tmp/edge-refs.err; then
        echo "$f: report ($(wc -l <"$name.top.txt") lines)"
    else
        rm -f "$name.top.txt"
        grep -v '^Local symbolization\|^Some binary filenames\|^Try setting PPROF_BINARY_PATH' /tmp/edge-refs.err \
            >"$name.pprof-error.txt" || true
        echo "$f: refused: $(head -1 "$name.pprof-error.txt")"
    fi
done
"$PPROF_GO" version >VERSION
