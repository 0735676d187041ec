#!/bin/bash
# golden.sh CASE - end-to-end tests of the plugin in the real tshark.
#
# Each case runs tshark (see sandbox.sh) on captures from data/ with the
# fixture databases and either diffs the output against a stored baseline
# or checks one behaviour.  CT_UPDATE_BASELINES=1 rewrites the baselines.
. "$(dirname "$0")/sandbox.sh"

SAMPLE=sample.pcap
export CT_DNSD
FIELDS=(
    camtrace.src.scope camtrace.src.asn camtrace.src.as_org camtrace.src.country_iso
    camtrace.src.country camtrace.src.region camtrace.src.city camtrace.src.lat
    camtrace.src.lon camtrace.src.accuracy_km
    camtrace.dst.scope camtrace.dst.asn camtrace.dst.as_org camtrace.dst.country_iso
    camtrace.dst.country camtrace.dst.region camtrace.dst.city camtrace.dst.lat
    camtrace.dst.lon camtrace.dst.accuracy_km
)

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb"
}

field_args() {
    local f
    for f in "$@"; do printf -- '-e\n%s\n' "$f"; done
}

# Every camtrace field of every packet of the sample capture.
case_fields() {
    local out="$CT_SANDBOX/out.txt"
    mapfile -t args < <(field_args frame.number "${FIELDS[@]}")
    ct_tshark -- -r "$SAMPLE" $(with_dbs) -T fields -E header=y -E occurrence=a \
        "${args[@]}" >"$out" 2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    ct_check_baseline fields "$out"
}

# Display filters on the new fields select the expected frames.
case_filters() {
    local out="$CT_SANDBOX/out.txt" filter
    : >"$out"
    while IFS= read -r filter; do
        echo "## $filter" >>"$out"
        ct_tshark -- -r "$SAMPLE" $(with_dbs) -Y "$filter" -T fields -e frame.number \
            | tr '\n' ' ' >>"$out"
        echo >>"$out"
    done <<'FILTERS'
camtrace.asn == 15169
camtrace.dst.asn == 16509
camtrace.country_iso != "US"
camtrace.country == "Germany"
camtrace.city contains "Frankfurt"
camtrace.as_org == "CLOUDFLARENET"
camtrace.src.scope == "private" && camtrace.dst.scope == "global"
camtrace.dst.scope == "multicast"
camtrace.dst.scope == "broadcast" || camtrace.src.scope == "unspecified"
camtrace.dst.scope == "link-local" || camtrace.src.scope == "link-local"
camtrace.dst.scope == "shared"
camtrace.dst.scope == "documentation"
camtrace.src.lat > 50
camtrace && !ip && !ipv6
!camtrace
FILTERS
    ct_check_baseline filters "$out"
}

# The packet details a GUI user sees.
case_tree() {
    local out="$CT_SANDBOX/out.txt"
    ct_tshark -- -r "$SAMPLE" $(with_dbs) -O camtrace \
        -Y 'frame.number in {1, 13, 16, 108, 136, 147, 149, 151, 152, 154}' | ct_tree_normalize |
        sed 's/ built [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]/ built (the day the fixtures were built)/g' \
            >"$out"
    # The fixture databases are built with the tests: their files' day.
    grep -q "Databases: ASN GeoLite2-ASN built $(date -u -r "$CT_TEST_DB_DIR/asn.mmdb" +%F), City \
GeoLite2-City built $(date -u -r "$CT_TEST_DB_DIR/city.mmdb" +%F)" \
        <(ct_tshark -- -r "$SAMPLE" $(with_dbs) -O camtrace -Y 'frame.number == 1') ||
        ct_fail "the databases line does not give today's fixtures"
    ct_check_baseline tree "$out"
}

