#!/bin/bash
# names.sh CASE - names learned from the capture (DNS answers, TLS and QUIC
# server names, HTTP Host), the home country, and the devices report, in
# the real tshark (see sandbox.sh), on `ct-pcapgen names`.
#
# The capture's story, frame by frame, is in ct-pcapgen.c (names_run);
# what each packet must show follows from it and is spelled out below, so
# the baselines only pin the rest of each line.
. "$(dirname "$0")/sandbox.sh"

CAPTURE=names.pcap

make_capture() {
    "$CT_PCAPGEN" names "$CT_WORK/$CAPTURE" >/dev/null 2>&1 || ct_fail "ct-pcapgen names failed"
    chmod a+r "$CT_WORK/$CAPTURE"
}

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb"
}

FIELDS=(-e frame.number -e camtrace.src.name -e camtrace.src.name_source
    -e camtrace.dst.name -e camtrace.dst.name_source -e camtrace.dst.domain -e camtrace.foreign)

# packet_names OUT [TSHARK ARGS...]: the name fields of every packet.
packet_names() {
    local out=$1
    shift
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -r "$CAPTURE" $(with_dbs) "$@" -T fields \
        "${FIELDS[@]}" >"$out" 2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
}

# frame FILE N: "src_name/src_source dst_name/dst_source domain foreign"
frame() {
    awk -F'\t' -v n="$2" '$1 == n { printf "%s/%s %s/%s %s %s", $2, $3, $4, $5, $6, $7 }' "$1"
}

case_names_one_pass() {
    local out="$CT_SANDBOX/one.tsv"
    make_capture
    packet_names "$out"
    # The DNS answer (frame 2) names both addresses of the CNAME chain by
    # the question; the handshake before the ClientHello shows it.
    expect_eq "SYN to a looked-up address" "$(frame "$out" 3)" \
        "/ device-api.vendor.example/dns vendor.example 0"
    expect_eq "SYN-ACK from it" "$(frame "$out" 4)" "device-api.vendor.example/dns /  0"
    # From the ClientHello on, the flow's own server name.
    expect_eq "ClientHello" "$(frame "$out" 6)" "/ device-api.vendor.example/sni vendor.example 0"
    # Never looked up: nothing until the ClientHello, then the SNI.
    expect_eq "SYN to an unknown address" "$(frame "$out" 16)" "/ /  1"
    expect_eq "its ClientHello" "$(frame "$out" 19)" \
        "/ telemetry.vendor.example/sni vendor.example 1"
    # HTTP Host without its port.
    expect_eq "before the request" "$(frame "$out" 31)" "/ /  1"
    expect_eq "HTTP request" "$(frame "$out" 32)" "/ firmware.vendor.example/http vendor.example 1"
    # Reverse DNS is off: an address nobody named stays unnamed.
    expect_eq "NTP to 8.8.8.8" "$(frame "$out" 39)" "/ /  1"
    # IPv6: AAAA answers, then the SNI.
    expect_eq "IPv6 SYN" "$(frame "$out" 43)" "/ cloud.plug.example/dns plug.example 0"
    expect_eq "IPv6 ClientHello" "$(frame "$out" 46)" "/ cloud.plug.example/sni plug.example 0"
    # A name learned in the middle of a flow applies from then on.
    expect_eq "NTP before the answer" "$(frame "$out" 56)" "/ /  "
    expect_eq "NTP after the answer" "$(frame "$out" 59)" "time.vendor.example/dns /  "
    # A later answer renames the address for new flows...
    expect_eq "new flow after the rename" "$(frame "$out" 62)" \
        "/ cdn-other.example/dns cdn-other.example 0"
    # ...but a flow keeps the name its ClientHello gave.
    expect_eq "old flow after the rename" "$(frame "$out" 70)" \
        "/ device-api.vendor.example/sni vendor.example 0"
    # A hostile Host is escaped and lower-cased, never dropped.
    expect_eq "hostile Host" "$(frame "$out" 78)" \
        '/ =hyperlink("http://x.example")\009.evil.example/http evil.example 1'
    # QUIC Initial, decrypted by Wireshark.
    expect_eq "QUIC Initial" "$(frame "$out" 85)" "/ video.plug.example/sni plug.example 0"
    # An answer over TCP counts as one over UDP.
    expect_eq "after DNS over TCP" "$(frame "$out" 95)" \
        "/ update.vendor.example/dns vendor.example 1"
    ct_check_baseline names-one-pass "$out"
}

