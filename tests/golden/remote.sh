#!/bin/bash
# remote.sh CASE - the remote end of every packet (camtrace.remote.*) and
# the local device (camtrace.local), in the real tshark (see sandbox.sh),
# checked against what the packet's own addresses and the flow export say,
# not against a recording.
. "$(dirname "$0")/sandbox.sh"

SAMPLE=sample.pcap

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb"
}

# Wireshark's own Community ID of each packet keys it to its flow in the
# export.  Up to 4.4 the protocol item "communityid" holds the hash; 4.6
# has a field "communityid.hash" for it.
communityid_field() {
    ct_tshark -- -G fields | awk -F '\t' '$3 == "communityid.hash" { hash = 1 }
        $3 == "communityid" { proto = 1 }
        END { if (hash) print "communityid.hash"; else if (proto) print "communityid" }'
}

# remote_table OUT [TSHARK ARGS...]: per packet with CamTrace fields:
# frame, the Community ID, the addresses CamTrace describes (from its
# summaries), their scopes and ASNs, local, remote scope, remote ASN,
# remote name, the names of both ends.
remote_table() {
    local out=$1 cid
    shift
    cid=$(communityid_field)
    [ -n "$cid" ] || ct_fail "tshark has no Community ID field"
    ct_tshark -- -r "$SAMPLE" $(with_dbs) "$@" --enable-protocol communityid \
        -Y "camtrace.src.summary" -T fields -E separator=/t -E occurrence=f \
        -e frame.number -e "$cid" -e camtrace.src.summary -e camtrace.dst.summary \
        -e camtrace.src.scope -e camtrace.dst.scope -e camtrace.src.asn -e camtrace.dst.asn \
        -e camtrace.local -e camtrace.remote.scope -e camtrace.remote.asn \
        -e camtrace.remote.name -e camtrace.src.name -e camtrace.dst.name \
        >"$out" 2>"$CT_SANDBOX/err.txt" || ct_fail "tshark failed: $(cat "$CT_SANDBOX/err.txt")"
}

# check_remote TABLE FLOWS.csv [LOCAL_PREFIX]: every row's remote end is the
# non-local end when exactly one end is local (private, link-local,
# unique-local, or an address starting with LOCAL_PREFIX), else the
# receiver of the first packet of its flow (the flow export's dst).
check_remote() {
    python3 - "$@" <<'PY' || ct_fail "the remote end is wrong (above)"
import csv, re, sys
table, flows = sys.argv[1], sys.argv[2]
own = sys.argv[3] if len(sys.argv) > 3 else None
LOCAL = {"private", "link-local", "unique-local"}
responders = {}
for r in csv.DictReader(open(flows, newline="", encoding="utf-8")):
    responders.setdefault(r["community_id"], set()).add(r["dst_ip"])
bad = rows = decided_by_flow = public_peer = 0
for line in open(table, encoding="utf-8"):
    c = line.rstrip("\n").split("\t")
    if len(c) < 15:
        c += [""] * (15 - len(c))
    frame, cid = c[0], c[1]
    # A summary starts with the address: "52.94.236.248, global, ...",
    # "64:ff9b::808:808 (IPv4 8.8.8.8), ...".
    src, dst = re.split("[ ,]", c[2])[0], re.split("[ ,]", c[3])[0]
    scopes, asns = (c[4], c[5]), (c[6], c[7])
    local, rscope, rasn, rname, names = c[8], c[9], c[10], c[11], (c[12], c[13])
    rows += 1
    is_local = [s in LOCAL or (own is not None and a.startswith(own)) for s, a in
                zip(scopes, (src, dst))]
    if is_local[0] != is_local[1]:
        remote = 1 if is_local[0] else 0
    else:
        decided_by_flow += 1
        got = responders.get(cid, set())
        if len(got) != 1 or not got & {src, dst}:
            print(f"frame {frame}: no single flow orientation for {src} {dst} ({cid}): {got}")
            bad += 1
            continue
        remote = 0 if src in got else 1
    want_local = (src, dst)[1 - remote]
    public_peer += scopes[remote] == "global"
    for what, g, w in (("local", local, want_local), ("remote scope", rscope, scopes[remote]),
                       ("remote asn", rasn, asns[remote]), ("remote name", rname, names[remote])):
        if g != w:
            print(f"frame {frame} {src} -> {dst}: {what} {g!r}, expected {w!r}")
            bad += 1
print(f"{rows} packets, {decided_by_flow} decided by their flow, {public_peer} with a public remote end")
assert rows > 100 and decided_by_flow > 0 and public_peer > 50, "the capture does not exercise the rules"
sys.exit(1 if bad else 0)
PY
}

flows_of() {
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows | tr -d '\r' >"$1"
}

