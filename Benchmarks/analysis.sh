#!/usr/bin/env bash
# Overhead of filters and diffs over a plain `top` on the same large profile
# (issue 5: filters and diff add < 20%). Uses the synthetic profile that
# Benchmarks/run.sh generates (Benchmarks/out/synthetic.pb.gz).
set -euo pipefail
cd "$(dirname "$0")/.."
FG=${FLAMEGATE:-.build/release/flamegate}
IN=${INPUT:-Benchmarks/out/synthetic.pb.gz}
RUNS=${RUNS:-3}
[ -n "${SKIP_BUILD:-}" ] || swift build -c release >/dev/null
if [ ! -f "$IN" ]; then
    echo "missing $IN: run Benchmarks/run.sh first (it generates the synthetic profile)" >&2
    exit 2
fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, args...
    local label=$1; shift
    local times=()
    for _ in $(seq "$RUNS"); do
        local s e
        s=$(date +%s.%N)
        /usr/bin/time -f %M -o /tmp/fg-bench-rss "$FG" "$@" >/dev/null
        e=$(date +%s.%N)
        times+=("$(echo "$e - $s" | bc)")
    done
    local t
    t=$(printf '%s\n' "${times[@]}" | median)
    printf '%-34s %8.2f s %8d MiB\n' "$label" "$t" "$(( $(cat /tmp/fg-bench-rss) / 1024 ))"
    echo "$t"  >"/tmp/fg-bench-$label"
}
echo "input: $IN ($(du -m "$IN" | cut -f1) MB), $RUNS runs each, median wall time, peak RSS"
measure top top "$IN"
measure focus top --focus 'pkg1[0-9]' "$IN"
measure hide top --hide '^runtime\.' "$IN"
measure focus+ignore+hide top --focus 'pkg1' --ignore 'pkg19' --hide '^runtime\.' "$IN"
measure tagfocus top --tagfocus 'handler=.' "$IN"
measure diff-base top --diff-base "$IN" "$IN"
base=$(cat /tmp/fg-bench-top)
for l in focus hide focus+ignore+hide tagfocus diff-base; do
    printf '%-20s overhead over top: %+.0f%%\n' "$l" "$(echo "($(cat /tmp/fg-bench-$l) / $base - 1) * 100" | bc -l)"
done
echo "(diff-base reads and merges two copies of the profile, so it does twice the reading.)"
