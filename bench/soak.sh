#!/bin/bash
# bench/soak.sh - memory over a long live capture: does CamTrace keep to
# its bounds?  Writes the "soak" section of bench/RESULTS.md.
#
#   bench/soak.sh [--packets N] [--remotes R] [--max-addresses A]
#                 [--max-flows F] [--session-reset M] [--build DIR]
#
# A capture of N packets (default 4,000,000) between 50 LAN devices and R
# distinct public addresses (default 400,000; ct-pcapgen bench) is
# streamed through a named pipe into `tshark -i PIPE` (dumpcap reads the
# pipe), with every CamTrace memory in use:
#   - a display filter on camtrace.remote.ptr: each packet's remote end is
#     enriched (the enricher's cache) and its PTR name asked and waited
#     for (the PTR answers), from ct-dnsd on 127.0.0.1 answering every
#     question with a made-up name (--synthesize);
#   - the names learned from the capture's DNS answers (the bench
#     capture's DNS flows);
#   - the flow export and the devices report (-z camtrace,flows and
#     -z camtrace,devices, to /dev/null), which count every flow.
# The bounds are set low (camtrace.max_addresses A, default 50,000;
# camtrace.max_flows F, default 50,000) so that the short run reaches
# them too.  The same runs on the first quarter of the capture give the
# short peak; each run is also made with CamTrace disabled (same command,
# --disable-protocol camtrace), which is Wireshark's own memory: it keeps
# every conversation of the capture (TCP analysis, DNS transactions) and
# grows with the capture whatever a plugin does.  So both runs are made a
# third time with `tshark -M M` (default 500,000), Wireshark's own bound:
# a session reset every M packets, which also starts CamTrace's per-capture
# memories again (the flow export and the devices report go on counting).
#
# Peak RSS is GNU time's (/usr/bin/time -v) of tshark.  tshark runs as
# nobody when the script runs as root (Wireshark ignores plugin folders
# for root).  Real GeoLite2 databases (tools/fetch-geolite2.sh) when they
# are in data/maxmind, else the test fixtures' (build/tests/db).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
packets=4000000
remotes=400000
max_addresses=50000
max_flows=50000
reset=500000
build="$here/build-bench"
while [ $# -gt 0 ]; do
    case $1 in
    --packets) packets=$2; shift 2 ;;
    --remotes) remotes=$2; shift 2 ;;
    --max-addresses) max_addresses=$2; shift 2 ;;
    --max-flows) max_flows=$2; shift 2 ;;
    --session-reset) reset=$2; shift 2 ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    *)
        echo "usage: $0 [--packets N] [--remotes R] [--max-addresses A] [--max-flows F]" \
            "[--session-reset M] [--build DIR]" >&2
        exit 2
        ;;
    esac
done
short=$((packets / 4))
command_line="bench/soak.sh --packets $packets --remotes $remotes --max-addresses $max_addresses --max-flows $max_flows --session-reset $reset"

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target camtrace ct-pcapgen ct-dnsd >/dev/null

