#!/usr/bin/env bash
# Regenerates the regex references from Go 1.27's own regexp and unicode packages:
#   Tests/Fixtures/regex/go-regexp.tsv   every case of cases.txt: 1, 0 or Go's error text
#   Tests/Fixtures/regex/go-unicode.txt  case folding orbits, categories, scripts
# RegexConformanceTests and RegexUnicodeTests replay them through Flamegate's engine.
set -euo pipefail
cd "$(dirname "$0")"
GO=${GO:-/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go}
export GOROOT=$("$GO" env GOROOT) GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=off
OUT=../../Tests/Fixtures/regex
mkdir -p "$OUT"
"$GO" run main.go cases.txt >"$OUT/go-regexp.tsv"
"$GO" run main.go -unicode >"$OUT/go-unicode.txt"
echo "wrote $OUT/go-regexp.tsv ($(grep -vc '^#' "$OUT/go-regexp.tsv") cases), $OUT/go-unicode.txt" >&2
