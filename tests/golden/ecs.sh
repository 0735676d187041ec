#!/bin/bash
# ecs.sh CASE - the flow export as ECS documents (-z camtrace,flows,ecs and
# bulk=INDEX) in the real tshark (see sandbox.sh): the same values as the
# CSV export, ECS's field names and types (tests/fixtures/ecs-fields.json),
# the _bulk form.
. "$(dirname "$0")/sandbox.sh"

SAMPLE=sample.pcap

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb"
}

# export FORMAT OUT: the sample's flows with every value CamTrace has (the
# databases, the home country, PTR names from ct-dnsd), the same run as
# CSV and ECS so that the two can be compared flow by flow.
export_sample() {
    ct_tshark CAMTRACE_HOME_COUNTRY=DE -- -q -r "$SAMPLE" $(with_dbs) -o camtrace.ptr:TRUE \
        -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" -z "camtrace,flows,$1" >"$2" \
        2>"$CT_SANDBOX/err-$1.txt"
    ct_expect_notice "$CT_SANDBOX/err-$1.txt" \
        "127.0.0.1:$CT_DNS_PORT (preference camtrace.dns_servers)"
}

# For every flow, the ECS document holds what the CSV row holds, under
# ECS's names; dates are ISO 8601 with a zone, geo.location a valid
# geo_point, nothing null.
case_ecs_flows() {
    local csv="$CT_SANDBOX/flows.csv" ecs="$CT_SANDBOX/flows.ecs"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    export_sample csv "$csv"
    export_sample ecs "$ecs"
    ct_dnsd_stop
    python3 - "$csv" "$ecs" <<'PY' || ct_fail "the ECS export differs from the CSV export"
import csv, datetime, decimal, ipaddress, json, re, sys

rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
docs = []
with open(sys.argv[2], "rb") as f:
    for raw in f:
        docs.append(json.loads(raw.decode("utf-8", errors="strict")))
assert len(rows) == len(docs) > 20, (len(rows), len(docs))

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$")
# The CSV's protocol label and ECS's IANA keyword differ for ICMPv6 only.
NUMBERS = {"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "icmpv6": 58, "sctp": 132}
counts = {"ptr": 0, "sni": 0, "located": 0, "foreign": 0, "anycast": 0, "mac": 0, "device": 0}

def get(doc, path):
    for part in path.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc

def no_null(value, where):
    assert value is not None, where
    if isinstance(value, dict):
        assert value, "empty object " + where
        for k, v in value.items():
            no_null(v, where + "." + k)
    elif isinstance(value, list):
        for v in value:
            no_null(v, where)

def date(text):
    assert isinstance(text, str) and DATE.match(text), text
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))

def text(cell):
    """A CSV text cell without the apostrophe that keeps a formula text (ct_out.h)."""
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell

def same(row, doc, column, path, kind=str):
    cell, value = text(row[column]), get(doc, path)
    if cell == "":
        assert value is None, (column, path, value)
        return
    if kind is int:
        assert type(value) is int and value == int(cell), (column, cell, path, value)
    elif kind is float:
        assert type(value) in (int, float) and value == float(cell), (column, cell, path, value)
    elif kind is bool:
        assert value is {"true": True, "false": False}[cell], (column, cell, path, value)
    else:
        assert type(value) is str and value == cell, (column, cell, path, value)

