#!/usr/bin/env bash
# Benchmark `flamegate collapse` against stackcollapse-perf.pl (and inferno-collapse-perf
# when installed) on a >= 300 MB `perf script` file, in one run: wall time, CPU time,
# peak RSS, MB/s, ratios, and byte-for-byte parity with the Perl output.
#
#   Benchmarks/collapse.sh                    # build release, make the input, measure
#   SIZE_MB=600 Benchmarks/collapse.sh        # bigger input (RSS must not grow with it)
#
# Environment:
#   SIZE_MB      input size in MB (default 300)
#   SOURCE       recording to replicate (default Tests/Fixtures/perf/swiftwork.perf.txt)
#   FLAMEGRAPH   checkout of brendangregg/FlameGraph (default /tmp/FlameGraph); not part of
#                this repository: fetch it yourself, never commit it
#   SCRATCH      SwiftPM scratch path for the release build (default .build)
#   SKIP_BUILD=1 use the existing release binary; FLAMEGATE=path measures that binary
#
# Everything generated goes to Benchmarks/out/ (git-ignored).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=$BENCH/out
mkdir -p "$OUT"
SIZE_MB=${SIZE_MB:-300}
SOURCE=${SOURCE:-$ROOT/Tests/Fixtures/perf/swiftwork.perf.txt}
FLAMEGRAPH=${FLAMEGRAPH:-/tmp/FlameGraph}
SCRATCH=${SCRATCH:-$ROOT/.build}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'collapse.sh: %s\n' "$*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install -y time)"
PERL_COLLAPSE=$FLAMEGRAPH/stackcollapse-perf.pl
[[ -f $PERL_COLLAPSE ]] || die "$PERL_COLLAPSE missing: put a checkout of brendangregg/FlameGraph there or set FLAMEGRAPH"

if [[ -n ${FLAMEGATE:-} ]]; then
    BIN=$FLAMEGATE
else
    if [[ -z ${SKIP_BUILD:-} ]]; then
        log "swift build -c release (scratch $SCRATCH)"
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product flamegate >&2)
    fi
    BIN=$SCRATCH/release/flamegate
fi
[[ -x $BIN ]] || die "no flamegate binary at $BIN"

# The input: copies of one real recording, each with its pids/tids shifted by 100000*k, so
# that --pid/--tid see distinct processes; the default output is the recording's stacks with
# every count multiplied.
INPUT=$OUT/collapse-input.perf.txt
STAMP="$SOURCE $SIZE_MB $(stat -c %s "$SOURCE")"
if [[ ! -f $INPUT || "$(cat "$INPUT.stamp" 2>/dev/null)" != "$STAMP" ]]; then
    log "making $INPUT ($SIZE_MB MB from $(basename "$SOURCE"))"
    python3 - "$SOURCE" "$INPUT" "$SIZE_MB" <<'PY'
import re, sys
src, out, target_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, 'rb').read().split(b'\n')
ev = re.compile(rb'^(\S.*?\s+)(\d+)((?:/(\d+))?\s)')
target, written, k = target_mb * 1000 * 1000, 0, 0
with open(out, 'wb') as f:
    while written < target:
        shift = k * 100000
        def fix(m):
            tid = m.group(4)
            rest = m.group(3) if tid is None else b'/' + str(int(tid) + shift).encode() + m.group(3)[len(tid) + 1:]
            return m.group(1) + str(int(m.group(2)) + shift).encode() + rest
        chunk = b'\n'.join(ev.sub(fix, l, count=1) if l and l[:1] not in (b'\t', b'#', b' ') else l for l in data)
        if not chunk.endswith(b'\n\n'):
            chunk += b'\n' if chunk.endswith(b'\n') else b'\n\n'
        f.write(chunk)
        written += len(chunk)
        k += 1
PY
    echo "$STAMP" > "$INPUT.stamp"
fi
BYTES=$(stat -c %s "$INPUT")
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
log "input: $MB MB"

# run NAME OUTFILE CMD... : one timed run; prints "wall user rss_kb"
run() {
    local name=$1 out=$2
    shift 2
    log "$name"
    /usr/bin/time -v -o "$OUT/time.$name.txt" "$@" > "$out" 2> "$OUT/stderr.$name.txt" || die "$name failed: $(tail -3 "$OUT/stderr.$name.txt")"
    local wall user rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$OUT/time.$name.txt")
    user=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$OUT/time.$name.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time.$name.txt")
    echo "$wall $user $rss"
}

