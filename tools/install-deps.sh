#!/bin/sh
# install-deps.sh - the Debian/Ubuntu packages CamTrace builds, runs and
# tests with.  Needs root (uses sudo when run as an ordinary user).
# file and dpkg-dev (from build-essential) build the Debian package
# (CPack reads file types with file, dpkg-shlibdeps finds its
# dependencies); man-db (with groff-base) renders the manual pages for
# the docs.man test.  The gui.wireshark test (and tools/screenshot.sh)
# runs the Wireshark GUI (wireshark) on a virtual X screen (xvfb, with
# fonts-dejavu-core for its text), drives it with xdotool, reads its
# clipboard with xclip and photographs the screen with xwd (x11-apps) and
# netpbm's converters.
set -eu

PACKAGES="build-essential cmake pkg-config
    libwireshark-dev tshark
    libglib2.0-dev libmaxminddb-dev libc-ares-dev libpsl-dev libgcrypt20-dev
    libmaxmind-db-writer-perl mmdb-bin
    ca-certificates time clang-format python3
    file man-db
    wireshark xvfb xdotool xclip x11-apps netpbm fonts-dejavu-core"
# npm fetches the GeoLite2 databases.  Machines with Node.js from elsewhere
# already have it, and Debian's npm conflicts with those packages.
if ! command -v npm >/dev/null 2>&1; then
    PACKAGES="$PACKAGES npm"
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
# Nothing may ask a question: sudo drops DEBIAN_FRONTEND from the
# environment, so it is passed on the command line.
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"

# wireshark-common asks whether non-superusers may capture packets.  Answer
# it here, deliberately: no (dumpcap stays root-only), the Debian default.
# README.md says how to let your own account capture later (camtrace-capture
# needs it for live captures).  Only on a first install: an answer given
# before is kept.
if [ "$(dpkg-query -W -f='${Status}' wireshark-common 2>/dev/null)" != "install ok installed" ]; then
    echo 'wireshark-common wireshark-common/install-setuid boolean false' |
        $SUDO debconf-set-selections
fi
$APT update
# shellcheck disable=SC2086
$APT install -y --no-install-recommends $PACKAGES
