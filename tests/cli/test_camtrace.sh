#!/bin/bash
# test_camtrace.sh - black-box tests of the camtrace command.
#
# Runs the built program (CT_CAMTRACE) on the inputs in tests/cli/data/ and
# on lines made here, with the fixture databases (CT_TEST_DB_DIR, built
# from tests/fixtures/geo.json) and, for reverse DNS, ct-dnsd (CT_DNSD) on
# 127.0.0.1.  Outputs are compared byte for byte with tests/cli/expected/;
# every CSV is read back with Python's csv module in strict mode and every
# JSON Lines record with its json module (duplicate keys refused).
#
# Reverse DNS never leaves loopback: every run gets DNS_RESOLVER pointing
# at a closed port on 127.0.0.1 unless a case starts its own server, so a
# run that forgot --no-ptr shows up as a warning, not as a query to the
# machine's resolver.  CT_UPDATE_EXPECTED=1 rewrites the expected files.
set -euo pipefail

: "${CT_CAMTRACE:?}" "${CT_DNSD:?}" "${CT_TEST_DB_DIR:?}" "${CT_SOURCE_DIR:?}"
here="$CT_SOURCE_DIR/tests/cli"
data="$here/data"
expected="$here/expected"
ASN="$CT_TEST_DB_DIR/asn.mmdb"
CITY="$CT_TEST_DB_DIR/city.mmdb"
# What the summary says of the fixture databases (built with the tests).
DATABASES="databases: ASN GeoLite2-ASN built $(date -u -r "$ASN" +%F), City GeoLite2-City built $(date -u -r "$CITY" +%F)"
work=$(mktemp -d /tmp/ct-cli-test.XXXXXX)
dnsd_pid=""

