#!/bin/bash
# bench/geo-compare.sh - CamTrace's geography against two independent
# readers of the same databases:
#   1. Wireshark's own GeoIP fields (ip.geoip.*, ipv6.geoip.*, looked up by
#      its mmdbresolve) for every packet of a bench capture: country_iso,
#      country, city, AS number, AS organization, latitude, longitude of
#      both ends;
#   2. MaxMind's Python reader (Debian's python3-geoip2), which the seed's
#      tool used, for every cell of `camtrace --csv --no-ptr` on a flow log
#      made from the same capture (numbers compared as numbers).
#
#   bench/geo-compare.sh [--packets N] [--remotes R] [--db DIR] [--build DIR]
#
# Defaults: 50,000 packets, 4,000 public remotes, the GeoLite2 pair in DIR
# (GeoLite2-ASN.mmdb, GeoLite2-City.mmdb; tools/fetch-geolite2.sh gets
# them).  Prints the number of values compared and every difference.
# Exits 1 when any value differs.  Sends nothing to the network: reverse
# DNS is off in both programs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
packets=50000
remotes=4000
db=""
build="$here/build"
while [ $# -gt 0 ]; do
    case $1 in
    --packets) packets=$2; shift 2 ;;
    --remotes) remotes=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--packets N] [--remotes R] [--db DIR] [--build DIR]" >&2; exit 2 ;;
    esac
done
if [ -z "$db" ]; then
    for dir in "$here/data/maxmind" "${XDG_DATA_HOME:-$HOME/.local/share}/camtrace" \
        /usr/local/share/camtrace; do
        [ -f "$dir/GeoLite2-City.mmdb" ] && [ -f "$dir/GeoLite2-ASN.mmdb" ] && db=$dir && break
    done
fi
[ -n "$db" ] || { echo "no GeoLite2 databases: tools/fetch-geolite2.sh, or --db DIR" >&2; exit 2; }
/usr/bin/python3 -c 'import geoip2.database' 2>/dev/null ||
    { echo "needs Debian's python3-geoip2: sudo apt-get install python3-geoip2" >&2; exit 2; }

