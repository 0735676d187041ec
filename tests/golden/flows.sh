#!/bin/bash
# flows.sh CASE - end-to-end tests of the flow export (-z camtrace,flows)
# and the CamTrace profile in the real tshark (see sandbox.sh).
. "$(dirname "$0")/sandbox.sh"

# column_of NAME: the cells of the CSV column NAME of the export on stdin.
column_of() {
    python3 -c 'import csv, sys
rows = csv.DictReader(sys.stdin)
for r in rows:
    print(r[sys.argv[1]])' "$1"
}

SAMPLE=sample.pcap

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb"
}

# The export of the sample capture, CSV and JSON Lines, against baselines.
case_flows() {
    local csv="$CT_SANDBOX/flows.csv" jsonl="$CT_SANDBOX/flows.jsonl"
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows >"$csv" 2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    ct_check_baseline flows "$csv"
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows,jsonl >"$jsonl"
    ct_check_baseline flows-jsonl "$jsonl"
    ct_check_strict "$csv" "$jsonl" 44
    # Two passes count the same flows.
    ct_tshark -- -2 -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows >"$CT_SANDBOX/two.csv"
    diff -u "$csv" "$CT_SANDBOX/two.csv" || ct_fail "-2 exports other flows"
}

# Per flow, packets and bytes each way are what tshark's conversation
# tables say (conv prints large byte counts truncated to kB or MB).
case_flows_totals() {
    local ours="$CT_SANDBOX/ours.csv" conv="$CT_SANDBOX/conv.txt" result
    ct_tshark -- -q -r "$SAMPLE" -o camtrace.enabled:FALSE -z camtrace,flows | tr -d '\r' >"$ours"
    ct_tshark -- -q -r "$SAMPLE" -z conv,tcp -z conv,udp >"$conv"
    result=$(awk -F, '
        function unit_ok(exact, value, unit) {
            if (unit == "bytes") return exact == value
            if (unit == "kB") return int(exact / 1000) == value
            if (unit == "MB") return int(exact / 1000000) == value
            return 0
        }
        FILENAME == ARGV[1] && FNR > 1 && ($2 == "tcp" || $2 == "udp") && $4 != "" {
            ours++
            a = $3 ":" $4; b = $5 ":" $6
            key[$2 "|" a "|" b] = $29 " " $30 " " $31 " " $32
            key[$2 "|" b "|" a] = $31 " " $32 " " $29 " " $30
            next
        }
        FILENAME == ARGV[2] && /TCP Conversations/ { proto = "tcp" }
        FILENAME == ARGV[2] && /UDP Conversations/ { proto = "udp" }
        FILENAME == ARGV[2] && / <-> / {
            split($0, f, " ")
            rows++
            k = proto "|" f[1] "|" f[3]
            if (!(k in key)) { print "no flow for " k; bad++; next }
            split(key[k], t, " ")
            # Columns: A, <->, B, frames B->A, bytes B->A, unit, frames A->B, bytes, unit.
            if (t[1] != f[7] || !unit_ok(t[2], f[8], f[9]) ||
                t[3] != f[4] || !unit_ok(t[4], f[5], f[6])) {
                print k ": ours " key[k] ", conv " $0; bad++
            }
        }
        END {
            if (rows == 0) print "conv printed no conversations"
            else if (rows != ours) print rows " conversations, " ours " flows with ports"
            else if (!bad) print "ok " rows
        }' "$ours" "$conv")
    case "$result" in
    ok*) ;;
    *) ct_fail "totals differ from conv,tcp/conv,udp: $result" ;;
    esac
}

