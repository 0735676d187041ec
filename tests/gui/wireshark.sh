#!/bin/bash
# wireshark.sh - the real Wireshark (the Qt GUI) with the built plugin and
# the CamTrace profile, on a virtual X screen (Xvfb, no window manager),
# capturing live from a named pipe that data/sample.pcap is fed into,
# driven with xdotool's keys and clicks as a person would drive it:
#   - the main window appears and no other window (a warning or error
#     dialog, titled or not) appears, from start to quit; Wireshark says
#     nothing on stderr about CamTrace or plugins, and no warning of its
#     own (preferences, the profile's files, the capture);
#   - the packet list shows the CamTrace profile's columns (read from
#     data/profiles/CamTrace/preferences) filled: every row of the
#     conversation with 52.94.236.248 (a public peer named by its TLS
#     server name), copied out of the packet list with Edit > Copy > As CSV,
#     has every CamTrace column non-empty, the value tshark gives for it on
#     the file Wireshark wrote (-w), and the fixture's values;
#   - Statistics > CamTrace Flows (opened with -z camtrace,flowtable, as
#     the plugin registers it) shows its window, and, after Apply, a table
#     (copied with its Copy button) with that flow and its organization;
#   - Wireshark quits on Ctrl+Q without asking anything, with status 0.
# Without the plugin Wireshark refuses -z camtrace,flowtable and the
# columns stay empty: the test fails, it never skips.  It leaves a
# screenshot of the screen in CT_GUI_SCREENSHOT (the build folder's
# gui-wireshark.png under ctest).  With CT_GUI_PACKET_LIST=FILE it also
# writes the main window alone there (the packet list with the CamTrace
# columns, 1600 pixels wide; no bytes pane): tools/screenshot.sh makes
# docs/camtrace-packet-list.png so.
#
# Wireshark runs as sandbox.sh runs tshark: as nobody when we are root, in
# a throw-away HOME and configuration folder, with WIRESHARK_PLUGIN_DIR
# set to a copy of the build's plugins and the fixture databases.  Every
# wait polls with a time limit; the only fixed pauses are those between
# the keys that copy a row (0.1 s, longer when a copy is tried again).
. "$(dirname "$0")/../golden/sandbox.sh"

WIDTH=1600
HEIGHT=900
PEER=52.94.236.248

for prog in wireshark Xvfb xdotool xclip xwd xwdtopnm pnmcut pnmtopng; do
    command -v "$prog" >/dev/null ||
        ct_fail "$prog is not installed (tools/install-deps.sh installs it)"
done

XVFB_PID=""
WS_PID=""
FEED_PID=""
gui_stop() {
    local pid
    # Wireshark's dumpcap first: it outlives a killed Wireshark.
    [ -z "$WS_PID" ] || kill -KILL $(pgrep -P "$WS_PID") 2>/dev/null || true
    for pid in $FEED_PID $WS_PID $XVFB_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    FEED_PID=""
    WS_PID=""
    XVFB_PID=""
}

# gui_fail MESSAGE: a screenshot of how the screen looked, then fail.
gui_fail() {
    [ -z "${DISPLAY:-}" ] || shoot "$CT_GUI_SCREENSHOT" 2>/dev/null || true
    if [ -n "${DISPLAY:-}" ]; then
        echo "windows on the screen:" >&2
        windows | sed 's/^/  /' >&2
    fi
    echo "wireshark's stderr:" >&2
    cat "$CT_SANDBOX/wireshark.err" >&2 2>/dev/null || true
    ct_fail "$* (screenshot: $CT_GUI_SCREENSHOT)"
}

# poll SECONDS WHAT COMMAND...: run COMMAND every 0.05 s until it succeeds;
# fail naming WHAT after SECONDS, or at once when Wireshark exits or
# (once its main window is there) another window appears.
poll() {
    local secs=$1 what=$2 i=0 deadline=$((SECONDS + $1))
    shift 2
    echo "gui.wireshark: waiting up to $secs s for $what" >&2
    while [ "$SECONDS" -le "$deadline" ]; do
        "$@" && return 0
        [ -z "$WS_PID" ] || kill -0 "$WS_PID" 2>/dev/null || gui_fail "Wireshark exited while waiting for $what"
        # A dialog that came up meanwhile fails at once.
        i=$((i + 1))
        [ -z "${MAIN:-}" ] || [ $((i % 10)) != 0 ] || no_dialog
        sleep 0.05
    done
    gui_fail "timed out after $secs s waiting for $what"
}

