#!/bin/bash
# readme.sh - every shell command README.md shows runs as shown.
#
# The commands come from README.md itself (readme_commands.py: every line
# of the ```sh blocks, and the rules that set aside the ones that cannot
# run offline: package installs, the set-up scripts, live captures, DNS
# servers of the reader's own).  Each of the others must name a bundled
# file (data/sample.pcap, data/names.pcap, examples/...), or this test
# fails.  Each runs from a fresh copy of the clone's data/ and examples/,
# with the commands as installed (tshark with the built plugin, camtrace,
# camtrace-capture on PATH), in the test sandbox (sandbox.sh: as nobody
# when we are root, a throw-away HOME and configuration), with the fixture
# databases where an install puts them and reverse DNS answered by our own
# server on loopback (DNS_RESOLVER) from tests/fixtures/sample.zone.
# Each must exit 0 and print something (on stdout, or into the file it
# writes), and say nothing on stderr but the reverse DNS notice naming
# our server (and camtrace's summary line).  The plugin must load, or the test fails.
#
# CT_CAMTRACE, CT_CAPTURE: the built camtrace and camtrace-capture.
. "$CT_SOURCE_DIR/tests/golden/sandbox.sh"
set -o pipefail
: "${CT_CAMTRACE:?}" "${CT_CAPTURE:?}"

ct_sandbox_init
ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"

# Databases where an install puts them, found by the search (the sandbox's
# CAMTRACE_DATA_PATH names $CT_SANDBOX/system), as on a user's machine.
cp "$CT_DB/asn.mmdb" "$CT_SANDBOX/system/GeoLite2-ASN.mmdb"
cp "$CT_DB/city.mmdb" "$CT_SANDBOX/system/GeoLite2-City.mmdb"
# Reverse DNS on, as by default, against our server only.
: >"$CT_SANDBOX/config/preferences"

# The commands on PATH.  In a sanitizer build tshark needs the ASan
# runtime preloaded (sandbox.sh); a wrapper named tshark adds it.
bin="$CT_SANDBOX/bin"
mkdir -p "$bin"
cp "$CT_CAMTRACE" "$bin/camtrace"
cp "$CT_CAPTURE" "$bin/camtrace-capture"
mapfile -t san < <(ct_sanitizer_env)
if [ ${#san[@]} -gt 0 ]; then
    {
        echo '#!/bin/sh'
        printf 'exec env'
        printf ' %q' "${san[@]}"
        printf ' %q "$@"\n' "$(command -v tshark)"
    } >"$bin/tshark"
    chmod 755 "$bin/tshark"
fi
# The clone as the commands see it: data/ and examples/.
tree="$CT_SANDBOX/tree"
mkdir -p "$tree/data"
cp "$CT_SOURCE_DIR"/data/*.pcap "$tree/data/"
cp -r "$CT_SOURCE_DIR/examples" "$tree/examples"
chmod -R a+rX "$CT_SANDBOX/bin" "$CT_SANDBOX/system" "$tree"
chmod a+r "$CT_SANDBOX/config/preferences"

# in_sandbox DIR COMMAND: COMMAND (shell text) in DIR, as the sandbox runs
# tshark, with the commands above first on PATH.
in_sandbox() {
    (cd "$1" && $CT_RUN_AS env -i PATH="$bin:$PATH" LANG=C.UTF-8 TZ=UTC \
        HOME="$CT_SANDBOX/home" WIRESHARK_CONFIG_DIR="$CT_SANDBOX/config" \
        WIRESHARK_PLUGIN_DIR="$CT_SANDBOX/plugins" WIRESHARK_EXTCAP_DIR="$CT_SANDBOX/extcap" \
        CAMTRACE_DATA_PATH="$CT_DATA_PATH" DNS_RESOLVER="127.0.0.1:$CT_DNS_PORT" \
        timeout -k 5 120 bash -o pipefail -c "$2")
}

# The tshark the commands find loads the plugin.
in_sandbox "$CT_SANDBOX/home" 'tshark -G plugins' | grep -q '^camtrace\.so' ||
    ct_fail "the tshark on the commands' PATH does not load the CamTrace plugin"

list="$CT_SANDBOX/commands.tsv"
python3 "$CT_SOURCE_DIR/tests/docs/readme_commands.py" "$CT_SOURCE_DIR/README.md" \
    "$CT_SOURCE_DIR" >"$list" || ct_fail "could not read the commands of README.md"

ran=0 set_aside=0 failures=0
fail_one() {
    echo "FAIL: README.md:$1: $2" >&2
    failures=$((failures + 1))
}
n=0
while IFS=$'\t' read -r kind line command; do
    case $kind in
    not-offline:*)
        echo "not run (${kind#not-offline:}): README.md:$line: $command"
        set_aside=$((set_aside + 1))
        continue
        ;;
    run) ;;
    *)
        fail_one "$line" "names no bundled capture or file, and is of no kind that cannot run offline: $command"
        continue
        ;;
    esac
    n=$((n + 1))
    dir="$CT_SANDBOX/run$n"
    cp -r "$tree" "$dir"
    [ -z "$CT_RUN_AS" ] || chown -R nobody:nogroup "$dir"
    touch "$CT_SANDBOX/stamp"
    sleep 0.01
    rc=0
    in_sandbox "$dir" "$command" >"$CT_SANDBOX/out$n" 2>"$CT_SANDBOX/err$n" || rc=$?
    ran=$((ran + 1))
    if [ "$rc" != 0 ]; then
        fail_one "$line" "exit status $rc: $command
$(head -n 20 "$CT_SANDBOX/err$n")"
        continue
    fi
    # What it printed, and the files it wrote.
    written=$(find "$dir" -type f -newer "$CT_SANDBOX/stamp" -size +0 | sort)
    if [ ! -s "$CT_SANDBOX/out$n" ] && [ -z "$written" ]; then
        fail_one "$line" "printed nothing and wrote no file: $command"
        continue
    fi
    # stderr: at most the reverse DNS notice, naming our server (any
    # other server would be one outside the machine).
    # camtrace's summary of a run without rejected lines (naming its
    # databases) is fine too.
    unexpected=$(grep -v -e "^camtrace: reverse DNS: asking 127\.0\.0\.1:$CT_DNS_PORT (DNS_RESOLVER) for the names of the [a-z']* addresses; " \
        -e '^camtrace: [0-9]* records read, [0-9]* written, 0 rejected\(; databases: .*\)\?$' \
        "$CT_SANDBOX/err$n" || true)
    if [ -n "$unexpected" ]; then
        fail_one "$line" "unexpected stderr: $command
$unexpected"
        continue
    fi
    [ -z "$written" ] || written=", wrote $(echo "$written" | sed "s|^$dir/||" | paste -sd ' ')"
    echo "ok ($(wc -l <"$CT_SANDBOX/out$n") lines$written): README.md:$line: $command"
done <"$list"

ct_sanitizer_check
[ "$ran" -gt 0 ] || ct_fail "no command of README.md ran"
[ "$failures" = 0 ] || ct_fail "$failures of the commands in README.md failed"
echo "PASS: the $ran commands of README.md that run offline ran as shown ($set_aside set aside)"
