#!/bin/bash
# capture-fuzz.sh [MUTANTS] - CamTrace inside tshark on damaged captures.
#
# As Wireshark's own tools/fuzz-test.sh does: editcap -E flips random bytes
# of the sample captures (data/sample.pcap, a 2,000-packet capture and the
# names capture with DNS answers, TLS, QUIC and HTTP from ct-pcapgen), and
# tshark reads each mutant with the plugin, once printing every field of
# every packet (-V; two passes for the names capture) and once with the
# flow export, the statistics table and the devices report (-q -z ...).  Mutant i always uses seed i, so a failure
# reproduces.  A run fails on a crash, a dissector bug (tshark aborts on
# one, WIRESHARK_ABORT_ON_DISSECTOR_BUG) or, in a sanitizer build, any
# sanitizer report that involves CamTrace (see sandbox.sh).  A crash that
# happens with CamTrace disabled too is tshark's own: counted and shown,
# not failed.  Failing mutants are kept in $CT_FUZZ_KEEP (default
# /tmp/camtrace-fuzz-failures).
#
# MUTANTS defaults to CT_FUZZ_MUTANTS, else 50 (what ctest runs); a long run
# is tools/fuzz-captures.sh 2000.
. "$(dirname "$0")/sandbox.sh"

mutants=${1:-${CT_FUZZ_MUTANTS:-50}}
# Sanitizer errors only: the golden tests check leaks (see sandbox.sh).
CT_SANITIZER_LEAKS=0
keep=${CT_FUZZ_KEEP:-/tmp/camtrace-fuzz-failures}
tshark_own=0

ct_sandbox_init
"$CT_PCAPGEN" bench --packets 2000 --remotes 300 --seed 7 "$CT_WORK/bench.pcap" 2>/dev/null
"$CT_PCAPGEN" names "$CT_WORK/names.pcap" 2>/dev/null
chmod a+r "$CT_WORK/bench.pcap" "$CT_WORK/names.pcap"
dbs=(-o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb")

# run NAME MUTANT ARGS...: one tshark run; prints nothing, returns its
# status (above 128 for a signal).
run() {
    local mutant=$1
    shift
    ct_tshark WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 -- -r "$mutant" "$@" >/dev/null \
        2>"$CT_SANDBOX/err.txt"
}

failed() { # MUTANT WHAT
    mkdir -p "$keep"
    cp "$CT_WORK/$1" "$keep/"
    ct_fail "$2 on mutant $1 (kept in $keep/$1): $(tail -5 "$CT_SANDBOX/err.txt")"
}

for i in $(seq 1 "$mutants"); do
    case $((i % 3)) in
    0) src=sample.pcap ;;
    1) src=bench.pcap ;;
    2) src=names.pcap ;;
    esac
    m="mutant-$i-${src%.pcap}.pcap"
    editcap -E 0.02 --seed "$i" "$CT_WORK/$src" "$CT_WORK/$m" >/dev/null
    chmod a+r "$CT_WORK/$m"
    for mode in tree flows; do
        if [ "$mode" = tree ]; then
            args=(-V "${dbs[@]}")
            [ "$src" != names.pcap ] || args+=(-2)
        else
            args=(-q "${dbs[@]}" -z camtrace,flows,jsonl -z camtrace,flowtable
                -z camtrace,devices)
        fi
        status=0
        run "$m" "${args[@]}" || status=$?
        [ "$status" -le 128 ] || {
            status=0
            run "$m" "${args[@]}" --disable-protocol camtrace || status=$?
            [ "$status" -gt 128 ] || failed "$m" "crash ($mode) with CamTrace only"
            tshark_own=$((tshark_own + 1))
            echo "tshark itself crashes on $m ($mode)"
        }
    done
    ct_sanitizer_check
    rm -f "$CT_WORK/$m"
done
echo "PASS: $mutants mutants, tree and flow export each; $tshark_own crashes of tshark itself"