for n, (row, doc) in enumerate(zip(rows, docs), 1):
    try:
        no_null(doc, "")
        start = date(doc["@timestamp"])
        assert doc["event"]["start"] == doc["@timestamp"] == row["ts"]
        assert date(doc["event"]["end"]) >= start and doc["event"]["end"] == row["end_ts"]
        assert doc["event"]["duration"] == int(decimal.Decimal(row["duration_s"]) * 10**9)
        assert doc["event"]["kind"] == "event"
        assert doc["event"]["category"] == ["network"] and doc["event"]["type"] == ["connection"]
        assert doc["ecs"]["version"] == "8.17.0"
        proto = row["proto"]
        number = NUMBERS.get(proto, int(proto) if proto.isdigit() else None)
        assert number is not None, proto
        assert doc["network"]["iana_number"] == str(number)
        assert get(doc, "network.transport") == ("ipv6-icmp" if proto == "icmpv6" else proto)
        assert doc["network"]["type"] == "ipv%d" % ipaddress.ip_address(row["src_ip"]).version
        for column, path, kind in (
                ("bytes", "network.bytes", int), ("pkts", "network.packets", int),
                ("community_id", "network.community_id", str),
                ("foreign", "camtrace.foreign", bool)):
            same(row, doc, column, path, kind)
        for side, end in (("src", "source"), ("dst", "destination")):
            for column, path, kind in (
                    ("ip", "ip", str), ("port", "port", int), ("bytes", "bytes", int),
                    ("pkts", "packets", int), ("asn", "as.number", int),
                    ("as_org", "as.organization.name", str),
                    ("country_iso", "geo.country_iso_code", str),
                    ("country_name", "geo.country_name", str), ("region", "geo.region_name", str),
                    ("city", "geo.city_name", str), ("latitude", "geo.location.lat", float),
                    ("longitude", "geo.location.lon", float), ("name", "domain", str)):
                same(row, doc, side + "_" + column, end + "." + path, kind)
            for column, path, kind in (
                    ("ptr", "ptr", str), ("scope", "scope", str),
                    ("name_source", "name_source", str),
                    ("registered_country_iso", "registered_country_iso", str),
                    ("anycast", "anycast", bool)):
                same(row, doc, side + "_" + column, "camtrace." + end + "." + path, kind)
            location = get(doc, end + ".geo.location")
            if location is not None:
                assert set(location) == {"lat", "lon"}, location
                assert -90 <= location["lat"] <= 90 and -180 <= location["lon"] <= 180
                counts["located"] += 1
            name, domain = get(doc, end + ".domain"), get(doc, end + ".registered_domain")
            if domain is not None:
                assert name == domain or name.endswith("." + domain), (name, domain)
            mac = get(doc, end + ".mac")
            if mac is not None:
                assert re.match(r"^[0-9A-F]{2}(-[0-9A-F]{2}){5}$", mac), mac
                counts["mac"] += 1
            counts["ptr"] += row[side + "_ptr"] != ""
            counts["sni"] += row[side + "_name_source"] == "sni"
            counts["anycast"] += row[side + "_anycast"] == "true"
        counts["foreign"] += row["foreign"] == "true"
        ips = [row["src_ip"]] + ([row["dst_ip"]] if row["dst_ip"] != row["src_ip"] else [])
        assert doc["related"]["ip"] == ips, doc["related"]
        names = [text(v) for v in (row["src_name"], row["dst_name"]) if v]
        assert get(doc, "related.hosts") == (list(dict.fromkeys(names)) or None), doc["related"]
        device = get(doc, "camtrace.device")
        if device is not None:
            assert device["ip"] in (row["src_ip"], row["dst_ip"]), device
            counts["device"] += 1
    except (AssertionError, KeyError, ValueError) as e:
        print("flow %d: %r\n  csv: %s\n  ecs: %s" % (n, e, row, json.dumps(doc)), file=sys.stderr)
        sys.exit(1)
# The sample exercises every kind of value.
assert all(counts.values()), counts
print("ok", len(docs), counts)
PY
}

