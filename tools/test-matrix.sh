#!/bin/sh
# test-matrix.sh [SUITE...] - build and test CamTrace against the Wireshark
# of each Debian suite: bookworm (4.0), trixie (4.4) and sid (4.6) unless
# suites are named.  For each suite it makes a minimal Debian system with
# debootstrap (or reuses the one it made, when that is under a week old),
# installs the project's packages there with tools/install-deps.sh, and, as
# the ordinary user "camtrace" inside it:
#   - configures and builds with warnings as errors and runs every test,
#   - builds the .deb, which root installs; then checks that tshark lists
#     the plugin and enriches data/sample.pcap from the installed package,
#     and removes the package again.
# Then it checks that a package is refused by the Wireshark of every other
# suite, that CamTrace's outputs on the test captures (the files the golden
# and CLI tests compare) are the same on every version, and prints one table.
#
# Needs root (debootstrap, chroot).  CAMTRACE_MATRIX_DIR (default
# /var/tmp/camtrace-matrix) holds the systems; CAMTRACE_MIRROR is the
# Debian mirror (default http://deb.debian.org/debian).  Exits non-zero
# when any step failed in any suite.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${CAMTRACE_MATRIX_DIR:-/var/tmp/camtrace-matrix}
mirror=${CAMTRACE_MIRROR:-http://deb.debian.org/debian}
max_age_days=7
[ $# -gt 0 ] || set -- bookworm trixie sid

if [ "$(id -u)" != 0 ]; then
    echo "test-matrix.sh: needs root (debootstrap and chroot); run it with sudo" >&2
    exit 2
fi
if ! command -v debootstrap >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
fi
mkdir -p "$dir"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# Mounts of the system being worked on, undone on every exit.
mounted=""
unmount_all() {
    for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
    mounted=""
}
trap unmount_all EXIT INT TERM

mount_system() {
    root=$1
    for m in proc sys dev dev/pts; do
        mountpoint -q "$root/$m" && continue
        mount --bind "/$m" "$root/$m"
        mounted="$root/$m $mounted"
    done
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # A TLS-intercepting proxy's CA, if this machine trusts one (npm needs it).
    if ls /usr/local/share/ca-certificates/* >/dev/null 2>&1; then
        mkdir -p "$root/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/"
    fi
}

in_root() { # ROOT CMD: run CMD as root inside ROOT
    chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 sh -c "$2"
}
as_user() { # ROOT CMD: run CMD as the ordinary user camtrace inside ROOT
    chroot --userspec=camtrace:camtrace "$1" env -i PATH=/usr/bin:/bin \
        HOME=/home/camtrace LANG=C.UTF-8 sh -c "cd /home/camtrace && $2"
}

# make_system SUITE: a current system in $dir/SUITE with the project's
# packages installed and the user camtrace.
make_system() {
    suite=$1 root=$dir/$1
    if [ -f "$root/.camtrace-made" ] &&
        [ -n "$(find "$root/.camtrace-made" -mtime -$max_age_days)" ]; then
        log "$suite: reusing $root (made $(cat "$root/.camtrace-made"))"
    else
        log "$suite: debootstrap --variant=minbase $suite $root $mirror"
        rm -rf "$root.new"
        debootstrap --variant=minbase "$suite" "$root.new" "$mirror" \
            >"$dir/$suite.debootstrap.log" 2>&1 || {
            echo "$suite: debootstrap failed, see $dir/$suite.debootstrap.log" >&2
            return 1
        }
        rm -rf "$root"
        mv "$root.new" "$root"
        # The mirror may serve a suite whose Release file's Valid-Until has
        # passed (a frozen snapshot of sid); the packages are still signed.
        echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99camtrace-matrix"
        date -u +%Y-%m-%d >"$root/.camtrace-made"
    fi
    mount_system "$root"
    in_root "$root" "id camtrace >/dev/null 2>&1 || useradd -m -s /bin/sh camtrace"
    mkdir -p "$root/tmp/camtrace-deps"
    cp "$here/tools/install-deps.sh" "$root/tmp/camtrace-deps/"
    in_root "$root" "apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null &&
        update-ca-certificates >/dev/null && /tmp/camtrace-deps/install-deps.sh" \
        >"$dir/$suite.deps.log" 2>&1 || {
        echo "$suite: tools/install-deps.sh failed, see $dir/$suite.deps.log" >&2
        return 1
    }
}

# copy_source ROOT: the working tree (tracked and new files, not ignored
# ones) as /home/camtrace/src, owned by camtrace.
copy_source() {
    rm -rf "$1/home/camtrace/src" "$1/home/camtrace/build" "$1/home/camtrace/out"
    mkdir -p "$1/home/camtrace/src"
    (cd "$here" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf -) | tar -C "$1/home/camtrace/src" -xf -
    in_root "$1" "chown -R camtrace:camtrace /home/camtrace"
}

# test_suite SUITE: build, test and package in SUITE; writes
# $dir/SUITE.result: VERSION PASSED TOTAL PACKAGE SECONDS.
test_suite() {
    suite=$1 root=$dir/$1 start=$(date +%s)
    version="?" passed=0 total=0 package=failed
    rm -f "$dir/$suite.result" "$dir/$suite".*.deb
    if make_system "$suite"; then
        version=$(in_root "$root" "dpkg-query -W -f '\${Version}' tshark" | sed 's/-.*//')
        copy_source "$root"
        log "$suite: Wireshark $version: build and test as user camtrace"
        as_user "$root" "cmake -S src -B build -DCAMTRACE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
            cmake --build build -j $(nproc)" >"$dir/$suite.build.log" 2>&1 ||
            echo "$suite: build failed, see $dir/$suite.build.log" >&2
        as_user "$root" "CT_OUTPUT_DIR=/home/camtrace/out ctest --test-dir build -j 2 --output-on-failure" \
            >"$dir/$suite.ctest.log" 2>&1 || true
        summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$dir/$suite.ctest.log" || true)
        if [ -n "$summary" ]; then
            failed=$(echo "$summary" | sed 's/.*passed, \([0-9]*\) tests failed.*/\1/')
            total=$(echo "$summary" | sed 's/.*out of \([0-9]*\)/\1/')
            passed=$((total - failed))
        fi
        rm -rf "$dir/$suite.out"
        [ -d "$root/home/camtrace/out" ] && cp -r "$root/home/camtrace/out" "$dir/$suite.out"
        if check_package "$suite"; then package=ok; fi
    fi
    echo "$version $passed $total $package $(($(date +%s) - start))" >"$dir/$suite.result"
    unmount_all
}

# check_package SUITE: build the .deb, install it with apt as root, and as
# camtrace see tshark list the plugin and enrich the sample capture.
check_package() {
    suite=$1 root=$dir/$1
    as_user "$root" "cmake --build build --target package" >"$dir/$suite.package.log" 2>&1 || {
        echo "$suite: package build failed, see $dir/$suite.package.log" >&2
        return 1
    }
    deb=$(ls "$root"/home/camtrace/build/camtrace_*.deb 2>/dev/null | head -n 1)
    [ -n "$deb" ] || { echo "$suite: no camtrace_*.deb in build/" >&2; return 1; }
    cp "$deb" "$dir/$suite.$(basename "$deb")"
    rc=0
    in_root "$root" "apt-get install -y -qq /home/camtrace/build/$(basename "$deb")" \
        >>"$dir/$suite.package.log" 2>&1 || rc=1
    if [ $rc = 0 ]; then
        as_user "$root" 'tshark -G plugins | grep "^camtrace\.so" &&
            tshark -r src/data/sample.pcap -T fields -e camtrace.dst.scope | grep -qx global &&
            man -w camtrace && man -w camtrace-capture && command -v camtrace camtrace-capture' \
            >>"$dir/$suite.package.log" 2>&1 || {
            echo "$suite: the installed package did not work, see $dir/$suite.package.log" >&2
            rc=1
        }
    else
        echo "$suite: the package did not install, see $dir/$suite.package.log" >&2
    fi
    in_root "$root" "dpkg -r camtrace" >>"$dir/$suite.package.log" 2>&1 || rc=1
    return $rc
}

# check_refused SUITE: every other suite's package must be refused there.
check_refused() {
    suite=$1 root=$dir/$1 result=ok
    mount_system "$root"
    for deb in "$dir"/*.camtrace_*.deb; do
        [ -e "$deb" ] || continue
        case $(basename "$deb") in "$suite".*) continue ;; esac
        cp "$deb" "$root/tmp/other.deb"
        in_root "$root" "dpkg -i /tmp/other.deb" >"$dir/$suite.refuse.log" 2>&1 || true
        if in_root "$root" "dpkg-query -W -f '\${Status}' camtrace" 2>/dev/null |
            grep -q "install ok installed"; then
            echo "$suite: $(basename "$deb") installed, it must be refused" >&2
            result=failed
        elif ! grep -q "libwireshark" "$dir/$suite.refuse.log"; then
            echo "$suite: $(basename "$deb") failed for another reason:" >&2
            cat "$dir/$suite.refuse.log" >&2
            result=failed
        fi
        in_root "$root" "dpkg --purge camtrace; rm -f /tmp/other.deb" >/dev/null 2>&1 || true
    done
    unmount_all
    echo "$result"
}

# The systems are made (mostly downloads) side by side, then built and
# tested one after the other (the builds use every core).
for suite in "$@"; do
    (make_system "$suite" >/dev/null && unmount_all) &
done
wait
for suite in "$@"; do
    test_suite "$suite"
done

status=0
first=""
printf '\n%-10s %-10s %-14s %-8s %-8s %-22s %s\n' suite wireshark tests package refuses "outputs" time
for suite in "$@"; do
    read -r version passed total package secs <"$dir/$suite.result"
    refused=$(check_refused "$suite")
    if [ -z "$first" ]; then
        first=$suite
        files=$(ls "$dir/$suite.out" 2>/dev/null | wc -l)
        same="reference ($files files)"
        [ "$files" -gt 0 ] || status=1
    elif diff -r "$dir/$first.out" "$dir/$suite.out" >"$dir/$suite.outputs.diff" 2>&1; then
        same="same as $first"
    else
        same="DIFFER from $first"
        status=1
    fi
    [ "$total" -gt 0 ] && [ "$passed" = "$total" ] || status=1
    [ "$package" = ok ] && [ "$refused" = ok ] || status=1
    printf '%-10s %-10s %-14s %-8s %-8s %-22s %dm%02ds\n' "$suite" "$version" \
        "$passed/$total passed" "$package" "$refused" "$same" $((secs / 60)) $((secs % 60))
done
[ $status = 0 ] || echo "test-matrix.sh: failures; the logs are in $dir" >&2
exit $status
