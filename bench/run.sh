#!/bin/bash
# bench/run.sh - CamTrace's benchmark: every scenario side by side with its
# anchor, in one run, on captures generated here.  Writes bench/RESULTS.md.
#
#   bench/run.sh [--packets N] [--remotes R] [--runs K] [--only LIST]
#
# --only runs some scenarios (comma-separated: fields,ptr,names,flows,cli) and keeps
# the other sections of bench/RESULTS.md as they were.
#
# Defaults: 1,000,000 packets with 20,000 public remote addresses (10 %
# IPv6), 3 runs of each command, interleaved (a b c a b c ...) so that
# machine noise hits every command alike; we report medians and ratios,
# never a lone absolute time.  Real GeoLite2 databases are used
# (tools/fetch-geolite2.sh).
#
# Scenario "ptr" (reverse DNS, tshark -2), on a capture of 100,000 packets
# with the same 20,000 remote addresses, against ct-dnsd answering every
# PTR question after 20 ms on 127.0.0.1:
#   a     camtrace.src.ptr/dst.ptr
#   w     Wireshark's own resolver: -N nN with that server as custom DNS
#         server (once: it resolves one address at a time)
#   base  the same export without names
#
# Scenario "fields" (per-packet enrichment, -T fields):
#   a  camtrace src/dst asn, as_org, country, city, lat, lon
#   b  the same information from Wireshark's built-in ip.geoip/ipv6.geoip
#      fields, on the same databases (maxmind_db_paths)
#   c  the same export with enrichment off (plugin disabled, use_geoip off):
#      identical command lines, so the ratio is the cost of enrichment only
#
# Scenario "names" (names from the capture's DNS answers, tshark -2, PTR
# off), on the 1,000,000-packet capture:
#   a  camtrace.src.name/dst.name
#   w  Wireshark's own names from captured DNS (-N dn without its external
#      resolver: no DNS leaves the machine), ip/ipv6.src_host and dst_host,
#      CamTrace disabled
#   c  the export of a with CamTrace disabled
#
# Scenario "flows" (flow export, tshark -q -z):
#   a     -z camtrace,flows (PTR off), CSV to /dev/null
#   a_nn  the same with camtrace.names:FALSE (no tree needed)
#   ecs   -z camtrace,flows,ecs, the same flows as ECS documents (target: 1.05 of a)
#   conv  -z conv,tcp -z conv,udp, Wireshark's conversation tables
#   and, on a capture of N one-packet UDP flows, the peak memory of the
#   export against tshark alone (-z io,stat,0) and conv,udp.
#
# Scenario "cli" (camtrace, JSON Lines to CSV, ECS and _bulk): bench/cli.sh, 1,000,000
# records over $remotes addresses, records per second (target: a million).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# The machine, named in each section: sections from other runs are kept.
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
packets=1000000
remotes=20000
runs=3
only=fields,ptr,names,flows,cli
while [ $# -gt 0 ]; do
    case $1 in
    --packets) packets=$2; shift 2 ;;
    --remotes) remotes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--packets N] [--remotes R] [--runs K] [--only LIST]" >&2; exit 2 ;;
    esac
done
wanted() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

build="$here/build-bench"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target camtrace ct-pcapgen >/dev/null
"$here/tools/fetch-geolite2.sh" >/dev/null

