#!/usr/bin/env bash
# Runs the wordcount benchmarks (Fixtures/bench/wordcount) under a modern Go and
# writes the `go test -bench` outputs Flamegate's `bench compare` tests read:
#
#   Tests/Fixtures/bench/base.txt   default build (a new map per call)
#   Tests/Fixtures/bench/cand.txt   -tags cand   (the map reused)
#
# Both have -benchmem -count 6, custom metrics (p99-ns, items/s from
# b.ReportMetric) and a benchmark that logs (interleaved output).
#
#   Fixtures/bench/make-bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GOROOT=${GOROOT:-/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod PATH=$GOROOT/bin:$PATH
OUT=$ROOT/Tests/Fixtures/bench
mkdir -p "$OUT"
cd "$ROOT/Fixtures/bench/wordcount"
go version > "$OUT/VERSION"
go test -run '^$' -bench . -benchmem -count 6 -benchtime 100ms > "$OUT/base.txt"
go test -run '^$' -bench . -benchmem -count 6 -benchtime 100ms -tags cand > "$OUT/cand.txt"
echo "wrote $OUT/base.txt $OUT/cand.txt"
