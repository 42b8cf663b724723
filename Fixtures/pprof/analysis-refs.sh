#!/usr/bin/env bash
# Write `go tool pprof` references for pprof's analysis options (filters,
# granularities, -peek, -tree, diffs, tag filters) into
# Tests/Fixtures/pprof/analysis/. See Tests/Fixtures/pprof/analysis/NOTES.md
# and Fixtures/pprof/README.md.
#
#   Fixtures/pprof/analysis-refs.sh           # regenerate every reference
#   Fixtures/pprof/analysis-refs.sh --copy    # first re-copy the profiles from
#                                             # the go1.27 / go1.27-fixed sets
#
# The profiles are copies (the folder is self-contained); they are copied
# only when missing or with --copy. No profile is captured here: to get new
# profiles, run capture.sh, then this script with --copy.
#
# Environment:
#   PPROF_GO   go whose `go tool pprof` makes the references (default: go on
#              PATH, else the pip-installed go). Must be go1.27.3 for the
#              committed references.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SETS=$ROOT/Tests/Fixtures/pprof
OUT=$SETS/analysis

if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$PPROF_GO" ]] || { echo "analysis-refs.sh: no go for pprof at $PPROF_GO" >&2; exit 1; }
gocmd() { env -u GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod "$@"; }

COPY=0
case "${1:-}" in
--copy) COPY=1 ;;
"") ;;
*) echo "usage: $0 [--copy]" >&2; exit 2 ;;
esac

# ---------------------------------------------------------------------------
# Profiles: analysis/NAME.pb.gz <- SET/PROFILE.pb.gz
mkdir -p "$OUT"
copy() { # copy NAME SET PROFILE
    if [[ $COPY == 1 || ! -f "$OUT/$1.pb.gz" ]]; then
        cp "$SETS/$2/$3.pb.gz" "$OUT/$1.pb.gz"
        echo "  $1.pb.gz <- $2/$3.pb.gz"
    fi
}
copy cpu          go1.27       cpu
copy cpu2         go1.27       cpu2
copy heap         go1.27       heap
copy allocs       go1.27       allocs
copy mutex        go1.27       mutex
copy cpu-fixed    go1.27-fixed cpu
copy allocs-fixed go1.27-fixed allocs
copy heap-fixed   go1.27-fixed heap

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/nobin"