work=$(mktemp -d /tmp/camtrace-soak.XXXXXX)
dnsd_pid=""
cleanup() {
    exec 3>&- 2>/dev/null || true
    [ -z "$dnsd_pid" ] || kill "$dnsd_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$work/config" "$work/db"
cp -r "$build/plugins" "$work/plugins"
if [ -s "$here/data/maxmind/GeoLite2-City.mmdb" ]; then
    cp "$here"/data/maxmind/GeoLite2-ASN.mmdb "$here"/data/maxmind/GeoLite2-City.mmdb "$work/db/"
    dbs="GeoLite2 (geolite2@4.0.1)"
else
    cp "$build/tests/db/asn.mmdb" "$work/db/GeoLite2-ASN.mmdb"
    cp "$build/tests/db/city.mmdb" "$work/db/GeoLite2-City.mmdb"
    dbs="the test fixtures (few of the addresses are in them)"
fi
# Reverse DNS only from our own server on loopback.
echo "camtrace.ptr: FALSE" >"$work/config/preferences"

echo "generating $packets packets, $remotes remote addresses..." >&2
"$build/tests/ct-pcapgen" bench --packets "$packets" --remotes "$remotes" "$work/long.pcap" 2>&1 |
    sed 's/^/  /' >&2
editcap -r "$work/long.pcap" "$work/short.pcap" "1-$short"

"$build/tests/ct-dnsd" --port 0 --zone /dev/null --synthesize >"$work/dns.port" 2>/dev/null &
dnsd_pid=$!
for _ in $(seq 100); do
    [ -s "$work/dns.port" ] && break
    sleep 0.05
done
dns_port=$(head -n 1 "$work/dns.port")
[ -n "$dns_port" ] || { echo "ct-dnsd did not start" >&2; exit 1; }

chmod -R a+rX "$work"
run_as=()
if [ "$(id -u)" = 0 ]; then
    run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    chown -R nobody:nogroup "$work/home" "$work/config"
fi

tshark_args=(-q -o ip.use_geoip:FALSE -o ipv6.use_geoip:FALSE
    -o "camtrace.asn_db:$work/db/GeoLite2-ASN.mmdb" -o "camtrace.city_db:$work/db/GeoLite2-City.mmdb"
    -o camtrace.ptr:TRUE -o "camtrace.dns_servers:127.0.0.1:$dns_port"
    -o "camtrace.max_addresses:$max_addresses" -o "camtrace.max_flows:$max_flows"
    -Y 'camtrace.remote.ptr || !camtrace.remote.ptr'
    -z camtrace,flows -z camtrace,devices)

# unread: bytes in the pipe (fd 3) that dumpcap has not read yet.
unread() {
    python3 -c 'import fcntl, struct, termios
print(struct.unpack("i", fcntl.ioctl(3, termios.FIONREAD, b"0000"))[0])'
}

# soak NAME CAPTURE [ARGS...]: CAPTURE through a pipe into tshark -i;
# appends "NAME peak_kb seconds" to samples.txt.
soak() {
    local name=$1 capture=$2 fifo="$work/feed.fifo" t="$work/home/time.txt" pid rc=0 start
    shift 2
    rm -f "$fifo"
    mkfifo -m 0644 "$fifo"
    start=$(date +%s.%N)
    (cd "$work" && "${run_as[@]}" env -i PATH="$PATH" LANG=C.UTF-8 HOME="$work/home" \
        WIRESHARK_CONFIG_DIR="$work/config" WIRESHARK_PLUGIN_DIR="$work/plugins" \
        /usr/bin/time -v -o "$t" tshark -i "$fifo" "${tshark_args[@]}" "$@") \
        >/dev/null 2>"$work/stderr.txt" &
    pid=$!
    exec 3<>"$fifo"
    cat "$capture" >&3
    while [ "$(unread)" != 0 ]; do sleep 0.2; done
    exec 3>&-
    wait "$pid" || rc=$?
    if [ "$rc" != 0 ]; then
        cat "$work/stderr.txt" >&2
        echo "$name failed ($rc)" >&2
        exit 1
    fi
    grep -q "^$(capinfos -Mc "$capture" | awk '/Number of packets/ {print $NF}') packets captured" \
        "$work/stderr.txt" || { cat "$work/stderr.txt" >&2; echo "$name: packets lost" >&2; exit 1; }
    grep '^camtrace: ' "$work/stderr.txt" | sed "s/^/  $name: /" >&2 || true
    echo "$name $(awk -F': ' '/Maximum resident set size/ {print $2}' "$t") \
$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}') \
$(sed -n 's/^camtrace: flow export: \([0-9]*\) flows left out: .*/\1/p' "$work/stderr.txt" | head -n 1)" \
        >>"$work/samples.txt"
    echo "  $(tail -n 1 "$work/samples.txt")" >&2
}

echo "streaming..." >&2
soak short "$work/short.pcap"
soak short_off "$work/short.pcap" --disable-protocol camtrace
soak long "$work/long.pcap"
soak long_off "$work/long.pcap" --disable-protocol camtrace
soak short_reset "$work/short.pcap" -M "$reset"
soak long_reset "$work/long.pcap" -M "$reset"

kb() { awk -v n="$1" '$1 == n {print $2}' "$work/samples.txt"; }
secs() { awk -v n="$1" '$1 == n {print $3}' "$work/samples.txt"; }
dropped() { awk -v n="$1" '$1 == n {print ($4 == "" ? 0 : $4)}' "$work/samples.txt"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
own_short=$(($(kb short) - $(kb short_off)))
own_long=$(($(kb long) - $(kb long_off)))

section=$(
    cat <<EOF
<!-- section:soak -->
## Soak: a long live capture (\`bench/soak.sh\`)

Measured on $(date -u +%F): \`$command_line\`.
$packets packets ($short for the short run, the first quarter of the same
capture) with $remotes distinct public addresses, streamed through a named
pipe into \`tshark -i\`; reverse DNS on (ct-dnsd on 127.0.0.1 answering
every question), a display filter on \`camtrace.remote.ptr\` (every
packet enriched, its PTR name waited for), names from the capture, the
flow export and the devices report; bounds camtrace.max_addresses
$max_addresses and camtrace.max_flows $max_flows.  Both are reached in the
short run already: it meets about half of the remote addresses
(ct-pcapgen visits every one by mid-capture), and its flow export left
out $(dropped short) flows (the long run's $(dropped long)).
Databases: $dbs.

| Run | Packets | Peak MB | of it CamTrace (MB) | Flows left out | Seconds |
| --- | ---: | ---: | ---: | ---: | ---: |
| short, CamTrace | $short | $(mb "$(kb short)") | $(mb $own_short) | $(dropped short) | $(secs short) |
| short, CamTrace disabled | $short | $(mb "$(kb short_off)") | | | $(secs short_off) |
| long, CamTrace | $packets | $(mb "$(kb long)") | $(mb $own_long) | $(dropped long) | $(secs long) |
| long, CamTrace disabled | $packets | $(mb "$(kb long_off)") | | | $(secs long_off) |
| short, CamTrace, \`-M $reset\` | $short | $(mb "$(kb short_reset)") | | $(dropped short_reset) | $(secs short_reset) |
| long, CamTrace, \`-M $reset\` | $packets | $(mb "$(kb long_reset)") | | $(dropped long_reset) | $(secs long_reset) |

| Ratio | Value | Target |
| --- | ---: | ---: |
| long peak / short peak, whole tshark | $(ratio "$(kb long)" "$(kb short)") | at most 1.2 |
| long / short, CamTrace's part (peak with it minus peak without) | $(ratio $own_long $own_short) | at most 1.2 |
| long / short, Wireshark alone (CamTrace disabled) | $(ratio "$(kb long_off)" "$(kb short_off)") | |
| long peak / short peak, whole tshark with \`-M $reset\` | $(ratio "$(kb long_reset)" "$(kb short_reset)") | at most 1.2 |

CamTrace's part is the difference between the peaks with and without it
on the same capture.  Wireshark alone keeps state for every conversation
of the capture for as long as tshark runs (a live capture has no end to
free it at), so the whole process grows with the capture whatever
CamTrace does; \`tshark -M N\` (a session reset every N packets) is
Wireshark's own bound for that, and with it the whole process keeps to a
bound too (CamTrace's memories start again at each reset; the flow export
and the devices report, which live across resets, keep to
camtrace.max_flows).
<!-- end:soak -->
EOF
)
results="$here/bench/RESULTS.md"
if grep -q '^<!-- section:soak -->$' "$results"; then
    awk -v new="$section" '
        $0 == "<!-- section:soak -->" { print new; skip = 1; next }
        skip && $0 == "<!-- end:soak -->" { skip = 0; next }
        !skip { print }' "$results" >"$work/results.md"
    cp "$work/results.md" "$results"
else
    printf '\n%s\n' "$section" >>"$results"
fi
echo "$section"
