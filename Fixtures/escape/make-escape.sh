#!/usr/bin/env bash
# Escape-analysis fixtures for `flamegate escape report|diff`: the Go service
# (Fixtures/go/service) built with `go build -gcflags=-m` and `-gcflags='-m -m'`.
#
#   cand.*  the service as committed: this is the build the allocs profile
#           Tests/Fixtures/pprof/go1.27/allocs.pb.gz was captured from (same
#           line numbers), with the map-per-request regression
#           (buildLineItemsRegress: make(map[string]int) escapes, hot in the profile).
#   base.*  a copy edited to stand for the commit before the regression:
#           - two comment lines inserted at the top (every line shifts by 2, so a
#             diff must match escapes by function and expression, not by line);
#           - buildLineItemsRegress takes its map from the pool (no make(map) escape);
#           - renderInvoice formats its table footer with fmt.Sprint(n), so n
#             escapes to heap (an escape that cand removes).
#
#   Fixtures/escape/make-escape.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GOROOT=${GOROOT:-/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod PATH=$GOROOT/bin:$PATH
OUT=$ROOT/Tests/Fixtures/escape
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cp -r "$ROOT/Fixtures/go/service" "$WORK/base"
cd "$WORK/base"
sed -i 's|^package main$|package main\n\n// base: before the map-per-request regression.|' main.go
sed -i 's|^\tm := make(map\[string\]int)$|\tm := mapPool.Get().(map[string]int)|' main.go
sed -i 's|^\tb.WriteString("</table>")$|\tb.WriteString("</table><!-- " + fmt.Sprint(n) + " -->")|' main.go
grep -q 'mapPool.Get().(map\[string\]int)$' main.go && grep -q 'fmt.Sprint(n)' main.go \
    || { echo "make-escape.sh: the base edits did not apply" >&2; exit 1; }

go version > "$OUT/VERSION"
build() { # dir flags out
    (cd "$1" && go build -o "$WORK/bin" -gcflags="$2" . 2> "$3")
}
build "$WORK/base" "-m" "$OUT/base.m.txt"
build "$WORK/base" "-m -m" "$OUT/base.mm.txt"
build "$ROOT/Fixtures/go/service" "-m" "$OUT/cand.m.txt"
build "$ROOT/Fixtures/go/service" "-m -m" "$OUT/cand.mm.txt"
# The GOROOT prefix differs between machines; keep it as is (it is only in
# standard-library positions) but record it.
echo "GOROOT=$GOROOT" >> "$OUT/VERSION"
wc -l "$OUT"/*.txt
