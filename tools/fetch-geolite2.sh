#!/bin/sh
# fetch-geolite2.sh [DIR] - put the GeoLite2 ASN and City databases in DIR
# (default: data/maxmind).
#
# They come from the npm package geolite2@4.0.1, fetched with `npm pack`
# (the tarball only; nothing is installed) and checked against a known
# sha256.  The databases are © MaxMind, under the GeoLite2 End User License
# Agreement (CC BY-SA 4.0 with attribution); see README.md.
set -eu

VERSION=4.0.1
SHA256=30f23f80330900923bdde6e64b1cc8d25060239f17c91dd7d2e95446b80e4693
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/data/maxmind}

if [ -s "$dest/GeoLite2-ASN.mmdb" ] && [ -s "$dest/GeoLite2-City.mmdb" ]; then
    echo "GeoLite2 databases already in $dest"
    exit 0
fi
command -v npm >/dev/null || { echo "fetch-geolite2: npm is needed (apt-get install npm)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "geolite2@$VERSION" >/dev/null)
tarball="$tmp/geolite2-$VERSION.tgz"
echo "$SHA256  $tarball" | sha256sum -c --quiet - ||
    { echo "fetch-geolite2: checksum mismatch for geolite2@$VERSION" >&2; exit 1; }
tar -xzf "$tarball" -C "$tmp" package/dbs/GeoLite2-ASN.mmdb package/dbs/GeoLite2-City.mmdb
mkdir -p "$dest"
mv "$tmp/package/dbs/GeoLite2-ASN.mmdb" "$tmp/package/dbs/GeoLite2-City.mmdb" "$dest/"
echo "GeoLite2 databases (geolite2@$VERSION) in $dest"
