#!/bin/bash
# test_capture.sh - black-box tests of camtrace-capture (CT_CAPTURE).
#
# tshark runs through a wrapper made here and passed in CAMTRACE_TSHARK:
# as the golden tests do (sandbox.sh), it runs tshark as nobody when we are
# root, with a throw-away HOME and configuration, the built plugin, the
# fixture databases and reverse DNS off, so that no DNS question leaves the
# machine.  A capture written by dumpcap as root is 0600, so as root the
# wrapper opens it itself and hands it to tshark on standard input.
#
# The live cases capture on the loopback interface while a Python helper
# sends traffic whose packets we know: five UDP datagrams each way, and a
# TCP connection whose client sends SYN, ACK, N data segments (each only
# after the previous one arrived) and an RST.  As root they must work; as
# another user they are skipped with a message, since capturing needs
# privileges.  Nothing here asserts how long anything takes.
. "$CT_SOURCE_DIR/tests/golden/sandbox.sh"
set -o pipefail

: "${CT_CAPTURE:?}"
TCP_SEGMENTS=4


expect_in() {
    grep -qF -- "$2" "$3" || ct_fail "$1: no [$2] in $3: $(cat "$3")"
}

# make_wrapper PATH PLUGIN_DIR [OPTIONS]: a tshark command for
# CAMTRACE_TSHARK; OPTIONS (words) come after ours, so they win.
make_wrapper() {
    local san="" line
    while IFS= read -r line; do
        san+=" $(printf '%q' "$line")"
    done < <(ct_sanitizer_env)
    cat >"$1" <<EOF
#!/bin/bash
# tshark as the sandbox runs it (see test_capture.sh).
args=()
input=""
as_root=""
[ "\$(id -u)" = 0 ] && as_root=1
while [ \$# -gt 0 ]; do
    if [ -n "\$as_root" ] && [ "\$1" = -r ] && [ \$# -gt 1 ]; then
        input=\$2
        args+=(-r -)
        shift 2
        continue
    fi
    args+=("\$1")
    shift
done
# -G must come first; preferences only matter when reading packets.
if [ "\${args[0]:-}" != -G ]; then
    args+=(-o camtrace.ptr:FALSE -o "camtrace.asn_db:$CT_DB/asn.mmdb"
        -o "camtrace.city_db:$CT_DB/city.mmdb" ${3:-})
fi
vars=($san)
run_as=()
[ -n "\$as_root" ] && run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
if [ -n "\$input" ]; then
    exec <"\$input" || exit 2
fi
exec \${run_as[@]+"\${run_as[@]}"} env -i PATH="\$PATH" LANG=C.UTF-8 TZ=UTC \\
    HOME="$CT_SANDBOX/home" WIRESHARK_CONFIG_DIR="$CT_SANDBOX/config" \\
    WIRESHARK_PLUGIN_DIR="$2" WIRESHARK_EXTCAP_DIR="$CT_SANDBOX/extcap" \
    \${vars[@]+"\${vars[@]}"} tshark "\${args[@]}"
EOF
    chmod 755 "$1"
}

# run NAME STATUS ARGS...: camtrace-capture from $RUNS with the wrapper,
# stdout in $RUNS/NAME.out, stderr in $RUNS/NAME.err.
run() {
    local name=$1 want=$2 rc=0
    shift 2
    # A run that does not stop (a stop condition lost) fails here rather
    # than at the ctest timeout, and takes its dumpcap with it.
    (cd "$RUNS" && CAMTRACE_TSHARK="${TSHARK_CMD:-$TSHARK}" timeout -k 5 120 "$CT_CAPTURE" "$@") \
        >"$RUNS/$name.out" 2>"$RUNS/$name.err" || rc=$?
    [ "$rc" = "$want" ] ||
        ct_fail "$name: exit status $rc, expected $want: $(cat "$RUNS/$name.err")"
}

# The one run folder made under DIR (relative to $RUNS).
run_dir() {
    local dirs
    dirs=$(cd "$RUNS" && ls -d "$1"/*/)
    expect_eq "run folders in $1" "$(echo "$dirs" | wc -l)" 1
    echo "${dirs%/}"
}

# done_block PCAP DIR: the exact stdout of a successful run, which names
# the fixture databases tshark answered from (built with the tests, today).
done_block() {
    printf '[+] Done!\n    PCAP:   %s\n    JSONL:  %s\n    CSV:    %s\n' \
        "$1" "$2/flows.jsonl" "$2/enriched.csv"
    printf '    Databases: ASN GeoLite2-ASN built %s, City GeoLite2-City built %s\n' \
        "$(date -u -r "$CT_DB/asn.mmdb" +%F)" "$(date -u -r "$CT_DB/city.mmdb" +%F)"
}

# Strict RFC 4180 reading, 44 cells in every row, the export's header.
check_csv() {
    python3 - "$1" <<'EOF' || ct_fail "$1 is not strict CSV with 44 columns"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))
assert rows and rows[0][0] == "ts" and rows[0][-1] == "dst_anycast", rows[:1]
assert all(len(r) == 44 for r in rows), [len(r) for r in rows]
EOF
}

# flow_cells CSV PROTO SRC_PORT DST_PORT: "src_pkts dst_pkts pkts src_ip
# dst_ip src_scope" of that flow, one line per matching flow.
flow_cells() {
    python3 - "$@" <<'EOF'
import csv, sys
path, proto, sport, dport = sys.argv[1:]
with open(path, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f, strict=True):
        if (r["proto"], r["src_port"], r["dst_port"]) == (proto, sport, dport):
            print(r["src_pkts"], r["dst_pkts"], r["pkts"], r["src_ip"], r["dst_ip"],
                  r["src_scope"])
EOF
}

# The traffic helper: waits for the capture file, sends known traffic on
# 127.0.0.1, prints its ports; "wait" mode waits until a capture file
# holds all of those packets (before a Ctrl-C ends the capture).
write_traffic_helper() {
    cat >"$CT_SANDBOX/traffic.py" <<'EOF'
import glob, os, socket, struct, sys, time

def wait_for(pattern):
    for _ in range(600):
        found = glob.glob(pattern)
        if found:
            return found[0]
        time.sleep(0.05)
    sys.exit("no capture file " + pattern)

def send(segments):
    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    us.bind(("127.0.0.1", 0))
    uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    uc.bind(("127.0.0.1", 0))
    for i in range(5):
        uc.sendto(b"ping %d" % i, us.getsockname())
        data, peer = us.recvfrom(100)
        us.sendto(data, peer)
        uc.recvfrom(100)
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    c = socket.socket()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.bind(("127.0.0.1", 0))
    c.connect(ls.getsockname())
    s, _ = ls.accept()
    for i in range(segments):
        c.send(b"segment %d" % i)
        s.recv(100)  # arrived: the next send is a segment of its own
    tcp_client = c.getsockname()[1]
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()  # RST
    try:
        while s.recv(100):
            pass
    except ConnectionResetError:
        pass
    print(uc.getsockname()[1], us.getsockname()[1], tcp_client, ls.getsockname()[1])

def ports_of(frame):
    # Loopback captures are Ethernet; IPv4 only here.
    if len(frame) < 38 or frame[12:14] != b"\x08\x00":
        return None
    ihl = (frame[14] & 0x0F) * 4
    proto = frame[23]
    sport, dport = struct.unpack(">HH", frame[14 + ihl:18 + ihl])
    return proto, sport, dport

def count(path, want):
    # Packets of each (proto, sport, dport) in a pcapng file (native order).
    got = {}
    with open(path, "rb") as f:
        data = f.read()
    off = 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack("=II", data[off:off + 8])
        if blen < 12 or off + blen > len(data):
            break
        if btype == 6:
            caplen = struct.unpack("=I", data[off + 20:off + 24])[0]
            key = ports_of(data[off + 28:off + 28 + caplen])
            if key in want:
                got[key] = got.get(key, 0) + 1
        off += blen
    return got

if sys.argv[1] == "send":
    wait_for(sys.argv[2])
    send(int(sys.argv[3]))
elif sys.argv[1] == "wait":
    path = wait_for(sys.argv[2])
    uc, us, tc, ts, segments = map(int, sys.argv[3:8])
    want = {(17, uc, us): 5, (17, us, uc): 5, (6, tc, ts): segments + 3}
    for _ in range(600):
        got = count(path, want)
        if all(got.get(k, 0) >= n for k, n in want.items()):
            sys.exit(0)
        time.sleep(0.05)
    sys.exit("the capture never held the test traffic: %r" % count(path, want))
elif sys.argv[1] == "packets":
    with open(sys.argv[2], "rb") as f:
        data = f.read()
    n = off = 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack("=II", data[off:off + 8])
        if blen < 12:
            sys.exit("not pcapng: " + sys.argv[2])
        n += btype == 6
        off += blen
    print(n)
elif sys.argv[1] == "chatter":
    # UDP datagrams until the file STOP exists.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    while not os.path.exists(sys.argv[2]):
        s.sendto(b"chatter", ("127.0.0.1", 9))
        time.sleep(0.02)
EOF
}

# check_traffic CSV "UDP_CLIENT UDP_SERVER TCP_CLIENT TCP_SERVER" CAPTURE:
# the helper's flows are in the CSV with the packets it sent.
check_traffic() {
    local csv=$1 capture=$3 uc us tc ts cells server_pkts
    read -r uc us tc ts <<<"$2"
    [ -n "$ts" ] || ct_fail "the traffic helper printed no ports: [$2]"
    cells=$(flow_cells "$csv" udp "$uc" "$us")
    expect_eq "UDP flow $uc -> $us" "$cells" "5 5 10 127.0.0.1 127.0.0.1 loopback"
    cells=$(flow_cells "$csv" tcp "$tc" "$ts")
    [ "$(echo "$cells" | wc -l)" = 1 ] && [ -n "$cells" ] ||
        ct_fail "TCP flow $tc -> $ts: not exactly one row: [$cells]"
    set -- $cells
    expect_eq "TCP client packets (SYN, ACK, $TCP_SEGMENTS segments, RST)" "$1" \
        "$((TCP_SEGMENTS + 3))"
    # The server's kernel decides how many ACKs it sends: count them in
    # the capture with a display filter, independently of the flow table.
    server_pkts=$("$TSHARK" -r "$capture" -Y "tcp.srcport == $ts && tcp.dstport == $tc" \
        -T fields -e frame.number | wc -l)
    [ "$server_pkts" -ge 1 ] || ct_fail "no SYN-ACK from the TCP server in $capture"
    expect_eq "TCP server packets" "$2" "$server_pkts"
    expect_eq "TCP packets" "$3" "$(($1 + $2))"
    expect_eq "TCP endpoints and scope" "$4 $5 $6" "127.0.0.1 127.0.0.1 loopback"
}

# ---- cases --------------------------------------------------------------

case_help() {
    run help 0 --help
    expect_in "--help" "Usage: camtrace-capture" "$RUNS/help.out"
    expect_in "--help names Ctrl-C" "until you press" "$RUNS/help.out"
    expect_in "--help names Ctrl-C" "Ctrl-C" "$RUNS/help.out"
    run version 0 --version
    grep -qx "camtrace-capture [0-9][0-9.]*" "$RUNS/version.out" ||
        ct_fail "--version: $(cat "$RUNS/version.out")"
}

case_bad_flags() {
    local i=0 args
    while IFS= read -r args; do
        i=$((i + 1))
        # shellcheck disable=SC2086
        run "usage$i" 2 $args
        [ ! -s "$RUNS/usage$i.out" ] || ct_fail "usage error [$args] wrote to stdout"
        expect_in "usage error [$args]" "Try 'camtrace-capture --help'" "$RUNS/usage$i.err"
    done <<'EOF'
--duration 0
--duration -3
--duration 1.5
--duration abc
--count 0
--count -1
--pcap sample.pcap --duration 3
--pcap sample.pcap --count 3
--pcap sample.pcap --iface lo
--bogus
--duration
extra-argument
--iface= --duration 1
EOF
    expect_in "--duration 0" "1 or more" "$RUNS/usage1.err"
    expect_in "--pcap with --duration" "use one or the other" "$RUNS/usage7.err"
    [ ! -e "$RUNS/results" ] || ct_fail "a usage error made results/"
}

# --pcap: the exact report, and both files equal tshark's own export.
case_pcap() {
    local dir
    cp "$CT_WORK/sample.pcap" "$RUNS/"
    run pcap 0 --pcap sample.pcap --out-dir out
    dir=$(run_dir out)
    done_block sample.pcap "$dir" >"$RUNS/expected.out"
    diff -u "$RUNS/expected.out" "$RUNS/pcap.out" || ct_fail "--pcap: stdout differs"
    expect_eq "files in $dir" "$(ls "$RUNS/$dir" | tr '\n' ' ')" "enriched.csv flows.jsonl "
    "$TSHARK" -q -r "$RUNS/sample.pcap" -z camtrace,flows,jsonl >"$RUNS/want.jsonl"
    "$TSHARK" -q -r "$RUNS/sample.pcap" -z camtrace,flows >"$RUNS/want.csv"
    [ "$(wc -l <"$RUNS/want.csv")" -gt 20 ] || ct_fail "tshark exported no flows"
    # Enriched for real: the fixture databases know 8.8.8.8.
    grep -q ',8\.8\.8\.8,53,.*,15169,' "$RUNS/want.csv" || ct_fail "no enrichment in the export"
    cmp "$RUNS/want.jsonl" "$RUNS/$dir/flows.jsonl" || ct_fail "flows.jsonl differs from tshark's"
    cmp "$RUNS/want.csv" "$RUNS/$dir/enriched.csv" ||
        ct_fail "enriched.csv differs from tshark -z camtrace,flows"
    check_csv "$RUNS/$dir/enriched.csv"

    # Options in CAMTRACE_TSHARK, as README and --help show them
    # (CAMTRACE_TSHARK="tshark -o camtrace.ptr:FALSE"): they apply to the
    # export, and the plugin check still puts -G first.
    TSHARK_CMD="$TSHARK -o camtrace.ptr:FALSE" run options 0 --pcap sample.pcap --out-dir opts
    cmp "$RUNS/want.csv" "$RUNS/$(run_dir opts)/enriched.csv" ||
        ct_fail "options in CAMTRACE_TSHARK changed the export"

    # Default folder results/, named by the local time; taken names get -2.
    mkdir -p "$RUNS/busy"
    for i in $(seq 0 120); do
        mkdir -p "$RUNS/busy/$(date -d "@$(($(date +%s) + i))" +%Y%m%d-%H%M%S)"
    done
    run busy 0 --pcap sample.pcap --out-dir busy
    grep -q '^    CSV:    busy/[0-9]\{8\}-[0-9]\{6\}-2/enriched.csv$' "$RUNS/busy.out" ||
        ct_fail "a taken folder name was not given -2: $(cat "$RUNS/busy.out")"
    run default 0 --pcap "$RUNS/sample.pcap"
    dir=$(run_dir results)
    grep -qx 'results/[0-9]\{8\}-[0-9]\{6\}' <<<"$dir" || ct_fail "bad run folder $dir"
    done_block "$RUNS/sample.pcap" "$dir" >"$RUNS/expected.out"
    diff -u "$RUNS/expected.out" "$RUNS/default.out" || ct_fail "default folder: stdout differs"
    cmp "$RUNS/want.csv" "$RUNS/$dir/enriched.csv" || ct_fail "enriched.csv differs (results/)"
}

# Reverse DNS from our own server with hostile names (quotes, commas, a
# formula, escapes): the JSON Lines round trip still gives tshark's CSV.
case_pcap_ptr() {
    local dir
    cp "$CT_WORK/sample.pcap" "$RUNS/"
    ct_dnsd_start "$CT_SOURCE_DIR/tests/fixtures/sample.zone"
    make_wrapper "$CT_SANDBOX/tshark-ptr" "$CT_SANDBOX/plugins" \
        "-o camtrace.ptr:TRUE -o camtrace.dns_servers:127.0.0.1:$CT_DNS_PORT"
    TSHARK_CMD="$CT_SANDBOX/tshark-ptr" run ptr 0 --pcap sample.pcap --out-dir out
    dir=$(run_dir out)
    "$CT_SANDBOX/tshark-ptr" -q -r "$RUNS/sample.pcap" -z camtrace,flows >"$RUNS/want.csv"
    ct_dnsd_stop
    grep -q "\"'=HYPERLINK(\"\"http://evil.example\"\")" "$RUNS/want.csv" ||
        ct_fail "the hostile PTR name is not in tshark's export"
    cmp "$RUNS/want.csv" "$RUNS/$dir/enriched.csv" ||
        ct_fail "enriched.csv with PTR names differs from tshark -z camtrace,flows"
    check_csv "$RUNS/$dir/enriched.csv"
}

# Captures that cannot be used: named, with the reason, nothing left behind.
case_bad_pcap() {
    printf 'ts,proto\n1,2\n' >"$RUNS/notes.csv"
    : >"$RUNS/empty.pcap"
    mkdir "$RUNS/folder.pcap"
    # The file header and the first packet, less its last ten bytes.
    head -c $((24 + 16 + $(od -An -tu4 -j 32 -N 4 "$CT_WORK/sample.pcap") - 10)) \
        "$CT_WORK/sample.pcap" >"$RUNS/cut.pcap"

    run missing 1 --pcap missing.pcap --out-dir out
    expect_in "missing capture" "cannot read the capture missing.pcap: No such file" \
        "$RUNS/missing.err"
    run folder 1 --pcap folder.pcap --out-dir out
    expect_in "folder" "folder.pcap: Is a directory" "$RUNS/folder.err"
    run notes 1 --pcap notes.csv --out-dir out
    expect_in "not a capture" "notes.csv is not a capture file" "$RUNS/notes.err"
    run empty 1 --pcap empty.pcap --out-dir out
    expect_in "empty capture" "empty.pcap is not a capture file: it is empty" "$RUNS/empty.err"
    [ ! -e "$RUNS/out" ] || ct_fail "an unusable capture made a run folder"

    # Looks like pcap, but tshark cannot read it: tshark's own words.
    run cut 1 --pcap cut.pcap --out-dir out
    expect_in "tshark's error" "appears to have been cut short" "$RUNS/cut.err"
    expect_in "cut capture" "tshark could not export the flows of cut.pcap" "$RUNS/cut.err"
    [ -z "$(ls -A "$RUNS/out")" ] || ct_fail "a failed export left files: $(ls -R "$RUNS/out")"
    [ ! -s "$RUNS/cut.out" ] || ct_fail "a failed run printed Done"
}

case_programs() {
    cp "$CT_WORK/sample.pcap" "$RUNS/"
    TSHARK_CMD=/nonexistent/tshark run no_tshark 1 --pcap sample.pcap
    expect_in "missing tshark" "tshark not found: CAMTRACE_TSHARK=\"/nonexistent/tshark\"" \
        "$RUNS/no_tshark.err"
    (cd "$RUNS" && env -u CAMTRACE_TSHARK PATH=/nonexistent "$CT_CAPTURE" --pcap sample.pcap) \
        >/dev/null 2>"$RUNS/no_path.err" && ct_fail "ran without tshark in PATH"
    expect_in "tshark not in PATH" "tshark not found in PATH: install it (sudo apt-get install tshark)" \
        "$RUNS/no_path.err"
    CAMTRACE_DUMPCAP=/nonexistent/dumpcap run no_dumpcap 1 --iface lo --duration 1
    expect_in "missing dumpcap" "dumpcap not found" "$RUNS/no_dumpcap.err"
    [ ! -e "$RUNS/results" ] || ct_fail "a missing program made results/"

    # tshark without the plugin: an empty plugin folder, since WIRESHARK_
    # PLUGIN_DIR replaces the global folder (where CamTrace may be installed).
    mkdir -p "$CT_SANDBOX/no-plugins"
    make_wrapper "$CT_SANDBOX/tshark-bare" "$CT_SANDBOX/no-plugins"
    TSHARK_CMD="$CT_SANDBOX/tshark-bare" run no_plugin 1 --pcap sample.pcap
    expect_in "no plugin" "does not load the CamTrace plugin: \`tshark -G plugins\` does not list camtrace.so" \
        "$RUNS/no_plugin.err"
    if [ "$(id -u)" = 0 ]; then
        expect_in "no plugin, as root" "Wireshark run as root loads plugins only from its global folder" \
            "$RUNS/no_plugin.err"
    fi
    [ ! -e "$RUNS/results" ] || ct_fail "a missing plugin made results/"

    # A plugin without the flow export: tshark's first line, not its list.
    cat >"$CT_SANDBOX/tshark-old" <<'EOF'
#!/bin/sh
if [ "$1" = -G ]; then printf 'camtrace.so\t0.0.1\tdissector\t/x/camtrace.so\n'; exit 0; fi
printf 'tshark: Invalid -z argument "camtrace,flows,jsonl"; it must be one of:\n     afp,srt\n' >&2
exit 1
EOF
    chmod 755 "$CT_SANDBOX/tshark-old"
    TSHARK_CMD="$CT_SANDBOX/tshark-old" run old_plugin 1 --pcap sample.pcap
    expect_in "old plugin" "has no flow export" "$RUNS/old_plugin.err"
    grep -q "afp,srt" "$RUNS/old_plugin.err" && ct_fail "tshark's -z list was printed"
    [ -z "$(ls -A "$RUNS/results")" ] || ct_fail "a failed export left $(ls -R "$RUNS/results")"
}

case_bad_iface() {
    run bad_iface 1 --iface ct-nosuch0 --duration 1 --out-dir out
    expect_in "unknown interface" "unknown interface 'ct-nosuch0'; \`dumpcap -D\` lists:" \
        "$RUNS/bad_iface.err"
    grep -q "^    [0-9]*\. lo\b" "$RUNS/bad_iface.err" ||
        ct_fail "the interface list is missing: $(cat "$RUNS/bad_iface.err")"
    [ ! -e "$RUNS/out" ] || ct_fail "an unknown interface made a run folder"
}

# Capturing without privileges: dumpcap's message and how to get them.
case_no_permission() {
    local tool="$CT_SANDBOX/camtrace-capture"
    cp "$CT_CAPTURE" "$tool"
    chmod 755 "$tool"
    (cd "$CT_WORK" && setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
        env CAMTRACE_TSHARK="$TSHARK" "$tool" --iface lo --duration 1 --out-dir perm) \
        >"$RUNS/perm.out" 2>"$RUNS/perm.err" && ct_fail "nobody could capture"
    expect_in "no permission" "sudo usermod -aG wireshark \$USER" "$RUNS/perm.err"
    expect_in "no permission" "sudo dpkg-reconfigure wireshark-common" "$RUNS/perm.err"
    [ -z "$(ls -A "$CT_WORK/perm" 2>/dev/null)" ] || ct_fail "a failed capture left a folder"
}

# A real capture on lo, ended by --duration.
case_live_duration() {
    local ports dir pid rc=0
    python3 "$CT_SANDBOX/traffic.py" send "$RUNS/live/*/capture.pcapng" "$TCP_SEGMENTS" \
        >"$RUNS/ports.txt" &
    pid=$!
    BG_PIDS="$pid"
    run live 0 --iface lo --duration 4 --out-dir live
    wait "$pid" || ct_fail "the traffic helper failed"
    ports=$(cat "$RUNS/ports.txt")
    dir=$(run_dir live)
    done_block "$dir/capture.pcapng" "$dir" >"$RUNS/expected.out"
    diff -u "$RUNS/expected.out" "$RUNS/live.out" || ct_fail "live: stdout differs"
    check_csv "$RUNS/$dir/enriched.csv"
    check_traffic "$RUNS/$dir/enriched.csv" "$ports" "$RUNS/$dir/capture.pcapng"
    # Not a terminal: no progress line.
    grep -q $'\033' "$RUNS/live.err" && ct_fail "progress written to a file: $(cat "$RUNS/live.err")"
    # And the CSV is still tshark's own export of that capture.
    "$TSHARK" -q -r "$RUNS/$dir/capture.pcapng" -z camtrace,flows >"$RUNS/want.csv" || rc=$?
    [ "$rc" = 0 ] || ct_fail "tshark failed on the live capture"
    cmp "$RUNS/want.csv" "$RUNS/$dir/enriched.csv" || ct_fail "live enriched.csv differs"
}

# No stop condition: SIGINT ends the capture, the export goes on.
case_live_sigint() {
    local ports dir pid rc=0
    python3 "$CT_SANDBOX/traffic.py" send "$RUNS/int/*/capture.pcapng" "$TCP_SEGMENTS" \
        >"$RUNS/ports.txt" &
    local helper=$!
    (cd "$RUNS" && CAMTRACE_TSHARK="$TSHARK" exec "$CT_CAPTURE" --iface lo --out-dir int) \
        >"$RUNS/int.out" 2>"$RUNS/int.err" &
    pid=$!
    BG_PIDS="$helper $pid"
    wait "$helper" || ct_fail "the traffic helper failed"
    ports=$(cat "$RUNS/ports.txt")
    # Ctrl-C only once dumpcap has written our packets to the file.
    python3 "$CT_SANDBOX/traffic.py" wait "$RUNS/int/*/capture.pcapng" $ports "$TCP_SEGMENTS" ||
        ct_fail "the capture did not get the traffic"
    kill -INT "$pid"
    for _ in $(seq 1200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        for child in $(pgrep -P "$pid"); do
            kill -INT "$child" || true
        done
        ct_fail "still capturing 120 s after SIGINT: $(cat "$RUNS/int.err")"
    fi
    wait "$pid" || rc=$?
    BG_PIDS=""
    [ "$rc" = 0 ] || ct_fail "SIGINT: exit status $rc: $(cat "$RUNS/int.err")"
    expect_in "SIGINT" "capturing on lo until Ctrl-C" "$RUNS/int.err"
    dir=$(run_dir int)
    done_block "$dir/capture.pcapng" "$dir" >"$RUNS/expected.out"
    diff -u "$RUNS/expected.out" "$RUNS/int.out" || ct_fail "SIGINT: stdout differs"
    check_traffic "$RUNS/$dir/enriched.csv" "$ports" "$RUNS/$dir/capture.pcapng"
}

# --count N: exactly N packets captured, and the flows add up to them;
# on a terminal, a progress line.
case_live_count() {
    local dir pid packets total
    python3 "$CT_SANDBOX/traffic.py" chatter "$RUNS/stop" &
    pid=$!
    BG_PIDS="$pid"
    run count 0 --iface lo --count 3 --out-dir count
    dir=$(run_dir count)
    packets=$(python3 "$CT_SANDBOX/traffic.py" packets "$RUNS/$dir/capture.pcapng")
    expect_eq "packets captured with --count 3" "$packets" 3
    total=$(python3 -c 'import csv, sys
print(sum(int(r["pkts"]) for r in csv.DictReader(open(sys.argv[1], newline=""))))' \
        "$RUNS/$dir/enriched.csv")
    expect_eq "packets in the flows of --count 3" "$total" 3

    if command -v script >/dev/null; then
        (cd "$RUNS" && CAMTRACE_TSHARK="$TSHARK" script -qec \
            "'$CT_CAPTURE' --iface lo --duration 2 --out-dir tty" /dev/null) \
            >"$RUNS/tty.txt" </dev/null || ct_fail "on a terminal: $(cat "$RUNS/tty.txt")"
        grep -q $'\r\033\[Kcamtrace-capture: capturing on lo: [0-9]* s left, [0-9]* packets' \
            "$RUNS/tty.txt" || ct_fail "no progress line on a terminal: $(cat -v "$RUNS/tty.txt")"
        grep -q "\[+\] Done!" "$RUNS/tty.txt" || ct_fail "on a terminal: no Done: $(cat -v "$RUNS/tty.txt")"
    else
        echo "SKIP: no script(1), progress line on a terminal not tested"
    fi
    touch "$RUNS/stop"
    wait "$pid" || true
    BG_PIDS=""
}

cleanup() {
    local p
    for p in ${BG_PIDS:-}; do
        kill "$p" 2>/dev/null || true
    done
    ct_dnsd_stop
    rm -rf "$CT_SANDBOX"
}

ct_sandbox_init
trap cleanup EXIT
BG_PIDS=""
TSHARK="$CT_SANDBOX/tshark"
make_wrapper "$TSHARK" "$CT_SANDBOX/plugins"
write_traffic_helper
chmod -R a+rX "$CT_SANDBOX"

cases="help bad_flags pcap pcap_ptr bad_pcap programs bad_iface"
if [ "$(id -u)" = 0 ]; then
    cases="$cases no_permission live_duration live_sigint live_count"
else
    echo "SKIP: live capture cases (not root; capturing on lo needs privileges here)"
fi
for c in ${1:-$cases}; do
    RUNS="$CT_SANDBOX/runs-$c"
    mkdir -p "$RUNS"
    chmod 755 "$RUNS"
    "case_$c"
    ct_sanitizer_check
    echo "PASS: $c"
done