declare -A WALL CPU RSS
record() { read -r WALL[$1] CPU[$1] RSS[$1] <<< "$2"; }

export PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0
record perl "$(run perl "$OUT/collapse.perl.txt" perl "$PERL_COLLAPSE" "$INPUT")"
record flamegate "$(run flamegate "$OUT/collapse.flamegate.txt" "$BIN" collapse "$INPUT")"
# The same through stdin: from a file (`<`, split in two like a named file) and from a pipe
# (one thread: a pipe cannot be split up front), as in `perf script | flamegate collapse -`.
record flamegate-stdin "$(run flamegate-stdin "$OUT/collapse.flamegate-stdin.txt" sh -c "\"$BIN\" collapse - < \"$INPUT\"")"
record flamegate-pipe "$(run flamegate-pipe "$OUT/collapse.flamegate-pipe.txt" sh -c "cat \"$INPUT\" | \"$BIN\" collapse -")"
record flamegate-demangle "$(run flamegate-demangle "$OUT/collapse.flamegate-demangle.txt" "$BIN" collapse --demangle simplified "$INPUT")"
# End to end: perf script -> folded -> SVG flame graph, as users chain them.
record flamegate+svg "$(run flamegate+svg "$OUT/collapse.flamegate.svg" sh -c "\"$BIN\" collapse \"$INPUT\" | \"$BIN\" flame - -o -")"
if [[ -f $FLAMEGRAPH/flamegraph.pl ]]; then
    record perl+svg "$(run perl+svg "$OUT/collapse.perl.svg" sh -c "perl \"$PERL_COLLAPSE\" \"$INPUT\" | perl \"$FLAMEGRAPH/flamegraph.pl\"")"
    TOOLS_SVG="perl+svg flamegate+svg"
else
    TOOLS_SVG="flamegate+svg"
fi
TOOLS="perl flamegate flamegate-stdin flamegate-pipe flamegate-demangle $TOOLS_SVG"
INFERNO=$(command -v inferno-collapse-perf || true)
if [[ -n $INFERNO ]]; then
    record inferno "$(run inferno "$OUT/collapse.inferno.txt" "$INFERNO" "$INPUT")"
    TOOLS="$TOOLS inferno"
    INFERNO_NOTE=""
else
    INFERNO_NOTE="inferno-collapse-perf: not measured: no package of Debian or PyPI provides it here (it is a Rust crate; crates.io is not reachable)"
fi

if cmp -s "$OUT/collapse.perl.txt" "$OUT/collapse.flamegate.txt" && cmp -s "$OUT/collapse.perl.txt" "$OUT/collapse.flamegate-stdin.txt" \
    && cmp -s "$OUT/collapse.perl.txt" "$OUT/collapse.flamegate-pipe.txt"; then
    PARITY="identical"
else
    PARITY="DIFFERENT"
fi

printf '\ninput: %s (%s MB, %s copies of %s), %s cores, load %s\n' "$INPUT" "$MB" \
    "$(awk -v b="$BYTES" -v s="$(stat -c %s "$SOURCE")" 'BEGIN { printf "%d", b / s }')" "$(basename "$SOURCE")" \
    "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| tool | wall s | cpu s | peak RSS MiB | MB/s | Perl wall / tool wall | Perl cpu / tool cpu |\n| --- | --- | --- | --- | --- | --- | --- |\n'
for t in $TOOLS; do
    awk -v t="$t" -v w="${WALL[$t]}" -v c="${CPU[$t]}" -v r="${RSS[$t]}" -v mb="$MB" -v pw="${WALL[perl]}" -v pc="${CPU[perl]}" 'BEGIN {
        if (w <= 0) w = 0.01
        if (c <= 0) c = 0.01
        printf "| %s | %.2f | %.2f | %.1f | %.0f | %.1fx | %.1fx |\n", t, w, c, r / 1024, mb / w, pw / w, pc / c }'
done
printf '\nflamegate collapse (file and < file: two threads; pipe: one) vs stackcollapse-perf.pl output: %s (cmp)\n' "$PARITY"
[[ -n $INFERNO_NOTE ]] && printf '%s\n' "$INFERNO_NOTE"
[[ $PARITY == identical ]]
