#!/bin/sh
# run-tests.sh - build CamTrace with warnings as errors and run every test.
# On a machine without the build and test dependencies it installs them
# first (tools/install-deps.sh).  The build goes to build-test/ so it never
# disturbs a developer's build/.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${CAMTRACE_TEST_BUILD:-$here/build-test}

deps_present() {
    command -v cmake >/dev/null && command -v tshark >/dev/null &&
        command -v clang-format >/dev/null &&
        pkg-config --exists wireshark glib-2.0 libmaxminddb libcares 2>/dev/null &&
        perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null
}
deps_present || "$here/tools/install-deps.sh"

cmake -S "$here" -B "$build" -DCAMTRACE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j 2
