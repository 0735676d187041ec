#!/bin/sh
# fuzz-captures.sh [MUTANTS] - the long run of the capture fuzzer
# (tests/golden/capture-fuzz.sh): builds CamTrace with AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz-captures/ and feeds tshark with
# the plugin MUTANTS damaged captures (default 2000, about 40 minutes on 2
# cores; at most 4 hours), each read twice (every field, then the flow
# export).  Failing mutants are kept in /tmp/camtrace-fuzz-failures.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build-fuzz-captures"
mutants=${1:-2000}

cmake -S "$here" -B "$build" -DCAMTRACE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
CT_FUZZ_MUTANTS=$mutants ctest --test-dir "$build" -R 'fixture|fuzz.captures' \
    --output-on-failure