cleanup() {
    [ -z "$dnsd_pid" ] || kill "$dnsd_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$work/xdg"
# No .env from wherever ctest runs.
cd "$work"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# ct [VAR=value ...] -- ARGS...: camtrace with only these variables (empty
# counts as unset for camtrace's settings).  The data folders searched are
# the test's own (CAMTRACE_DATA_PATH), never the machine's.
ct() {
    local vars=()
    while [ "$1" != "--" ]; do
        vars+=("$1")
        shift
    done
    shift
    env -i PATH="$PATH" HOME="$work/home" XDG_DATA_HOME="$work/xdg" \
        CAMTRACE_DATA_PATH="$work/data" \
        MAXMIND_ASN_DB="$ASN" MAXMIND_CITY_DB="$CITY" DNS_RESOLVER="127.0.0.1:$closed_port" \
        ${vars[@]+"${vars[@]}"} "$CT_CAMTRACE" "$@"
}

# run NAME STATUS [VAR=value ...] -- ARGS...: stdout in NAME.out, stderr
# in NAME.err, and the exit status must be STATUS.
run() {
    local name=$1 want=$2 rc=0
    shift 2
    ct "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    [ "$rc" = "$want" ] || fail "$name: exit status $rc, expected $want: $(cat "$work/$name.err")"
}

# same NAME FILE EXPECTED: FILE is byte for byte tests/cli/expected/EXPECTED
# (and kept in CT_OUTPUT_DIR as cli-EXPECTED when that is set).
same() {
    if [ -n "${CT_OUTPUT_DIR:-}" ]; then
        mkdir -p "$CT_OUTPUT_DIR" && cp "$2" "$CT_OUTPUT_DIR/cli-$3"
    fi
    if [ -n "${CT_UPDATE_EXPECTED:-}" ]; then
        cp "$2" "$expected/$3"
        return
    fi
    cmp -s "$2" "$expected/$3" || {
        diff -u "$expected/$3" "$2" >&2 || true
        fail "$1: output differs from tests/cli/expected/$3"
    }
}

expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# summary NAME READ WRITTEN REJECTED: the last line of NAME.err (without
# the databases an enriching run names after the counts).
summary() {
    local noun=records line
    [ "$2" = 1 ] && noun=record
    line=$(tail -n 1 "$work/$1.err")
    expect_eq "$1 summary" "${line%%; databases: *}" \
        "camtrace: $2 $noun read, $3 written, $4 rejected"
    expect_eq "$1 read = written + rejected" "$2" "$(($3 + $4))"
}

warnings() {
    grep -c "^camtrace: warning: " "$work/$1.err" || true
}

# Strict readers: RFC 4180 CSV with the seed's 26 columns and CRLF line
# ends; JSON Lines with unique keys ending in the 18 enrichment columns.
check_csv() {
    python3 - "$1" <<'PY' || fail "$1 is not strict RFC 4180 CSV"
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8", errors="strict")
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
assert rows, "no header"
assert len(rows[0]) == 26 and rows[0][0] == "ts" and rows[0][25] == "dst_longitude", rows[0]
for row in rows:
    assert len(row) == 26, row
# Every record ends in CRLF: strip the quoted cells, then no bare LF.
assert text.endswith("\r\n")
bare = "".join(text.split('"')[0::2])
assert "\n" not in bare.replace("\r\n", ""), "bare LF"
PY
}

check_jsonl() {
    python3 - "$1" <<'PY' || fail "$1 is not strict JSON Lines"
import json, sys
side = ["ptr", "asn", "as_org", "country_iso", "country_name", "region", "city",
        "latitude", "longitude"]
tail = ["src_" + k for k in side] + ["dst_" + k for k in side]
def pairs(items):
    keys = [k for k, _ in items]
    assert len(keys) == len(set(keys)), "duplicate keys %r" % keys
    return dict(items)
def no_constant(name):
    raise ValueError(name)
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8", errors="strict")
assert text == "" or text.endswith("\n")
for line in text.split("\n")[:-1]:
    assert "\r" not in line
    record = json.loads(line, object_pairs_hook=pairs, parse_constant=no_constant)
    assert list(record)[-18:] == tail, list(record)
PY
}

# A port on 127.0.0.1 where nothing listens: ct-dnsd picks a free one and
# exits.
closed_port=$("$CT_DNSD" --port 0 --zone /dev/null & pid=$!
    sleep 0.2
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null || true)
closed_port=$(echo "$closed_port" | head -n 1)
[ -n "$closed_port" ] || fail "no closed port"

# dnsd_start ZONE [ARGS...]: ct-dnsd on 127.0.0.1, port in $dns_port.
dnsd_start() {
    local zone=$1
    shift
    : >"$work/dnsd.port"
    "$CT_DNSD" --port 0 --zone "$zone" "$@" >"$work/dnsd.port" 2>/dev/null &
    dnsd_pid=$!
    for _ in $(seq 100); do
        [ -s "$work/dnsd.port" ] && break
        sleep 0.05
    done
    dns_port=$(head -n 1 "$work/dnsd.port")
    [ -n "$dns_port" ] || fail "ct-dnsd did not start"
}

dnsd_stop() {
    kill "$dnsd_pid" 2>/dev/null || true
    wait "$dnsd_pid" 2>/dev/null || true
    dnsd_pid=""
}

# ---- the seed's example ---------------------------------------------------
cp "$CT_SOURCE_DIR/examples/flows.jsonl" "$work/flows.jsonl"
run example-csv 0 -- --enrich --no-ptr --in flows.jsonl --out flows.csv --csv
same example-csv flows.csv flows.csv
expect_eq "example-csv stdout" "$(cat example-csv.out)" ""
expect_eq "example-csv stderr" "$(cat example-csv.err)" \
    "camtrace: 2 records read, 2 written, 0 rejected; $DATABASES"
check_csv flows.csv
run example-jsonl 0 -- --enrich --no-ptr --in flows.jsonl
same example-jsonl example-jsonl.out flows.jsonl
check_jsonl example-jsonl.out
summary example-jsonl 2 2 0

# The seed's command line as users type it: names from our DNS server.
dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
run example-seed 0 DNS_RESOLVER="127.0.0.1:$dns_port" -- \
    --enrich --in "$CT_SOURCE_DIR/examples/flows.jsonl" --out flows-ptr.csv --csv
dnsd_stop
same example-seed flows-ptr.csv flows-ptr.csv
check_csv flows-ptr.csv

# ---- standard input and output ------------------------------------------
run stdio 0 -- --enrich --no-ptr --csv <flows.jsonl
same stdio stdio.out flows.csv
run stdio-dash 0 -- --enrich --no-ptr --csv --in - --out - <flows.jsonl
same stdio-dash stdio-dash.out flows.csv
summary stdio-dash 2 2 0

# ---- enrichment off: the same records, added columns empty --------------
run off 0 -- --in flows.jsonl --csv
same off off.out flows-off.csv
run off-jsonl 0 -- --no-enrich --in flows.jsonl
same off-jsonl off-jsonl.out flows-off.jsonl
check_jsonl off-jsonl.out
expect_eq "off: no warnings" "$(warnings off)" 0

# ---- JSON Lines keeps every input member, in order ----------------------
run keys 0 -- --enrich --no-ptr --in "$data/keys.jsonl"
same keys keys.out keys.jsonl
check_jsonl keys.out
python3 - "$data/keys.jsonl" keys.out <<'PY' || fail "keys: input members not kept in order"
import json, sys
enrichment = {p + k for p in ("src_", "dst_") for k in (
    "ptr", "asn", "as_org", "country_iso", "country_name", "region", "city", "latitude",
    "longitude")}
inputs = [json.loads(l, object_pairs_hook=list) for l in open(sys.argv[1], encoding="utf-8")]
outputs = [json.loads(l, object_pairs_hook=list) for l in open(sys.argv[2], encoding="utf-8")]
assert len(inputs) == len(outputs)
for i, o in zip(inputs, outputs):
    kept = [(k, v) for k, v in i if k not in enrichment]
    assert o[:len(kept)] == kept, (o, kept)
    assert [k for k, _ in o[len(kept):]] == sorted(enrichment, key=[k for k, _ in o].index)
PY
run keys-csv 0 -- --enrich --no-ptr --in "$data/keys.jsonl" --csv
same keys-csv keys-csv.out keys.csv
check_csv keys-csv.out

# ---- private and other special addresses: never looked up ----------------
run special 0 -- --enrich --no-ptr --in "$data/special.jsonl" --csv
same special special.out special.csv
check_csv special.out
expect_eq "special: enriched cells" \
    "$(head -n -1 special.out | tail -n +2 | tr -d '\r' | cut -d, -f9-26 | sort -u)" \
    ",,,,,,,,,,,,,,,,,"

# ---- byte-order mark, CRLF, blank lines, no final newline ----------------
{
    printf '\xef\xbb\xbf'
    sed -n 1p flows.jsonl | tr -d '\n'
    printf '\r\n\r\n  \t \r\n\n'
    sed -n 2p flows.jsonl | tr -d '\n'
    printf '\r\n\n{"src_ip": "1.1.1.1"}\r\n'
    sed -n 2p flows.jsonl | tr -d '\n'
} >crlf.jsonl
run crlf 1 -- --enrich --no-ptr --in crlf.jsonl --csv
expect_eq "crlf records" "$(cat crlf.out)" "$(cat flows.csv; sed -n 3p flows.csv)"
expect_eq "crlf stderr" "$(head -n 1 crlf.err)" "camtrace: crlf.jsonl:7: no dst_ip"
summary crlf 4 3 1
# A BOM is accepted at the start of the input only.
printf '{"src_ip":"1.1.1.1","dst_ip":"8.8.8.8"}\n\xef\xbb\xbf{"src_ip":"1.1.1.1","dst_ip":"8.8.8.8"}\n' \
    >bom2.jsonl
run bom2 1 -- --no-ptr --in bom2.jsonl
expect_eq "bom2 stderr" "$(head -n 1 bom2.err)" \
    "camtrace: bom2.jsonl:2: invalid JSON at byte 1: expected '{', found byte 0xEF"

# ---- bad lines: each reported with its line number, the rest written ------
good='{"src_ip":"8.8.8.8","dst_ip":"1.1.1.1"'
{
    echo "$good,\"n\":1}"
    echo 'not json'
    echo '[1,2]'
    echo "$good,}"
    echo "$good,\"a\":1,\"a\":2}"
    printf '%s,"x":"a\0b"}\n' "$good"
    printf '%s,"d":%s%s}\n' "$good" "$(printf '[%.0s' $(seq 64))" "$(printf ']%.0s' $(seq 64))"
    printf '%s,"d":%s%s}\n' "$good" "$(printf '[%.0s' $(seq 63))" "$(printf ']%.0s' $(seq 63))"
    echo '{"dst_ip":"1.1.1.1"}'
    echo '{"src_ip":8,"dst_ip":"1.1.1.1"}'
    echo '{"src_ip":"8.8.8.8","dst_ip":"1.1.1.999"}'
    printf '%s,"x":"\xff"}\n' "$good"
    echo "$good,\"\\u0001\":1}"
    printf '%s,"x":"' "$good"
    head -c 1048576 /dev/zero | tr '\0' a
    echo '"}'
    echo '{"src_ip":"8.8.8.8 ","dst_ip":"1.1.1.1"}'
    echo '{"src_ip":"9.9.9.9","dst_ip":"1.1.1.1"}'
    echo '{"src_ip":"8.8.8.8","dst_ip":null}'
    echo '{"src_ip":"fe80::1%eth0","dst_ip":"1.1.1.1"}'
    echo '{"src_ip":"\u0038.8.8.8","dst_ip":"1.1.1.1"}'
    echo '{"src_ip":"8.8.8.8\u0000","dst_ip":"1.1.1.1"}'
    echo '{"src_ip":["8.8.8.8"],"dst_ip":"1.1.1.1"}'
    echo "$good,\"t\":\"\\ud800\"}"
    echo "$good,\"n\":01}"
    echo "$good,\"s\":\"tab	inside\"}"
    echo "$good} trailing"
    printf '%s}' "$good"
} >bad.jsonl
run bad 1 -- --enrich --no-ptr --in bad.jsonl
# The fixture databases' day is the day the tests run.
sed "s/; $DATABASES\$/; databases: (the fixtures)/" bad.err >bad.stderr-fixed
same bad bad.stderr-fixed bad.stderr
same bad bad.out bad.jsonl
check_jsonl bad.out
summary bad 26 5 21
# The same through standard input names "<stdin>", and CSV keeps the rest.
run bad-stdin 1 -- --enrich --no-ptr --csv <bad.jsonl
expect_eq "bad-stdin stderr" "$(head -n 1 bad-stdin.err)" \
    "camtrace: <stdin>:2: invalid JSON at byte 1: expected '{', found 'n'"
check_csv bad-stdin.out
expect_eq "bad-stdin records" "$(($(wc -l <bad-stdin.out) - 1))" 5
summary bad-stdin 26 5 21
# Dotted quads: only one to three digits per part, no leading zero, up to 255.
for a in 01.2.3.4 1.02.3.4 1.2.3.00 1.2.3.1234 1.2.3 1..2.3 256.1.1.1 1.2.3.4. 0.0.0.0 \
    255.255.255.255 10.0.0.1; do
    echo "{\"src_ip\":\"$a\",\"dst_ip\":\"1.1.1.1\"}"
done >quads.jsonl
run quads 1 -- --no-ptr --in quads.jsonl
expect_eq "quads refused" "$(sed -n 's/.*src_ip "\(.*\)" is not an IP address$/\1/p' quads.err | tr '\n' ' ')" \
    "01.2.3.4 1.02.3.4 1.2.3.00 1.2.3.1234 1.2.3 1..2.3 256.1.1.1 1.2.3.4. "
summary quads 11 3 8

# ---- input and output that cannot be used --------------------------------
run missing-in 2 -- --no-ptr --in "$work/nonexistent.jsonl" --out never.csv
expect_eq "missing-in" "$(cat missing-in.err)" \
    "camtrace: cannot read $work/nonexistent.jsonl: No such file or directory"
[ ! -e never.csv ] || fail "missing-in: output created"
run dir-in 2 -- --no-ptr --in "$work"
expect_eq "dir-in" "$(cat dir-in.err)" "camtrace: cannot read $work: Is a directory"
run bad-out 2 -- --no-ptr --in flows.jsonl --out "$work/no/such/dir.csv"
expect_eq "bad-out" "$(cat bad-out.err)" \
    "camtrace: cannot write $work/no/such/dir.csv: No such file or directory"
cp flows.jsonl inout.jsonl
run same-file 2 -- --no-ptr --in inout.jsonl --out ./inout.jsonl
expect_eq "same-file" "$(cat same-file.err)" \
    "camtrace: cannot write ./inout.jsonl: it is the input file"
cmp -s inout.jsonl flows.jsonl || fail "same-file: the input was touched"
# A full disk (Linux's /dev/full), for each writer: JSON Lines, and ECS
# from the writer thread.
for out in jsonl ecs; do
    opts=(--no-ptr)
    [ "$out" = jsonl ] || opts+=(--ecs)
    run "full-$out" 2 -- "${opts[@]}" --in flows.jsonl --out /dev/full
    grep -q "^camtrace: /dev/full: cannot write the output: No space left on device$" "full-$out.err" ||
        fail "full-$out: $(cat "full-$out.err")"
done

# ---- usage ------------------------------------------------------------------
version=$(sed -n 's/^project(CamTrace VERSION \([0-9.]*\).*/\1/p' "$CT_SOURCE_DIR/CMakeLists.txt")
run version 0 -- --version
expect_eq "version" "$(cat version.out)" "camtrace $version
$DATABASES"
run version-none 0 MAXMIND_ASN_DB= MAXMIND_CITY_DB= -- --version
expect_eq "version without databases" "$(cat version-none.out)" "camtrace $version
databases: ASN none, City none"
run help 0 -- --help
for word in --enrich --no-enrich --in --out --csv --no-ptr --ptr-timeout --help --version \
    "1 MiB" "64 levels" MAXMIND_ASN_DB MAXMIND_CITY_DB DNS_RESOLVER ENRICH_IPS "Exit status"; do
    grep -q -- "$word" help.out || fail "--help does not mention $word"
done
expect_eq "help stderr" "$(cat help.err)" ""
run unknown 2 -- --frobnicate
expect_eq "unknown" "$(head -n 1 unknown.err)" "camtrace: unknown option '--frobnicate'"
run no-arg 2 -- --in
expect_eq "no-arg" "$(head -n 1 no-arg.err)" "camtrace: option '--in' needs an argument"
run extra 2 -- flows.jsonl
expect_eq "extra" "$(head -n 1 extra.err)" "camtrace: unexpected argument 'flows.jsonl'"
run timeout 2 -- --ptr-timeout soon
run empty-in 2 -- --in ''

# ---- databases: one clear warning each, the rest keeps working -------------
run no-asn 0 MAXMIND_ASN_DB="$work/missing.mmdb" -- --enrich --no-ptr --in flows.jsonl --csv
expect_eq "no-asn warnings" "$(warnings no-asn)" 1
expect_eq "no-asn warning" "$(head -n 1 no-asn.err)" \
    "camtrace: warning: ASN database from environment unusable: $work/missing.mmdb: No such file or directory; the AS columns stay empty"
expect_eq "no-asn cells" "$(sed -n 2p no-asn.out | tr -d '\r' | cut -d, -f18-26)" \
    ",,,US,United States,California,Mountain View,37.386,-122.0838"
echo "not a database" >corrupt.mmdb
run corrupt 0 MAXMIND_CITY_DB="$work/corrupt.mmdb" -- --enrich --no-ptr --in flows.jsonl --csv
expect_eq "corrupt warnings" "$(warnings corrupt)" 1
grep -q "^camtrace: warning: City database from environment unusable: $work/corrupt.mmdb: not a valid MaxMind DB file" \
    corrupt.err || fail "corrupt: $(cat corrupt.err)"
expect_eq "corrupt cells" "$(sed -n 2p corrupt.out | tr -d '\r' | cut -d, -f18-26)" \
    ",15169,GOOGLE,,,,,,"
run wrong-kind 0 MAXMIND_ASN_DB="$CITY" -- --enrich --no-ptr --in flows.jsonl
expect_eq "wrong-kind warnings" "$(warnings wrong-kind)" 1
grep -q "is not an ASN database; the AS columns stay empty$" wrong-kind.err ||
    fail "wrong-kind: $(cat wrong-kind.err)"

# An old database: one warning with its date and the remedy, and it is used.
run stale 0 MAXMIND_CITY_DB="$CT_TEST_DB_DIR/city-stale.mmdb" -- --enrich --no-ptr --in flows.jsonl --csv
expect_eq "stale warnings" "$(warnings stale)" 1
grep -q "^camtrace: warning: City database $CT_TEST_DB_DIR/city-stale.mmdb (GeoLite2-City built 2025-01-15) is [0-9]* days old: .*geoipupdate" \
    stale.err || fail "stale: $(cat stale.err)"
expect_eq "stale cells" "$(sed -n 2p stale.out | tr -d '\r' | cut -d, -f21-22)" "US,United States"
expect_eq "fresh warnings" "$(warnings example-csv)" 0

# Every other kind of bad file: one warning naming it, the records written.
: >empty.mmdb
head -c 3000 "$CITY" >truncated.mmdb
awk 'BEGIN { srand(42); for (i = 0; i < 8192; i++) printf "%c", int(rand() * 256) }' >random.mmdb
mkdir -p dir.mmdb
for bad in empty truncated random dir; do
    run "bad-$bad" 0 MAXMIND_CITY_DB="$work/$bad.mmdb" -- --enrich --no-ptr --in flows.jsonl --csv
    expect_eq "bad-$bad warnings" "$(warnings "bad-$bad")" 1
    grep -q "^camtrace: warning: City database from environment unusable: $work/$bad.mmdb: " \
        "bad-$bad.err" || fail "bad-$bad: $(cat "bad-$bad.err")"
    summary "bad-$bad" 2 2 0
done

# ---- settings: .env, ENRICH_IPS, the user data folder ----------------------
printf 'ENRICH_IPS=yes\nMAXMIND_ASN_DB=%s\n' "$ASN" >.env
run dotenv 0 MAXMIND_ASN_DB= -- --no-ptr --in flows.jsonl --csv
same dotenv dotenv.out flows.csv
run no-enrich 0 -- --no-enrich --no-ptr --in flows.jsonl --csv
same no-enrich no-enrich.out flows-off.csv
rm .env
run enrich-env 0 ENRICH_IPS=on -- --no-ptr --in flows.jsonl --csv
same enrich-env enrich-env.out flows.csv
run enrich-flag 0 ENRICH_IPS=0 -- --enrich --no-ptr --in flows.jsonl --csv
same enrich-flag enrich-flag.out flows.csv
run enrich-bad 0 ENRICH_IPS=maybe -- --no-ptr --in flows.jsonl --csv
same enrich-bad enrich-bad.out flows-off.csv
expect_eq "enrich-bad warning" "$(head -n 1 enrich-bad.err)" \
    "camtrace: warning: ENRICH_IPS=\"maybe\" is not a boolean (use 1/0, true/false); enrichment stays off"
mkdir -p data xdg/camtrace
cp "$ASN" data/dbip-asn-lite.mmdb
run data-path 0 MAXMIND_ASN_DB= -- --enrich --no-ptr --in flows.jsonl --csv
same data-path data-path.out flows.csv
rm data/dbip-asn-lite.mmdb
# Without CAMTRACE_DATA_PATH the user's data folder comes first.
cp "$ASN" xdg/camtrace/GeoLite2-ASN.mmdb
run xdg 0 MAXMIND_ASN_DB= CAMTRACE_DATA_PATH= -- --enrich --no-ptr --in flows.jsonl --csv
same xdg xdg.out flows.csv
rm -r xdg/camtrace

# ---- reverse DNS against our server ------------------------------------------
dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone" --log "$work/queries.log"
run ptr 0 DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --in "$data/ptr.jsonl" --csv
same ptr ptr.out ptr.csv
check_csv ptr.out
run ptr-jsonl 0 DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --in "$data/ptr.jsonl"
same ptr-jsonl ptr-jsonl.out ptr.jsonl
check_jsonl ptr-jsonl.out
expect_eq "ptr warnings" "$(warnings ptr)$(warnings ptr-jsonl)" 00
# Where the questions go is said once, with the switch that stops them.
expect_eq "ptr notice" "$(grep -c 'reverse DNS' ptr.err)" 1
grep -qxF "camtrace: reverse DNS: asking 127.0.0.1:$dns_port (DNS_RESOLVER) for the names of the records' addresses; --no-ptr turns it off" \
    ptr.err || fail "ptr notice: $(cat ptr.err)"
# Special addresses are never asked about; each global address once per run.
run ptr-special 0 DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --in "$data/special.jsonl" --csv
same ptr-special ptr-special.out special-ptr.csv
dnsd_stop
# Exactly the global addresses, each once per run (NAT64 and IPv4-mapped
# ones as their IPv4 address); none of the special ones.
expect_eq "questions" "$(sort queries.log | uniq -c | sed 's/^ *//')" "$(cat "$data/ptr.questions")"

# ---- a dead resolver: one warning, every record written ---------------------
awk '{printf "{\"src_ip\":\"192.168.1.10\",\"dst_ip\":\"23.%d.%d.%d\"}\n", NR % 200, NR % 7, NR % 250 + 1}' \
    <(seq 3000) >many.jsonl
run dead-closed 0 -- --enrich --csv --in many.jsonl --ptr-timeout 300
expect_eq "dead-closed warnings" "$(warnings dead-closed)" 1
grep -q "^camtrace: warning: reverse DNS: 127.0.0.1:$closed_port did not answer 5 questions in a row" \
    dead-closed.err || fail "dead-closed: $(cat dead-closed.err)"
summary dead-closed 3000 3000 0
check_csv dead-closed.out
echo '* !silent' >silent.zone
dnsd_start silent.zone
run dead-silent 0 DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --in many.jsonl --ptr-timeout 200
dnsd_stop
expect_eq "dead-silent warnings" "$(warnings dead-silent)" 1
summary dead-silent 3000 3000 0
check_jsonl dead-silent.out
expect_eq "dead-silent names" "$(grep -c '"dst_ptr":null' dead-silent.out)" 3000

# ---- ECS documents ------------------------------------------------------------
# check_ecs FILE [--bulk]: the fields and types of ECS (the fixture from the
# ECS reference), camtrace.* the only other top-level key, every field
# mapped by the index template.
check_ecs() {
    python3 "$CT_SOURCE_DIR/tests/tools/check-ecs.py" "$CT_SOURCE_DIR/tests/fixtures/ecs-fields.json" \
        --template "$CT_SOURCE_DIR/data/camtrace-ecs-template.json" "$@" >/dev/null ||
        fail "$1 is not ECS as the fixture and the template define it"
}

# ecs_like_csv ECS CSV: document by document, the values of the CSV's
# columns under their ECS names.
ecs_like_csv() {
    python3 - "$1" "$2" <<'PY' || fail "$1 does not hold the values of $2"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == len(docs) > 0, (len(rows), len(docs))
def get(d, path):
    for p in path.split("."):
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d
for row, doc in zip(rows, docs):
    for col, path, kind in (
            ("bytes", "network.bytes", int), ("pkts", "network.packets", int),
            ("src_ip", "source.ip", str), ("dst_ip", "destination.ip", str),
            ("src_port", "source.port", int), ("dst_port", "destination.port", int),
            ("src_ptr", "camtrace.source.ptr", str), ("dst_ptr", "camtrace.destination.ptr", str),
            ("src_ptr", "source.domain", str), ("dst_ptr", "destination.domain", str),
            ("src_asn", "source.as.number", int), ("dst_asn", "destination.as.number", int),
            ("dst_as_org", "destination.as.organization.name", str),
            ("dst_country_iso", "destination.geo.country_iso_code", str),
            ("dst_country_name", "destination.geo.country_name", str),
            ("dst_region", "destination.geo.region_name", str),
            ("dst_city", "destination.geo.city_name", str),
            ("src_latitude", "source.geo.location.lat", float),
            ("dst_longitude", "destination.geo.location.lon", float)):
        cell, value = row[col], get(doc, path)
        # CSV keeps a cell that starts like a formula as text (ct_out.h).
        if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
            cell = cell[1:]
        want = None if cell == "" else kind(cell)
        assert value == want, (col, cell, path, value)
    assert doc["network"]["transport"] == row["proto"], (row["proto"], doc["network"])
    # The seed's times are whole seconds in UTC.
    assert doc["@timestamp"] == row["ts"].replace("Z", ".000000Z"), (row["ts"], doc["@timestamp"])
PY
}

run ecs 0 -- --enrich --no-ptr --ecs --in flows.jsonl
same ecs ecs.out flows.ecs
check_ecs ecs.out
summary ecs 2 2 0
ecs_like_csv ecs.out flows.csv
run bulk 0 -- --enrich --no-ptr --bulk camtrace-flows --in flows.jsonl
check_ecs bulk.out --bulk
python3 - bulk.out ecs.out <<'PY' || fail "bulk: not action, document, ... with ecs's documents"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
docs = open(sys.argv[2]).read().splitlines()
assert len(lines) == 2 * len(docs)
assert all(json.loads(a) == {"create": {"_index": "camtrace-flows"}} for a in lines[0::2])
assert lines[1::2] == docs
PY
# With reverse DNS: names as domains, registered domains, name_source ptr.
dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
run ecs-ptr 0 DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --ecs --in "$data/ptr.jsonl"
dnsd_stop
same ecs-ptr ecs-ptr.out ptr.ecs
check_ecs ecs-ptr.out
ecs_like_csv ecs-ptr.out "$expected/ptr.csv"
grep -q '"port":53,"domain":"dns.google","registered_domain":"dns.google"}' \
    ecs-ptr.out || fail "ecs-ptr: no domain for 8.8.8.8"
grep -q '"camtrace":{"source":{"scope":"private"},"destination":{"scope":"global","registered_country_iso":"US","ptr":"dns.google","name_source":"ptr"}' \
    ecs-ptr.out || fail "ecs-ptr: no camtrace.destination.ptr for 8.8.8.8"
# Enrichment off: addresses, scopes and the record's values only.
run ecs-off 0 -- --no-enrich --ecs --in "$data/special.jsonl"
check_ecs ecs-off.out
grep -q '"as":\|"geo":\|"domain":' ecs-off.out && fail "ecs-off: lookups without enrichment"
expect_eq "ecs-off scopes" "$(grep -o '"scope":' ecs-off.out | wc -l)" "$((2 * $(grep -c . "$data/special.jsonl")))"

# Values that ECS types cannot hold refuse the line, naming the member;
# the same lines pass through JSON Lines unchanged.
cat >ecs-bad.jsonl <<'EOF'
{"ts":"2024-05-01T12:00:00.123456789+02:00","proto":"TCP","src_ip":"10.0.0.1","src_port":1,"dst_ip":"10.0.0.2","dst_port":2,"bytes":3,"pkts":1,"end_ts":1714557601.5,"community_id":"1:x"}
{"ts":"yesterday","src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"ts":"2024-02-30T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"ts":1714557600,"src_port":65536,"src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"bytes":1.5,"src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"pkts":-1,"src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"proto":"tcp/ip","src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"proto":256,"src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"community_id":17,"src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
{"ts":null,"proto":"gre","src_port":null,"src_ip":"10.0.0.1","dst_ip":"10.0.0.2","bytes":18446744073709551615}
{"proto":"xnet","ts":"2024-05-01 12:00:00","src_ip":"10.0.0.1","dst_ip":"10.0.0.2"}
EOF
run ecs-bad 1 -- --no-enrich --ecs --in ecs-bad.jsonl
summary ecs-bad 11 3 8
check_ecs ecs-bad.out
expect_eq "ecs-bad reasons" "$(grep -v ' read, ' ecs-bad.err)" \
'camtrace: ecs-bad.jsonl:2: ts "yesterday" is not a time (ISO 8601, or seconds since 1970)
camtrace: ecs-bad.jsonl:3: ts "2024-02-30T00:00:00Z" is not a time (ISO 8601, or seconds since 1970)
camtrace: ecs-bad.jsonl:4: src_port 65536 is not a port number (0 to 65535)
camtrace: ecs-bad.jsonl:5: bytes 1.5 is not a whole number
camtrace: ecs-bad.jsonl:6: pkts -1 is not a whole number
camtrace: ecs-bad.jsonl:7: proto "tcp/ip" is not a protocol (a name, or a number from 0 to 255)
camtrace: ecs-bad.jsonl:8: proto 256 is not a protocol (a name, or a number from 0 to 255)
camtrace: ecs-bad.jsonl:9: community_id 17 is not a string'
python3 - ecs-bad.out <<'PY' || fail "ecs-bad: the good lines' values"
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
assert d[0]["@timestamp"] == "2024-05-01T10:00:00.123456Z", d[0]
assert d[0]["event"]["end"] == "2024-05-01T10:00:01.500000Z" and d[0]["event"]["duration"] == 1376544000
assert d[0]["network"]["transport"] == "tcp" and d[0]["network"]["community_id"] == "1:x"
assert "@timestamp" not in d[1] and "port" not in d[1]["source"], d[1]
assert d[1]["network"] == {"transport": "gre", "iana_number": "47", "bytes": 18446744073709551615, "type": "ipv4"}
# A time without a zone is UTC; a name without a number is kept.
assert d[2]["@timestamp"] == "2024-05-01T12:00:00.000000Z" and d[2]["network"]["transport"] == "xnet"
assert "iana_number" not in d[2]["network"]
PY
run ecs-bad-jsonl 0 -- --no-enrich --in ecs-bad.jsonl
summary ecs-bad-jsonl 11 11 0

# Many records: ECS documents are written by a thread of their own, in
# blocks of 1,024 records of which four go round (camtrace.c); 10,000
# records, one in 997 bad, make them go round twice and more.  The
# documents come in input order with the values of the CSV (written
# record by record as they are read), and the bad lines are named in
# order, as for CSV.
python3 - >many.jsonl <<'PY'
addrs = ["8.8.8.8", "1.1.1.1", "52.94.236.248", "192.168.1.20", "2a00:1450:4001:82a::200e",
         "35.157.100.20", "142.250.185.78", "10.1.2.3", "2606:4700:4700::1111"]
for i in range(10000):
    if i % 997 == 500:
        print('{"src_ip": "host-%d", "dst_ip": "8.8.8.8"}' % i)
        continue
    print('{"ts": "2024-05-01T%02d:%02d:%02dZ", "proto": "%s", "src_ip": "%s", "src_port": %d, '
          '"dst_ip": "%s", "dst_port": 443, "bytes": %d, "pkts": %d}'
          % (i // 3600, i // 60 % 60, i % 60, ("tcp", "udp")[i % 2], addrs[i % 9], 1024 + i,
             addrs[i * 7 % 9], 40 * i + 1, i + 1))
PY
run many-ecs 1 -- --enrich --no-ptr --ecs --in many.jsonl
run many-csv 1 -- --enrich --no-ptr --csv --in many.jsonl
summary many-ecs 10000 9990 10
summary many-csv 10000 9990 10
check_ecs many-ecs.out
ecs_like_csv many-ecs.out many-csv.out
expect_eq "many: the bad lines, as for CSV" "$(grep -v ' read, ' many-ecs.err)" "$(grep -v ' read, ' many-csv.err)"
expect_eq "many: the bad lines" "$(grep -o '^camtrace: many.jsonl:[0-9]*:' many-ecs.err | tr '\n' ' ')" \
    "$(for i in $(seq 500 997 9999); do printf 'camtrace: many.jsonl:%d: ' $((i + 1)); done)"

# Options: --ecs and --bulk exclude --csv; a bad index name is a usage error.
run ecs-csv 2 -- --ecs --csv --in flows.jsonl
grep -q "^camtrace: --csv and --ecs exclude each other$" ecs-csv.err || fail "ecs-csv: $(cat ecs-csv.err)"
run bulk-csv 2 -- --csv --bulk x --in flows.jsonl
grep -q "^camtrace: --csv and --bulk exclude each other$" bulk-csv.err || fail "bulk-csv: $(cat bulk-csv.err)"
for index in Flows _x "a b" "" "a,b"; do
    run bulk-bad 2 -- --bulk "$index" --in flows.jsonl
    grep -q "^camtrace: --bulk: index name .* is not valid: " bulk-bad.err ||
        fail "bulk-bad '$index': $(cat bulk-bad.err)"
    [ ! -s bulk-bad.out ] || fail "bulk-bad '$index' wrote documents"
done

# ---- a live flow log through a pipe -----------------------------------------
# live NAME FIRST REST [VAR=value ...] -- ARGS...: FIRST's lines into a
# pipe that camtrace reads, which stays open; the records must come out
# (as many lines as a run on FIRST alone writes) before REST follows and
# the pipe closes, not when a batch, a block or the output buffer is full.
# In the end the output is the run's on FIRST and REST together.
live() {
    local name=$1 first=$2 rest=$3 pid rc=0 want got i
    shift 3
    cat "$first" "$rest" >"$name.all.jsonl"
    run "$name-first" 0 "$@" --in "$first"
    run "$name-all" 0 "$@" --in "$name.all.jsonl"
    want=$(wc -l <"$name-first.out")
    rm -f "$name.fifo"
    mkfifo "$name.fifo"
    ct "$@" --in "$name.fifo" >"$name.out" 2>"$name.err" &
    pid=$!
    exec 7>"$name.fifo"
    cat "$first" >&7
    for ((i = 0; i < 400; i++)); do
        got=$(wc -l <"$name.out")
        [ "$got" -lt "$want" ] || break
        sleep 0.05
    done
    [ "$got" = "$want" ] || {
        exec 7>&-
        wait "$pid" || true
        fail "$name: $got lines out after 20 s of an open pipe, $want expected"
    }
    cat "$rest" >&7
    exec 7>&-
    wait "$pid" || rc=$?
    [ "$rc" = 0 ] || fail "$name: exit status $rc: $(cat "$name.err")"
    cmp -s "$name.out" "$name-all.out" || fail "$name: the output differs from a run on the whole file"
}
head -n 3 many.jsonl >live-first.jsonl
sed -n '4,400p' many.jsonl >live-rest.jsonl
live live-ecs live-first.jsonl live-rest.jsonl -- --enrich --no-ptr --ecs
live live-bulk live-first.jsonl live-rest.jsonl -- --enrich --no-ptr --bulk camtrace-flows
live live-csv live-first.jsonl live-rest.jsonl -- --enrich --no-ptr --csv
live live-jsonl live-first.jsonl live-rest.jsonl -- --enrich --no-ptr
# With reverse DNS: the batch waiting for its names goes out too.
dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
head -n 3 "$data/ptr.jsonl" >live-ptr-first.jsonl
sed -n '4,$p' "$data/ptr.jsonl" >live-ptr-rest.jsonl
live live-ptr-ecs live-ptr-first.jsonl live-ptr-rest.jsonl DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --ecs
live live-ptr-csv live-ptr-first.jsonl live-ptr-rest.jsonl DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --csv
dnsd_stop

# ---- input formats: Suricata EVE, Zeek conn.log, ECS, mixed --------------------
# Each file of tests/cli/data (see its README.md) in every output; lines
# of a known format without their addresses, or with a member not of its
# kind, are counted and reported.
for f in eve zeek ecs mixed; do
    run "$f-ecs" 1 -- --enrich --no-ptr --ecs --in "$data/$f.jsonl"
    same "$f-ecs" "$f-ecs.out" "$f.ecs"
    check_ecs "$f-ecs.out"
    grep -v ' read, ' "$f-ecs.err" | sed "s|$data/||" >"$f-ecs.reasons"
    same "$f-ecs reasons" "$f-ecs.reasons" "$f.reasons"
    run "$f-csv" 1 -- --enrich --no-ptr --csv --in "$data/$f.jsonl"
    same "$f-csv" "$f-csv.out" "$f.csv"
    check_csv "$f-csv.out"
    run "$f-jsonl" 1 -- --enrich --no-ptr --in "$data/$f.jsonl"
    same "$f-jsonl" "$f-jsonl.out" "$f.jsonl"
    check_jsonl "$f-jsonl.out"
    # The same lines rejected whatever the output.
    expect_eq "$f reasons in every output" "$(grep -v ' read, ' "$f-csv.err" | sed "s|$data/||")" \
        "$(cat "$f-ecs.reasons")"
    expect_eq "$f reasons in every output" "$(grep -v ' read, ' "$f-jsonl.err" | sed "s|$data/||")" \
        "$(cat "$f-ecs.reasons")"
done
summary eve-ecs 8 4 4
summary zeek-ecs 7 4 3
summary ecs-ecs 6 3 3
summary mixed-ecs 8 4 4
# What each format's fields become.
python3 - eve-ecs.out zeek-ecs.out ecs-ecs.out eve-csv.out <<'PY' || fail "input formats: values"
import csv, json, sys
eve, zeek, ecs = ([json.loads(l) for l in open(p)] for p in sys.argv[1:4])
rows = list(csv.DictReader(open(sys.argv[4], newline="")))
# EVE flow: toserver is the source's, the flow's start is @timestamp (UTC).
d = eve[0]
assert d["@timestamp"] == "2019-05-28T21:32:29.025256Z", d
assert d["event"]["end"] == "2019-05-28T21:35:28.071281Z" and d["event"]["duration"] == 179046025000
assert d["source"]["bytes"] == 4884 and d["source"]["packets"] == 23, d["source"]
assert d["destination"]["bytes"] == 7392 and d["destination"]["packets"] == 21
assert d["network"]["bytes"] == 12276 and d["network"]["packets"] == 44
assert d["network"]["transport"] == "tcp" and d["network"]["community_id"].startswith("1:")
assert d["destination"]["as"]["number"] == 16509, d["destination"]
# netflow: one way; ICMPv6 without ports; a timestamp without a zone is UTC.
assert eve[1]["network"]["bytes"] == 74 and eve[1]["source"]["packets"] == 1
assert "packets" not in eve[1]["destination"]
assert eve[2]["network"]["transport"] == "ipv6-icmp" and "port" not in eve[2]["source"]
assert eve[3]["@timestamp"] == "2009-11-24T21:27:09.534255Z" and "bytes" not in eve[3]["network"]
# Zeek: orig is the source, duration in nanoseconds, the end from it.
d = zeek[0]
assert d["@timestamp"] == "2020-06-05T14:39:59.305988Z", d
assert d["event"]["duration"] == 66851854 and d["event"]["end"] == "2020-06-05T14:39:59.372839Z"
assert d["source"] == {"ip": "192.168.4.76", "port": 36844, "bytes": 62, "packets": 2}, d["source"]
assert zeek[1]["network"]["community_id"] == "1:LQU9qZlK+B5F3KDmev6m5PMibrg="
assert zeek[2]["@timestamp"] == "2020-02-26T03:40:03.724911Z" and zeek[2]["network"]["type"] == "ipv6"
assert zeek[3]["network"]["transport"] == "icmp" and "port" not in zeek[3]["source"]
# ECS: nested and dotted keys read alike.
assert ecs[0]["source"]["bytes"] == 27780 and ecs[0]["event"]["duration"] == 7436730000
assert ecs[1]["source"]["port"] == 53000 and ecs[1]["network"]["bytes"] == 120
assert ecs[1]["event"]["duration"] == 20000000 and ecs[1]["destination"]["as"]["number"] == 15169
assert ecs[2]["network"]["transport"] == "udp" and ecs[2]["destination"]["bytes"] == 0
# CSV: the seed's columns from the format's fields.
assert [rows[0][k] for k in ("ts", "proto", "src_ip", "src_port", "dst_ip", "dst_port", "bytes", "pkts")] == \
    ["2019-05-28T21:32:29.025256Z", "tcp", "192.168.1.20", "51000", "52.94.236.248", "443", "12276", "44"], rows[0]
assert rows[0]["dst_asn"] == "16509" and rows[2]["proto"] == "icmpv6" and rows[2]["src_port"] == ""
PY
# Mixed: every line as it is alone.
: >mixed-alone.ecs
while IFS= read -r line; do
    printf '%s\n' "$line" | ct -- --enrich --no-ptr --ecs >>mixed-alone.ecs 2>/dev/null || true
done <"$data/mixed.jsonl"
cmp -s mixed-alone.ecs mixed-ecs.out || fail "mixed: a line is read otherwise next to others"

# A forced format reads every line as that format.
run forced-eve 1 -- --no-enrich --ecs --input-format eve --in "$data/zeek.jsonl"
summary forced-eve 7 0 7
expect_eq "forced-eve reason" "$(head -n 1 forced-eve.err | sed "s|$data/||")" \
    "camtrace: zeek.jsonl:1: no event_type"
run forced-zeek 1 -- --no-enrich --ecs --input-format zeek --in "$data/eve.jsonl"
expect_eq "forced-zeek reason" "$(head -n 1 forced-zeek.err | sed "s|$data/||")" \
    "camtrace: eve.jsonl:1: no id.orig_h"
run forced-seed 1 -- --no-enrich --input-format seed --in "$data/ecs.jsonl"
expect_eq "forced-seed reason" "$(head -n 1 forced-seed.err | sed "s|$data/||")" \
    "camtrace: ecs.jsonl:1: no src_ip"
run forced-ecs 1 -- --no-enrich --ecs --input-format ecs --in "$data/ecs.jsonl"
summary forced-ecs 6 3 3
run forced-auto 1 -- --no-enrich --ecs --input-format auto --in "$data/mixed.jsonl"
cmp -s forced-auto.out <(ct -- --no-enrich --ecs --in "$data/mixed.jsonl" 2>/dev/null) ||
    fail "--input-format auto is not the default"
run forced-bad 2 -- --input-format netflow --in "$data/eve.jsonl"
grep -q "^camtrace: --input-format: 'netflow' is not auto, seed, eve, zeek or ecs$" forced-bad.err ||
    fail "forced-bad: $(cat forced-bad.err)"
# Reverse DNS batches read each line again: the formats too.
dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
run mixed-ptr 1 DNS_RESOLVER="127.0.0.1:$dns_port" -- --enrich --ecs --in "$data/mixed.jsonl"
dnsd_stop
summary mixed-ptr 8 4 4
check_ecs mixed-ptr.out
grep -q '"ip":"1.1.1.1",.*"domain":"one.one.one.one"' mixed-ptr.out || fail "mixed-ptr: no PTR name"
# The seed's example is still the seed's, byte for byte, in every output.
run seed-auto 0 -- --enrich --no-ptr --csv --input-format auto --in flows.jsonl
same seed-auto seed-auto.out flows.csv

echo "PASS: camtrace"
