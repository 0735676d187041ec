#!/bin/sh
# quickstart.sh - from a fresh Debian/Ubuntu machine to enriched output:
# installs the packages, builds, installs the plugin, fetches the GeoLite2
# databases and runs tshark with the plugin on the bundled sample capture.
#
# Run as root (or with sudo) for a system-wide install, or as yourself for a
# personal one (~/.local/lib/wireshark/plugins, ~/.local/share/camtrace).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"

"$here/tools/install-deps.sh"
"$here/tools/fetch-geolite2.sh"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"
cmake --install "$build"

echo
echo "== tshark -G plugins"
tshark -G plugins | grep camtrace
echo
echo "== Who the devices in data/sample.pcap talk to (packets: source -> destination, AS, country, city)"
tshark -r "$here/data/sample.pcap" -Y 'camtrace.dst.scope == "global"' -T fields \
    -e _ws.col.Source -e _ws.col.Destination -e camtrace.dst.asn -e camtrace.dst.as_org \
    -e camtrace.dst.country_iso -e camtrace.dst.city |
    awk -F '\t' '{printf "%-24s -> %-26s AS%-6s %-18s %-2s %s\n", $1, $2, $3, $4, $5, $6}' |
    sort | uniq -c | sort -rn