# The _bulk form: an action line before each document, the documents as
# the ecs format writes them; a filter still applies; bad names refused.
case_ecs_bulk() {
    local ecs="$CT_SANDBOX/flows.ecs" bulk="$CT_SANDBOX/flows.bulk" out
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows,ecs >"$ecs"
    ct_tshark -- -q -r "$SAMPLE" $(with_dbs) -z camtrace,flows,bulk=logs-camtrace.flows-default \
        >"$bulk" 2>"$CT_SANDBOX/err.txt"
    ct_expect_quiet "$CT_SANDBOX/err.txt"
    python3 - "$ecs" "$bulk" <<'PY' || ct_fail "the _bulk form is not action, document, ..."
import json, sys
docs = open(sys.argv[1], encoding="utf-8").read().splitlines()
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
assert len(docs) > 20 and len(lines) == 2 * len(docs), (len(docs), len(lines))
for i in range(0, len(lines), 2):
    assert json.loads(lines[i]) == {"create": {"_index": "logs-camtrace.flows-default"}}, lines[i]
    assert lines[i + 1] == docs[i // 2], i
PY
    # The whole body ends with a line feed, as _bulk requires.
    [ "$(tail -c 1 "$bulk" | od -An -c | tr -d ' ')" = '\n' ] || ct_fail "no final line feed"

    out=$(ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,bulk=camtrace,udp.port == 53' |
        python3 -c 'import json, sys
lines = sys.stdin.read().splitlines()
ports = {json.loads(d)["destination"]["port"] for d in lines[1::2]}
actions = {d for d in lines[0::2]}
print(len(lines) // 2, sorted(ports), sorted(actions))')
    expect_eq "bulk with a filter" "$out" \
        "6 [53] ['{\"create\":{\"_index\":\"camtrace\"}}']"
    out=$(ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,ecs,tcp.port == 443' |
        python3 -c 'import json, sys
docs = [json.loads(d) for d in sys.stdin]
print(len(docs) > 0, {d["network"]["transport"] for d in docs}, {d["destination"]["port"] for d in docs})')
    expect_eq "ecs with a filter" "$out" "True {'tcp'} {443}"

    for arg in 'camtrace,flows,bulk=Flows' 'camtrace,flows,bulk=_x' 'camtrace,flows,bulk=a b'; do
        if ct_tshark -- -q -r "$SAMPLE" -z "$arg" >"$CT_SANDBOX/out.txt" 2>"$CT_SANDBOX/err.txt"; then
            ct_fail "-z $arg was accepted"
        fi
        grep -q "^tshark: invalid \"-z $arg\": index name .* is not valid" "$CT_SANDBOX/err.txt" ||
            ct_fail "no clear message for -z $arg: $(cat "$CT_SANDBOX/err.txt")"
        [ ! -s "$CT_SANDBOX/out.txt" ] || ct_fail "-z $arg wrote documents"
    done
    if ct_tshark -- -q -r "$SAMPLE" -z 'camtrace,flows,bulk=' >/dev/null 2>"$CT_SANDBOX/err.txt"; then
        ct_fail "an empty index name was accepted"
    fi
    grep -q 'use -z camtrace,flows\[,csv|,jsonl|,ecs|,bulk=INDEX\]\[,FILTER\]' \
        "$CT_SANDBOX/err.txt" || ct_fail "no usage for bulk=: $(cat "$CT_SANDBOX/err.txt")"
}

# Every field the export writes is an ECS field (tests/fixtures/ecs-fields.json,
# from the ECS reference) with ECS's type, or under camtrace; the sample
# uses every field of the fixture; the index template maps them all,
# camtrace.* included.
case_ecs_fields() {
    local ecs="$CT_SANDBOX/flows.ecs" bulk="$CT_SANDBOX/flows.bulk"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    export_sample ecs "$ecs"
    export_sample bulk=camtrace-flows "$bulk"
    ct_dnsd_stop
    python3 "$CT_SOURCE_DIR/tests/tools/check-ecs.py" "$CT_SOURCE_DIR/tests/fixtures/ecs-fields.json" \
        --all-used --template "$CT_SOURCE_DIR/data/camtrace-ecs-template.json" "$ecs" ||
        ct_fail "the ECS export has fields or types that are not ECS's or not in the template"
    python3 "$CT_SOURCE_DIR/tests/tools/check-ecs.py" "$CT_SOURCE_DIR/tests/fixtures/ecs-fields.json" \
        --bulk "$bulk" || ct_fail "the _bulk export has fields or types that are not ECS's"
    # The checker itself finds what it is there to find.
    printf '%s\n' '{"ecs":{"version":"8.17.0"},"source":{"ip":"10.0.0.1","port":"80"}}' >"$CT_SANDBOX/bad1"
    printf '%s\n' '{"ecs":{"version":"8.17.0"},"flow":{"id":1}}' >"$CT_SANDBOX/bad2"
    printf '%s\n' '{"@timestamp":"2026-01-15T10:00:00","ecs":{"version":"8.17.0"}}' >"$CT_SANDBOX/bad3"
    printf '%s\n' '{"event":{"category":"network"}}' >"$CT_SANDBOX/bad4"
    printf '%s\n' '{"source":{"ip":"10.0.0.1","geo":{"location":{"lat":91,"lon":0}}}}' >"$CT_SANDBOX/bad5"
    printf '%s\n' '{"source":{"ip":"10.0.0.1","nat":{"ip":"10.0.0.2"}}}' >"$CT_SANDBOX/bad6"
    printf '%s\n' '{"source":{"ip":null}}' >"$CT_SANDBOX/bad7"
    for bad in 1 2 3 4 5 6 7; do
        if python3 "$CT_SOURCE_DIR/tests/tools/check-ecs.py" \
            "$CT_SOURCE_DIR/tests/fixtures/ecs-fields.json" "$CT_SANDBOX/bad$bad" 2>/dev/null; then
            ct_fail "check-ecs.py accepts $(cat "$CT_SANDBOX/bad$bad")"
        fi
    done
}

ct_run_case "$1"