case_names_two_pass() {
    local out="$CT_SANDBOX/two.tsv"
    make_capture
    packet_names "$out" -2
    # The flow's own name covers its packets before the ClientHello too.
    expect_eq "SYN, -2" "$(frame "$out" 3)" "/ device-api.vendor.example/sni vendor.example 0"
    expect_eq "SYN to an unknown address, -2" "$(frame "$out" 16)" \
        "/ telemetry.vendor.example/sni vendor.example 1"
    expect_eq "before the request, -2" "$(frame "$out" 31)" \
        "/ firmware.vendor.example/http vendor.example 1"
    # A name learned later in the same flow, for its earlier packets.
    expect_eq "NTP before the answer, -2" "$(frame "$out" 56)" \
        "/ time.vendor.example/dns vendor.example "
    # Other flows are not rewritten: the DNS packets stay unnamed, and a
    # new flow to a renamed address keeps the name of its time.
    expect_eq "DNS query, -2" "$(frame "$out" 1)" "/ /  "
    expect_eq "new flow after the rename, -2" "$(frame "$out" 62)" \
        "/ cdn-other.example/dns cdn-other.example 0"
    expect_eq "QUIC server reply, -2" "$(frame "$out" 86)" "video.plug.example/sni /  0"
    ct_check_baseline names-two-pass "$out"
    # One pass and -2 differ only where a flow learned its name late.
    packet_names "$CT_SANDBOX/one.tsv"
    expect_eq "lines that differ" \
        "$(diff "$CT_SANDBOX/one.tsv" "$out" | grep -c '^>')" "16"
}

# Filters and the tree see the same names; the name sources are built
# even where no tree is printed (tshark -Y ... -q).
case_names_filters() {
    local n
    make_capture
    n=$(ct_tshark -- -r "$CAPTURE" $(with_dbs) -Y 'camtrace.dst.name == "telemetry.vendor.example"' |
        wc -l)
    expect_eq "one pass: telemetry from its ClientHello on" "$n" "6"
    n=$(ct_tshark -- -r "$CAPTURE" $(with_dbs) -2 \
        -Y 'camtrace.dst.name == "telemetry.vendor.example"' | wc -l)
    expect_eq "-2: the whole flow to telemetry" "$n" "8"
    n=$(ct_tshark -- -r "$CAPTURE" $(with_dbs) -Y 'camtrace.dst.name_source == "http"' | wc -l)
    expect_eq "packets to HTTP-named servers" "$n" "8"
    n=$(ct_tshark -- -r "$CAPTURE" $(with_dbs) -Y 'camtrace.domain == "plug.example"' | wc -l)
    expect_eq "packets with a plug.example end" "$n" "15"
    n=$(ct_tshark -- -q -r "$CAPTURE" $(with_dbs) \
        -z 'io,stat,0,camtrace.name == "video.plug.example"' | awk '/<>/ { print $6 }')
    expect_eq "a tap's filter, no tree printed" "$n" "2"
    ct_tshark -- -r "$CAPTURE" $(with_dbs) -Y 'frame.number == 46' -V >"$CT_SANDBOX/tree.txt"
    grep -F '[Destination name: cloud.plug.example (sni, frame 46)]' "$CT_SANDBOX/tree.txt" \
        >/dev/null || ct_fail "the tree does not show the SNI name"
    grep -F '[Destination domain: plug.example]' "$CT_SANDBOX/tree.txt" >/dev/null ||
        ct_fail "the tree does not show the domain"
}

# Without a capture name, the PTR name; both stay visible when they differ.
case_names_ptr() {
    local out="$CT_SANDBOX/ptr.tsv"
    make_capture
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    ct_tshark -- -r "$CAPTURE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -T fields -e frame.number \
        -e camtrace.dst.name -e camtrace.dst.name_source -e camtrace.dst.ptr >"$out"
    expect_eq "PTR in place of a name" "$(awk -F'\t' '$1 == 39' "$out")" \
        "$(printf '39\tdns.google\tptr\tdns.google')"
    expect_eq "capture name and PTR name" "$(awk -F'\t' '$1 == 46' "$out")" \
        "$(printf '46\tcloud.plug.example\tsni\tfra24s06-in-x0e.1e100.net')"
    # A PTR name has its registered domain, in packets, flows and devices.
    ct_tshark -- -r "$CAPTURE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -Y 'frame.number == 39' -T fields \
        -e camtrace.dst.domain >"$out"
    expect_eq "PTR name's domain" "$(cat "$out")" "dns.google"
    ct_tshark -- -q -r "$CAPTURE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -z camtrace,devices,jsonl >"$out"
    python3 - "$out" <<'PY' || ct_fail "devices: PTR name without its domain: $(cat "$out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
google = [r for r in rows if r["destination"] == "dns.google"]
assert google and all(r["name_source"] == "ptr" and r["domain"] == "dns.google"
                      for r in google), google
PY
}

