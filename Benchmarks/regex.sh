#!/usr/bin/env bash
# The regex engine behind every filter (Sources/FlamegateCore/Support/Regex/), timed
# through the release CLI, optionally against another flamegate binary (BEFORE=…, e.g.
# one built before the engine existed, when filters used Swift's backtracking Regex).
#
#   Benchmarks/regex.sh                         # build, measure, print the figures
#   BEFORE=/path/to/old/flamegate Benchmarks/regex.sh
#
# 1. Pathological patterns: a folded profile whose one frame is 10,000 "a" and a "!"
#    (`aaaa…a!`); `top --focus P` for ^(a+)+$, (a|a)*c, (a*)*b, beside `top` alone (the
#    difference is the regex), median of RUNS runs. A binary taking more than TIMEOUT
#    seconds is stopped.
# 2. Many names: 100,000 one-sample stacks with distinct function names, five patterns.
# 3. Filters on a large profile: `top`, `top --focus 'runtime\.'`, `top --ignore
#    'runtime\.'` and two patterns without a literal shortcut, on Benchmarks/out/synthetic.pb.gz
#    (the ~250 MB profile Benchmarks/run.sh generates; generated here if absent, with
#    SYNTH_ARGS passed to the generator, e.g. "-samples 500000" for a smaller one).
#
# Environment: RUNS (default 3), TIMEOUT (default 60), SKIP_BUILD=1, FLAMEGATE (binary
# to measure, implies SKIP_BUILD), BEFORE, SYNTH (profile for part 3), LARGE=0 (skip
# part 3), GO.
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=$BENCH/out
mkdir -p "$OUT"
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-60}
log() { printf '== %s\n' "$*" >&2; }
die() { printf 'regex.sh: %s\n' "$*" >&2; exit 1; }

if [[ -z "${FLAMEGATE:-}" ]]; then
    if [[ "${SKIP_BUILD:-}" != 1 ]]; then
        log "swift build -c release"
        (cd "$ROOT" && swift build -c release 2>&1 | grep -E '^(error|Build complete)' >&2)
    fi
    FLAMEGATE=$(cd "$ROOT" && swift build -c release --show-bin-path)/flamegate
fi
[[ -x "$FLAMEGATE" ]] || die "no flamegate binary at $FLAMEGATE"
cp "$FLAMEGATE" "$OUT/regex-after"
BINS=(after)
if [[ -n "${BEFORE:-}" ]]; then
    [[ -x "$BEFORE" ]] || die "BEFORE=$BEFORE is not executable"
    cp "$BEFORE" "$OUT/regex-before"
    BINS=(before after)
fi

