#!/bin/bash
# live.sh CASE - CamTrace during a live capture: captures streamed through
# a named pipe into `tshark -i PIPE` (dumpcap reads the pipe; nothing
# leaves the machine) give what the same capture read with `tshark -r`
# (one pass) gives: every camtrace field, the names learned from the
# capture, PTR names from the test resolver, the flow export and the
# devices report; also when the capture is stopped early with SIGINT.
#
# What live capture legitimately changes, and so is normalised away:
#   - tshark's and dumpcap's own lines on stderr: "Capturing on 'PIPE'",
#     the "Capture started." and "File: ..." messages, "N packets
#     captured" and an empty "tshark: " line;
#   - interface metadata: dumpcap writes pcapng with an interface block
#     for the pipe (frame.interface_id 0, frame.interface_name the pipe's
#     path), where a pcap file has none.
#     No camtrace field or export shows it; case live_fields checks that
#     this is the only difference in the frame metadata printed.
# Nothing else is normalised: timestamps, frame numbers, lengths and
# every CamTrace value must be byte-for-byte the same.
. "$(dirname "$0")/sandbox.sh"

SAMPLE=sample.pcap
NAMES=names.pcap

make_names() {
    "$CT_PCAPGEN" names "$CT_WORK/$NAMES" >/dev/null 2>&1 || ct_fail "ct-pcapgen names failed"
    chmod a+r "$CT_WORK/$NAMES"
}

with_dbs() {
    echo -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb" \
        -o camtrace.home_country:DE
}

# Reverse DNS from the test server only (started by the case).
ptr_on() {
    echo -o camtrace.ptr:TRUE -o "camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT" \
        -o camtrace.ptr_timeout_ms:1500
}

# Every camtrace field tshark knows (camtrace.remote.* included), with
# the frame's own metadata.
all_fields() {
    local f
    printf -- '-e\n%s\n' frame.number frame.time_epoch frame.len frame.cap_len
    for f in $(ct_tshark -- -G fields | awk -F '\t' '$1 == "F" && $3 ~ /^camtrace\./ { print $3 }'); do
        printf -- '-e\n%s\n' "$f"
    done
}

# tshark_file [VAR=value ...] -- ARGS...: ct_tshark_raw with what a
# sanitizer build needs (ct_sanitizer_env), as live_start runs it.
tshark_file() {
    local vars=()
    mapfile -t vars < <(ct_sanitizer_env)
    ct_tshark_raw ${vars[@]+"${vars[@]}"} "$@"
}

# The lines tshark and dumpcap add on stderr in a live capture.
strip_capture_lines() {
    grep -v -e "^Capturing on '" -e '\[Main MESSAGE\] -- Capture started\.$' \
        -e '\[Main MESSAGE\] -- File: ' -e '^tshark: $' -e '^[0-9]* packets\? captured$' || true
}

# tshark_pid PID: the tshark process among PID's descendants (the
# sandbox runs it under setpriv, timeout and env).
tshark_pid() {
    local kid
    for kid in $(pgrep -P "$1"); do
        if [ "$(cat "/proc/$kid/comm" 2>/dev/null)" = tshark ]; then
            echo "$kid"
            return 0
        fi
        tshark_pid "$kid" && return 0
    done
    return 1
}

# live_start OUT ERR TSHARK-ARGS...: tshark capturing from a new named
# pipe (readable by the sandbox user), stdout to OUT and stderr to ERR;
# the pipe open for writing on fd 3, the run's pid in LIVE_PID.
live_start() {
    local out=$1 err=$2 fifo="$CT_SANDBOX/feed.fifo" vars=()
    shift 2
    rm -f "$fifo"
    mkfifo -m 0644 "$fifo"
    mapfile -t vars < <(ct_sanitizer_env)
    CT_TSHARK_TIMEOUT=120 ct_tshark_raw ${vars[@]+"${vars[@]}"} -- -i "$fifo" "$@" \
        >"$out" 2>"$err" &
    LIVE_PID=$!
    # Read and write: opening does not wait for dumpcap, and only closing
    # it ends the capture.
    exec 3<>"$fifo"
}

# live_send FILE: a capture file's bytes into the pipe (bounded: a tshark
# that died must not leave us blocked on a full pipe).
live_send() {
    timeout 60 cat "$1" >&3 || ct_fail "could not write $1 into the pipe"
}

# pipe_unread: bytes written into the pipe (fd 3) that dumpcap has not
# read yet.
pipe_unread() {
    python3 -c 'import fcntl, struct, termios
print(struct.unpack("i", fcntl.ioctl(3, termios.FIONREAD, b"0000"))[0])'
}

