#!/usr/bin/env bash
# Flamegate against the reference on many inputs: `go tool pprof -top FILE` and
# `flamegate top FILE` over a pprof corpus (default: the fuzzer's, .build-fuzz/corpus/pprof,
# whose files are mutations of real Go profiles). Each file ends up as one of
#   same          byte-identical reports
#   utf8          identical once invalid UTF-8 is normalized (pprof prints a name's raw
#                 bytes, Flamegate U+FFFD: README "Tests and fixtures")
#   both-refuse   both exit non-zero
#   DIFF          both report, differently             } disagreements: exit status 1,
#   ONLY-PPROF    pprof reports, Flamegate refuses     } the files are listed for
#   ONLY-FLAMEGATE  Flamegate reports, pprof refuses   } a closer look
#
#   Fuzz/differential.sh [DIR] [N]      N: a random sample of N files (default: all)
#
# Per-file verdicts go to .build-fuzz/logs/differential.txt. Needs a go with `go tool
# pprof` (PPROF_GO, as in Fixtures/pprof/analysis-refs.sh); about a second per file,
# nearly all of it pprof's. Keep what it finds: Tests/Fixtures/pprof/edge/ and
# Fixtures/pprof/edge-refs.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-.build-fuzz/corpus/pprof}
N=${2:-0}
if [[ -z "${PPROF_GO:-}" ]]; then
    PPROF_GO=$(command -v go || true)
    [[ -n "$PPROF_GO" ]] || PPROF_GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$PPROF_GO" ]] || { echo "differential.sh: no go for pprof at $PPROF_GO" >&2; exit 2; }
[[ -d "$DIR" ]] || { echo "differential.sh: $DIR: no such directory" >&2; exit 2; }
swift build --product flamegate >/dev/null
FG=$(swift build --product flamegate --show-bin-path)/flamegate
LOGS=.build-fuzz/logs
mkdir -p "$LOGS"
OUT=$LOGS/differential.txt
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
: >"$OUT"

files() { if [[ $N -gt 0 ]]; then ls "$DIR" | shuf -n "$N"; else ls "$DIR"; fi; }
# Invalid UTF-8 and U+FFFD both become "?", so only that difference disappears.
norm() { LC_ALL=C sed 's/\xef\xbf\xbd/?/g; s/[\x80-\xff]/?/g' "$1"; }
while read -r f; do
    a=0 b=0
    timeout 60 "$FG" top "$DIR/$f" >"$TMP/fg" 2>/dev/null || a=$?
    env -u GOROOT GOTOOLCHAIN=local PPROF_BINARY_PATH=/nonexistent \
        timeout 120 "$PPROF_GO" tool pprof -top "$DIR/$f" >"$TMP/pp" 2>/dev/null || b=$?
    if [[ $a -ne 0 && $b -ne 0 ]]; then v=both-refuse
    elif [[ $a -ne 0 ]]; then v=ONLY-PPROF
    elif [[ $b -ne 0 ]]; then v=ONLY-FLAMEGATE
    elif cmp -s "$TMP/fg" "$TMP/pp"; then v=same
    elif cmp -s <(norm "$TMP/fg") <(norm "$TMP/pp"); then v=utf8
    else v=DIFF
    fi
    echo "$v $f" >>"$OUT"
done < <(files)

echo "$(wc -l <"$OUT") files from $DIR (per file: $OUT)"
cut -d' ' -f1 "$OUT" | sort | uniq -c | sort -rn
if grep -q '^[A-Z]' "$OUT"; then
    echo "disagreements:"
    grep '^[A-Z]' "$OUT" | head -20
    exit 1
fi
