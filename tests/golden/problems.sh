#!/bin/bash
# problems.sh CASE - what keeps CamTrace from enriching as asked (a missing
# database, a bad setting, a DNS server that does not answer) shown where a
# Wireshark user looks: Expert Information (warnings, protocol CamTrace,
# field camtrace.problem) at the top of the CamTrace tree of one packet per
# capture, and `tshark -z expert`; the same line as on standard error.
. "$(dirname "$0")/sandbox.sh"

SAMPLE=sample.pcap

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb"
}

# problem_frames OUT [TSHARK ARGS...]: "FRAME<TAB>MESSAGE,..." of every
# packet with a CamTrace problem; stderr in err.txt.
problem_frames() {
    local out=$1
    shift
    ct_tshark -- -r "$SAMPLE" -o camtrace.ptr:FALSE "$@" -Y camtrace.problem -T fields \
        -e frame.number -e _ws.expert.message >"$out" 2>"$CT_SANDBOX/err.txt" ||
        ct_fail "tshark failed: $(cat "$CT_SANDBOX/err.txt")"
}

# expert_lines [TSHARK ARGS...]: CamTrace's lines of tshark -q -z expert.
expert_lines() {
    ct_tshark -- -q -r "$SAMPLE" -o camtrace.ptr:FALSE "$@" -z expert 2>/dev/null |
        awk '$3 == "CamTrace" || $2 == "Undecoded" && $3 == "CamTrace"'
}

# A missing ASN database: one entry, in the first packet, in one pass and
# in two; its text is the warning's; -V shows it at the top of the tree.
case_problems_databases() {
    local missing="$CT_SANDBOX/no-such-asn.mmdb" msg
    for pass in "" -2; do
        problem_frames "$CT_SANDBOX/frames.txt" $pass -o "camtrace.asn_db:$missing" \
            -o "camtrace.city_db:$CT_DB/city.mmdb"
        msg=$(sed -n 's/^camtrace: //p' "$CT_SANDBOX/err.txt")
        [ -n "$msg" ] || ct_fail "no warning on stderr"
        case "$msg" in *"$missing"*) ;; *) ct_fail "the warning does not name the file: $msg" ;; esac
        expect_eq "packets with a problem ($pass)" "$(cat "$CT_SANDBOX/frames.txt")" "1	$msg"
    done
    ct_tshark -- -r "$SAMPLE" -o camtrace.ptr:FALSE -o "camtrace.asn_db:$missing" \
        -o "camtrace.city_db:$CT_DB/city.mmdb" -Y 'frame.number == 1' -O camtrace \
        >"$CT_SANDBOX/tree.txt" 2>/dev/null
    expect_eq "the top of the CamTrace tree" \
        "$(grep -A2 '^\[CamTrace IP enrichment\]' "$CT_SANDBOX/tree.txt" | sed 1d | sed 's/^ *//')" \
        "[$msg]
[Expert Info (Warning/Undecoded): $msg]" ||
        ct_fail "the tree does not start with the problem: $(cat "$CT_SANDBOX/tree.txt")"
    # Both databases missing: two entries in the same packet.
    problem_frames "$CT_SANDBOX/frames.txt" -o "camtrace.asn_db:$missing" \
        -o "camtrace.city_db:$CT_SANDBOX/no-such-city.mmdb"
    expect_eq "problems with neither database" \
        "$(cut -f1 "$CT_SANDBOX/frames.txt"):$(cut -f2 "$CT_SANDBOX/frames.txt" | tr ',' '\n' | grep -c database)" \
        "1:2"
    # Good databases: no problem anywhere.
    problem_frames "$CT_SANDBOX/frames.txt" $(with_dbs)
    expect_eq "problems with good databases" "$(cat "$CT_SANDBOX/frames.txt")" ""
    ct_expect_quiet "$CT_SANDBOX/err.txt"
}

# A bad home country: in -z expert once, one pass and two, without any
# CamTrace field asked for.
case_problems_settings() {
    local line
    for pass in "" -2; do
        line=$(expert_lines $pass $(with_dbs) -o camtrace.home_country:Germany)
        expect_eq "expert lines ($pass)" "$(echo "$line" | grep -c .)" 1
        case "$line" in
        *" 1  Undecoded "*"CamTrace  home country \"Germany\": not an ISO 3166-1 alpha-2 code"*) ;;
        *) ct_fail "-z expert: $line" ;;
        esac
    done
    expect_eq "expert lines with a good home country" \
        "$(expert_lines $(with_dbs) -o camtrace.home_country:DE | grep -c .)" 0
    problem_frames "$CT_SANDBOX/frames.txt" $(with_dbs) -o "camtrace.local_networks:lan"
    case "$(cat "$CT_SANDBOX/frames.txt")" in
    "1	local networks (preference camtrace.local_networks): \"lan\": not an IPv4 or IPv6 address"*) ;;
    *) ct_fail "a bad local network: $(cat "$CT_SANDBOX/frames.txt")" ;;
    esac
}

# A DNS server that stops answering: one entry, in the packet where that
# became known, the same in -z expert.
case_problems_resolver() {
    local port
    port=$(ct_closed_port)
    ct_tshark -- -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE -o camtrace.ptr_timeout_ms:200 \
        -o "camtrace.dns_servers:127.0.0.1:$port" -Y camtrace.problem -T fields \
        -e frame.number -e _ws.expert.message -e camtrace.dst.ptr >"$CT_SANDBOX/frames.txt" \
        2>"$CT_SANDBOX/err.txt"
    expect_eq "packets with a problem" "$(wc -l <"$CT_SANDBOX/frames.txt")" 1
    grep -q "127.0.0.1:$port did not answer" "$CT_SANDBOX/frames.txt" ||
        ct_fail "the problem: $(cat "$CT_SANDBOX/frames.txt")"
    [ "$(cut -f1 "$CT_SANDBOX/frames.txt")" -gt 1 ] ||
        ct_fail "the problem is in frame 1, before anything was asked"
}

ct_run_case "$1"