# live_end: once dumpcap has read everything (closing the last open end
# of a pipe discards what is in it), close the pipe, which ends the
# capture; tshark must succeed.
live_end() {
    local rc=0 i
    for ((i = 0; i < 600; i++)); do
        [ "$(pipe_unread)" = 0 ] && break
        sleep 0.1
    done
    [ "$(pipe_unread)" = 0 ] || ct_fail "dumpcap did not read the pipe: $(cat "$CT_SANDBOX"/*.err.raw)"
    exec 3>&-
    wait "$LIVE_PID" || rc=$?
    expect_eq "the live tshark's exit status" "$rc" 0
}

# live_pair NAME CAPTURE TSHARK-ARGS...: CAPTURE through the pipe and with
# -r, the same arguments: stdout in $CT_SANDBOX/NAME.live and NAME.file
# (-T fields output normalised as ct_tshark does it), stderr in
# NAME.live.err (the capture lines removed) and NAME.file.err.
live_pair() {
    local name=$1 capture=$2 file="$CT_SANDBOX/$1.file" live="$CT_SANDBOX/$1.live"
    shift 2
    tshark_file -- -r "$capture" "$@" >"$file.raw" 2>"$file.err" ||
        ct_fail "$name: tshark -r failed: $(cat "$file.err")"
    live_start "$live.raw" "$live.err.raw" "$@"
    live_send "$CT_WORK/$capture"
    live_end
    ct_fields_normalize <"$file.raw" >"$file"
    ct_fields_normalize <"$live.raw" >"$live"
    [ -s "$file" ] || ct_fail "$name: tshark -r printed nothing"
    grep -q "^Capturing on '$CT_SANDBOX/feed.fifo'" "$live.err.raw" ||
        ct_fail "$name: tshark did not capture from the pipe: $(cat "$live.err.raw")"
    strip_capture_lines <"$live.err.raw" >"$live.err"
}

# live_vs_file NAME CAPTURE TSHARK-ARGS...: live_pair, and both runs
# printed the same, on stdout and on stderr.
live_vs_file() {
    live_pair "$@"
    diff -u "$CT_SANDBOX/$1.file" "$CT_SANDBOX/$1.live" ||
        ct_fail "$1: live capture differs from tshark -r"
    diff -u "$CT_SANDBOX/$1.file.err" "$CT_SANDBOX/$1.live.err" ||
        ct_fail "$1: live capture says other things on stderr"
}

# The sample capture: every camtrace field of every packet, PTR names
# from the test resolver; then the interface metadata, which is all that
# differs.
case_live_fields() {
    local args
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    mapfile -t args < <(all_fields)
    [ "${#args[@]}" -gt 120 ] || ct_fail "only ${#args[@]} -e arguments: $(echo "${args[@]}")"
    live_vs_file fields "$SAMPLE" $(with_dbs) $(ptr_on) -T fields -E header=y -E occurrence=a \
        "${args[@]}"
    ct_expect_notice "$CT_SANDBOX/fields.file.err" \
        "127.0.0.1:$CT_DNS_PORT (preference camtrace.dns_servers)"
    expect_eq "packets" "$(($(wc -l <"$CT_SANDBOX/fields.file") - 1))" 174
    # The fields are really there: names from the PTR server, locations.
    grep -qF 'fra24s06-in-x0e.1e100.net' "$CT_SANDBOX/fields.live" || ct_fail "no PTR name live"
    grep -qF 'Mountain View' "$CT_SANDBOX/fields.live" || ct_fail "no city live"


    # The frame metadata: the same but for the interface (a pcap file
    # has no interface block; dumpcap's pcapng has one, for the pipe).
    live_pair interface "$SAMPLE" -T fields -e frame.number -e frame.time_epoch -e frame.len \
        -e frame.encap_type -e frame.interface_id -e frame.interface_name
    diff -u <(cut -f1-4 "$CT_SANDBOX/interface.file") <(cut -f1-4 "$CT_SANDBOX/interface.live") ||
        ct_fail "frame metadata but the interface differs"
    expect_eq "interface from the file" "$(cut -f5,6 "$CT_SANDBOX/interface.file" | sort -u)" \
        "$(printf '\t')"
    expect_eq "interface live" "$(cut -f5,6 "$CT_SANDBOX/interface.live" | sort -u)" \
        "$(printf '0\t%s' "$CT_SANDBOX/feed.fifo")"
}

