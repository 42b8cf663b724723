#!/usr/bin/env bash
# Regenerates the captured inputs of the `flamegate gate` example (Go 1.24+ or Go 1.19+;
# stdlib only, works offline):
#
#   captured/base/        main before the regression  (go build -tags fixed)
#   captured/regression/  the PR with a map per request (go build)
#   captured/fix/         the PR that fixes it          (go build -tags fixed)
#
# each with cpu.pb.gz (a 5 s CPU profile of /pay under load), bench.txt
# (go test -bench . -benchmem -count 6) and escape.txt (go build -gcflags=-m).
#
#   Examples/ci/capture.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOPROXY=${GOPROXY:-off} GOFLAGS=${GOFLAGS:--mod=mod}
if [ -n "${GOROOT:-}" ]; then export PATH=$GOROOT/bin:$PATH; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$HERE/service"
capture() { # name tags
    local out="$HERE/captured/$1" tags=$2
    mkdir -p "$out"
    go version > "$out/VERSION"
    go build -tags "$tags" -o "$WORK/service-$1" .
    "$WORK/service-$1" -cpuprofile "$out/cpu.pb.gz" -duration 5s
    go test -tags "$tags" -run '^$' -bench . -benchmem -count 6 -benchtime 200ms . > "$out/bench.txt"
    go build -tags "$tags" -o "$WORK/escape-$1" -gcflags=-m . 2> "$out/escape.txt"
}
capture base fixed
capture regression ""
capture fix fixed
ls -l "$HERE"/captured/*
