#!/bin/sh
# build-fixture-dbs.sh SPEC OUTDIR - every fixture database the tests use.
set -eu
spec=$1
out=$2
here=$(dirname "$0")
mkdir -p "$out"
for kind in asn city country dbip-city other; do
    perl "$here/build-mmdb.pl" --spec "$spec" --kind "$kind" --out "$out/$kind.mmdb.tmp"
    mv "$out/$kind.mmdb.tmp" "$out/$kind.mmdb"
done