case_plugin() {
    local out="$CT_SANDBOX/out.txt"
    ct_tshark -- -G plugins | grep -q "^camtrace\.so[[:space:]]*[0-9.]*[[:space:]]*dissector" ||
        ct_fail "camtrace.so is not listed as a dissector plugin"
    ct_tshark -- -G fields | awk -F '\t' '$1 == "F" && $3 ~ /^camtrace\./ {print $3 "\t" $4}' \
        >"$out"
    ct_check_baseline field-list "$out"
    # Later versions add columns after the filter name (the third).
    ct_tshark -- -G protocols | awk -F '\t' '$3 == "camtrace" { found = 1 } END { exit !found }' ||
        ct_fail "protocol camtrace missing"
}

# first_dst VAR=... -- TSHARK-ARGS: a field of the first packet to 8.8.8.8,
# stderr kept in $CT_SANDBOX/err.txt.
first_dst() {
    local vars=()
    while [ "$1" != "--" ]; do vars+=("$1"); shift; done
    shift
    ct_tshark "${vars[@]}" -- -r "$SAMPLE" -Y 'ip.dst == 8.8.8.8' -T fields "$@" \
        2>"$CT_SANDBOX/err.txt" | head -n 1
}


# Lines of the plugin on stderr, but the reverse DNS notice.
warnings() {
    grep "camtrace" "$CT_SANDBOX/err.txt" | grep -vc -- "$CT_PTR_NOTICE" || true
}

# Preference, then environment, then .env, then the data folders.
case_config() {
    local asn="$CT_DB/asn.mmdb" got
    local dotenv="$CT_WORK/.env"
    local userdata="$CT_SANDBOX/home/.local/share/camtrace"

    # Nothing configured, nothing in the data folders.
    got=$(first_dst -- -e camtrace.dst.asn)
    expect_eq "no database anywhere" "$got" ""
    grep -q "no ASN database" "$CT_SANDBOX/err.txt" || ct_fail "missing-database warning"

    got=$(first_dst MAXMIND_ASN_DB="$asn" -- -e camtrace.dst.asn)
    expect_eq "environment" "$got" 15169

    echo "MAXMIND_ASN_DB=$asn" >"$dotenv"
    chmod a+r "$dotenv"
    got=$(first_dst -- -e camtrace.dst.asn)
    expect_eq ".env" "$got" 15169

    got=$(first_dst MAXMIND_ASN_DB=/nonexistent/env.mmdb -- -e camtrace.dst.asn)
    expect_eq "environment before .env" "$got" ""
    grep -q "/nonexistent/env.mmdb" "$CT_SANDBOX/err.txt" || ct_fail "warning names the path"

    got=$(first_dst MAXMIND_ASN_DB=/nonexistent/env.mmdb -- -o "camtrace.asn_db:$asn" \
        -e camtrace.dst.asn)
    expect_eq "preference before environment" "$got" 15169

    rm -f "$dotenv"
    # The data folders of CAMTRACE_DATA_PATH, in order.
    cp "$asn" "$CT_SANDBOX/system/dbip-asn-lite.mmdb"
    chmod a+r "$CT_SANDBOX/system/dbip-asn-lite.mmdb"
    got=$(first_dst -- -e camtrace.dst.asn)
    expect_eq "search of CAMTRACE_DATA_PATH" "$got" 15169
    got=$(first_dst CAMTRACE_DATA_PATH=/nonexistent -- -e camtrace.dst.asn)
    expect_eq "only the folders of CAMTRACE_DATA_PATH" "$got" ""
    grep -qF "put one in one of: /nonexistent" "$CT_SANDBOX/err.txt" ||
        ct_fail "the warning names the folders searched: $(cat "$CT_SANDBOX/err.txt")"
    rm "$CT_SANDBOX/system/dbip-asn-lite.mmdb"
    # Without CAMTRACE_DATA_PATH, the user's data folder comes first.
    $CT_RUN_AS mkdir -p "$userdata"
    $CT_RUN_AS cp "$asn" "$userdata/GeoLite2-ASN.mmdb"
    got=$(first_dst CAMTRACE_DATA_PATH= -- -e camtrace.dst.asn)
    expect_eq "search of the user data folder" "$got" 15169

    got=$(first_dst ENRICH_IPS=0 -- -e camtrace.dst.scope)
    expect_eq "ENRICH_IPS=0" "$got" ""
    got=$(first_dst ENRICH_IPS=0 -- -o camtrace.enabled:TRUE -e camtrace.dst.scope)
    expect_eq "enabled preference before ENRICH_IPS" "$got" global
    echo "ENRICH_IPS=false" >"$dotenv"
    chmod a+r "$dotenv"
    got=$(first_dst -- -e camtrace.dst.scope)
    expect_eq "ENRICH_IPS from .env" "$got" ""
    got=$(first_dst ENRICH_IPS=1 -- -e camtrace.dst.scope)
    expect_eq "ENRICH_IPS=1 from the environment" "$got" global
}

