#!/usr/bin/env bash
# Writes Go's legacy (?debug=1) text profiles — heap, block, mutex, goroutine,
# threadcreate — as /debug/pprof serves them, into Tests/Fixtures/legacy/go<version>/.
#   Fixtures/legacy/make.sh [GO]      (default: Debian's Go 1.19)
set -euo pipefail
cd "$(dirname "$0")"
GO=${1:-/usr/lib/go-1.19/bin/go}
v=$("$GO" env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')
out=../../Tests/Fixtures/legacy/go$v
mkdir -p "$out"
tmp=$(mktemp -d)
cp main.go "$tmp/"
(cd "$tmp" && env -u GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$GO" run main.go)
for f in "$tmp"/*.debug1.txt; do cp "$f" "$out/"; done
rm -rf "$tmp"
echo "wrote $out"