# seconds BIN ARGS…: wall seconds of one run (or "timeout"); output discarded.
seconds() {
    local bin=$1 t0 t1 rc
    shift
    t0=$(date +%s.%N)
    rc=0
    timeout "$TIMEOUT" "$OUT/regex-$bin" "$@" >/dev/null 2>&1 || rc=$?
    t1=$(date +%s.%N)
    if [[ $rc == 124 ]]; then echo timeout; return; fi
    [[ $rc == 0 ]] || die "$bin $* exited $rc"
    echo "$t0 $t1" | awk '{printf "%.4f", $2 - $1}'
}
# median BIN ARGS…: the median of RUNS runs, or "timeout" when the first one timed out.
median() {
    local first rest=() i
    first=$(seconds "$@")
    if [[ $first == timeout ]]; then echo timeout; return; fi
    rest=("$first")
    for ((i = 1; i < RUNS; i++)); do rest+=("$(seconds "$@")"); done
    printf '%s\n' "${rest[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
ms() { [[ $1 == timeout ]] && echo "> ${TIMEOUT} s (stopped)" || awk -v s="$1" 'BEGIN {printf "%.1f ms", s * 1000}'; }

# --- 1. pathological patterns -------------------------------------------------
PATH_FILE=$OUT/regex-pathological.folded
{ printf 'main;'; head -c 10000 /dev/zero | tr '\0' a; printf '! 1\n'; } >"$PATH_FILE"
# table TITLE FILE PATTERN…: `top FILE` and `top --focus P FILE` per binary (median).
table() {
    local file=$1 pat b t
    shift
    printf '| command |'; for b in "${BINS[@]}"; do printf ' %s |' "$b"; done; echo
    printf '| --- |'; for b in "${BINS[@]}"; do printf ' ---: |'; done; echo
    printf '| `top` (no regex) |'
    for b in "${BINS[@]}"; do printf ' %s |' "$(ms "$(median "$b" top "$file")")"; done
    echo
    for pat in "$@"; do
        printf '| `top --focus %s` |' "${pat//|/\\|}"
        for b in "${BINS[@]}"; do printf ' %s |' "$(ms "$(median "$b" top --focus "$pat" "$file")")"; done
        echo
    done
    echo
}
echo "## Pathological patterns: one 10,001-character frame (10,000 'a' then '!')"
echo
echo "Wall time of the whole command (median of $RUNS); the difference to \`top\` is the regex."
echo
table "$PATH_FILE" '^(a+)+$' '(a|a)*c' '(a*)*b'

# --- 2. many distinct names ---------------------------------------------------
# 100,000 one-sample stacks, each with its own function name (Go-, C++- and
# closure-shaped), so that matching is most of the work beyond reading the file.
NAMES=$OUT/regex-names.folded
awk 'BEGIN {
    split("runtime encoding/json github.com/acme/service/internal/store net/http sort sync main google.golang.org/grpc/internal/transport std::__1::vector<int,_std::__1::allocator<int>_>", pk, " ")
    srand(1)
    for (i = 0; i < 100000; i++) {
        p = pk[1 + int(rand() * 9)]
        if (i % 3) printf "main;%s.(*Type%d).method%dDecode 1\n", p, int(rand() * 1000), i
        else printf "main;%s.func%d.gcBgMarkWorker 1\n", p, i
    }
}' >"$NAMES"
echo "## 100,000 distinct function names"
echo
echo "Wall time of the whole command (median of $RUNS); the difference to \`top\` is the regex."
echo
table "$NAMES" 'runtime\.' '(?i)json.*decode|sort\.' '^runtime\.[a-z]+$' '\.func[0-9]+\.' 'Type(1|2)[0-9]{2}\)'

# --- 3. filters on a large profile --------------------------------------------
[[ "${LARGE:-1}" == 0 ]] && exit 0
SYNTH=${SYNTH:-$OUT/synthetic.pb.gz}
if [[ ! -s $SYNTH ]]; then
    if [[ -z "${GO:-}" ]]; then
        GO=$(command -v go || echo /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go)
    fi
    export GOROOT=$("$GO" env GOROOT) GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
    log "generating $SYNTH (synthetic ${SYNTH_ARGS:-})"
    (cd "$BENCH/synthetic" && "$GO" build -o "$OUT/gen-synthetic" .)
    # shellcheck disable=SC2086
    "$OUT/gen-synthetic" ${SYNTH_ARGS:-} -o "$SYNTH.tmp"
    mv "$SYNTH.tmp" "$SYNTH"
fi
size=$(stat -c %s "$SYNTH")
echo "## Filters on $(basename "$SYNTH") ($(awk -v s="$size" 'BEGIN {printf "%.0f MB", s / 1e6}'))"
echo
echo "Wall time of the whole command (median of $RUNS)."
echo
printf '| command |'; for b in "${BINS[@]}"; do printf ' %s |' "$b"; done; echo
printf '| --- |'; for b in "${BINS[@]}"; do printf ' ---: |'; done; echo
run2() {
    local label=$1
    shift
    printf '| `%s` |' "${label//|/\\|}"
    for b in "${BINS[@]}"; do
        t=$(median "$b" "$@")
        [[ $t == timeout ]] && printf ' > %s s |' "$TIMEOUT" || printf ' %.2f s |' "$t"
    done
    echo
}
run2 "top" top "$SYNTH"
run2 "top --focus 'runtime\\.'" top --focus 'runtime\.' "$SYNTH"
run2 "top --ignore 'runtime\\.'" top --ignore 'runtime\.' "$SYNTH"
run2 "top --focus '(?i)json.*decode|sort\\.'" top --focus '(?i)json.*decode|sort\.' "$SYNTH"
run2 "top --hide '^runtime\\.[a-z]+\$'" top --hide '^runtime\.[a-z]+$' "$SYNTH"
echo
echo "flamegate: ${BINS[*]}; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