# camtrace.names:FALSE: no names from the capture, PTR names still.
case_names_off() {
    local out="$CT_SANDBOX/off.tsv"
    make_capture
    packet_names "$out" -o camtrace.names:FALSE
    expect_eq "names from the capture" "$(cut -f2-6 "$out" | tr -d '\t' | sort -u)" ""
    ct_tshark -- -q -r "$CAPTURE" $(with_dbs) -o camtrace.names:FALSE \
        -z camtrace,flows,jsonl >"$CT_SANDBOX/flows.jsonl"
    expect_eq "flow names" "$(grep -c '"dst_name":null' "$CT_SANDBOX/flows.jsonl")" \
        "$(wc -l <"$CT_SANDBOX/flows.jsonl")"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    ct_tshark -- -r "$CAPTURE" $(with_dbs) -o camtrace.names:FALSE -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -T fields -e frame.number \
        -e camtrace.dst.name -e camtrace.dst.name_source >"$out"
    expect_eq "PTR names remain" "$(awk -F'\t' '$1 == 46' "$out")" \
        "$(printf '46\tfra24s06-in-x0e.1e100.net\tptr')"
}

case_names_home_country() {
    local n
    make_capture
    # The preference wins over the environment; codes are case-blind.
    n=$(ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -r "$CAPTURE" $(with_dbs) \
        -o camtrace.home_country:us -Y 'camtrace.foreign == 1' | wc -l)
    expect_eq "packets leaving the US" "$n" "51"
    n=$(ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -r "$CAPTURE" $(with_dbs) \
        -Y 'camtrace.foreign == 1' | wc -l)
    expect_eq "packets leaving Germany" "$n" "37"
    # From .env in the working directory.
    printf 'CAMTRACE_HOME_COUNTRY=BR\n' >"$CT_WORK/.env"
    n=$(ct_tshark -- -r "$CAPTURE" $(with_dbs) -Y 'camtrace.foreign == 0' | wc -l)
    expect_eq "packets staying in Brazil" "$n" "10"
    rm "$CT_WORK/.env"
    # No home country: no foreign field at all.
    n=$(ct_tshark -- -r "$CAPTURE" $(with_dbs) -Y 'camtrace.foreign' | wc -l)
    expect_eq "no home country" "$n" "0"
    # A bad code is one warning, and no field.
    ct_tshark -- -r "$CAPTURE" $(with_dbs) -o camtrace.home_country:Germany \
        -Y 'camtrace.foreign' >"$CT_SANDBOX/out.txt" 2>"$CT_SANDBOX/err.txt"
    expect_eq "bad code: packets" "$(wc -l <"$CT_SANDBOX/out.txt")" "0"
    expect_eq "bad code: warnings" "$(cat "$CT_SANDBOX/err.txt")" \
        'camtrace: home country "Germany": not an ISO 3166-1 alpha-2 code (such as DE or US); camtrace.foreign stays empty'
}


case_names_flows() {
    local csv="$CT_SANDBOX/flows.csv" jsonl="$CT_SANDBOX/flows.jsonl"
    make_capture
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$CAPTURE" $(with_dbs) -z camtrace,flows >"$csv"
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$CAPTURE" $(with_dbs) \
        -z camtrace,flows,jsonl >"$jsonl"
    ct_check_strict "$csv" "$jsonl" 44
    # One line per flow: dst port, names and foreign, from JSON Lines.
    python3 - "$jsonl" >"$CT_SANDBOX/names.txt" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    print(r["dst_ip"], r["dst_port"], r["src_name"], r["src_name_source"], r["dst_name"],
          r["dst_name_source"], r["foreign"])
PY
    # Each flow gets the name -2 gives its packets: its own server name,
    # else the name at its start, else one learned while it lasted.
    grep -qxF '35.157.100.20 443 None None device-api.vendor.example sni False' \
        "$CT_SANDBOX/names.txt" || ct_fail "flow to the CDN: $(cat "$CT_SANDBOX/names.txt")"
    grep -qxF '35.157.100.20 8883 None None cdn-other.example dns False' \
        "$CT_SANDBOX/names.txt" || ct_fail "flow after the rename"
    grep -qxF '162.159.200.1 123 None None time.vendor.example dns None' \
        "$CT_SANDBOX/names.txt" || ct_fail "flow named in its middle"
    grep -qxF '8.8.8.8 123 None None None None True' "$CT_SANDBOX/names.txt" ||
        ct_fail "flow never named"
    ct_check_baseline names-flows "$csv"
    # -2 counts the same flows with the same names.
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -2 -q -r "$CAPTURE" $(with_dbs) \
        -z camtrace,flows >"$CT_SANDBOX/two.csv"
    diff -u "$csv" "$CT_SANDBOX/two.csv" || ct_fail "-2 exports other names"
}

