#!/usr/bin/env bash
# Makes Tests/Fixtures/store/mapchurn/: 24 CPU profiles of Fixtures/go/mapchurn, one per
# "commit" of a main branch; commit 15 (c15…) introduced the per-request map (-churn),
# and every later commit keeps it. series.tsv lists seq, commit, churn and file: what
# `flamegate bisect` must find (Tests/FlamegateStoreTests/BisectTests.swift), and
# pprof_share, the map frames' share of the total as `go tool pprof -top -focus=REGEX`
# prints it ("Showing nodes accounting for X, SHARE of T total"), which bisect's
# `--measure share` must equal.
# Made with Go 1.27.3 (see Tests/Fixtures/store/mapchurn/VERSION):
#   GOROOT=… GOTOOLCHAIN=local GOPROXY=off Fixtures/go/mapchurn/make-series.sh
set -euo pipefail
cd "$(dirname "$0")"
out=../../../Tests/Fixtures/store/mapchurn
mkdir -p "$out"
go=${GO:-$GOROOT/bin/go}
"$go" build -o /tmp/mapchurn-$$ .
"$go" version > "$out/VERSION"
frames='^(runtime\.map|internal/runtime/maps\.)'
printf 'seq\tcommit\tchurn\tfile\tpprof_share\n' > "$out/series.tsv"
for seq in $(seq 1 24); do
    commit=$(printf 'commit %d' "$seq" | sha1sum | cut -c1-10)
    churn=false
    if (( seq >= 15 )); then churn=true; fi
    file=$(printf 'cpu-%02d.pb.gz' "$seq")
    /tmp/mapchurn-$$ -churn="$churn" -seed "$seq" -duration 1s -o "$out/$file"
    share=$("$go" tool pprof -top -focus="$frames" "$out/$file" 2>/dev/null |
        sed -n 's/^Showing nodes accounting for [^,]*, \([0-9.]*%\) of .*/\1/p')
    printf '%d\t%s\t%s\t%s\t%s\n' "$seq" "$commit" "$churn" "$file" "${share:-0%}" >> "$out/series.tsv"
done
rm -f /tmp/mapchurn-$$