# The names capture (ct-pcapgen names): names from DNS answers, TLS and
# QUIC server names and HTTP Host learned while the packets arrive, each
# from the packet that taught it on, with PTR names for the rest.
case_live_names() {
    local args
    make_names
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    mapfile -t args < <(all_fields)
    live_vs_file names "$NAMES" $(with_dbs) $(ptr_on) -T fields -E header=y -E occurrence=a \
        "${args[@]}"
    # What names.sh expects of one pass holds live (frame 3: the SYN to an
    # address a DNS answer named; 19: a ClientHello's name; 39: a PTR
    # name; 59: a name learned in the middle of a flow).
    frame_field() {
        python3 - "$CT_SANDBOX/names.live" "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
col = rows[0].index(sys.argv[3])
print(next(r[col] for r in rows[1:] if r[0] == sys.argv[2]))
PY
    }
    expect_eq "frame 3 name" "$(frame_field 3 camtrace.dst.name)" device-api.vendor.example
    expect_eq "frame 3 source" "$(frame_field 3 camtrace.dst.name_source)" dns
    expect_eq "frame 19 name" "$(frame_field 19 camtrace.remote.name)" telemetry.vendor.example
    expect_eq "frame 19 source" "$(frame_field 19 camtrace.remote.name_source)" sni
    expect_eq "frame 39 name" "$(frame_field 39 camtrace.dst.name)" dns.google
    expect_eq "frame 39 source" "$(frame_field 39 camtrace.dst.name_source)" ptr
    expect_eq "frame 56 name" "$(frame_field 56 camtrace.src.name)" ""
    expect_eq "frame 59 name" "$(frame_field 59 camtrace.src.name)" time.vendor.example
}

# The flow export and the devices report, CSV and text, of both
# captures, with PTR names: one tshark run writes both at its end.
case_live_flows() {
    local capture
    make_names
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    for capture in "$SAMPLE" "$NAMES"; do
        live_vs_file "flows-${capture%.pcap}" "$capture" $(with_dbs) $(ptr_on) -q \
            -z camtrace,flows -z camtrace,devices -z camtrace,devices,csv
    done
    # Both reports are there, with PTR names and names from the capture.
    for capture in sample names; do
        grep -q '^ts,proto,src_ip,' "$CT_SANDBOX/flows-$capture.live" ||
            ct_fail "$capture: no flow export"
        grep -q '^CamTrace devices: ' "$CT_SANDBOX/flows-$capture.live" ||
            ct_fail "$capture: no devices report"
        grep -q '^device,device_mac,destination,' "$CT_SANDBOX/flows-$capture.live" ||
            ct_fail "$capture: no devices CSV"
    done
    expect_eq "sample flows" "$(grep -c '^20[0-9-]*T' "$CT_SANDBOX/flows-sample.live")" \
        "$(($(wc -l <"$CT_SOURCE_DIR/tests/golden/baseline/flows-ptr.txt") - 1))"
    grep -qF ',dns.google,' "$CT_SANDBOX/flows-sample.live" || ct_fail "no PTR name in the export"
    grep -qF 'device-api.vendor.example' "$CT_SANDBOX/flows-names.live" ||
        ct_fail "no capture name in the export"
}

# A capture stopped early: N packets into the pipe, which stays open, and
# SIGINT to tshark once it has printed them all (-l: a line a packet).
# It must still write the flow export and the devices report, for the N
# packets it got: the same as tshark -r on the first N (editcap -r).
case_live_stopped() {
    local n=100 first="$CT_SANDBOX/first.pcap" out="$CT_SANDBOX/stopped.live.raw"
    local err="$CT_SANDBOX/stopped.live.err.raw" args i pid rc=0
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    args=($(with_dbs) $(ptr_on) -l -T fields -e frame.number -e camtrace.remote.name
        -z camtrace,flows -z camtrace,devices)
    editcap -F pcap -r "$CT_WORK/$SAMPLE" "$first" "1-$n" || ct_fail "editcap failed"
    chmod a+r "$first"
    cp "$first" "$CT_WORK/first.pcap"
    tshark_file -- -r first.pcap "${args[@]}" >"$CT_SANDBOX/stopped.file" \
        2>"$CT_SANDBOX/stopped.file.err" || ct_fail "tshark -r failed"

    live_start "$out" "$err" "${args[@]}"
    live_send "$first"
    for ((i = 0; i < 600; i++)); do
        [ "$(grep -c '^[0-9]*	' "$out")" -ge "$n" ] && break
        sleep 0.1
    done
    expect_eq "packets printed before the stop" "$(grep -c '^[0-9]*	' "$out")" "$n"
    grep -q '^ts,proto,' "$out" && ct_fail "the flow export came before the stop"
    pid=$(tshark_pid "$LIVE_PID") || ct_fail "no tshark process under $LIVE_PID"
    kill -INT "$pid"
    wait "$LIVE_PID" || rc=$?
    exec 3>&-
    expect_eq "tshark's exit status after SIGINT" "$rc" 0
    diff -u "$CT_SANDBOX/stopped.file" "$out" ||
        ct_fail "stopped live capture differs from tshark -r on the first $n packets"
    diff -u "$CT_SANDBOX/stopped.file.err" <(strip_capture_lines <"$err") ||
        ct_fail "stopped live capture says other things on stderr"
    # Its reports: the flows and the devices of the first N packets.
    grep -q '^ts,proto,src_ip,' "$out" || ct_fail "no flow export after SIGINT"
    grep -q '^CamTrace devices: ' "$out" || ct_fail "no devices report after SIGINT"
    [ "$(grep -c ',tcp,\|,udp,' "$out")" -gt 10 ] || ct_fail "too few flows after SIGINT"
}