# Every packet: remote and local from the addresses' scopes, else from the
# flow; one pass and two passes agree.
case_remote_fields() {
    flows_of "$CT_SANDBOX/flows.csv"
    remote_table "$CT_SANDBOX/one.tsv"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    check_remote "$CT_SANDBOX/one.tsv" "$CT_SANDBOX/flows.csv"
    # -2 knows more names (from later packets), the same ends.
    remote_table "$CT_SANDBOX/two.tsv" -2
    check_remote "$CT_SANDBOX/two.tsv" "$CT_SANDBOX/flows.csv"
    diff -u <(cut -f1-11 "$CT_SANDBOX/one.tsv") <(cut -f1-11 "$CT_SANDBOX/two.tsv") ||
        ct_fail "-2 gives other remote ends"
    # The replies of a TLS session name their sender: frame 16 goes to
    # 52.94.236.248, its answers come from it, and all of them show it.
    expect_eq "remote of the TLS session to 52.94.236.248" \
        "$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -Y 'ip.addr == 52.94.236.248' -T fields \
            -e camtrace.remote.asn | sort -u)" 16509
    # The direction-free fields hold each end once, not the remote end again.
    expect_eq "camtrace.asn of frame 16" \
        "$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -Y 'frame.number == 16' -T fields \
            -E occurrence=a -e camtrace.asn)" 16509
    # Filters work on the remote end whichever way a packet goes.
    expect_eq "packets with remote AS16509 against ip.addr" \
        "$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -Y 'camtrace.remote.asn == 16509' -T fields \
            -e frame.number | wc -l)" \
        "$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -Y 'camtrace.asn == 16509 && (camtrace.src.scope != "global" || camtrace.dst.scope != "global")' \
            -T fields -e frame.number | wc -l)"
}

# The user's own networks: a device with a public IPv6 address is local.
case_remote_own_networks() {
    local prefix="2a02:8108:1:2:"
    flows_of "$CT_SANDBOX/flows.csv"
    remote_table "$CT_SANDBOX/own.tsv" -o "camtrace.local_networks:2a02:8108:1:2::/64"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    check_remote "$CT_SANDBOX/own.tsv" "$CT_SANDBOX/flows.csv" "$prefix"
    awk -F'\t' -v p="$prefix" 'index($9, p) == 1 { n++ } END { exit n > 0 ? 0 : 1 }' \
        "$CT_SANDBOX/own.tsv" || ct_fail "no packet has the own network's device as local"
    # The devices report counts them as devices too (with their MACs).
    ct_tshark -- -r "$SAMPLE" $(with_dbs) -o "camtrace.local_networks:2a02:8108:1:2::/64" -q \
        -z camtrace,devices >"$CT_SANDBOX/devices.txt"
    grep -q "^${prefix}[0-9a-f:]* (MAC " "$CT_SANDBOX/devices.txt" ||
        ct_fail "the devices report lists no device of the own network"
    ct_tshark -- -r "$SAMPLE" $(with_dbs) -q -z camtrace,devices >"$CT_SANDBOX/devices.txt"
    if grep -q "^${prefix}" "$CT_SANDBOX/devices.txt"; then
        ct_fail "a public address is a device without the own networks set"
    fi
    # The same from the environment.
    ct_tshark CAMTRACE_LOCAL_NETWORKS=2a02:8108:1:2::/64 -- -r "$SAMPLE" $(with_dbs) \
        -Y "camtrace.src.summary" -T fields -e camtrace.local >"$CT_SANDBOX/env.txt"
    expect_eq "local from the environment" "$(cat "$CT_SANDBOX/env.txt")" \
        "$(cut -f9 "$CT_SANDBOX/own.tsv")"
    # A bad entry: one warning naming it, and the scopes alone decide.
    ct_tshark -- -r "$SAMPLE" $(with_dbs) -o "camtrace.local_networks:10.0.0.0/8, lan" \
        -Y "camtrace.src.summary" -T fields -e camtrace.local >"$CT_SANDBOX/bad.txt" \
        2>"$CT_SANDBOX/err.txt"
    expect_eq "warnings for a bad entry" "$(grep -c '^camtrace: ' "$CT_SANDBOX/err.txt")" 1
    grep -q '^camtrace: local networks (preference camtrace.local_networks): "lan": not an IPv4 or IPv6 address' \
        "$CT_SANDBOX/err.txt" || ct_fail "the warning: $(cat "$CT_SANDBOX/err.txt")"
    remote_table "$CT_SANDBOX/plain.tsv"
    expect_eq "local with a bad setting" "$(cat "$CT_SANDBOX/bad.txt")" \
        "$(cut -f9 "$CT_SANDBOX/plain.tsv")"
}

ct_run_case "$1"