# shoot FILE [CUT...]: the X screen as PNG (pnmcut's arguments crop it).
shoot() {
    local file=$1
    shift
    xwd -root -silent | xwdtopnm 2>/dev/null | pnmcut "$@" | pnmtopng -compression 9 >"$file.new" 2>/dev/null &&
        mv "$file.new" "$file"
}

# windows: Wireshark's visible top-level windows (by _NET_WM_PID, titled
# or not: a dialog that Qt has not painted yet may have no WM_NAME), as
# "ID TITLE" lines.
windows() {
    local id
    [ -n "$WS_PID" ] || return 0
    for id in $(xdotool search --maxdepth 1 --onlyvisible --pid "$WS_PID" 2>/dev/null); do
        echo "$id $(xdotool getwindowname "$id" 2>/dev/null || true) ($(xdotool getwindowgeometry "$id" 2>/dev/null |
            sed -n 's/.*Geometry: //p'))"
    done
}

# no_dialog: no window is visible but the main window and the flows
# window: a warning or error dialog fails the test, named by its title.
no_dialog() {
    local line others
    others=$(windows | while read -r line; do
        case "${line%% *}" in "$MAIN" | "${FLOWS:-none}") continue ;; esac
        case "$line" in *" Wireshark · CamTrace Flows · "*) continue ;; esac
        echo "  ${line#* }"
    done)
    [ -z "$others" ] || gui_fail "a window other than Wireshark's main window appeared:
$others"
}

# find_window PATTERN: the id of the visible window whose title matches
# PATTERN (a regular expression), in FOUND.
find_window() {
    FOUND=$(xdotool search --all --maxdepth 1 --onlyvisible --pid "$WS_PID" --name "$1" 2>/dev/null |
        head -n 1)
    [ -n "$FOUND" ]
}

title_is() {
    case "$(xdotool getwindowname "$1" 2>/dev/null)" in $2) return 0 ;; esac
    return 1
}

# focus WINDOW: the keyboard to WINDOW (there is no window manager to
# activate it).
focus() {
    xdotool windowfocus --sync "$1"
}

clipboard() {
    timeout 5 xclip -o -selection clipboard -t UTF8_STRING 2>/dev/null
}

# clipboard_has TEXT: the clipboard holds TEXT.
clipboard_has() {
    clipboard | grep -qF -- "$1"
}

# row_copied N: the clipboard holds a CSV row of packet N.
row_copied() {
    clipboard | grep -q "^\"$1\","
}

# copy_row N: packet N selected (Go > Go to Packet, Ctrl+G) and copied
# with Edit > Copy > As CSV; its CSV (header and row) in $CT_SANDBOX/row.csv.
# Keys typed while the Go to Packet bar or a menu opens can go to the
# packet list instead, more often the busier the machine: then the row is
# not in the clipboard, and the keys are sent again, slower each time
# (0.1 s between them, then 0.2, 0.4, 0.8 s) with a longer wait for the
# clipboard (2, 4, 6, 8 s), for 5 tries and at least 40 s.
COPY_RETRIES=0
copy_row() {
    local try gap polls deadline=$((SECONDS + 40)) i
    for ((try = 0; try < 5 || SECONDS < deadline; try++)); do
        gap=$((100 << (try < 3 ? try : 3)))
        polls=$((40 * (try < 3 ? try + 1 : 4)))
        focus "$MAIN"
        xdotool key Escape ctrl+g sleep "0.$((gap / 100))" type "$1"
        xdotool key --delay "$gap" Return alt+e Right c
        for ((i = 0; i < polls; i++)); do
            if row_copied "$1"; then
                clipboard >"$CT_SANDBOX/row.csv"
                return 0
            fi
            kill -0 "$WS_PID" 2>/dev/null || gui_fail "Wireshark exited while copying packet $1"
            sleep 0.05
        done
        xdotool key --delay "$gap" Escape Escape
        COPY_RETRIES=$((COPY_RETRIES + 1))
        echo "gui.wireshark: packet $1 not copied (try $((try + 1)), $gap ms between keys); the clipboard: $(clipboard | head -c 200)" >&2
    done
    gui_fail "packet $1 did not reach the clipboard (Go to Packet, Edit > Copy > As CSV, $try times in 40 s)"
}