# A bad ASN database is one warning naming it; the City database still works.
case_bad_db() {
    local bad="$CT_SANDBOX/bad" path out
    mkdir -p "$bad/dir.mmdb"
    : >"$bad/empty.mmdb"
    head -c 5000 /dev/urandom >"$bad/random.mmdb"
    head -c 1500 "$CT_DB/asn.mmdb" >"$bad/truncated.mmdb"
    chmod -R a+rX "$bad"
    for path in /nonexistent/GeoLite2-ASN.mmdb "$bad/dir.mmdb" "$bad/empty.mmdb" \
        "$bad/random.mmdb" "$bad/truncated.mmdb" "$CT_DB/other.mmdb" "$CT_DB/city.mmdb"; do
        out=$(ct_tshark -- -r "$SAMPLE" -o "camtrace.asn_db:$path" \
            -o "camtrace.city_db:$CT_DB/city.mmdb" -T fields -e camtrace.dst.asn \
            -e camtrace.dst.city 2>"$CT_SANDBOX/err.txt") || ct_fail "tshark failed on $path"
        expect_eq "warnings for $path" "$(warnings)" 1
        grep -qF "$path" "$CT_SANDBOX/err.txt" || ct_fail "warning does not name $path"
        echo "$out" | grep -q "Mountain View" || ct_fail "City lookups stopped with $path"
        if echo "$out" | cut -f1 | grep -q '[0-9]'; then
            ct_fail "ASN values from the bad database $path"
        fi
        echo "ok: $path: $(grep camtrace "$CT_SANDBOX/err.txt" | sed 's/.*-- //')"
    done
}

# Without a camtrace field in use the plugin does nothing: a missing database
# is not even noticed.  (A printed tree, as with -V or -T fields, holds every
# field of every protocol, CamTrace's included, so those runs do look up.)
case_no_work() {
    local bad=(-o camtrace.asn_db:/nonexistent/a.mmdb -o camtrace.city_db:/nonexistent/c.mmdb)
    ct_tshark -- -r "$SAMPLE" "${bad[@]}" >/dev/null 2>"$CT_SANDBOX/err.txt"
    expect_eq "plain read" "$(warnings)" 0
    ct_tshark -- -r "$SAMPLE" "${bad[@]}" -Y 'ip.dst == 8.8.8.8 || ipv6' \
        >/dev/null 2>"$CT_SANDBOX/err.txt"
    expect_eq "filter on other fields" "$(warnings)" 0
    ct_tshark -- -r "$SAMPLE" "${bad[@]}" -q -z conv,ip >/dev/null 2>"$CT_SANDBOX/err.txt"
    expect_eq "statistics" "$(warnings)" 0
    ct_tshark -- -r "$SAMPLE" "${bad[@]}" -Y 'camtrace.dst.asn == 1' \
        >/dev/null 2>"$CT_SANDBOX/err.txt"
    expect_eq "filter on a camtrace field (control)" "$(warnings)" 2
}

