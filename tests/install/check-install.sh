#!/bin/bash
# check-install.sh - `cmake --install` puts every piece where Wireshark,
# man and the user look for it, for the scope this build was configured with
# (CT_INSTALL_SCOPE: USER or SYSTEM; CT_INSTALL_PREFIX: the install
# prefix).  Installs into a staging folder (DESTDIR), so nothing on the
# machine changes.
set -euo pipefail
stage=$(mktemp -d /tmp/camtrace-install.XXXXXX)
trap 'rm -rf "$stage"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

DESTDIR="$stage" cmake --install "$CT_BUILD_DIR" >"$stage.log" 2>&1 ||
    fail "cmake --install failed: $(cat "$stage.log")"
rm -f "$stage.log"

majmin=$(pkg-config --modversion wireshark | cut -d. -f1,2)
case "$CT_INSTALL_SCOPE" in
SYSTEM)
    plugin_dir="$(pkg-config --variable=plugindir wireshark)/epan"
    profile_dir="$(pkg-config --variable=prefix wireshark)/share/wireshark/profiles/CamTrace"
    bin_dir="$CT_INSTALL_PREFIX/bin"
    man_dir="$CT_INSTALL_PREFIX/share/man/man1"
    data_dir="$CT_INSTALL_PREFIX/share/camtrace"
    ;;
USER)
    plugin_dir="$HOME/.local/lib/wireshark/plugins/$majmin/epan"
    profile_dir="${XDG_CONFIG_HOME:-$HOME/.config}/wireshark/profiles/CamTrace"
    bin_dir="$HOME/.local/bin"
    man_dir="$HOME/.local/share/man/man1"
    data_dir="$HOME/.local/share/camtrace"
    ;;
*) fail "unknown scope $CT_INSTALL_SCOPE" ;;
esac

for f in "$plugin_dir/camtrace.so" "$profile_dir/preferences" "$profile_dir/dfilter_buttons" "$profile_dir/recent" \
    "$bin_dir/camtrace" "$bin_dir/camtrace-capture" \
    "$man_dir/camtrace.1.gz" "$man_dir/camtrace-capture.1.gz" \
    "$data_dir/camtrace-ecs-template.json"; do
    [ -f "$stage$f" ] || fail "$f not installed ($CT_INSTALL_SCOPE); installed: $(cd "$stage" && find . -type f)"
done
echo "PASS: $CT_INSTALL_SCOPE install layout"