ct_sandbox_init
# A step that never returns (the polls have their own limits, the other
# commands none) says where it hung before ctest's timeout ends us.
# Its sleep keeps no output open, so ctest does not wait for it.
(
    sleep 150 </dev/null >/dev/null 2>&1
    echo "gui.wireshark: still running after 150 s; the processes:" >&2
    ps -eo pid,ppid,etime,args --forest >&2
) &
WATCHDOG_PID=$!
watchdog_stop() {
    kill $(pgrep -P "$WATCHDOG_PID") "$WATCHDOG_PID" 2>/dev/null || true
}
trap 'watchdog_stop; gui_stop; ct_dnsd_stop; rm -rf "$CT_SANDBOX"' EXIT
CT_GUI_SCREENSHOT=${CT_GUI_SCREENSHOT:-$PWD/gui-wireshark.png}
rm -f "$CT_GUI_SCREENSHOT"

# The CamTrace profile as the build ships it, in the sandbox's
# configuration folder; Wireshark's temporary files and the X runtime
# folder in the sandbox too.
mkdir -p "$CT_SANDBOX/config/profiles" "$CT_SANDBOX/run" "$CT_SANDBOX/tmp"
cp -r "$CT_SOURCE_DIR/data/profiles/CamTrace" "$CT_SANDBOX/config/profiles/"
chmod 0700 "$CT_SANDBOX/run"
# The main window fills the top of the screen.
cat >"$CT_SANDBOX/config/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $WIDTH
gui.geometry_main_height: $HEIGHT
gui.geometry_main_maximized: FALSE
EOF
# For the picture of the packet list: a taller list, no bytes pane.
if [ -n "${CT_GUI_PACKET_LIST:-}" ]; then
    printf '%s\n' "gui.byte_view_show: FALSE" "gui.geometry_main_upper_pane: $((HEIGHT * 2 / 3))" \
        >>"$CT_SANDBOX/config/profiles/CamTrace/recent"
fi
if [ "$(id -u)" = 0 ]; then
    chown -R nobody:nogroup "$CT_SANDBOX/config" "$CT_SANDBOX/run" "$CT_SANDBOX/tmp"
fi

