#!/bin/sh
# run-tests.sh - build CamTrace with warnings as errors and run every test,
# then build it again with AddressSanitizer and UndefinedBehaviorSanitizer
# and run every test again there (tshark with the ASan runtime preloaded,
# see tests/golden/sandbox.sh).  On a machine without the build and test dependencies
# it installs them first (tools/install-deps.sh).  The builds go to
# build-test/ and build-test-asan/, never disturbing a developer's build/.
#
# Both builds always run, even when the first fails.  At the end one line
# per build says how its tests went, for example
#     normal build: 56/56 tests passed
#     sanitizer build: 55/56 tests passed; failed: golden.ptr_dead
# and the exit status is 0 only when both builds passed every test.
# Each build's ctest output is also kept in BUILD/run-tests.log.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${CAMTRACE_TEST_BUILD:-$here/build-test}

deps_present() {
    command -v cmake >/dev/null && command -v tshark >/dev/null &&
        command -v clang-format >/dev/null && command -v python3 >/dev/null &&
        command -v man >/dev/null && command -v groff >/dev/null && command -v file >/dev/null &&
        command -v wireshark >/dev/null && command -v Xvfb >/dev/null && command -v xdotool >/dev/null &&
        command -v xclip >/dev/null && command -v xwd >/dev/null && command -v pnmtopng >/dev/null &&
        pkg-config --exists wireshark glib-2.0 libmaxminddb libcares 2>/dev/null &&
        perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null
}
deps_present || "$here/tools/install-deps.sh"

summaries=""
status=0

# summary_of LOG: "P/T tests passed[; failed: A B]" from ctest's output in
# LOG, or nothing when ctest printed no result line.
summary_of() {
    awk '
        /^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+/ {
            failed = $4; total = $NF; seen = 1
        }
        /^The following tests FAILED:/ { list = 1; next }
        list && /^[[:space:]]+[0-9]+ - / {
            sub(/^[[:space:]]+[0-9]+ - /, "")
            sub(/ \([^()]*\)$/, "")
            names = names " " $0
            next
        }
        { list = 0 }
        END {
            if (!seen) exit
            printf "%d/%d tests passed", total - failed, total
            if (names != "") printf ";%s", " failed:" names
            printf "\n"
        }' "$1"
}

# run_build NAME DIR CMAKE_OPTIONS...: configure, build and test one build;
# appends its summary line to $summaries and sets status=1 on failure.
run_build() {
    name=$1 dir=$2
    shift 2
    echo "== $name build in $dir"
    line=""
    if ! cmake -S "$here" -B "$dir" -DCAMTRACE_WERROR=ON "$@"; then
        line="configure failed (cmake -S . -B $dir), no tests run"
    elif ! cmake --build "$dir" -j "$(nproc)"; then
        line="build failed (cmake --build $dir), no tests run"
    else
        log="$dir/run-tests.log"
        rc=0
        rm -f "$log.rc"
        # tee shows the output as it comes; the status goes through a file,
        # as sh has no pipefail.
        { ctest --test-dir "$dir" --output-on-failure -j 2 || echo $? >"$log.rc"; } 2>&1 |
            tee "$log"
        [ ! -f "$log.rc" ] || { rc=$(cat "$log.rc"); rm -f "$log.rc"; }
        line=$(summary_of "$log")
        if [ -z "$line" ]; then
            line="ctest printed no result (exit status $rc); see $log"
            rc=1
        elif [ "$rc" != 0 ] && ! echo "$line" | grep -q 'failed:'; then
            line="$line, but ctest exited with status $rc; see $log"
        fi
        if [ "$rc" = 0 ]; then
            summaries="$summaries$name build: $line
"
            return 0
        fi
    fi
    summaries="$summaries$name build: $line
"
    status=1
}

run_build normal "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
run_build sanitizer "$build-asan" -DCAMTRACE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

echo
echo "== Summary"
printf '%s' "$summaries"
exit $status