# Every flow's Community ID is the one Wireshark's own post-dissector
# gives its packets.
case_flows_communityid() {
    local ws="$CT_SANDBOX/ws.txt" missing field
    # Up to 4.4 the protocol item "communityid" holds the hash; 4.6 has a
    # field "communityid.hash" for it.
    field=$(ct_tshark -- -G fields | awk -F '\t' '$3 == "communityid.hash" { hash = 1 }
        $3 == "communityid" { proto = 1 }
        END { if (hash) print "communityid.hash"; else if (proto) print "communityid" }')
    [ -n "$field" ] || ct_fail "tshark -G fields lists no Community ID hash field"
    ct_tshark -- -r "$SAMPLE" --enable-protocol communityid -T fields -e "$field" |
        sort -u >"$ws"
    [ "$(wc -l <"$ws")" -gt 20 ] || ct_fail "Wireshark printed no Community IDs"
    ct_tshark -- -q -r "$SAMPLE" -o camtrace.enabled:FALSE -z camtrace,flows | tr -d '\r' |
        column_of community_id >"$CT_SANDBOX/ours.txt"
    [ "$(grep -c . "$CT_SANDBOX/ours.txt")" -gt 20 ] || ct_fail "the export has no Community IDs"
    missing=$(grep -vxF -f "$ws" "$CT_SANDBOX/ours.txt" || true)
    expect_eq "Community IDs unknown to Wireshark" "$missing" ""
}

# Format and filter options, and a bad argument.
case_flows_options() {
    local out
    out=$(ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,csv,tcp.port == 443' | tail -n +2 |
        cut -d, -f2,6 | sort -u | tr -d '\r')
    expect_eq "csv with filter" "$out" "tcp,443"
    out=$(ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,ip.addr == 8.8.8.8' | tail -n +2 |
        cut -d, -f3,5 | tr -d '\r')
    expect_eq "filter without format" "$out" "192.168.1.30,8.8.8.8"
    out=$(ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,jsonl,udp.port == 123' |
        grep -c '"dst_port":123,')
    expect_eq "jsonl with filter" "$out" 1
    # Filters on camtrace fields need the fields: they are primed.
    out=$(ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z 'camtrace,flows,camtrace.dst.asn == 13335' |
        tail -n +2 | cut -d, -f5 | sort -u | tr -d '\r' | paste -sd' ')
    expect_eq "filter on a camtrace field" "$out" "1.1.1.1 162.159.200.1 2606:4700:4700::1111"
    if ct_tshark -- -q -r "$SAMPLE" -z camtrace,flowsx >/dev/null 2>"$CT_SANDBOX/err.txt"; then
        ct_fail "a bad argument was accepted"
    fi
    grep -q 'invalid "-z camtrace,flowsx"' "$CT_SANDBOX/err.txt" ||
        ct_fail "no clear message for a bad argument: $(cat "$CT_SANDBOX/err.txt")"
    if ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,csv,ip.addr ==' >/dev/null \
        2>"$CT_SANDBOX/err.txt"; then
        ct_fail "a bad filter was accepted"
    fi
    grep -q "cannot start the flow export" "$CT_SANDBOX/err.txt" ||
        ct_fail "no clear message for a bad filter: $(cat "$CT_SANDBOX/err.txt")"
}

# PTR names in the export, asked as flows appear, hostile ones harmless.
case_flows_ptr() {
    local out="$CT_SANDBOX/flows.csv"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -z camtrace,flows >"$out" \
        2>"$CT_SANDBOX/err.txt"
    ct_expect_notice "$CT_SANDBOX/err.txt" \
        "127.0.0.1:$CT_DNS_PORT (preference camtrace.dns_servers)"
    ct_check_baseline flows-ptr "$out"
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -z camtrace,flows,jsonl \
        >"$CT_SANDBOX/flows-ptr.jsonl"
    ct_check_strict "$out" "$CT_SANDBOX/flows-ptr.jsonl" 44
    # The name chosen by the owner of 2a02:8108:1:2::50 is text, not a formula.
    grep -q "^[^,]*,udp,2a02:8108:1:2::50,43565,.*,\"'=HYPERLINK(\"\"http://evil.example\"\")" \
        "$out" || ct_fail "hostile PTR name not neutralized"
    ct_dnsd_stop

    # A silent server: one warning, every flow still exported.
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone" --delay-ms 100000
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE -o camtrace.ptr_timeout_ms:200 \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -z camtrace,flows \
        >"$CT_SANDBOX/silent.csv" 2>"$CT_SANDBOX/err.txt"
    expect_eq "flows with a silent server" "$(wc -l <"$CT_SANDBOX/silent.csv")" "$(wc -l <"$out")"
    expect_eq "warnings for a silent server" "$(grep -c 'did not answer' "$CT_SANDBOX/err.txt")" 1
}

# The statistics table (Statistics > CamTrace Flows in Wireshark, -z
# camtrace,flowtable in tshark): the same flows and counts as the export.
# tshark prints a cell as "TEXT |", so the text of cell N is field N with
# -F' [|]'; absent ports and ASNs are 0 in the table and print as nothing.
case_flows_table() {
    local table="$CT_SANDBOX/table.txt" a b
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flowtable >"$table" \
        2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    ct_check_baseline flows-table "$table"
    # Every row has all 23 cells: a cell of type TABLE_ITEM_NONE would end
    # tshark's line early.
    a=$(awk -F' [|]' '/ [|]$/ && !/^Source / && NF != 24 { print NR ": " NF - 1 " cells" }' \
        "$table")
    expect_eq "rows with fewer cells than columns" "$a" ""
    a=$(awk -F' [|]' -v OFS=, '/^[0-9a-f:.]+ [|]/ {
        print $18, $9, $1, $10, $8, $11, $12, $13, $14, $15 }' "$table")
    # Enrichment off: no quoted cells to split.
    b=$(ct_tshark -- -q -r "$SAMPLE" -o camtrace.enabled:FALSE -z camtrace,flows | tr -d '\r' |
        awk -F, -v OFS=, 'NR > 1 { print $1, $2, $3, $4, $5, $6, $29, $30, $31, $32 }')
    [ -n "$a" ] || ct_fail "the table has no rows"
    expect_eq "table rows against the export" "$a" "$b"
    # Names, their sources, organizations, countries, the ASN and city:
    # the export's, a name and its source in cells of their own.
    a=$(awk -F' [|]' -v OFS='|' '/^[0-9a-f:.]+ [|]/ {
        print $2, $20, $3, $4, $5, $21, $6, $7, $22, $23 }' "$table")
    b=$(ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows | tr -d '\r' |
        python3 -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    print("|".join(r[k] for k in ("src_name", "src_name_source", "src_as_org",
        "src_country_iso", "dst_name", "dst_name_source", "dst_as_org", "dst_country_iso",
        "dst_asn", "dst_city")))')
    expect_eq "names, organizations and ASNs against the export" "$a" "$b"
    echo "$a" | grep -q '^|*device-metrics-us.amazon.com|sni|AMAZON-02|US|16509|Ashburn$' ||
        ct_fail "no row names device-metrics-us.amazon.com from its SNI"
    # Abroad: the export's foreign column, for people; "unknown" where it
    # is absent although an end is global (no located country).
    a=$(ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flowtable |
        awk -F' [|]' '/^[0-9a-f:.]+ [|]/ { print $19 }')
    b=$(ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows |
        tr -d '\r' | python3 -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    glob = "global" in (r["src_scope"], r["dst_scope"])
    print({"true": "yes", "false": "no"}.get(r["foreign"], "unknown" if glob else ""))')
    expect_eq "Abroad against the export's foreign" "$a" "$b"
    echo "$a" | grep -qx unknown || ct_fail "no flow of the sample is Abroad unknown"
    [ "$(echo "$a" | grep -c '^yes$')" -gt 0 ] && [ "$(echo "$a" | grep -c '^no$')" -gt 0 ] ||
        ct_fail "the sample has flows abroad and at home: $a"
    # A name with quotes, from an HTTP Host of names.pcap: the dialog's CSV
    # writes text between quotes as it is, so the table holds none, and no
    # formula.
    a=$(ct_tshark -- -q -r names.pcap -z camtrace,flowtable |
        awk -F' [|]' '/^[0-9a-f:.]+ [|]/ && $5 ~ /hyperlink/ { print $5 }')
    expect_eq "a Host with quotes in the table" "$a" \
        "'=hyperlink(\\034http://x.example\\034)\\009.evil.example"
    # A filter selects the packets counted.
    a=$(ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flowtable,udp.port == 53' |
        grep -c '^[0-9a-f:.]* [|]')
    expect_eq "rows with a filter" "$a" 6
}

# The CamTrace profile: its columns in tshark -C, and every filter button
# is a valid display filter that selects what its label says.
case_profile() {
    local out label expr count
    mkdir -p "$CT_SANDBOX/config/profiles"
    cp -r "$CT_SOURCE_DIR/data/profiles/CamTrace" "$CT_SANDBOX/config/profiles/"
    [ "$(id -u)" != 0 ] || chown -R nobody:nogroup "$CT_SANDBOX/config"
    # The profile's preferences replace the sandbox's: PTR off again.
    out=$(ct_tshark -- -C CamTrace -o camtrace.ptr:FALSE $(with_dbs) -r "$SAMPLE" \
        -Y 'frame.number == 40')
    case "$out" in
    *"TLSv1.3 1514 device-metrics-us.amazon.com sni 16509 AMAZON-02 US Ashburn Application Data"*) ;;
    *) ct_fail "the profile's columns are not shown: $out" ;;
    esac
    # The replies show the same remote end (frame 20: 52.94.236.248's
    # Server Hello): every row of the conversation says who is on the
    # other side.
    out=$(ct_tshark -- -C CamTrace -o camtrace.ptr:FALSE $(with_dbs) -r "$SAMPLE" \
        -Y 'frame.number == 20')
    case "$out" in
    *"device-metrics-us.amazon.com sni 16509 AMAZON-02 US Ashburn"*) ;;
    *) ct_fail "a reply does not show the remote end: $out" ;;
    esac
    while IFS= read -r line; do
        case "$line" in \#* | "") continue ;; esac
        label=$(echo "$line" | cut -d'"' -f4)
        expr=$(echo "$line" | cut -d'"' -f6 | sed 's/\\x22/"/g')
        ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -C CamTrace -o camtrace.ptr:FALSE $(with_dbs) \
            -r "$SAMPLE" -Y "$expr" \
            -T fields -e frame.number >"$CT_SANDBOX/selected.txt" 2>"$CT_SANDBOX/err.txt" ||
            ct_fail "button $label: $(cat "$CT_SANDBOX/err.txt")"
        echo "$label: $(wc -l <"$CT_SANDBOX/selected.txt")"
    done <"$CT_SOURCE_DIR/data/profiles/CamTrace/dfilter_buttons" >"$CT_SANDBOX/buttons.txt"
    ct_check_baseline profile-buttons "$CT_SANDBOX/buttons.txt"
}

ct_run_case "$1"
