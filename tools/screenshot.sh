#!/bin/sh
# screenshot.sh [BUILD] - make docs/camtrace-packet-list.png again: the
# Wireshark packet list with the CamTrace profile's columns, 1600 pixels
# wide, from data/sample.pcap captured live through a pipe.  It runs the
# gui.wireshark test (tests/gui/wireshark.sh: the real Wireshark on Xvfb,
# with the plugin of BUILD, default build/, and the test databases, so
# the organizations are the fixture's, e.g. AMAZON-02) and keeps the main
# window's picture.  Needs what tools/install-deps.sh installs.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" 2>/dev/null && pwd) || {
    echo "screenshot.sh: no build folder ${1:-$here/build}: cmake -S . -B build && cmake --build build" >&2
    exit 1
}
[ -d "$build/plugins" ] || {
    echo "screenshot.sh: $build has no plugins/ folder: cmake --build $build" >&2
    exit 1
}
# The test databases, as ctest builds them.
ctest --test-dir "$build" -R '^fixture\.databases$' >/dev/null || {
    echo "screenshot.sh: the fixture.databases test failed in $build" >&2
    exit 1
}
out=$here/docs/camtrace-packet-list.png
tmp=$(mktemp /tmp/camtrace-screenshot.XXXXXX)
trap 'rm -f "$tmp" "$tmp.png"' EXIT
CT_PLUGIN_DIR=$build/plugins CT_TEST_DB_DIR=$build/tests/db CT_SOURCE_DIR=$here \
    CT_GUI_SCREENSHOT=$tmp.png CT_GUI_PACKET_LIST=$tmp \
    bash "$here/tests/gui/wireshark.sh" >/dev/null || {
    echo "screenshot.sh: tests/gui/wireshark.sh failed (its output is above)" >&2
    exit 1
}
# 256 colours are plenty for a screen of text and keep the file small.
pngtopnm "$tmp" | pnmquant 256 2>/dev/null | pnmtopng -compression 9 >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
