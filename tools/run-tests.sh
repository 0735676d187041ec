#!/bin/sh
# run-tests.sh - build CamTrace with warnings as errors and run every test,
# then build it again with AddressSanitizer and UndefinedBehaviorSanitizer
# and run every test again there (tshark with the ASan runtime preloaded,
# see tests/golden/sandbox.sh).  On a machine without the build and test dependencies
# it installs them first (tools/install-deps.sh).  The builds go to
# build-test/ and build-test-asan/, never disturbing a developer's build/.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${CAMTRACE_TEST_BUILD:-$here/build-test}

deps_present() {
    command -v cmake >/dev/null && command -v tshark >/dev/null &&
        command -v clang-format >/dev/null && command -v python3 >/dev/null &&
        command -v man >/dev/null && command -v groff >/dev/null && command -v file >/dev/null &&
        pkg-config --exists wireshark glib-2.0 libmaxminddb libcares 2>/dev/null &&
        perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null
}
deps_present || "$here/tools/install-deps.sh"

cmake -S "$here" -B "$build" -DCAMTRACE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j 2

cmake -S "$here" -B "$build-asan" -DCAMTRACE_WERROR=ON -DCAMTRACE_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=Debug
cmake --build "$build-asan" -j "$(nproc)"
ctest --test-dir "$build-asan" --output-on-failure -j 2
