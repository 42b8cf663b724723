#!/usr/bin/env bash
# Writes the Go execution trace fixtures and their reference outputs into
# Tests/Fixtures/trace/ (run by hand; nothing here runs at test time):
#
#   Fixtures/trace/make-traces.sh
#
# For each mode of Fixtures/trace/tracegen (gc, mutex, chan, http, file, tasks, slowtask,
# fasttask), with Go 1.27:
#   go127-MODE.trace              the trace (runtime/trace)
#   go127-MODE.KIND.pb            go tool trace -pprof=KIND go127-MODE.trace   (KIND: sched sync net syscall)
#   go127-MODE.KIND.top.txt       go tool pprof -top -nodecount=1000 -sample_index=delay go127-MODE.KIND.pb
#   go127-MODE.ranges.txt         STW ranges, GC mark phases and tasks from go tool trace -d=parsed (parsed_ranges)
#
# Environment: GO127 (default: go on PATH, which must be go1.27.x); GO119 (default
# /usr/lib/go-1.19/bin/go; the go1.19/ set is skipped without it); GO127_MODES (default: all
# modes; GO127_MODES= remakes only the go1.19/ set).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/Tests/Fixtures/trace
GO127=${GO127:-$(command -v go || true)}
[[ -x "$GO127" ]] || { echo "make-traces.sh: no go at '$GO127'" >&2; exit 1; }
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod
"$GO127" version | grep -q 'go1\.27' || { echo "make-traces.sh: $GO127 is not go1.27" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$ROOT/Fixtures/trace/tracegen" && CGO_ENABLED=0 "$GO127" build -o "$work/tracegen" .)
mkdir -p "$OUT"

# Independent figures for `trace stats`, from go tool trace's own event dump (-d=parsed,
# cmd/trace/main.go): every completed stop-the-world range with its reason and duration,
# every GC mark phase that begins, every task that begins and ends, as lines
#   stw REASON… NS | gc BEGIN_NS | task TYPE NS
# Durations are End Time − Begin Time of the dump's lines, paired here by awk.
parsed_ranges() { # parsed_ranges TRACE
    echo "# go tool trace -d=parsed $(basename "$1") | awk (Fixtures/trace/make-traces.sh parsed_ranges)"
    "$GO127" tool trace -d=parsed "$1" | awk '
        function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
        function quoted(name,   s) { s = $0; sub(".*" name "=\"", "", s); sub("\".*", "", s); return s }
        $4 == "RangeBegin" && /Name="stop-the-world/ { open[field("Scope")] = field("Time"); reason[field("Scope")] = quoted("Name") }
        $4 == "RangeEnd" && /Name="stop-the-world/ { s = field("Scope"); if (s in open) { print "stw", reason[s], field("Time") - open[s]; delete open[s] } }
        $4 == "RangeBegin" && /Name="GC concurrent mark phase"/ { print "gc", field("Time") }
        $4 == "TaskBegin" { task[field("ID")] = field("Time") }
        $4 == "TaskEnd" { id = field("ID"); if (id in task) { print "task", quoted("Type"), field("Time") - task[id]; delete task[id] } }
    '
}

for mode in ${GO127_MODES-gc mutex chan http file tasks slowtask fasttask}; do
    t=$OUT/go127-$mode.trace
    "$work/tracegen" -mode "$mode" -o "$t"
    parsed_ranges "$t" > "$OUT/go127-$mode.ranges.txt"
    for kind in sched sync net syscall; do
        "$GO127" tool trace -pprof=$kind "$t" > "$OUT/go127-$mode.$kind.pb"
        "$GO127" tool pprof -top -nodecount=1000 -sample_index=delay "$OUT/go127-$mode.$kind.pb" \
            > "$OUT/go127-$mode.$kind.top.txt" 2>&1 || true
    done
done
# The older format (Go 1.11–1.21), written by Go 1.19 (`go 1.19 trace`) and read by Go
# 1.27's tool, which converts old traces to its current events (internal/trace/tracev1.go):
#   go1.19/MODE.trace  go1.19/MODE.KIND.pb  go1.19/MODE.KIND.top.txt  go1.19/MODE.ranges.txt
# made exactly as the Go 1.27 set above, with the Go 1.27 tool on the Go 1.19 trace.
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
if [[ -x "$GO119" ]]; then
    (cd "$ROOT/Fixtures/trace/tracegen" && env -u GOROOT -u GOFLAGS CGO_ENABLED=0 "$GO119" build -o "$work/tracegen119" .)
    mkdir -p "$OUT/go1.19"
    for mode in gc mutex chan http file tasks; do
        t=$OUT/go1.19/$mode.trace
        "$work/tracegen119" -mode "$mode" -o "$t"
        parsed_ranges "$t" > "$OUT/go1.19/$mode.ranges.txt"
        for kind in sched sync net syscall; do
            "$GO127" tool trace -pprof=$kind "$t" > "$OUT/go1.19/$mode.$kind.pb"
            "$GO127" tool pprof -top -nodecount=1000 -sample_index=delay "$OUT/go1.19/$mode.$kind.pb" \
                > "$OUT/go1.19/$mode.$kind.top.txt" 2>&1 || true
        done
    done
fi
# Go 1.11 and Go 1.21 traces (no such Go here): small traces Go's own tests keep, made by
# the Go versions their names say, copied from Go 1.27's source tree with the Go 1.27
# tool's profiles and ranges of them:  go-testdata/NAME.{trace,KIND.pb,ranges.txt}
GOROOT127=$(GOFLAGS= "$GO127" env GOROOT)
mkdir -p "$OUT/go-testdata"
for name in user_task_region_1_11_good stress_start_stop_1_11_good user_task_region_1_21_good \
    stress_start_stop_1_21_good http_1_21_good; do
    cp "$GOROOT127/src/internal/trace/internal/tracev1/testdata/$name" "$OUT/go-testdata/$name.trace"
    parsed_ranges "$OUT/go-testdata/$name.trace" > "$OUT/go-testdata/$name.ranges.txt"
    for kind in sched sync net syscall; do
        "$GO127" tool trace -pprof=$kind "$OUT/go-testdata/$name.trace" > "$OUT/go-testdata/$name.$kind.pb"
    done
done
echo "wrote $(ls "$OUT" | wc -l) files into $OUT"
