#!/usr/bin/env bash
# Builds one libFuzzer target (address sanitizer + coverage) and runs it.
#
#   Fuzz/run.sh TARGET SECONDS [libFuzzer options...]   build and fuzz TARGET for SECONDS
#   Fuzz/run.sh TARGET --build                           build only
#   Fuzz/run.sh --list                                   the targets
#
# Everything built or generated lives in .build-fuzz/ (git-ignored): the instrumented
# Yams and library, bin/TARGET, corpus/TARGET (the growing corpus), crashes/TARGET
# (crashes found). Committed seeds are read from Fuzz/corpus/TARGET. Exit status: 0 no crash,
# non-zero when libFuzzer found a crash, a timeout or an out-of-memory input.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# FUZZ_ASAN=0: libFuzzer without the address sanitizer (Swift's own bounds and overflow
# checks stay on): several times the executions per second, for long campaigns; builds
# live in .build-fuzz/noasan. Corpus, crashes and logs are shared either way.
FUZZ_ASAN=${FUZZ_ASAN:-1}
D=$ROOT/.build-fuzz
B=$D
SAN=(-sanitize=fuzzer,address)
SPM_SAN=(--sanitize fuzzer --sanitize address)
if [[ $FUZZ_ASAN == 0 ]]; then
    B=$D/noasan
    SAN=(-sanitize=fuzzer)
    SPM_SAN=(--sanitize fuzzer)
fi

targets() { (cd Fuzz && ls *.swift | sed 's/\.swift$//' | grep -v '^Support$'); }