case_disabled() {
    local out
    out=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -o camtrace.enabled:FALSE -T fields \
        -e camtrace.dst.scope | sort -u)
    expect_eq "enabled:FALSE" "$out" ""
    out=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) --disable-protocol camtrace -T fields \
        -e camtrace.dst.scope | sort -u)
    expect_eq "--disable-protocol" "$out" ""
    out=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -T fields -e camtrace.dst.scope | grep -v '^$' | sort -u | head -1)
    [ -n "$out" ] || ct_fail "control run has no scope values"
}

ptr_on() {
    echo -o camtrace.ptr:TRUE -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" \
        -o camtrace.ptr_timeout_ms:300
}

# Names from our DNS server, one pass and two passes alike.
case_ptr() {
    local out="$CT_SANDBOX/out.txt" two="$CT_SANDBOX/two.txt"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -T fields -E header=y -e frame.number \
        -e camtrace.src.ptr -e camtrace.dst.ptr >"$out" 2>"$CT_SANDBOX/err.txt"
    ct_expect_notice "$CT_SANDBOX/err.txt" \
        "127.0.0.1:$CT_DNS_PORT (preference camtrace.dns_servers)"
    ct_check_baseline ptr "$out"
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -2 -T fields -E header=y -e frame.number \
        -e camtrace.src.ptr -e camtrace.dst.ptr >"$two" 2>/dev/null
    diff -u "$out" "$two" || ct_fail "-2 gives other names than one pass"

    # Private addresses only on request; DNS_RESOLVER names the server too.
    out=$(ct_tshark DNS_RESOLVER="127.0.0.1:$CT_DNS_PORT" -- -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o camtrace.ptr_private:TRUE -Y 'ip.src == 192.168.1.20' -T fields -e camtrace.src.ptr \
        2>"$CT_SANDBOX/err.txt" | sort -u)
    expect_eq "ptr_private" "$out" "camera.fritz.box"
    ct_expect_notice "$CT_SANDBOX/err.txt" "127.0.0.1:$CT_DNS_PORT (DNS_RESOLVER)"
    out=$(ct_tshark -- -r "$SAMPLE" $(ptr_on) -Y 'camtrace.ptr contains "1e100"' -T fields \
        -e frame.number | wc -l)
    [ "$out" -gt 10 ] || ct_fail "filter on camtrace.ptr selected $out frames"
    # The details say how many PTR records there were.
    ct_tshark -- -r "$SAMPLE" $(ptr_on) -O camtrace -Y 'frame.number == 136' |
        grep -q "Destination PTR: fra24s06-in-x0e.1e100.net (first of 3 PTR records)" ||
        ct_fail "PTR record count not shown"
}

# PTR questions are sent only when a name will be seen.
case_ptr_quiet() {
    local log="$CT_SANDBOX/queries.log" n
    : >"$log"
    chmod a+rw "$log"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone" --log "$log"
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -T fields -e camtrace.dst.asn >/dev/null
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -Y 'camtrace.dst.scope == "global"' >/dev/null
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -2 -T fields -e ip.src >/dev/null
    expect_eq "questions without a PTR field" "$(wc -l <"$log")" 0
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -T fields -e camtrace.dst.ptr >/dev/null
    n=$(wc -l <"$log")
    [ "$n" -gt 5 ] || ct_fail "only $n questions with camtrace.dst.ptr printed"
    # Each address once, however many packets carry it.
    expect_eq "repeated questions" "$(sort "$log" | uniq -d | wc -l)" 0
}

# tshark -2: the first pass asks every question without waiting for
# answers (whatever else makes it build trees, such as learning names), so
# many are in flight at once; waiting per packet would keep at most the two
# of one packet outstanding.
case_ptr_ahead() {
    local log="$CT_SANDBOX/queries.log" most
    : >"$log"
    chmod a+rw "$log"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone" --delay-ms 200 --log "$log" \
        --log-pending
    ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -o camtrace.ptr_timeout_ms:1000 -2 \
        -T fields -e camtrace.dst.ptr -e camtrace.dst.name >/dev/null
    most=$(cut -f2 "$log" | sort -n | tail -n 1)
    [ "${most:-0}" -gt 5 ] || ct_fail "at most ${most:-0} questions in flight in the first pass"
    expect_eq "questions asked" "$(wc -l <"$log")" "$(cut -f1 "$log" | sort -u | wc -l)"
}

