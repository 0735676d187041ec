#!/bin/sh
# run-tests.sh - build CamTrace with warnings as errors and run every test.
# The build goes to build-test/ so it never disturbs a developer's build/.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${CAMTRACE_TEST_BUILD:-$here/build-test}

cmake -S "$here" -B "$build" -DCAMTRACE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j 2
