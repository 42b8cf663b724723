#!/usr/bin/env bash
# Writes Tests/Fixtures/trace/go127-MODE.gccpu.txt (and go1.19/MODE.gccpu.txt): the GC's share of the CPU of each
# go127-MODE.trace and go1.19/MODE.trace fixture (Go 1.27's tool reads the old format too), counted by Fixtures/trace/gc-cpu.awk from Go 1.27's own parse
# of the events (go tool trace -d=parsed), independently of Flamegate's reader. Run by
# hand after make-traces.sh; nothing here runs at test time.
#
#   Fixtures/trace/make-gccpu.sh
#
# Environment: GO127 (default: go on PATH, which must be go1.27.x).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/trace
GO127=${GO127:-$(command -v go || true)}
[[ -x "$GO127" ]] || { echo "make-gccpu.sh: no go at '$GO127'" >&2; exit 1; }
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
"$GO127" version | grep -q 'go1\.27' || { echo "make-gccpu.sh: $GO127 is not go1.27" >&2; exit 1; }
for t in "$OUT"/go127-*.trace "$OUT"/go1.19/*.trace; do
    m=${t%.trace}; m=${m#"$OUT"/}
    { echo "# go tool trace -d=parsed $m.trace | awk -f Fixtures/trace/gc-cpu.awk"
      "$GO127" tool trace -d=parsed "$t" | awk -f "$ROOT/Fixtures/trace/gc-cpu.awk"; } > "${t%.trace}.gccpu.txt"
done