case_devices() {
    local text="$CT_SANDBOX/devices.txt" csv="$CT_SANDBOX/devices.csv"
    local jsonl="$CT_SANDBOX/devices.jsonl"
    make_capture
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$CAPTURE" $(with_dbs) \
        -z camtrace,devices >"$CT_SANDBOX/raw.txt" 2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    # The fixture databases are built with the tests: their day, not a date.
    grep -qx "Databases: ASN GeoLite2-ASN built $(date -u -r "$CT_TEST_DB_DIR/asn.mmdb" +%F), \
City GeoLite2-City built $(date -u -r "$CT_TEST_DB_DIR/city.mmdb" +%F)" "$CT_SANDBOX/raw.txt" ||
        ct_fail "the devices report does not name the databases and their dates"
    sed 's/ built [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]/ built (the day the fixtures were built)/g' \
        "$CT_SANDBOX/raw.txt" >"$text"
    ct_check_baseline devices-text "$text"
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$CAPTURE" $(with_dbs) \
        -z camtrace,devices,csv >"$csv"
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$CAPTURE" $(with_dbs) \
        -z camtrace,devices,jsonl >"$jsonl"
    ct_check_baseline devices-csv "$csv"
    ct_check_strict "$csv" "$jsonl" 21
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$CAPTURE" $(with_dbs) \
        -z camtrace,flows,jsonl >"$CT_SANDBOX/flows.jsonl"
    # Every flow with a local end is counted once for each local end, with
    # its bytes, and every destination of the camera is where it should be.
    python3 - "$jsonl" "$CT_SANDBOX/flows.jsonl" <<'PY' || ct_fail "devices and flows disagree"
import json, sys, ipaddress
devices = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
flows = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
def local(a):
    ip = ipaddress.ip_address(a)
    return ip.is_private and not ip.is_loopback and not ip.is_multicast
expect = {}
for f in flows:
    for me, peer, sent, got in (("src_ip", "dst_ip", "src_bytes", "dst_bytes"),
                                ("dst_ip", "src_ip", "dst_bytes", "src_bytes")):
        if local(f[me]):
            e = expect.setdefault(f[me], [0, 0, 0])
            e[0] += 1; e[1] += f[sent]; e[2] += f[got]
got = {}
for d in devices:
    g = got.setdefault(d["device"], [0, 0, 0])
    g[0] += d["flows"]; g[1] += d["bytes_sent"]; g[2] += d["bytes_received"]
assert got == expect, (got, expect)
camera = {d["destination"]: d for d in devices if d["device"] == "192.168.1.50"}
assert camera["device-api.vendor.example"]["name_source"] == "sni"
assert camera["telemetry.vendor.example"]["foreign"] is True
assert camera["cdn-other.example"]["services"] == "tcp/8883"
assert camera["8.8.8.8"]["name_source"] is None
assert camera["192.168.1.1"]["services"] == "udp/53 tcp/53"
assert all(d["device_mac"] == "02:00:00:00:00:50" for d in camera.values())
plug = [d for d in devices if d["device"] == "fd00::60"]
assert [d["destination"] for d in plug] == ["fd00::1", "cloud.plug.example"], plug
PY
    # Bad arguments are one clear message.
    ct_tshark -- -q -r "$CAPTURE" -z 'camtrace,devices,csv,ip.src ==' >/dev/null \
        2>"$CT_SANDBOX/err.txt" && ct_fail "a bad filter was accepted"
    grep -q "cannot start the devices report" "$CT_SANDBOX/err.txt" ||
        ct_fail "bad filter: $(cat "$CT_SANDBOX/err.txt")"
}

ct_run_case "$1"