# The profile's CamTrace columns: (title, field) from gui.column.format.
mapfile -t COLUMNS < <(awk '/^gui\.column\.format:/ { on = 1; next } on && /^[^ \t]/ { on = 0 }
    on && /%Cus:camtrace\./ { if (match($0, /"[^"]*", "%Cus:[^:"]*/)) {
        s = substr($0, RSTART + 1, RLENGTH - 1); split(s, p, "\", \"%Cus:"); print p[1] "\t" p[2] } }' \
    "$CT_SOURCE_DIR/data/profiles/CamTrace/preferences")
[ "${#COLUMNS[@]}" -ge 6 ] || ct_fail "only ${#COLUMNS[@]} CamTrace columns in the profile: ${COLUMNS[*]}"

# A free display of our own: Xvfb picks it (-displayfd).  -noreset: an X
# server resets when its last client leaves (our xdotool probe), and a
# client connecting then (Wireshark) is refused.
: >"$CT_SANDBOX/display"
Xvfb -displayfd 5 -screen 0 "${WIDTH}x$((HEIGHT * 2))x24" -nolisten tcp -noreset \
    5>"$CT_SANDBOX/display" 2>"$CT_SANDBOX/xvfb.err" &
XVFB_PID=$!
poll 20 "Xvfb to start" test -s "$CT_SANDBOX/display"
export DISPLAY=":$(head -n 1 "$CT_SANDBOX/display")"
display_up() { xdotool getdisplaygeometry >/dev/null 2>&1; }
poll 20 "the X display $DISPLAY" display_up

# start_wireshark TITLES ARGS...: Wireshark with the CamTrace profile and
# the test databases, and ARGS; it lists no interfaces and no extcap
# programs (the test needs none, and dumpcap hangs listing them under a
# preloaded sanitizer runtime), and not our end of the pipe (fd 3: the
# capture ends when we close it).  Its pid in WS_PID, stderr in
# $CT_SANDBOX/wireshark.err; its main window (whose title matches TITLES)
# in MAIN once it is there.
RUN=0
start_wireshark() {
    local titles=$1
    shift
    RUN=$((RUN + 1))
    MAIN="" FLOWS=""
    (cd "$CT_WORK" && exec $CT_RUN_AS env -i PATH="$PATH" LANG=C.UTF-8 TZ=UTC DISPLAY="$DISPLAY" \
        HOME="$CT_SANDBOX/home" XDG_RUNTIME_DIR="$CT_SANDBOX/run" TMPDIR="$CT_SANDBOX/tmp" \
        WIRESHARK_CONFIG_DIR="$CT_SANDBOX/config" WIRESHARK_PLUGIN_DIR="$CT_SANDBOX/plugins" \
        WIRESHARK_EXTCAP_DIR="$CT_SANDBOX/extcap" CAMTRACE_DATA_PATH="$CT_DATA_PATH" \
        ${SAN_VARS[@]+"${SAN_VARS[@]}"} \
        wireshark -C CamTrace -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb" \
        -o camtrace.home_country:DE -o camtrace.ptr:FALSE \
        -o capture.no_interface_load:TRUE -o capture.no_extcap:TRUE "$@") \
        >"$CT_SANDBOX/wireshark.out" 2>"$CT_SANDBOX/wireshark.err" 3>&- &
    WS_PID=$!
    poll 30 "Wireshark's main window" find_window "$titles"
    MAIN=$FOUND
}

# quit_wireshark: Ctrl+Q; Wireshark must quit without asking anything
# (the capture is saved, -w), with status 0, and say nothing of the above
# on stderr: Wireshark's own warnings (preferences, the profile, the
# capture) and anything about CamTrace or plugins fail too.
quit_wireshark() {
    local rc=0 i
    focus "$MAIN"
    xdotool key ctrl+q
    for ((i = 0; i < 150; i++)); do
        kill -0 "$WS_PID" 2>/dev/null || break
        sleep 0.1
    done
    ! kill -0 "$WS_PID" 2>/dev/null || gui_fail "Wireshark did not quit on Ctrl+Q"
    wait "$WS_PID" || rc=$?
    WS_PID=""
    expect_eq "Wireshark's exit status" "$rc" 0
    cp "$CT_SANDBOX/wireshark.err" "$CT_SANDBOX/wireshark.$RUN.err"
    if grep -iE "camtrace:|plugin|\[(Epan|Main|Capture|Wiretap|DFilter)[^]]* (WARNING|ERROR|CRITICAL)\]" \
        "$CT_SANDBOX/wireshark.err"; then
        ct_fail "Wireshark said the above on stderr"
    fi
}

mapfile -t SAN_VARS < <(CT_SANITIZER_LEAKS=0 ct_sanitizer_env)

# 1. Wireshark capturing from a named pipe (dumpcap reads it; nothing
# leaves the machine), writing what it captures to capture.pcapng.
FIFO="$CT_SANDBOX/feed.fifo"
mkfifo -m 0644 "$FIFO"
CAPTURE="$CT_WORK/capture.pcapng"
# The capture, into the pipe (read and write: opening does not wait for
# dumpcap, and only closing it ends the capture); dumpcap reads it once
# Wireshark has started.
exec 3<>"$FIFO"
timeout 60 cat "$CT_WORK/sample.pcap" >&3 &
FEED_PID=$!
# The main window's title names the pipe while it captures (Wireshark
# itself before).
start_wireshark "feed\.fifo|capture\.pcapng|Wireshark Network Analyzer" -i "$FIFO" -k -w "$CAPTURE"
no_dialog
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" "$WIDTH" "$HEIGHT"

# Closing the pipe once dumpcap has read everything ends the capture.
fed() { ! kill -0 "$FEED_PID" 2>/dev/null; }
poll 60 "the capture to go into the pipe" fed
wait "$FEED_PID" || gui_fail "could not write the capture into the pipe"
FEED_PID=""
pipe_unread() {
    python3 -c 'import fcntl, struct, termios
print(struct.unpack("i", fcntl.ioctl(3, termios.FIONREAD, b"0000"))[0])'
}
pipe_read() { [ "$(pipe_unread)" = 0 ]; }
poll 30 "dumpcap to read the pipe" pipe_read
exec 3>&-
captured() { ! title_is "$MAIN" "*Capturing*" && title_is "$MAIN" "*capture.pcapng*"; }
poll 30 "the capture to end (the main window's title: $(xdotool getwindowname "$MAIN"))" captured
no_dialog

# What Wireshark captured, read back with tshark and the same profile:
# every packet, and the CamTrace fields of the peer's conversation.
chmod a+r "$CAPTURE" 2>/dev/null || true
expect_eq "packets Wireshark captured" "$(ct_tshark -- -r "$CAPTURE" -T fields -e frame.number | wc -l)" 174
field_args=()
for col in "${COLUMNS[@]}"; do
    field_args+=(-e "${col#*	}")
done
# Wireshark dissects a row of the list again when it shows it, so a name
# learned later in the capture (a TLS server name after the DNS answer)
# may show in a row that one pass (tshark) gives the earlier name, as two
# passes (tshark -2) do: a cell must be what one of them gives.
for pass in 1 2; do
    passes=()
    [ "$pass" = 1 ] || passes=(-2)
    ct_tshark -- -r "$CAPTURE" ${passes[@]+"${passes[@]}"} -C CamTrace \
        -o "camtrace.asn_db:$CT_DB/asn.mmdb" -o "camtrace.city_db:$CT_DB/city.mmdb" \
        -o camtrace.home_country:DE -o camtrace.ptr:FALSE -Y "ip.addr == $PEER" \
        -T fields -E separator=, -E quote=d -e frame.number "${field_args[@]}" \
        >"$CT_SANDBOX/peer.tshark$pass" || gui_fail "tshark -r on Wireshark's capture failed"
done
expect_eq "packets with $PEER" "$(wc -l <"$CT_SANDBOX/peer.tshark1")" 41
expect_eq "packets with $PEER, two passes" "$(wc -l <"$CT_SANDBOX/peer.tshark2")" 41

# The packet list, row by row, as Wireshark shows it: every CamTrace
# column filled, as tshark fills it.
: >"$CT_SANDBOX/rows.csv"
while IFS=, read -r number _; do
    number=${number//\"/}
    copy_row "$number"
    [ -s "$CT_SANDBOX/rows.csv" ] || head -n 1 "$CT_SANDBOX/row.csv" >"$CT_SANDBOX/rows.csv"
    grep "^\"$number\"," "$CT_SANDBOX/row.csv" >>"$CT_SANDBOX/rows.csv"
done <"$CT_SANDBOX/peer.tshark1"
python3 - "$CT_SANDBOX/rows.csv" "$CT_SANDBOX/peer.tshark1" "$CT_SANDBOX/peer.tshark2" \
    "${COLUMNS[@]}" <<'PY' || gui_fail "the packet list's CamTrace columns"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
header = rows[0]
def tshark(path):
    return {r[0]: r[1:] for r in csv.reader(open(path, encoding="utf-8"))}
one, two = tshark(sys.argv[2]), tshark(sys.argv[3])
assert len(rows) - 1 == len(one), f"{len(rows) - 1} rows copied of {len(one)}"
for row in rows[1:]:
    number = row[0]
    for i, (title, field) in enumerate(c.split("\t") for c in sys.argv[4:]):
        if title not in header:
            sys.exit(f"no column {title!r} in the packet list: {header}")
        got = row[header.index(title)]
        if not got:
            sys.exit(f"packet {number}: column {title!r} ({field}) is empty: {row}")
        if got not in (one[number][i], two[number][i]):
            sys.exit(f"packet {number}: column {title!r} ({field}) shows {got!r}, "
                     f"tshark {one[number][i]!r} (one pass) or {two[number][i]!r} (two passes)")
PY
# The fixture's values for the peer, in the last row copied.
for want in device-metrics-us.amazon.com sni 16509 AMAZON-02 US Ashburn; do
    grep -qF "\"$want\"" "$CT_SANDBOX/row.csv" || gui_fail "no $want in the packet list: $(cat "$CT_SANDBOX/row.csv")"
done
no_dialog
if [ -n "${CT_GUI_PACKET_LIST:-}" ]; then
    shoot "$CT_GUI_PACKET_LIST" -left 0 -top 0 -width "$WIDTH" -height "$HEIGHT" ||
        gui_fail "could not write $CT_GUI_PACKET_LIST"
fi

quit_wireshark

# 2. Statistics > CamTrace Flows, on the capture Wireshark wrote: opened
# with -z (as the plugin registers it) while the file opens, its Apply
# button taps the packets again, its Copy button puts the table in the
# clipboard.  (Wireshark 4.4 and later close such a window when a live
# capture ends, so it is opened on the file.)  Both buttons are clicked
# with the mouse, where Wireshark's dialog puts them: the bottom right
# corner, Copy left of Save as... and Close, Apply above Close (keys
# typed without a window manager can go to the main window instead).
start_wireshark "capture\.pcapng|Wireshark Network Analyzer" -r "$CAPTURE" -z camtrace,flowtable
poll 30 "the CamTrace Flows window (-z camtrace,flowtable)" find_window "CamTrace Flows"
FLOWS=$FOUND
no_dialog
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" "$WIDTH" "$HEIGHT"
xdotool windowmove "$FLOWS" 0 "$HEIGHT" windowsize "$FLOWS" "$WIDTH" "$((HEIGHT - 50))"
loaded() { title_is "$MAIN" "*capture.pcapng*"; }
poll 30 "Wireshark to open $CAPTURE" loaded
click_flows() {
    local w h
    eval "$(xdotool getwindowgeometry --shell "$FLOWS" | grep -E '^(WIDTH|HEIGHT)=')"
    w=$WIDTH h=$HEIGHT
    WIDTH=$GUI_WIDTH HEIGHT=$GUI_HEIGHT
    xdotool mousemove --window "$FLOWS" $((w - $1)) $((h - $2)) click 1
}
GUI_WIDTH=$WIDTH GUI_HEIGHT=$HEIGHT
flows_copied() { clipboard_has "CamTrace Flows" && clipboard | grep -q "$PEER"; }
click_flows 52 55
# Apply may still be tapping: Copy again until the flows are there.
press_copy() {
    local j
    click_flows 236 24
    for ((j = 0; j < 20; j++)); do
        flows_copied && return 0
        sleep 0.05
    done
    no_dialog
    return 1
}
poll 20 "the CamTrace Flows table in the clipboard (its Copy button)" press_copy
clipboard >"$CT_SANDBOX/flows.txt"
# (Columns come in another order in Wireshark 4.4's copy.)
grep -F "$PEER" "$CT_SANDBOX/flows.txt" | grep -qF AMAZON-02 ||
    gui_fail "the CamTrace Flows table has no AMAZON-02 flow with $PEER: $(cat "$CT_SANDBOX/flows.txt")"
no_dialog
shoot "$CT_GUI_SCREENSHOT" || gui_fail "could not write $CT_GUI_SCREENSHOT"
quit_wireshark
ct_sanitizer_check
echo "PASS: gui.wireshark in $SECONDS s, $COPY_RETRIES rows copied again (screenshot: $CT_GUI_SCREENSHOT)"