# A dead resolver: the run finishes with empty names and one warning.
case_ptr_dead() {
    local port out zone="$CT_SANDBOX/silent.zone"
    port=$(ct_closed_port)
    out=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$port" \
        -o camtrace.ptr_timeout_ms:200 -T fields -e camtrace.dst.ptr 2>"$CT_SANDBOX/err.txt" |
        sort -u)
    expect_eq "names from a closed port" "$out" ""
    expect_eq "warnings for a closed port" "$(warnings)" 1
    grep -q "did not answer" "$CT_SANDBOX/err.txt" || ct_fail "dead-resolver warning"

    echo "* !silent" >"$zone"
    ct_dnsd_start "$zone"
    out=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -2 -T fields -e camtrace.dst.ptr \
        2>"$CT_SANDBOX/err.txt" | sort -u)
    expect_eq "names from a silent server" "$out" ""
    expect_eq "warnings for a silent server" "$(warnings)" 1
    ct_dnsd_stop

    out=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:not-an-ip" \
        -T fields -e camtrace.dst.scope -e camtrace.dst.ptr 2>"$CT_SANDBOX/err.txt" |
        grep -c global)
    [ "$out" -gt 0 ] || ct_fail "a bad server list stopped the other fields"
    expect_eq "warnings for a bad server list" "$(warnings)" 1
}

# ct_epanhost ARGS...: the test host (tests/tools/ct-epanhost.c), a GUI
# stand-in, in the sandbox as ct_tshark runs tshark; stdout and stderr go
# to $CT_SANDBOX/host.out and host.err, and the host must succeed.
ct_epanhost() {
    local vars=()
    cp "$CT_EPANHOST" "$CT_SANDBOX/ct-epanhost"
    chmod a+rx "$CT_SANDBOX/ct-epanhost"
    mapfile -t vars < <(ct_sanitizer_env)
    (cd "$CT_WORK" && $CT_RUN_AS env -i PATH="$PATH" LANG=C.UTF-8 TZ=UTC \
        HOME="$CT_SANDBOX/home" WIRESHARK_CONFIG_DIR="$CT_SANDBOX/config" \
        WIRESHARK_PLUGIN_DIR="$CT_SANDBOX/plugins" WIRESHARK_EXTCAP_DIR="$CT_SANDBOX/extcap" \
        CAMTRACE_DATA_PATH="$CT_DATA_PATH" ${vars[@]+"${vars[@]}"} "$CT_SANDBOX/ct-epanhost" "$@") \
        >"$CT_SANDBOX/host.out" 2>"$CT_SANDBOX/host.err" ||
        ct_fail "ct-epanhost failed: $(cat "$CT_SANDBOX/host.err")"
}

# The plugin's life cycle in one process, as the GUI lives it: a capture
# opened twice (new session, init routines again) with the City database
# swapped in between by a preference change (ct-epanhost).  The second
# export must use the new database, and in a sanitizer build nothing may
# leak or break across the reload.
case_lifecycle() {
    local out="$CT_SANDBOX/host.out"
    ct_epanhost $(with_dbs) -s "camtrace.city_db:$CT_DB/country.mmdb" -z camtrace,flows \
        "$SAMPLE" "$SAMPLE"
    ct_expect_quiet "$CT_SANDBOX/host.err"
    expect_eq "captures read" "$(grep -c ': 174 packets$' "$out")" 2
    # The 8.8.8.8 flow: City database first, Country database after the swap.
    expect_eq "before and after the swap" \
        "$(grep ',8\.8\.8\.8,53,' "$out" | cut -d, -f21,24 | tr '\n' ' ')" \
        "US,Mountain View US, "
}