work=$(mktemp -d /tmp/camtrace-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/config" "$work/db"
cp -r "$build/plugins" "$work/plugins"
cp "$here"/data/maxmind/GeoLite2-ASN.mmdb "$here"/data/maxmind/GeoLite2-City.mmdb "$work/db/"
echo "\"$work/db\"" >"$work/config/maxmind_db_paths"
# Reverse DNS stays off unless a scenario points it at our server on
# loopback: the benchmark sends no DNS anywhere else.
echo "camtrace.ptr: FALSE" >"$work/config/preferences"
gen() { # ARGS... OUT: a bench capture, progress indented on stderr
    "$build/tests/ct-pcapgen" bench "$@" 2>&1 | sed 's/^/  /' >&2
}
echo "generating captures..." >&2
if wanted fields || wanted names || wanted flows; then
    gen --packets "$packets" --remotes "$remotes" "$work/capture.pcap"
fi
wanted ptr && gen --packets 100000 --remotes "$remotes" "$work/ptr.pcap"
wanted flows && gen --packets "$packets" --remotes "$remotes" --one-packet-flows "$work/flows.pcap"
cmake --build "$build" --target ct-dnsd >/dev/null
"$build/tests/ct-dnsd" --port 0 --zone /dev/null --synthesize --delay-ms 20 >"$work/dns.port" &
dnsd_pid=$!
trap 'kill $dnsd_pid 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5
dns_port=$(head -n 1 "$work/dns.port")
echo "\"127.0.0.1\",\"$dns_port\",\"$dns_port\"" >"$work/config/addr_resolve_dns_servers"
chmod -R a+rX "$work"
# Wireshark ignores plugin folders when run as root: run tshark as nobody.
run_as=()
if [ "$(id -u)" = 0 ]; then
    run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    chown -R nobody:nogroup "$work/home" "$work/config"
fi

# measure NAME CMD...: one timed run; appends "NAME seconds maxrss_kb".
# With OUT=file, the command's output is kept there.
measure() {
    local name=$1
    shift
    local t="$work/home/time.txt"
    (cd "$work" && "${run_as[@]}" env -i PATH="$PATH" HOME="$work/home" \
        WIRESHARK_CONFIG_DIR="$work/config" WIRESHARK_PLUGIN_DIR="$work/plugins" \
        /usr/bin/time -f "%e %M" -o "$t" "$@" >"${OUT:-/dev/null}" 2>"$work/home/stderr.txt") ||
        { cat "$work/home/stderr.txt" >&2; echo "$name failed" >&2; exit 1; }
    echo "$name $(cat "$t")" >>"$work/samples.txt"
    echo "  $name: $(cat "$t")" >&2
}

median() { # NAME COLUMN
    awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$work/samples.txt" | sort -g |
        awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mb() { echo $(($1 / 1024)); }

camtrace_prefs=(-o "camtrace.asn_db:$work/db/GeoLite2-ASN.mmdb"
    -o "camtrace.city_db:$work/db/GeoLite2-City.mmdb")
# Wireshark's own GeoIP (configured above for fields.b) looks addresses up
# whenever tshark builds a protocol tree; every command that does not
# measure it turns it off, so that it burdens neither side.
no_geoip=(-o ip.use_geoip:FALSE -o ipv6.use_geoip:FALSE)

# Each scenario writes its section of RESULTS.md to $work/section.NAME.md.
section() { # NAME: stdin between the section markers
    { echo "<!-- section:$1 -->"; cat; echo "<!-- end:$1 -->"; } >"$work/section.$1.md"
}

scenario_fields() {
    local fields=() geoip_fields=() base a b c cb am bm cm
    for side in src dst; do
        for f in asn as_org country city lat lon; do fields+=(-e "camtrace.$side.$f"); done
    done
    for proto in ip ipv6; do
        for side in src dst; do
            for f in asnum org country city lat lon; do
                geoip_fields+=(-e "$proto.geoip.${side}_$f")
            done
        done
    done
    base=(tshark -r capture.pcap -T fields -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst)

    # sanity: both enrichments must really produce values on this capture.
    check_values() { # LABEL CMD...
        local label=$1 n
        shift
        n=$(cd "$work" && "${run_as[@]}" env -i PATH="$PATH" HOME="$work/home" \
            WIRESHARK_CONFIG_DIR="$work/config" WIRESHARK_PLUGIN_DIR="$work/plugins" \
            "$@" -c 2000 | cut -f5- | grep -c '[0-9]' || true)
        [ "$n" -gt 1000 ] || { echo "$label produced values on only $n of 2000 packets" >&2; exit 1; }
    }
    check_values camtrace "${base[@]}" "${camtrace_prefs[@]}" "${fields[@]}"
    check_values geoip "${base[@]}" --disable-protocol camtrace "${geoip_fields[@]}"

    echo "scenario fields: $runs runs each" >&2
    for _ in $(seq "$runs"); do
        measure fields.a "${base[@]}" "${no_geoip[@]}" "${camtrace_prefs[@]}" "${fields[@]}"
        measure fields.b "${base[@]}" --disable-protocol camtrace "${geoip_fields[@]}"
        measure fields.c "${base[@]}" "${no_geoip[@]}" --disable-protocol camtrace "${fields[@]}"
        measure fields.cb "${base[@]}" "${no_geoip[@]}" --disable-protocol camtrace "${geoip_fields[@]}"
    done
    a=$(median fields.a 2); b=$(median fields.b 2); c=$(median fields.c 2); cb=$(median fields.cb 2)
    am=$(median fields.a 3); bm=$(median fields.b 3); cm=$(median fields.c 3)
    section fields <<SECTION
## Per-packet fields (\`tshark -T fields\`)

Measured on $(date -u +%Y-%m-%d) ($machine) on $packets packets, $runs runs.

| Command | Median s | Peak MB |
| --- | ---: | ---: |
| a: camtrace src/dst asn, as_org, country, city, lat, lon | $a | $(mb "$am") |
| b: built-in \`ip.geoip\`/\`ipv6.geoip\` fields, same databases | $b | $(mb "$bm") |
| c: the export of a with enrichment off | $c | $(mb "$cm") |
| c_b: the export of b with enrichment off | $cb | |

| Ratio | Value | Target |
| --- | ---: | ---: |
| a / c (cost of CamTrace) | $(ratio "$a" "$c") | at most 1.05 |
| b / c_b (cost of Wireshark's GeoIP) | $(ratio "$b" "$cb") | |
| a / b | $(ratio "$a" "$b") | |

$(awk -v r="$(ratio "$a" "$c")" 'BEGIN { if (r > 1.05) printf "a / c misses its target by %.2f. ", r - 1.05; else printf "a / c meets its target. " }')Most of what CamTrace adds is tshark formatting the values it was asked to
print (Wireshark's own GeoIP fields pay it too, and more); the rest is one
generated item per printed field.  Closing the gap would take a cheaper
value formatting in tshark itself; see bench/README.md for the instruction
counts.
SECTION
}

# count_names FILE REGEX: distinct remote (non-private) addresses with a
# name matching REGEX, of all remote addresses, in an output of "src dst
# src6 dst6 name name name6 name6" columns.  A name equal to its address
# (as Wireshark's *_host fields write it) is none.
count_names() {
    awk -F '\t' -v want="$2" '{
        for (side = 0; side < 2; side++) {
            addr = $(1 + side) != "" ? $(1 + side) : $(3 + side)
            name = $(5 + side) != "" ? $(5 + side) : $(7 + side)
            if (addr ~ /^192\.168\.|^2a02:8108:1:2:/) continue
            seen[addr] = 1
            if (name ~ want && name != addr) named[addr] = 1
        }
    } END { n = 0; for (k in named) n++; t = 0; for (k in seen) t++; print n " of " t }' "$1"
}

scenario_ptr() {
    local ptr_base ptr_a ptr_w ptr_base_s ptr_a_names ptr_w_names
    echo "scenario ptr: $runs runs each, Wireshark's resolver once" >&2
    ptr_base=(tshark -2 -r ptr.pcap "${no_geoip[@]}" -T fields -e ip.src -e ip.dst -e ipv6.src
        -e ipv6.dst)
    for _ in $(seq "$runs"); do
        measure ptr.base "${ptr_base[@]}" --disable-protocol camtrace
        OUT="$work/home/ptr.a.txt" measure ptr.a "${ptr_base[@]}" "${camtrace_prefs[@]}" \
            -o camtrace.ptr:TRUE -o "camtrace.dns_servers:127.0.0.1:$dns_port" \
            -e camtrace.src.ptr -e camtrace.dst.ptr
    done
    OUT="$work/home/ptr.w.txt" measure ptr.w "${ptr_base[@]}" --disable-protocol camtrace -N nN \
        -o nameres.use_custom_dns_servers:TRUE \
        -e ip.src_host -e ip.dst_host -e ipv6.src_host -e ipv6.dst_host
    ptr_a=$(median ptr.a 2); ptr_w=$(median ptr.w 2); ptr_base_s=$(median ptr.base 2)
    ptr_a_names=$(count_names "$work/home/ptr.a.txt" 'bench\.test$')
    ptr_w_names=$(count_names "$work/home/ptr.w.txt" 'bench\.test$')
    section ptr <<SECTION
## Reverse DNS (\`tshark -2\`, $remotes remote addresses, answers after 20 ms)

Measured on $(date -u +%Y-%m-%d) ($machine) on 100,000 packets, $runs runs.

| Command | Median s | Names for remote addresses | Peak MB |
| --- | ---: | ---: | ---: |
| a: camtrace.src.ptr/dst.ptr | $ptr_a | $ptr_a_names | $(mb "$(median ptr.a 3)") |
| w: Wireshark \`-N nN\`, custom DNS server (one run) | $ptr_w | $ptr_w_names | $(mb "$(median ptr.w 3)") |
| base: the same export without names | $ptr_base_s | | $(mb "$(median ptr.base 3)") |

| Measure | Value | Target |
| --- | ---: | ---: |
| time CamTrace's names add (a - base) | $(awk -v a="$ptr_a" -v b="$ptr_base_s" 'BEGIN {printf "%.1f s", a - b}') | at most 3 s |
| a / w | $(ratio "$ptr_a" "$ptr_w") | |
SECTION
}

scenario_flows() {
    local a ann conv ecs am annm convm ecsm alone flows conv1 nflows
    echo "scenario flows: $runs runs each" >&2
    for _ in $(seq "$runs"); do
        OUT="$work/home/flows.csv" measure flows.a tshark -q -r capture.pcap "${no_geoip[@]}" \
            "${camtrace_prefs[@]}" -z camtrace,flows
        measure flows.ann tshark -q -r capture.pcap "${no_geoip[@]}" "${camtrace_prefs[@]}" \
            -o camtrace.names:FALSE -z camtrace,flows
        measure flows.ecs tshark -q -r capture.pcap "${no_geoip[@]}" "${camtrace_prefs[@]}" \
            -z camtrace,flows,ecs
        measure flows.conv tshark -q -r capture.pcap "${no_geoip[@]}" --disable-protocol camtrace \
            -z conv,tcp -z conv,udp
    done
    nflows=$(($(wc -l <"$work/home/flows.csv") - 1))
    echo "memory with $packets one-packet flows" >&2
    measure mem.alone tshark -q -r flows.pcap "${no_geoip[@]}" --disable-protocol camtrace \
        -z io,stat,0
    measure mem.flows tshark -q -r flows.pcap "${no_geoip[@]}" "${camtrace_prefs[@]}" \
        -z camtrace,flows
    measure mem.conv tshark -q -r flows.pcap "${no_geoip[@]}" --disable-protocol camtrace \
        -z conv,udp
    a=$(median flows.a 2); ann=$(median flows.ann 2); conv=$(median flows.conv 2)
    am=$(median flows.a 3); annm=$(median flows.ann 3); convm=$(median flows.conv 3)
    ecs=$(median flows.ecs 2); ecsm=$(median flows.ecs 3)
    alone=$(median mem.alone 3); flows=$(median mem.flows 3); conv1=$(median mem.conv 3)
    section flows <<SECTION
## Flow export (\`tshark -q -z camtrace,flows\`)

Measured on $(date -u +%Y-%m-%d) ($machine) on $packets packets ($nflows flows), $runs runs; PTR off,
ASN and City for both ends, CSV written to /dev/null.

| Command | Median s | Peak MB |
| --- | ---: | ---: |
| a: \`-z camtrace,flows\` | $a | $(mb "$am") |
| a_nn: the same with \`-o camtrace.names:FALSE\` | $ann | $(mb "$annm") |
| ecs: \`-z camtrace,flows,ecs\` (ECS documents) | $ecs | $(mb "$ecsm") |
| conv: \`-z conv,tcp -z conv,udp\` (camtrace disabled) | $conv | $(mb "$convm") |

| Ratio | Value | Target |
| --- | ---: | ---: |
| a / conv | $(ratio "$a" "$conv") | at most 1.0 |
| a_nn / conv | $(ratio "$ann" "$conv") | |
| ecs / a (ECS documents against CSV) | $(ratio "$ecs" "$a") | at most 1.05 |

Wall-clock ratios on this shared 2-core machine vary by 5-20 % from run
to run; bench/README.md has the steadier instruction counts.  Names from
the capture are what costs most: to read DNS answers, server names and
Host headers, tshark must build a protocol tree for every packet, which
conv never does (a against a_nn); Wireshark's own GeoIP, when configured,
would run in that tree too (it is off here).  Without names, CamTrace's per-packet
work costs less than conv's tables, and the end of the run (enriched
columns per flow, two MaxMind lookups per distinct address) about as much
again as that saves.

Memory with $packets flows of one packet each (\`ct-pcapgen bench --one-packet-flows\`), one run:

| Command | Peak MB | Over tshark alone | Target |
| --- | ---: | ---: | ---: |
| tshark alone: \`-z io,stat,0\` | $(mb "$alone") | | |
| \`-z camtrace,flows\` | $(mb "$flows") | +$(mb $((flows - alone))) MB | at most +300 MB |
| \`-z conv,udp\` | $(mb "$conv1") | +$(mb $((conv1 - alone))) MB | |
SECTION
}

scenario_names() {
    local base a w c am wm cm a_names w_names
    base=(tshark -2 -r capture.pcap "${no_geoip[@]}" -T fields -e ip.src -e ip.dst -e ipv6.src
        -e ipv6.dst)
    echo "scenario names: $runs runs each" >&2
    for _ in $(seq "$runs"); do
        OUT="$work/home/names.a" measure names.a "${base[@]}" "${camtrace_prefs[@]}" \
            -o camtrace.ptr:FALSE -e camtrace.src.name -e camtrace.dst.name
        OUT="$work/home/names.w" measure names.w "${base[@]}" --disable-protocol camtrace \
            -N dn -o nameres.use_external_name_resolver:FALSE \
            -e ip.src_host -e ip.dst_host -e ipv6.src_host -e ipv6.dst_host
        measure names.c "${base[@]}" "${camtrace_prefs[@]}" --disable-protocol camtrace \
            -e camtrace.src.name -e camtrace.dst.name
    done
    # a prints names in columns 5-6 for either family; w in 5-6 or 7-8.
    a_names=$(awk -F '\t' -v OFS='\t' '{ print $1, $2, $3, $4, $5, $6, $5, $6 }' \
        "$work/home/names.a" >"$work/home/names.a8" && count_names "$work/home/names.a8" .)
    w_names=$(count_names "$work/home/names.w" .)
    a=$(median names.a 2); w=$(median names.w 2); c=$(median names.c 2)
    am=$(median names.a 3); wm=$(median names.w 3); cm=$(median names.c 3)
    section names <<SECTION
## Names from the capture (\`tshark -2\`, DNS answers in the capture)

Measured on $(date -u +%Y-%m-%d) ($machine) on $packets packets, $runs runs; reverse DNS off.

| Command | Median s | Peak MB | Remote addresses named |
| --- | ---: | ---: | ---: |
| a: \`camtrace.src.name\`, \`camtrace.dst.name\` | $a | $(mb "$am") | $a_names |
| w: Wireshark's \`-N dn\`, external resolver off (names from captured DNS), \`ip.src_host\`/\`dst_host\` | $w | $(mb "$wm") | $w_names |
| c: the export of a with CamTrace disabled | $c | $(mb "$cm") | |

| Ratio | Value |
| --- | ---: |
| a / c (cost of learning and showing names) | $(ratio "$a" "$c") |
| a / w | $(ratio "$a" "$w") |

Both read the same DNS answers.  CamTrace also reads TLS/QUIC server names
and HTTP Host (the bench capture's TLS carries none) and keeps each
address's history, so a packet shows the name of its time: an address
whose packets all come before the answer that names it stays unnamed.
Wireshark keeps one name per address, the last answer it read, and shows
it on every packet; hence its slightly higher count.

CamTrace reads names from the protocol tree, so with \`-2\` tshark builds
a tree in the first pass too, which c does not and which Wireshark's own
resolver does not need (the DNS dissector feeds it without a tree).  That
first-pass tree is most of a / c; bench/README.md has the instruction
counts, steadier than these wall-clock times.
SECTION
}

scenario_cli() {
    local line t rate peak out
    local -A times rates peaks
    echo "scenario cli: $runs runs" >&2
    for out in csv ecs bulk; do
        line=$("$here/bench/cli.sh" --build "$build" --runs "$runs" --addresses "$remotes" \
            --output "$out" | tail -n 1)
        # "median of K runs: T s, R records/s, peak M MB"
        times[$out]=$(echo "$line" | awk '{print $5}')
        rates[$out]=$(echo "$line" | awk '{print $7}')
        peaks[$out]=$(echo "$line" | awk '{print $10}')
    done
    section cli <<SECTION
## \`camtrace\`: JSON Lines to CSV and to ECS

Measured on $(date -u +%Y-%m-%d) ($machine) with \`bench/cli.sh\`: 1,000,000 records whose addresses are
drawn from $remotes global addresses (10 % IPv6), ASN and City lookups for both ends, no
reverse DNS, output to /dev/null, $runs runs of each.

| Output | Records per second (median run) | Time for 1,000,000 | Peak MB | Target |
| --- | ---: | ---: | ---: | ---: |
| \`--csv\` | ${rates[csv]} | ${times[csv]} s | ${peaks[csv]} | at least 1,000,000 |
| \`--ecs\` | ${rates[ecs]} | ${times[ecs]} s | ${peaks[ecs]} | at least 1,000,000 |
| \`--bulk camtrace-flows\` | ${rates[bulk]} | ${times[bulk]} s | ${peaks[bulk]} | |

An ECS document is about four times the bytes of a CSV row (nested
keys, both ends' address, AS and geo objects), and the record's times,
protocol, ports and counts must be read as values.  Without reverse DNS
\`camtrace\` therefore writes ECS on two cores: the main thread reads and
checks the lines and hands each record's values and addresses, in
blocks of 1,024, to a writer thread that looks the addresses up and
writes the documents in input order (cli/camtrace.c).  CSV and JSON
Lines rows are made of the input's own members, which live only as long
as the line's scan: they are read and written on one core.  The seed's
Python tool did about 28,000 records per second on this kind of input.
SECTION
}

for s in fields ptr names flows cli; do
    if wanted $s; then "scenario_$s"; fi
done

# RESULTS.md: the header, then each section, new or kept from the last run.
results="$here/bench/RESULTS.md"
old_section() { # NAME
    [ -f "$results" ] || return 0
    awk -v s="<!-- section:$1 -->" -v e="<!-- end:$1 -->" '$0 == s {on = 1} on {print} $0 == e {on = 0}' "$results"
}
{
    cat <<HEADER
# CamTrace benchmark results

Produced by \`bench/run.sh\` (the soak section by \`bench/soak.sh\`; last run.sh: \`--packets $packets --remotes $remotes --runs $runs --only $only\`, $(date -u +%Y-%m-%d)).
Each section names the machine it was measured on;
$(tshark --version 2>/dev/null | head -1 | sed "s/ (Git.*//"), GeoLite2 databases from geolite2@4.0.1.
Captures from \`ct-pcapgen bench\`: $remotes public remote addresses (10 % IPv6).
Medians of interleaved runs (a b a b ...) so that machine noise hits every
command alike; times are wall-clock seconds, memory is peak RSS.
HEADER
    for s in fields ptr names flows cli; do
        echo
        if [ -f "$work/section.$s.md" ]; then cat "$work/section.$s.md"; else old_section "$s"; fi
    done
    # bench/soak.sh's section, kept as it is.
    if [ -n "$(old_section soak)" ]; then
        echo
        old_section soak
    fi
} >"$results.new"
mv "$results.new" "$results"
cat "$results"