# A flow table at its bound (camtrace.max_flows): live as from the file,
# the export holds the flows active last, the least recently active
# forgotten, and one warning says how many were left out.
case_live_bounds() {
    local full="$CT_SANDBOX/full.csv" n
    tshark_file -- -r "$SAMPLE" $(with_dbs) -q -z camtrace,flows >"$full" || ct_fail "tshark -r failed"
    n=$(($(wc -l <"$full") - 1))
    [ "$n" -gt 20 ] || ct_fail "only $n flows in the sample"

    live_vs_file bounded "$SAMPLE" $(with_dbs) -o camtrace.max_flows:5 -q -z camtrace,flows
    expect_eq "flows kept" "$(($(wc -l <"$CT_SANDBOX/bounded.live") - 1))" 5
    expect_eq "warnings" "$(wc -l <"$CT_SANDBOX/bounded.live.err")" 1
    grep -qE "^camtrace: flow export: [0-9]+ flows left out: more than 5 flows \(preference camtrace\.max_flows\), so the least recently active were forgotten$" \
        "$CT_SANDBOX/bounded.live.err" || ct_fail "the warning: $(cat "$CT_SANDBOX/bounded.live.err")"
    # Least recently used: the flows kept are the five whose last packet
    # came last (either way round: a flow forgotten and met again starts
    # anew with its next packet's sender).
    python3 - "$full" "$CT_SANDBOX/bounded.live" <<'PY' || ct_fail "not the flows active last"
import csv, sys
def rows(path):
    return list(csv.DictReader(open(path, newline="", encoding="utf-8")))
def key(r):
    ends = sorted([(r["src_ip"], r["src_port"]), (r["dst_ip"], r["dst_port"])])
    return (r["proto"], *ends)
full, kept = rows(sys.argv[1]), rows(sys.argv[2])
last = sorted(full, key=lambda r: r["end_ts"])[-5:]
assert {key(r) for r in kept} == {key(r) for r in last}, ([key(r) for r in kept], [key(r) for r in last])
# In the order of their first packets, as the export always is.
assert [r["ts"] for r in kept] == sorted(r["ts"] for r in kept)
PY
    # The same bound from the environment, named so in the warning; a bad
    # value is said once, and the default used.
    tshark_file CAMTRACE_MAX_FLOWS=5 -- -r "$SAMPLE" $(with_dbs) -q -z camtrace,flows \
        >"$CT_SANDBOX/env.csv" 2>"$CT_SANDBOX/env.err"
    diff -u "$CT_SANDBOX/bounded.file" "$CT_SANDBOX/env.csv" || ct_fail "CAMTRACE_MAX_FLOWS=5"
    grep -qF "more than 5 flows (CAMTRACE_MAX_FLOWS)" "$CT_SANDBOX/env.err" ||
        ct_fail "the warning does not name CAMTRACE_MAX_FLOWS: $(cat "$CT_SANDBOX/env.err")"
    tshark_file CAMTRACE_MAX_FLOWS=lots -- -r "$SAMPLE" $(with_dbs) -q -z camtrace,flows \
        >"$CT_SANDBOX/bad.csv" 2>"$CT_SANDBOX/bad.err"
    diff -u "$full" "$CT_SANDBOX/bad.csv" || ct_fail "a bad CAMTRACE_MAX_FLOWS changed the export"
    expect_eq "bad CAMTRACE_MAX_FLOWS" "$(cat "$CT_SANDBOX/bad.err")" \
        'camtrace: CAMTRACE_MAX_FLOWS="lots": not a number from 1 to 4294967294; 1048576 is used'
}

ct_run_case "$1"
