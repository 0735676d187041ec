#!/bin/bash
# check-other-copy.sh - the last step of `cmake --install`
# (cmake/CamTraceOtherCopy.cmake) notices a camtrace.so in the other
# scope's plugin folder, says which copy Wireshark loads and how to remove
# the other; and Wireshark really loads the copy it names.
#
# Runs the step on its own on folders under /tmp: a fake global plugin
# folder (which tshark is pointed at with WIRESHARK_PLUGIN_DIR, as it
# would read the real one) and fake homes.  Nothing on the machine changes.
# CT_SOURCE_DIR: the source tree; CT_PLUGIN: the built camtrace.so;
# CT_SANITIZER_PRELOAD: in a sanitizer build, the ASan runtime.
set -euo pipefail
: "${CT_SOURCE_DIR:?}" "${CT_PLUGIN:?}"
tmp=$(mktemp -d /tmp/camtrace-other-copy.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
script="$CT_SOURCE_DIR/cmake/CamTraceOtherCopy.cmake"
majmin=$(pkg-config --modversion wireshark | cut -d. -f1,2)
sub=".local/lib/wireshark/plugins/$majmin/epan"
global="$tmp/global/$majmin/epan"
alice="$tmp/home/alice"
bob="$tmp/home/bob"
mkdir -p "$global" "$alice/$sub" "$bob/$sub"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# step SCOPE INSTALLED [HOMES]: the step's output (it writes to stderr).
step() {
    local homes=()
    [ $# -lt 3 ] || homes=(-DCT_HOMES="$3")
    cmake -DCT_SCOPE="$1" -DCT_INSTALLED="$2" -DCT_GLOBAL_DIR="$global" \
        -DCT_PERSONAL_SUBDIR="$sub" "${homes[@]}" -P "$script" 2>&1 ||
        fail "the step failed for $1"
}

# loaded HOME: the camtrace.so that tshark, run as an ordinary user with
# that HOME, loads with the fake global folder.
loaded() {
    local run_as=() san=()
    [ "$(id -u)" != 0 ] || run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    # A sanitizer build's plugin needs the ASan runtime in tshark.
    [ -z "${CT_SANITIZER_PRELOAD:-}" ] ||
        san=(LD_PRELOAD="$CT_SANITIZER_PRELOAD" ASAN_OPTIONS=detect_leaks=0)
    chmod -R a+rX "$tmp"
    "${run_as[@]}" env -i PATH="$PATH" HOME="$1" WIRESHARK_CONFIG_DIR="$1/config" \
        WIRESHARK_PLUGIN_DIR="$tmp/global" WIRESHARK_EXTCAP_DIR="$tmp/none" "${san[@]}" \
        tshark -G plugins 2>/dev/null | awk -F'\t' '$1 ~ /^camtrace\.so/ { print $4 }'
}

# No other copy: nothing to say, in either scope.
cp "$CT_PLUGIN" "$alice/$sub/camtrace.so"
out=$(step USER "$alice/$sub/camtrace.so")
[ -z "$out" ] || fail "USER install, no global copy: unexpected output: $out"
rm "$alice/$sub/camtrace.so"
cp "$CT_PLUGIN" "$global/camtrace.so"
out=$(step SYSTEM "$global/camtrace.so" "$alice;$bob")
[ -z "$out" ] || fail "SYSTEM install, no personal copy: unexpected output: $out"

# A personal install next to a global copy: the global one is loaded.
cp "$CT_PLUGIN" "$alice/$sub/camtrace.so"
out=$(step USER "$alice/$sub/camtrace.so")
echo "$out"
grep -qF "another camtrace.so is installed system-wide: $global/camtrace.so" <<<"$out" ||
    fail "USER install: the global copy is not named: $out"
grep -qF "Wireshark loads that copy, not the one just installed ($alice/$sub/camtrace.so)" <<<"$out" ||
    fail "USER install: does not say which copy is loaded: $out"
grep -qE "^ +(sudo )?rm $global/camtrace.so$" <<<"$out" ||
    fail "USER install: no command to remove the global copy: $out"
[ "$(loaded "$alice")" = "$global/camtrace.so" ] ||
    fail "tshark loads $(loaded "$alice"), not the global copy the step names"

# A global install with personal copies: each is named, the global one
# is loaded.
cp "$CT_PLUGIN" "$bob/$sub/camtrace.so"
out=$(step SYSTEM "$global/camtrace.so" "$alice;$bob;$tmp/home/nobody-here")
echo "$out"
for home in "$alice" "$bob"; do
    grep -qF "installed in a personal plugin folder: $home/$sub/camtrace.so" <<<"$out" ||
        fail "SYSTEM install: the copy in $home is not named: $out"
    grep -qE "^ +rm $home/$sub/camtrace.so$" <<<"$out" ||
        fail "SYSTEM install: no command to remove the copy in $home: $out"
done
expect="Wireshark loads the one just installed ($global/camtrace.so)"
[ "$(grep -cF "$expect" <<<"$out")" = 2 ] || fail "SYSTEM install: does not say which copy is loaded: $out"
[ "$(loaded "$bob")" = "$global/camtrace.so" ] ||
    fail "tshark loads $(loaded "$bob"), not the global copy the step names"

# The removal commands do what they say: then the other copy is gone.
rm "$alice/$sub/camtrace.so" "$bob/$sub/camtrace.so"
[ -z "$(step SYSTEM "$global/camtrace.so" "$alice;$bob")" ] || fail "output after the removal"

# A staged install (DESTDIR) is not where Wireshark looks: nothing said.
cp "$CT_PLUGIN" "$alice/$sub/camtrace.so"
out=$(DESTDIR="$tmp/stage" step USER "$alice/$sub/camtrace.so")
[ -z "$out" ] || fail "DESTDIR install: unexpected output: $out"
echo "PASS: another installed copy is noticed, and the copy named is the one loaded"
