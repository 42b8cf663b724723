#!/usr/bin/env bash
# Flame graph benchmarks:
#  1. SVG from a >= 10 MB folded file: flamegate flame vs flamegraph.pl (same run, same input),
#     wall time and peak RSS, and whether the frame geometry matches (--hash --colors hot).
#  2. Standalone HTML for a tree of ~1 M frames: generation time, peak RSS, file size.
#
# Needs perl and flamegraph.pl (FLAMEGRAPH_PL=/path/to/flamegraph.pl, default
# /tmp/FlameGraph/flamegraph.pl; github.com/brendangregg/FlameGraph, not committed here) and
# GNU time. Inputs are generated into Benchmarks/out/ (git-ignored), deterministically.
# FLAMEGATE=/path/to/flamegate measures another binary; otherwise a release build is made.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=Benchmarks/out
mkdir -p "$OUT"
PL=${FLAMEGRAPH_PL:-/tmp/FlameGraph/flamegraph.pl}
if [ -z "${FLAMEGATE:-}" ]; then
  swift build -c release --scratch-path .build-flame >/dev/null
  FLAMEGATE=.build-flame/release/flamegate
fi

# Synthetic folded stacks: a call tree with Go/C/Swift-like names, Zipf-ish counts.
gen() { # gen FILE LINES DEPTH FANOUT SEED
  python3 - "$@" <<'PY'
import random, sys
path, lines, depth, fanout, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
pk = ["main", "net/http", "runtime", "encoding/json", "github.com/acme/svc/internal/store", "sync", "Swift", "libc"]
def name(level, k):
    p = pk[(level * 7 + k) % len(pk)]
    return f"{p}.fn_{level}_{k}" if p not in ("libc",) else f"memcpy_{level}_{k}"
seen = {}
with open(path, "w") as f:
    for i in range(lines):
        d = rng.randint(depth // 2, depth)
        st = [name(l, min(int(rng.paretovariate(1.2)) - 1, fanout - 1) + (l % 3) * fanout) for l in range(d)]
        key = ";".join(st)
        seen[key] = seen.get(key, 0) + rng.randint(1, 50)
    for k in sorted(seen):
        f.write(f"{k} {seen[k]}\n")
PY
}
BIG=$OUT/flame-big.folded
[ -s "$BIG" ] || gen "$BIG" 20000 40 12 1
HUGE=$OUT/flame-1m.folded
[ -s "$HUGE" ] || gen "$HUGE" 90000 24 60 2

measure() { # measure LABEL CMD... -> prints wall s, user CPU s and max RSS MB (sets LAST_USER, LAST_WALL)
  local label=$1; shift
  /usr/bin/time -f "%e %U %M" -o "$OUT/time.txt" "$@"
  read -r wall user rss < "$OUT/time.txt"
  LAST_USER=$user
  LAST_WALL=$wall
  printf '%-34s %8.2f s wall %8.2f s user %9.1f MB\n' "$label" "$wall" "$user" "$(echo "$rss/1024" | bc -l)"
}

echo "== SVG from $(du -m "$BIG" | cut -f1) MB folded ($(wc -l < "$BIG") stacks)"
measure "flamegate flame (svg)" "$FLAMEGATE" flame --hash --colors hot "$BIG" -o "$OUT/flame-big.flamegate.svg"
FG_USER=$LAST_USER FG_WALL=$LAST_WALL
measure "flamegraph.pl --hash" sh -c "PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 perl '$PL' --hash '$BIG' > '$OUT/flame-big.pl.svg' 2>/dev/null"
PL_USER=$LAST_USER PL_WALL=$LAST_WALL
python3 -c "import sys; fu, fw, pu, pw = map(float, sys.argv[1:]); print(f'flamegate / flamegraph.pl: user CPU 1/{pu / max(fu, 0.005):.0f}, wall 1/{pw / max(fw, 0.005):.0f} (goal: user <= 1/20)')" "$FG_USER" "$FG_WALL" "$PL_USER" "$PL_WALL"
python3 - "$OUT/flame-big.pl.svg" "$OUT/flame-big.flamegate.svg" <<'PY'
import re, sys
def frames(p):
    s = open(p).read(); s = s[s.index('id="frames"'):]
    return sorted((float(y), float(x), float(w), f) for x, y, w, f in
                  re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="[^"]+" fill="([^"]+)"', s))
a, b = frames(sys.argv[1]), frames(sys.argv[2])
same = len(a) == len(b) and all(abs(p[1]-q[1]) <= 0.01 and abs(p[2]-q[2]) <= 0.01 and p[0] == q[0] and p[3] == q[3] for p, q in zip(a, b))
print(f"frames: flamegraph.pl {len(a)}, flamegate {len(b)}; geometry and colours equal: {same}")
PY

echo "== HTML for ~1 M frames ($(du -m "$HUGE" | cut -f1) MB folded, $(wc -l < "$HUGE") stacks)"
measure "flamegate flame (html)" "$FLAMEGATE" flame "$HUGE" -o "$OUT/flame-1m.html"
python3 - "$OUT/flame-1m.html" <<'PY'
import json, os, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(re.search(r'<script id="fgdata" type="application/json">(.*?)</script>', s, re.S).group(1))
print(f"frames in HTML: {len(d['n'])}, names: {len(d['names'])}, file: {os.path.getsize(sys.argv[1]) / 1e6:.1f} MB")
PY
measure "flamegate flame (svg, same input)" "$FLAMEGATE" flame "$HUGE" -o "$OUT/flame-1m.svg"