# The preferences dialog in the user's words: no environment variable in a
# preference's title, and a text that names the files in use, where each
# came from, and the data folders (read as the dialog reads it, after a
# capture was opened).
case_prefs_words() {
    local out="$CT_SANDBOX/host.out" prefs=(enabled files_in_use asn_db city_db ptr ptr_private
        dns_servers ptr_timeout_ms ptr_concurrency names home_country local_networks) args=() p
    cp "$CT_DB/city.mmdb" "$CT_SANDBOX/system/GeoLite2-City.mmdb"
    chmod a+r "$CT_SANDBOX/system/GeoLite2-City.mmdb"
    for p in "${prefs[@]}"; do args+=(-t "camtrace.$p"); done
    ct_epanhost -o "camtrace.asn_db:$CT_DB/asn.mmdb" "${args[@]}" "$SAMPLE"
    expect_eq "titles" "$(grep -c '^camtrace\.' "$out")" "${#prefs[@]}"
    if grep '^camtrace\.' "$out" | grep -v '^camtrace\.files_in_use:' |
        grep -E 'MAXMIND_|ENRICH_IPS|DNS_RESOLVER|CAMTRACE_'; then
        ct_fail "a preference's title names an environment variable"
    fi
    expect_eq "the files in use" "$(grep '^camtrace\.files_in_use: ' "$out")" \
        "camtrace.files_in_use: Databases in use: ASN $CT_DB/asn.mmdb (from the preference); City $CT_SANDBOX/system/GeoLite2-City.mmdb (from the data folder). Data folders searched: $CT_SANDBOX/home/.local/share/camtrace, $CT_SANDBOX/system."
}

# A display filter on PTR fields in the GUI: the first time it runs
# (opening the capture, then pressing a button) it shows what tshark -2
# shows, without pressing Enter again; the answers come 100 ms late, so
# a filter that does not wait for them shows other packets.
case_ptr_filter() {
    local filter expected shown
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone" --delay-ms 100
    for filter in 'camtrace.remote.scope == "global" && !camtrace.remote.ptr' \
        'camtrace.remote.ptr contains "1e100"'; do
        expected=$(ct_tshark -- -r "$SAMPLE" $(with_dbs) $(ptr_on) -2 -Y "$filter" \
            -T fields -e frame.number 2>/dev/null | wc -l)
        [ "$expected" -gt 0 ] || ct_fail "tshark -2 shows no packets for $filter"
        ct_epanhost $(with_dbs) $(ptr_on) -Y "$filter" "$SAMPLE"
        shown=$(sed -n 's/^.*: 174 packets, \([0-9]*\) shown$/\1/p' "$CT_SANDBOX/host.out")
        expect_eq "packets shown by $filter" "$shown" "$expected"
    done
}

# In the GUI, PTR names go to Wireshark's host name table (so its address
# columns show them too), but never over a name the user's hosts file
# gives: 8.8.8.8 keeps the hosts file's name, 1.1.1.1 gets its PTR name.
case_hosts_file() {
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    printf '8.8.8.8 resolver.hosts.test\n' >"$CT_SANDBOX/config/hosts"
    chmod a+r "$CT_SANDBOX/config/hosts"
    ct_epanhost $(with_dbs) $(ptr_on) -w 1500 -n 8.8.8.8 -n 1.1.1.1 -n 192.0.2.99 "$SAMPLE"
    ct_expect_notice "$CT_SANDBOX/host.err" \
        "127.0.0.1:$CT_DNS_PORT (preference camtrace.dns_servers)"
    expect_eq "host names" "$(grep -v packets "$CT_SANDBOX/host.out" | tr '\n' ' ')" \
        "8.8.8.8 resolver.hosts.test 1.1.1.1 one.one.one.one 192.0.2.99 - "
}

ct_run_case "$1"