cmake --build "$build" -j "$(nproc)" --target camtrace camtrace-cli ct-pcapgen >/dev/null
work=$(mktemp -d /tmp/camtrace-geo-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.config/wireshark" "$work/db" "$work/plugins"
cp "$db/GeoLite2-ASN.mmdb" "$db/GeoLite2-City.mmdb" "$work/db/"
cp -r "$build/plugins/." "$work/plugins/"
# Wireshark's GeoIP reads the folders of its maxmind_db_paths table.
echo "\"$work/db\"" >"$work/home/.config/wireshark/maxmind_db_paths"
"$build/tests/ct-pcapgen" bench --packets "$packets" --remotes "$remotes" "$work/bench.pcap" >&2
chmod -R a+rX "$work"

# tshark as an ordinary user (as root it would ignore the plugin folder).
as_user=()
if [ "$(id -u)" = 0 ]; then
    chown -R nobody "$work/home"
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
ts() {
    "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$work/home" \
        WIRESHARK_PLUGIN_DIR="$work/plugins" CAMTRACE_DATA_PATH="$work/none" tshark \
        -o camtrace.ptr:FALSE -o "camtrace.asn_db:$work/db/GeoLite2-ASN.mmdb" \
        -o "camtrace.city_db:$work/db/GeoLite2-City.mmdb" "$@"
}

fields=(-e ip.src -e ip.dst -e ipv6.src -e ipv6.dst)
for side in src dst; do
    for v in ip ipv6; do
        for f in country_iso country city asnum org lat lon; do
            fields+=(-e "$v.geoip.${side}_$f")
        done
    done
    for f in country_iso country city asn as_org lat lon; do
        fields+=(-e "camtrace.$side.$f")
    done
done
echo "1. per packet: Wireshark's GeoIP fields against CamTrace's" >&2
ts -r "$work/bench.pcap" -T fields -E separator=/t -E occurrence=f "${fields[@]}" \
    >"$work/packets.tsv" 2>"$work/tshark.err"
status=0
/usr/bin/python3 - "$work/packets.tsv" <<'PY' || status=1
import sys
names = ["country_iso", "country", "city", "asn", "as_org", "lat", "lon"]
compared = differ = packets = resolved = filled = countryless = 0
shown = 0
def same(i, a, b):
    if i >= 5 and a and b:
        return abs(float(a) - float(b)) < 1e-9
    return a == b
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        c = line.rstrip("\n").split("\t")
        packets += 1
        v6 = c[0] == ""
        for s in range(2):
            base = 4 + s * 21
            ws = c[base + (7 if v6 else 0): base + (14 if v6 else 7)]
            ct = c[base + 14: base + 21]
            if not any(ws):
                # Wireshark shows nothing for an address it has no data
                # for (or has not looked up yet): CamTrace must not know
                # more than the database either, but Wireshark's silence
                # proves nothing; count these apart.
                continue
            resolved += 1
            countryless += ws[0] == ""
            for i in range(7):
                compared += 1
                filled += ws[i] != ""
                if not same(i, ws[i], ct[i]):
                    differ += 1
                    if shown < 20:
                        shown += 1
                        addr = c[(2 if v6 else 0) + s]
                        print(f"  {addr} {names[i]}: Wireshark {ws[i]!r}, CamTrace {ct[i]!r}")
print(f"  {packets} packets, {resolved} ends that Wireshark located ({countryless} with no "
      f"located country), {compared} values compared ({filled} not empty), {differ} differ")
sys.exit(1 if differ else 0)
PY

echo "2. per cell: camtrace --csv against MaxMind's Python reader (geoip2)" >&2
ts -q -r "$work/bench.pcap" -z camtrace,flows,jsonl >"$work/flows.jsonl" 2>>"$work/tshark.err"
env -i PATH=/usr/bin:/bin HOME="$work/home" CAMTRACE_DATA_PATH="$work/none" \
    MAXMIND_ASN_DB="$work/db/GeoLite2-ASN.mmdb" MAXMIND_CITY_DB="$work/db/GeoLite2-City.mmdb" \
    "$build/cli/camtrace" --enrich --no-ptr --csv --in "$work/flows.jsonl" --out "$work/flows.csv" \
    2>"$work/cli.err"
/usr/bin/python3 - "$work/flows.csv" "$work/db" <<'PY' || status=1
import csv, ipaddress, sys
import geoip2.database, geoip2.errors
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
asn = geoip2.database.Reader(sys.argv[2] + "/GeoLite2-ASN.mmdb")
city = geoip2.database.Reader(sys.argv[2] + "/GeoLite2-City.mmdb")
def expected(ip):
    """The seed's nine cells of one end (ptr empty: no reverse DNS)."""
    cells = {"ptr": "", "asn": "", "as_org": "", "country_iso": "", "country_name": "",
             "region": "", "city": "", "latitude": "", "longitude": ""}
    if not ipaddress.ip_address(ip).is_global:
        return cells
    try:
        a = asn.asn(ip)
        cells["asn"] = "" if a.autonomous_system_number is None else str(a.autonomous_system_number)
        cells["as_org"] = a.autonomous_system_organization or ""
    except geoip2.errors.AddressNotFoundError:
        pass
    try:
        c = city.city(ip)
        cells["country_iso"] = c.country.iso_code or ""
        cells["country_name"] = c.country.names.get("en", "")
        cells["region"] = c.subdivisions.most_specific.names.get("en", "")
        cells["city"] = c.city.names.get("en", "")
        cells["latitude"] = "" if c.location.latitude is None else repr(c.location.latitude)
        cells["longitude"] = "" if c.location.longitude is None else repr(c.location.longitude)
    except geoip2.errors.AddressNotFoundError:
        pass
    return cells
def same(key, a, b):
    if key in ("latitude", "longitude", "asn") and a and b:
        return float(a) == float(b)
    return a == b
compared = differ = shown = filled = 0
for r in rows:
    for side in ("src", "dst"):
        for key, want in expected(r[side + "_ip"]).items():
            got = r[f"{side}_{key}"]
            compared += 1
            filled += want != ""
            if not same(key, want, got):
                differ += 1
                if shown < 20:
                    shown += 1
                    print(f"  {r[side + '_ip']} {side}_{key}: geoip2 {want!r}, camtrace {got!r}")
print(f"  {len(rows)} flow records, {compared} cells compared ({filled} not empty), {differ} differ")
sys.exit(1 if differ else 0)
PY
exit $status
