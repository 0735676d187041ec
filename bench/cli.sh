#!/bin/bash
# bench/cli.sh - records per second of `camtrace --csv --no-ptr` (JSON Lines
# in, CSV out, ASN and City lookups for both ends, no reverse DNS), or of
# another output with --output.
#
#   bench/cli.sh [--records N] [--addresses A] [--runs K] [--build DIR]
#                [--output csv|jsonl|ecs|bulk]
#
# Defaults: 1,000,000 records whose src_ip and dst_ip are drawn from
# 20,000 distinct global addresses (as bench/run.sh's capture: 10 % IPv6),
# taken at random from address space that GeoLite2 knows, so both lookups
# of a record hit real data; 5 runs, median reported.  --addresses 0 makes
# every address distinct (two fresh lookups per record: the cache's worst
# case).  Real GeoLite2 databases: data/maxmind/ or the install data
# folder.  Output goes to /dev/null; the input file is read from the page
# cache after the first run.  --output ecs writes ECS documents (--ecs),
# bulk the _bulk form (--bulk camtrace-flows), jsonl JSON Lines.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
records=1000000
addresses=20000
runs=5
build="$here/build-bench"
output=csv
while [ $# -gt 0 ]; do
    case $1 in
    --output) output=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --addresses) addresses=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--records N] [--addresses A] [--runs K] [--build DIR] [--output csv|jsonl|ecs|bulk]" >&2; exit 2 ;;
    esac
done
case $output in
csv) out_opts=(--csv) ;;
jsonl) out_opts=() ;;
ecs) out_opts=(--ecs) ;;
bulk) out_opts=(--bulk camtrace-flows) ;;
*) echo "--output: csv, jsonl, ecs or bulk" >&2; exit 2 ;;
esac

db=""
for dir in "$here/data/maxmind" /usr/local/share/camtrace /usr/share/camtrace; do
    if [ -f "$dir/GeoLite2-ASN.mmdb" ] && [ -f "$dir/GeoLite2-City.mmdb" ]; then
        db=$dir
        break
    fi
done
[ -n "$db" ] || { echo "no GeoLite2 databases: run tools/fetch-geolite2.sh" >&2; exit 2; }

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target camtrace-cli >/dev/null
camtrace="$build/cli/camtrace"

work=$(mktemp -d /tmp/camtrace-cli-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "generating $records records ($addresses distinct addresses; 0 = all distinct)..." >&2
python3 - "$records" "$addresses" >"$work/flows.jsonl" <<'PY'
import ipaddress, random, sys

records, pool_size = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(20240501)
# Unicast space with GeoLite2 data: public IPv4 /8s minus special blocks,
# and the RIRs' main IPv6 allocations.
v4_special = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24")]
v6_blocks = [ipaddress.ip_network(n) for n in (
    "2001:4800::/21", "2400::/12", "2600::/12", "2800::/12", "2a00::/12", "2c00::/12")]

def v4():
    while True:
        a = ipaddress.IPv4Address(rng.randrange(1 << 24, 224 << 24))
        if not any(a in n for n in v4_special):
            return str(a)

def v6():
    net = rng.choice(v6_blocks)
    return str(net[rng.randrange(net.num_addresses)])

def fresh():
    return v6() if rng.random() < 0.1 else v4()

pool = list({fresh() for _ in range(pool_size)}) if pool_size else None
pick = (lambda: rng.choice(pool)) if pool else fresh
protos = ("tcp", "udp")
out = sys.stdout
for i in range(records):
    out.write('{"ts":"2024-05-01T12:%02d:%02d.%06dZ","proto":"%s","src_ip":"%s","src_port":%d,'
              '"dst_ip":"%s","dst_port":%d,"bytes":%d,"pkts":%d}\n'
              % (i // 60000 % 60, i // 1000 % 60, i % 1000000, protos[i & 1], pick(),
                 rng.randrange(1024, 65536), pick(), rng.choice((53, 80, 123, 443, 8883)),
                 rng.randrange(40, 1500000), rng.randrange(1, 1000)))
PY

export MAXMIND_ASN_DB="$db/GeoLite2-ASN.mmdb" MAXMIND_CITY_DB="$db/GeoLite2-City.mmdb"
cd "$work" # no .env from the caller's folder
times=()
peaks=()
for run in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$camtrace" --enrich ${out_opts[@]+"${out_opts[@]}"} --no-ptr \
        --in "$work/flows.jsonl" --out /dev/null 2>"$work/err.txt"
    grep -q " $records written, 0 rejected" "$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
    read -r t m <"$work/time.txt"
    times+=("$t")
    peaks+=("$m")
    echo "  run $run: $t s, peak $((m / 1024)) MB" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{t[NR] = $1} END {print t[int((NR + 1) / 2)]}'; }
t=$(median "${times[@]}")
m=$(median "${peaks[@]}")
echo "camtrace --enrich ${out_opts[*]} --no-ptr, $records records, $addresses addresses, databases in $db"
echo "median of $runs runs: $t s, $(awk -v n="$records" -v t="$t" 'BEGIN {printf "%d", n / t}') records/s, peak $((m / 1024)) MB"