if [[ "${1:-}" == "--list" ]]; then targets; exit 0; fi
if [[ $# -lt 2 ]]; then
    echo "usage: Fuzz/run.sh TARGET SECONDS [libFuzzer options...] | TARGET --build | --list" >&2
    echo "targets: $(targets | tr '\n' ' ')" >&2
    exit 2
fi
T=$1
SECONDS_=$2
shift 2
[[ -f Fuzz/$T.swift ]] || { echo "Fuzz/run.sh: no target $T (targets: $(targets | tr '\n' ' '))" >&2; exit 2; }

# 1. Yams (and its C libyaml), instrumented, through SwiftPM in our own scratch path.
YAMS_MOD=$B/debug/Modules/Yams.swiftmodule
if [[ ! -e $YAMS_MOD || ! -e $B/.yams-instrumented ]]; then
    echo "== building Yams (${SPM_SAN[*]}) into $B" >&2
    swift build --scratch-path "$B" --target Yams "${SPM_SAN[@]}" >&2
    touch "$B/.yams-instrumented"
fi
# (Crashes go to crashes/, not artifacts/: SwiftPM owns that name in its scratch path.)
mkdir -p "$B/lib" "$B/bin" "$D/corpus/$T" "$D/crashes/$T"
YAMS_OBJS=$(find "$B/debug/Yams.build" "$B/debug/CYaml.build" -name '*.o' | sort)
CYAML_INC=$(find "$B/checkouts/Yams/Sources/CYaml" -name module.modulemap -printf '%h\n' | head -1)
INC=(-I "$B/debug/Modules" -Xcc -I"$CYAML_INC" -I Sources/CZlib -I "$B/lib")

# 2. The library: one instrumented static library per layer (Core, Render, Gate — the
# targets the readers and reports live in — and Capture, for the HTTP parser), each rebuilt, with the layers above it, when
# one of its sources changed. (`touch .build-fuzz/lib/.frozen` keeps the built ones during
# a long campaign while sources are being edited.) A lock keeps two runs from building at once.
MODULES=(FlamegateCore FlamegateRender FlamegateGate FlamegateCapture)
# Files Package.swift embeds with `.embedInCode` (paths inside their target's folder): SwiftPM
# generates `PackageResources` with a byte array for each; swiftc alone does not, so
# `embedded_resources` writes the same declarations into the snapshot.
mapfile -t EMBEDDED < <(sed -n 's/.*\.embedInCode("\([^"]*\)").*/\1/p' Package.swift)
embedded_resources() {  # $1: the module's snapshot folder
    local r found=0
    for r in "${EMBEDDED[@]}"; do [[ -f $1/$r ]] && found=1; done
    [[ $found == 1 ]] || return 0
    {
        echo "struct PackageResources {"
        for r in "${EMBEDDED[@]}"; do
            [[ -f $1/$r ]] || continue
            printf 'static let %s: [UInt8] = [%s]\n' "$(printf %s "${r##*/}" | tr -c 'A-Za-z0-9_' '_')" \
                "$(od -An -v -tu1 "$1/$r" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')"
        done
        echo "}"
    } >"$1/embedded_resources.swift"
}
LIBS=()
# (Linked top layer first: a static library must come before those it uses.)
for M in "${MODULES[@]}"; do LIBS=("$B/lib/lib$M.a" "${LIBS[@]}"); done
exec 9>"$B/lib/.lock"
flock 9
stale=0
for M in "${MODULES[@]}"; do
    L=$B/lib/lib$M.a
    if [[ $stale == 1 || ! -e $L || ( ! -e $B/lib/.frozen && -n $(find "Sources/$M" -type f -newer "$L" | head -1) ) ]]; then
        stale=1
        echo "== building $M (${SAN[*]}, -O) into $B" >&2
        # Compile a snapshot, so that an edit made meanwhile does not abort the build.
        rm -rf "$B/src/$M" && mkdir -p "$B/src" && cp -R "Sources/$M" "$B/src/"
        embedded_resources "$B/src/$M"
        # A source that needs SwiftNIO/AsyncHTTPClient (the https:// transport) is replaced
        # by its stand-in from Fuzz/stubs/: the fuzz build compiles no SwiftNIO.
        while IFS= read -r f; do
            stub=Fuzz/stubs/$(basename "$f")
            [[ -f $stub ]] || { echo "Fuzz/run.sh: $f needs SwiftNIO and has no stand-in in Fuzz/stubs/" >&2; exit 2; }
            cp "$stub" "$f"
        done < <(grep -lE '^import (AsyncHTTPClient|NIO[A-Za-z0-9]*)$' -r "$B/src/$M" --include='*.swift' || true)
        mapfile -t SRCS < <(find "$B/src/$M" -name '*.swift' | sort)
        (cd "$B/lib" && swiftc "${SAN[@]}" -O -wmo -enable-testing -parse-as-library \
            -module-name "$M" -emit-module -emit-library -static -o "$L.tmp" \
            -I "$B/lib" -I "$B/debug/Modules" -Xcc -I"$CYAML_INC" -I "$ROOT/Sources/CZlib" \
            "${SRCS[@]}" 2> >(grep -v 'warning:' >&2) && mv "$L.tmp" "$L")
    fi
done
flock -u 9

# 3. The target, linked with libFuzzer's main.
BIN=$B/bin/$T
if [[ ! -e $BIN || ${LIBS[0]} -nt $BIN || Fuzz/$T.swift -nt $BIN || Fuzz/Support.swift -nt $BIN ]]; then
    echo "== building target $T" >&2
    swiftc "${SAN[@]}" -O -parse-as-library -module-name "Fuzz_$T" \
        Fuzz/$T.swift Fuzz/Support.swift "${INC[@]}" \
        "${LIBS[@]}" $YAMS_OBJS -lz -o "$BIN" 2> >(grep -v 'Cannot export local symbol' >&2)
fi
[[ "$SECONDS_" == "--build" ]] && exit 0

# 4. Fuzz: new inputs go to .build-fuzz/corpus/TARGET, seeds come from Fuzz/corpus/TARGET.
SEEDS=()
[[ -d Fuzz/corpus/$T ]] && SEEDS=("$ROOT/Fuzz/corpus/$T")
DICT=()
[[ -f Fuzz/dict/$T.dict ]] && DICT=(-dict="$ROOT/Fuzz/dict/$T.dict")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0}
export SWIFT_BACKTRACE=enable=no  # Swift's backtracer and ASan's handler get in each other's way
exec "$BIN" "$D/corpus/$T" "${SEEDS[@]}" "${DICT[@]}" \
    -max_total_time="$SECONDS_" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$D/crashes/$T/" -print_final_stats=1 "$@"
