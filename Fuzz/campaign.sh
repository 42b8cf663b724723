#!/usr/bin/env bash
# A long fuzzing campaign: every target (or the ones named) until it has executed RUNS
# inputs, JOBS targets at a time, then a table of executions, corpus sizes and crashes.
#
#   Fuzz/campaign.sh RUNS [JOBS] [TARGET...]     e.g. Fuzz/campaign.sh 10000000 2
#   FUZZ_ASAN=0 Fuzz/campaign.sh …               without the address sanitizer (run.sh)
#   FUZZ_FLAGS=-max_len=4096 Fuzz/campaign.sh …  more libFuzzer options for every target
#   Fuzz/campaign.sh --report [TARGET...]        the table of the last runs only
#
# Logs: .build-fuzz/logs/campaign-TARGET.log; the table also goes to
# .build-fuzz/logs/campaign.md. Exit status: non-zero when any target found a crash.
# Runs at `nice -n ${NICE:-10}` so that a shared machine stays usable.
set -euo pipefail
cd "$(dirname "$0")/.."
LOGS=.build-fuzz/logs
mkdir -p "$LOGS"
REPORT_ONLY=0
if [[ "${1:-}" == "--report" ]]; then
    REPORT_ONLY=1
    shift
else
    RUNS=${1:?usage: Fuzz/campaign.sh RUNS [JOBS] [TARGET...] | --report [TARGET...]}
    JOBS=${2:-2}
    shift $(($# >= 2 ? 2 : 1))
fi
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || mapfile -t TARGETS < <(Fuzz/run.sh --list)

report() {
    local status=0 t rc secs san result files size
    echo "| target | sanitizers, options | executions | exec/s | seconds | corpus files | corpus size | new units | peak RSS | result |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for t in "${TARGETS[@]}"; do
        [[ -f $LOGS/campaign-$t.status ]] || { echo "| $t | | | | | | | | | not run |"; continue; }
        read -r _ rc secs san <"$LOGS/campaign-$t.status"
        stat() { grep -o "stat::$1: *[0-9]*" "$LOGS/campaign-$t.log" | grep -o '[0-9]*$' || echo "?"; }
        files=$(find ".build-fuzz/corpus/$t" -type f | wc -l)
        size=$(du -sh ".build-fuzz/corpus/$t" | cut -f1)
        result=ok
        if [[ $rc -ne 0 ]]; then result="exit $rc (a crash, or stopped: see $LOGS/campaign-$t.log)"; status=1; fi
        echo "| $t | $san | $(stat number_of_executed_units) | $(stat average_exec_per_sec) | $secs | $files | $size | $(stat new_units_added) | $(stat peak_rss_mb) MB | $result |"
    done
    return $status
}
if [[ $REPORT_ONLY == 1 ]]; then report; exit; fi

# Build first, one at a time (the library build is shared and locked).
for t in "${TARGETS[@]}"; do Fuzz/run.sh "$t" --build; done

one() {
    local t=$1 start end rc san=fuzzer,address
    [[ ${FUZZ_ASAN:-1} == 0 ]] && san=fuzzer
    [[ -n ${FUZZ_FLAGS:-} ]] && san="$san $FUZZ_FLAGS"
    start=$(date +%s)
    # A time budget far beyond RUNS at any plausible rate: the run count ends the run.
    set +e
    nice -n "${NICE:-10}" Fuzz/run.sh "$t" 86400 -runs="$RUNS" ${FUZZ_FLAGS:-} >"$LOGS/campaign-$t.log" 2>&1
    rc=$?
    set -e
    end=$(date +%s)
    echo "$t $rc $((end - start)) $san" >"$LOGS/campaign-$t.status"
}
export -f one
export RUNS LOGS
printf '%s\n' "${TARGETS[@]}" | xargs -P "$JOBS" -I{} bash -c 'one {}'

set +e
report | tee "$LOGS/campaign.md"
exit "${PIPESTATUS[0]}"