# Re-runnable: remove only what this script writes.
rm -f "$OUT"/*.txt "$OUT/references.tsv"
MANIFEST=$OUT/references.tsv
: >"$MANIFEST"

# ref NAME ARGS... : run pprof in $OUT with ARGS, stdout to NAME, record it.
# ARGS are recorded space-separated, so no argument may contain a space.
ref() {
    local name=$1 a
    shift
    for a in "$@"; do
        [[ $a != *[[:space:]]* ]] || { echo "analysis-refs.sh: space in argument '$a'" >&2; exit 1; }
    done
    if ! (cd "$OUT" && TZ=UTC PPROF_BINARY_PATH="$WORK/nobin" \
        gocmd "$PPROF_GO" tool pprof "$@" >"$name" 2>"$WORK/pprof.err"); then
        echo "analysis-refs.sh: pprof $* failed:" >&2
        cat "$WORK/pprof.err" >&2
        exit 1
    fi
    [[ -s "$OUT/$name" ]] || { echo "analysis-refs.sh: pprof $* printed nothing" >&2; exit 1; }
    printf '%s\t%s\n' "$name" "$*" >>"$MANIFEST"
}

# Baselines (same as in the go1.27 sets, here so every comparison is local).
ref cpu.top.txt                    -top cpu.pb.gz
ref heap.top.txt                   -top heap.pb.gz
ref allocs.top-si-alloc_space.txt  -top -sample_index=alloc_space allocs.pb.gz
ref mutex.top.txt                  -top mutex.pb.gz

# ---------------------------------------------------------------------------
# 1. Filters, each alone, with -top.
ref cpu.top-focus-payHandler.txt        -top '-focus=main\.payHandler' cpu.pb.gz
ref cpu.top-focus-json.txt              -top '-focus=encoding/json' cpu.pb.gz
ref cpu.top-ignore-reportHandler.txt    -top '-ignore=main\.reportHandler' cpu.pb.gz
ref cpu.top-ignore-syscall.txt          -top '-ignore=^syscall\.' cpu.pb.gz
ref cpu.top-hide-runtime.txt            -top '-hide=^runtime\.' cpu.pb.gz
ref cpu.top-hide-net-http.txt           -top '-hide=^net/http' cpu.pb.gz
ref cpu.top-show-main.txt               -top '-show=^main\.' cpu.pb.gz
ref cpu.top-show-json.txt               -top '-show=encoding/json' cpu.pb.gz
ref cpu.top-show_from-payHandler.txt    -top '-show_from=main\.payHandler' cpu.pb.gz
ref cpu.top-show_from-pprofDo.txt       -top '-show_from=runtime/pprof\.Do' cpu.pb.gz
ref cpu.top-prune_from-mallocgc.txt     -top '-prune_from=runtime\.mallocgc$' cpu.pb.gz
ref cpu.top-prune_from-json.txt         -top '-prune_from=encoding/json' cpu.pb.gz

ref allocs.top-focus-renderInvoice.txt     -top -sample_index=alloc_space '-focus=main\.renderInvoice' allocs.pb.gz
ref allocs.top-ignore-reportHandler.txt    -top -sample_index=alloc_space '-ignore=main\.reportHandler' allocs.pb.gz
ref allocs.top-hide-net-http.txt           -top -sample_index=alloc_space '-hide=^net/' allocs.pb.gz
ref allocs.top-show-main.txt               -top -sample_index=alloc_space '-show=^main\.' allocs.pb.gz
ref allocs.top-show_from-payHandler.txt    -top -sample_index=alloc_space '-show_from=main\.payHandler' allocs.pb.gz
ref allocs.top-prune_from-json.txt         -top -sample_index=alloc_space '-prune_from=encoding/json' allocs.pb.gz

# focus/ignore/hide/show match a frame's function name, its file name or its
# mapping's file (the binary path); a filter that matches nothing still prints
# the header.
ref cpu.top-focus-filename.txt          -top '-focus=service/main\.go' cpu.pb.gz
ref cpu.top-hide-filename.txt           -top '-hide=service/main\.go' cpu.pb.gz
ref cpu.top-ignore-mapping.txt          -top '-ignore=bin/service$' cpu.pb.gz
ref cpu.top-focus-nomatch.txt           -top '-focus=^nosuchfunction$' cpu.pb.gz

# Combinations.
ref cpu.top-focus-ignore.txt            -top '-focus=main\.payHandler' '-ignore=main\.buildLineItems' cpu.pb.gz
ref allocs.top-focus-ignore.txt         -top -sample_index=alloc_space '-focus=main\.' '-ignore=main\.runLoad' allocs.pb.gz
ref cpu.top-focus-relative.txt          -top '-focus=main\.payHandler' -relative_percentages cpu.pb.gz
ref allocs.top-focus-relative.txt       -top -sample_index=alloc_space '-focus=main\.reportHandler' -relative_percentages allocs.pb.gz
ref cpu.top-show_from-hide.txt          -top '-show_from=main\.payHandler' '-hide=^runtime\.' cpu.pb.gz
# "Active filters:" lines longer than 80 characters are cut, with "…".
ref cpu.top-focus-long.txt              -top '-focus=main\.payHandler\.func1|main\.reportHandler\.func1|main\.renderHandler\.func1|main\.scoreFraud' cpu.pb.gz
ref cpu.top-focus-show.txt              -top '-focus=main\.reportHandler' '-show=encoding/json' cpu.pb.gz
ref mutex.top-focus-ledger.txt          -top '-focus=main\.\(\*ledger\)' mutex.pb.gz
ref mutex.top-show_from-ledger.txt      -top '-show_from=main\.\(\*ledger\)\.record' mutex.pb.gz
ref merged.top-focus-payHandler.txt     -top '-focus=main\.payHandler' cpu.pb.gz cpu2.pb.gz

# String-label filters (cpu: handler, mode, role, worker).
ref cpu.top-tagfocus-handler-pay.txt    -top -tagfocus=handler=pay cpu.pb.gz
ref cpu.top-tagfocus-handler-re.txt     -top -tagfocus=handler=re cpu.pb.gz
ref cpu.top-tagfocus-handler-pay-report.txt -top -tagfocus=handler=pay,report cpu.pb.gz
ref cpu.top-tagfocus-nokey-pay.txt      -top -tagfocus=pay cpu.pb.gz
# Without KEY= every comma-separated regexp must match some "key:value" of the
# sample (AND); with KEY= any regexp may match a value of KEY (OR).
ref cpu.top-tagfocus-nokey-pay-report.txt -top -tagfocus=pay,report cpu.pb.gz
ref cpu.top-tagfocus-nokey-keycolon.txt -top '-tagfocus=^role:loadgen$' cpu.pb.gz
ref cpu.top-tagignore-handler-report.txt -top -tagignore=handler=report cpu.pb.gz
ref cpu.top-tagignore-role-loadgen.txt  -top -tagignore=role=loadgen cpu.pb.gz
ref cpu.top-tagfocus-tagignore.txt      -top '-tagfocus=handler=.' -tagignore=mode=regress cpu.pb.gz
ref cpu.top-tagshow-handler.txt         -top -tagshow=handler cpu.pb.gz
ref cpu.top-taghide-mode.txt            -top -taghide=mode cpu.pb.gz
ref cpu.traces-tagshow-handler.txt      -traces -tagshow=handler cpu.pb.gz
ref cpu.traces-taghide-mode.txt         -traces -taghide=mode cpu.pb.gz
ref cpu.tags-tagshow-handler.txt        -tags -tagshow=handler cpu.pb.gz
ref cpu.tags-taghide-mode.txt           -tags -taghide=mode cpu.pb.gz
ref cpu.traces-tagfocus-worker.txt      -traces -tagfocus=worker=fraud cpu.pb.gz

# Numeric-label filters (heap: bytes). A number without a unit (:512) never
# matches a label that has a unit; :512b does.
ref heap.top-tagfocus-1kb-.txt          -top -tagfocus=1kb: heap.pb.gz
ref heap.top-tagfocus--512.txt          -top -tagfocus=:512 heap.pb.gz
ref heap.top-tagfocus-64b-4kb.txt       -top -tagfocus=64b:4kb heap.pb.gz
ref heap.top-tagfocus--512b.txt         -top -tagfocus=:512b heap.pb.gz
ref heap.top-tagfocus-bytes-16b.txt     -top -tagfocus=bytes=16b heap.pb.gz
ref heap.top-tagignore-64b-4kb.txt      -top -tagignore=64b:4kb heap.pb.gz
ref heap.top-si-alloc_space-tagfocus-4kb-.txt -top -sample_index=alloc_space -tagfocus=bytes=4kb: heap.pb.gz
ref heap.traces-tagfocus-1kb-.txt       -traces -tagfocus=1kb: heap.pb.gz

# ---------------------------------------------------------------------------
# 2. Granularities (pprof has no -granularity flag, only these spellings).
for p in cpu heap; do
    for g in functions filefunctions lines addresses; do
        ref "$p.top-$g.txt"           -top "-$g" "$p.pb.gz"
        ref "$p.top-$g-noinlines.txt" -top "-$g" -noinlines "$p.pb.gz"
    done
done
# -files keeps one row per function (same file name, different start line),
# and pprof orders rows with equal flat and equal name at random (see
# NOTES.md), so a full -files report differs from run to run. With -nodecount
# the shown rows all have distinct flat values: stable.
ref cpu.top-files-nodecount6.txt            -top -files -nodecount=6 cpu.pb.gz
ref cpu.top-files-noinlines-nodecount6.txt  -top -files -noinlines -nodecount=6 cpu.pb.gz
ref heap.top-files-nodecount5.txt           -top -files -nodecount=5 heap.pb.gz
ref heap.top-files-noinlines-nodecount5.txt -top -files -noinlines -nodecount=5 heap.pb.gz
ref cpu.top-lines-focus.txt             -top -lines '-focus=main\.payHandler' cpu.pb.gz
ref cpu.traces-lines.txt                -traces -lines '-focus=main\.renderInvoice' cpu.pb.gz

# ---------------------------------------------------------------------------
# 3. -peek and -tree.
ref cpu.peek-mapassign.txt              '-peek=runtime\.mapassign_faststr' cpu.pb.gz
ref cpu.peek-main.txt                   '-peek=^main\.' cpu.pb.gz
ref allocs.peek-renderInvoice.txt       '-peek=main\.renderInvoice' -sample_index=alloc_space allocs.pb.gz
# With -lines the peek regexp sees "NAME FILE:LINE", so a trailing $ never matches a name.
ref cpu.peek-payHandler-lines.txt       '-peek=main\.payHandler\.func1\s' -lines cpu.pb.gz
ref cpu.tree.txt                        -tree cpu.pb.gz
ref cpu.tree-nodecount20.txt            -tree -nodecount=20 cpu.pb.gz
ref heap.tree.txt                       -tree heap.pb.gz
ref cpu.tree-focus-payHandler.txt       -tree '-focus=main\.payHandler' cpu.pb.gz
ref allocs.tree-focus-renderInvoice.txt -tree -sample_index=alloc_space '-focus=main\.renderInvoice' allocs.pb.gz

# ---------------------------------------------------------------------------
# 4. Diffs. -diff_base marks the base negative and keeps the totals of the
# new profile; -base subtracts (merges the negated base).
ref cpu.top-diff_base.txt               -top -diff_base=cpu.pb.gz cpu-fixed.pb.gz
ref cpu.top-diff_base-normalize.txt     -top -diff_base=cpu.pb.gz -normalize cpu-fixed.pb.gz
ref cpu.top-diff_base-drop_negative.txt -top -diff_base=cpu.pb.gz -drop_negative cpu-fixed.pb.gz
ref cpu.top-cum-diff_base.txt           -top -cum -diff_base=cpu.pb.gz cpu-fixed.pb.gz
ref cpu.top-diff_base-focus.txt         -top -diff_base=cpu.pb.gz '-focus=main\.payHandler' cpu-fixed.pb.gz
ref cpu.top-base.txt                    -top -base=cpu.pb.gz cpu-fixed.pb.gz
ref cpu.traces-diff_base.txt            -traces -diff_base=cpu.pb.gz '-focus=main\.payHandler' cpu-fixed.pb.gz
# (Not main.payHandler.func1: its callees include +0.01s and -0.01s edges,
# which pprof orders at random.)
ref cpu.peek-diff_base.txt              '-peek=main\.buildLineItems' -diff_base=cpu.pb.gz cpu-fixed.pb.gz
ref cpu.tags-diff_base.txt              -tags -diff_base=cpu.pb.gz cpu-fixed.pb.gz
ref allocs.top-base.txt                 -top -base=allocs.pb.gz allocs-fixed.pb.gz
ref allocs.top-base-drop_negative.txt   -top -base=allocs.pb.gz -drop_negative allocs-fixed.pb.gz
ref allocs.top-diff_base.txt            -top -sample_index=alloc_space -diff_base=allocs.pb.gz allocs-fixed.pb.gz
ref allocs.top-diff_base-normalize.txt  -top -sample_index=alloc_space -diff_base=allocs.pb.gz -normalize allocs-fixed.pb.gz
ref allocs.top-diff_base-drop_negative.txt -top -sample_index=alloc_space -diff_base=allocs.pb.gz -drop_negative allocs-fixed.pb.gz
ref heap.top-diff_base.txt              -top -diff_base=heap.pb.gz heap-fixed.pb.gz

# ---------------------------------------------------------------------------
# 5. -traces with filters, -nodecount and -unit with filters.
ref cpu.traces-focus-renderInvoice.txt  -traces '-focus=main\.renderInvoice' cpu.pb.gz
ref cpu.traces-hide-runtime.txt         -traces '-hide=^(runtime|internal/runtime)' '-focus=main\.buildLineItems' cpu.pb.gz
ref cpu.traces-show_from-payHandler.txt -traces '-show_from=main\.payHandler\.func1$' '-focus=main\.buildLineItems' cpu.pb.gz
ref heap.traces-hide-net-http.txt       -traces '-hide=^net/http' heap.pb.gz
ref mutex.traces-focus-ledger.txt       -traces '-focus=main\.\(\*ledger\)\.snapshot' mutex.pb.gz
ref cpu.top-nodecount10-focus.txt       -top -nodecount=10 '-focus=main\.reportHandler' cpu.pb.gz
ref cpu.top-nodecount10-hide.txt        -top -nodecount=10 '-hide=^runtime\.' cpu.pb.gz
ref allocs.top-nodecount10-show.txt     -top -nodecount=10 -sample_index=alloc_space '-show=^(main|encoding)' allocs.pb.gz
ref cpu.top-unit-ms-focus.txt           -top -unit=ms '-focus=main\.payHandler' cpu.pb.gz
ref heap.top-unit-mb-focus.txt          -top -unit=mb '-focus=main\.' heap.pb.gz
ref cpu.top-cum-focus.txt               -top -cum '-focus=main\.renderHandler' cpu.pb.gz
ref cpu.top-nodefraction-focus.txt      -top -nodefraction=0.05 '-focus=main\.payHandler' cpu.pb.gz

# ---------------------------------------------------------------------------
# 6. -tags.
ref cpu.tags.txt                        -tags cpu.pb.gz
ref heap.tags.txt                       -tags heap.pb.gz
ref heap.tags-si-alloc_space.txt        -tags -sample_index=alloc_space heap.pb.gz
ref cpu.tags-tagfocus-handler-pay.txt   -tags -tagfocus=handler=pay cpu.pb.gz
ref cpu.tags-focus-payHandler.txt       -tags '-focus=main\.payHandler' cpu.pb.gz
ref heap.tags-tagfocus-64b-4kb.txt      -tags -tagfocus=64b:4kb heap.pb.gz

echo "wrote $OUT ($(du -sk "$OUT" | cut -f1) KB, $(wc -l <"$MANIFEST") references)"
