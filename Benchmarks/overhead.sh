#!/usr/bin/env bash
# What checked sums and the RE2-syntax regex engine cost (issue "Hostile inputs"): `top`
# and `top --focus` on a large profile, a flamegate built before them (BEFORE) against one
# built after (AFTER), runs interleaved (before, after, before, …) so that a change in the
# machine's load hits both alike. CPU time (user+system, GNU time) is the figure compared:
# on shared cores it moves far less than wall time; wall time and peak RSS are printed too.
#
#   BEFORE=/path/old/flamegate AFTER=/path/new/flamegate Benchmarks/overhead.sh [PROFILE]
#
# PROFILE defaults to Benchmarks/out/synthetic-100mb.pb.gz, made when absent by the
# generator of Benchmarks/run.sh with `-samples 2000000` (104 MB gzip, 2 M samples).
# RUNS (default 5) pairs per command. Goal: after/before ≤ 1.05 on median CPU time.
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$BENCH/out
mkdir -p "$OUT"
RUNS=${RUNS:-5}
die() { printf 'overhead.sh: %s\n' "$*" >&2; exit 2; }
[[ -x "${BEFORE:-}" && -x "${AFTER:-}" ]] || die "set BEFORE and AFTER to two flamegate binaries"
[[ -x /usr/bin/time ]] || die "needs GNU time (/usr/bin/time, Debian package time)"
PROFILE=${1:-$OUT/synthetic-100mb.pb.gz}
if [[ ! -s $PROFILE ]]; then
    GO=${GO:-$(command -v go || echo /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go)}
    export GOROOT=$("$GO" env GOROOT) GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
    (cd "$BENCH/synthetic" && "$GO" build -o "$OUT/gen-synthetic" .)
    "$OUT/gen-synthetic" -samples 2000000 -o "$PROFILE.tmp" && mv "$PROFILE.tmp" "$PROFILE"
fi
cp "$BEFORE" "$OUT/overhead-before"
cp "$AFTER" "$OUT/overhead-after"
cat "$PROFILE" >/dev/null  # into the page cache

# one BIN ARGS…: "cpu_seconds wall_seconds rss_kib" of one run; output compared later.
one() {
    local bin=$1 log
    shift
    log=$(mktemp)
    /usr/bin/time -f '%U %S %e %M' -o "$log" "$OUT/overhead-$bin" "$@" >"$OUT/overhead-$bin.txt" 2>/dev/null \
        || die "$bin $* failed"
    awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4}' "$log"
    rm -f "$log"
}
med() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "## Checked sums and the regex engine: before/after on $(basename "$PROFILE") ($(stat -c %s "$PROFILE" | awk '{printf "%.0f MB", $1 / 1e6}'))"
echo
echo "Median of $RUNS interleaved runs each; CPU = user + system."
echo
echo "| command | CPU before | CPU after | after/before | wall before | wall after | RSS before | RSS after | same output |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
worst=0
measure() {
    local label=$1 i b a
    shift
    : >"$OUT/overhead-b.tsv"
    : >"$OUT/overhead-a.tsv"
    for ((i = 0; i < RUNS; i++)); do
        one before "$@" >>"$OUT/overhead-b.tsv"
        one after "$@" >>"$OUT/overhead-a.tsv"
    done
    same=$(cmp -s "$OUT/overhead-before.txt" "$OUT/overhead-after.txt" && echo yes || echo NO)
    local cb ca wb wa rb ra
    cb=$(cut -d' ' -f1 "$OUT/overhead-b.tsv" | med); ca=$(cut -d' ' -f1 "$OUT/overhead-a.tsv" | med)
    wb=$(cut -d' ' -f2 "$OUT/overhead-b.tsv" | med); wa=$(cut -d' ' -f2 "$OUT/overhead-a.tsv" | med)
    rb=$(cut -d' ' -f3 "$OUT/overhead-b.tsv" | med); ra=$(cut -d' ' -f3 "$OUT/overhead-a.tsv" | med)
    r=$(awk -v a="$ca" -v b="$cb" 'BEGIN {printf "%.3f", a / b}')
    worst=$(awk -v r="$r" -v w="$worst" 'BEGIN {print (r > w) ? r : w}')
    printf '| `%s` | %.2f s | %.2f s | %s | %.2f s | %.2f s | %d MiB | %d MiB | %s |\n' \
        "${label//|/\\|}" "$cb" "$ca" "$r" "$wb" "$wa" $((rb / 1024)) $((ra / 1024)) "$same"
}
measure "top" top "$PROFILE"
measure "top --focus 'runtime\\.'" top --focus 'runtime\.' "$PROFILE"
measure "top --ignore '(?i)json.*decode|sort\\.'" top --ignore '(?i)json.*decode|sort\.' "$PROFILE"
echo
awk -v w="$worst" 'BEGIN {printf "Largest after/before: %.3f — goal ≤ 1.05: %s\n", w, (w <= 1.05) ? "MET" : "NOT MET"}'
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
