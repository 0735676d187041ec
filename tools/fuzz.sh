#!/bin/sh
# fuzz.sh TARGET [SECONDS] - a long libFuzzer run of the core's fuzz targets.
#
#   TARGET   json | dns | out | mmdb | ecs | all
#   SECONDS  per target, default 60
#
# Builds the targets of tests/fuzz/ with clang's libFuzzer, ASan and UBSan
# (cmake -DCAMTRACE_FUZZ=ON) into build-fuzz/ (CAMTRACE_FUZZ_BUILD to
# change it), then runs each on build-fuzz/corpus/TARGET, a working copy of
# the committed corpus tests/fuzz/corpus/TARGET that keeps what earlier
# runs found.  A crash, leak, timeout or failed CHECK stops that target;
# its input is kept as build-fuzz/crashes/TARGET/crash-<sha1> (or leak-,
# timeout-, oom-), the script names every such file and exits 1.
#
# To reproduce:    build-fuzz/tests/fuzz/fuzz_TARGET build-fuzz/crashes/TARGET/crash-...
# To keep finds:   build-fuzz/tests/fuzz/fuzz_TARGET -merge=1 \
#                      tests/fuzz/corpus/TARGET build-fuzz/corpus/TARGET
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=4 -workers=4" tools/fuzz.sh all 600
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${CAMTRACE_FUZZ_BUILD:-$here/build-fuzz}
target=${1:-}
seconds=${2:-60}

case $target in
json | dns | out | mmdb | ecs) targets=$target ;;
all) targets="json dns out mmdb ecs" ;;
*)
    echo "usage: $0 json|dns|out|mmdb|ecs|all [SECONDS]" >&2
    exit 2
    ;;
esac
case $seconds in
'' | *[!0-9]*)
    echo "$0: SECONDS must be a number, not '$seconds'" >&2
    exit 2
    ;;
esac
if ! command -v clang >/dev/null; then
    echo "$0: clang is needed (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi

mkdir -p "$build"
CC=clang cmake -S "$here" -B "$build" -DCAMTRACE_FUZZ=ON -DCAMTRACE_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 || {
    cat "$build/configure.log" >&2
    exit 1
}
for t in $targets; do
    cmake --build "$build" -j "$(nproc)" --target "fuzz_$t" >/dev/null
done

# Leaks inside libmaxminddb are not ours (see the file).
LSAN_OPTIONS="suppressions=$here/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
status=0
for t in $targets; do
    corpus=$build/corpus/$t
    crashes=$build/crashes/$t
    dict=$here/tests/fuzz/$t.dict
    mkdir -p "$corpus" "$crashes"
    cp "$here/tests/fuzz/corpus/$t"/* "$corpus/"
    set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/"
    [ -f "$dict" ] && set -- "$@" -dict="$dict"
    echo "== fuzz_$t for ${seconds}s on $corpus"
    touch "$build/fuzz_$t.start"
    failed=0
    # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
    "$build/tests/fuzz/fuzz_$t" "$@" ${FUZZ_FLAGS:-} "$corpus" >"$build/fuzz_$t.log" 2>&1 ||
        failed=1
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|INFO: seed corpus)' \
        "$build/fuzz_$t.log" || true
    found=$(find "$crashes" -type f -newer "$build/fuzz_$t.start" | sort)
    if [ $failed -ne 0 ] || [ -n "$found" ]; then
        status=1
        echo "fuzz_$t FAILED; inputs kept:"
        echo "${found:-(none)}" | sed 's/^/  /'
        grep -E 'check failed|ERROR: AddressSanitizer|runtime error|ERROR: libFuzzer' \
            "$build/fuzz_$t.log" | head -5 || true
    fi
    echo "   log: $build/fuzz_$t.log, corpus: $(find "$corpus" -type f | wc -l) files"
done
exit $status
