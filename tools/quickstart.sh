#!/bin/sh
# quickstart.sh - from a fresh Debian/Ubuntu machine to enriched output:
# installs the packages, builds, installs the plugin and the commands,
# fetches the GeoLite2 databases, and runs the main job on the bundled
# sample capture: camtrace-capture --pcap data/sample.pcap (every flow
# enriched, in results/), plus a per-packet view and the devices report
# with tshark.
#
# Run as root (or with sudo) for a system-wide install, or as yourself for a
# personal one (~/.local/lib/wireshark/plugins, ~/.local/share/camtrace).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"

"$here/tools/install-deps.sh"
"$here/tools/fetch-geolite2.sh" || {
    echo "quickstart: stopped: the GeoLite2 databases could not be fetched (see above);" \
        "nothing was built or installed. Once they are in data/maxmind/, run ./tools/quickstart.sh again." >&2
    exit 1
}
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
    awk -F '\t' '{
        line = sprintf("%-24s -> %-26s %-8s %-18s %-2s %s", $1, $2, ($3 == "" ? "" : "AS" $3), $4, $5, $6)
        sub(/ +$/, "", line)
        print line
    }' |
    sort | uniq -c | sort -rn
echo
echo "== Each device's destinations (tshark -q -z camtrace,devices; the sample's home is Germany)"
tshark -q -r "$here/data/sample.pcap" -o camtrace.home_country:DE -z camtrace,devices

echo
echo "== Every flow of data/sample.pcap, enriched (camtrace-capture --pcap)"
# A personal install puts it in ~/.local/bin, which may not be on PATH yet.
capture=$(command -v camtrace-capture || echo "$HOME/.local/bin/camtrace-capture")
(cd "$here" && "$capture" --pcap data/sample.pcap --out-dir results) | tee "$build/quickstart.out"
csv=$(sed -n 's/^ *CSV: *//p' "$build/quickstart.out")
echo
echo "== Who talks to whom (from $csv: protocol, source -> destination, packets, organization, country, name and how it was learned)"
python3 - "$here/$csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        if r["dst_scope"] != "global":
            continue
        dst = r["dst_ip"]
        if r["dst_port"]:
            dst = (f"[{dst}]" if ":" in dst else dst) + ":" + r["dst_port"]
        name = f'{r["dst_name"]} ({r["dst_name_source"]})' if r["dst_name"] else ""
        print(f'{r["proto"]:6} {r["src_ip"]:>17} -> {dst:32} {r["pkts"]:>3} pkts  '
              f'{r["dst_as_org"]:18} {r["dst_country_iso"]:2} {name}'.rstrip())
PY
