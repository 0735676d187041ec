# sandbox.sh - run tshark with the freshly built plugin, as an unprivileged
# user, in a throw-away configuration.  Sourced by the golden tests.
#
# Wireshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when
# it runs as root (wsutil/privileges.c), and CI runs as root.  So when we are
# root, tshark runs as "nobody" through setpriv, on copies of the plugin,
# databases and captures under /tmp that nobody can read.  Every run gets
# its own HOME and WIRESHARK_CONFIG_DIR, so user preferences never leak in,
# and CAMTRACE_DATA_PATH names the sandbox's own data folders (its HOME's
# ~/.local/share/camtrace and $CT_SANDBOX/system), so databases installed
# on the machine never do either.
#
# Required variables: CT_PLUGIN_DIR (the build's plugins/ folder),
# CT_TEST_DB_DIR (fixture databases), CT_SOURCE_DIR (the source tree).

set -eu

ct_fail() {
    echo "FAIL: $*" >&2
    exit 1
}

ct_sandbox_init() {
    CT_SANDBOX=$(mktemp -d /tmp/camtrace-test.XXXXXX)
    CT_DNSD_PID=""
    trap 'ct_dnsd_stop; rm -rf "$CT_SANDBOX"' EXIT
    mkdir -p "$CT_SANDBOX/home" "$CT_SANDBOX/config" "$CT_SANDBOX/work" "$CT_SANDBOX/db" \
        "$CT_SANDBOX/extcap" "$CT_SANDBOX/system"
    cp -r "$CT_PLUGIN_DIR" "$CT_SANDBOX/plugins"
    cp "$CT_TEST_DB_DIR"/*.mmdb "$CT_SANDBOX/db/"
    cp "$CT_SOURCE_DIR"/data/*.pcap* "$CT_SANDBOX/work/" 2>/dev/null || true
    if [ -n "${CT_SANITIZER_PRELOAD:-}" ]; then
        mkdir -p "$CT_SANDBOX/san"
        cp "$CT_KEEP_LOADED" "$CT_SANDBOX/keep-loaded.so"
    fi
    # Reverse DNS is off unless a test turns it on with a server of its own
    # on loopback: tests never send DNS anywhere else.
    echo "camtrace.ptr: FALSE" >"$CT_SANDBOX/config/preferences"
    chmod -R a+rX "$CT_SANDBOX"
    if [ "$(id -u)" = 0 ]; then
        CT_RUN_AS="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
        chown -R nobody:nogroup "$CT_SANDBOX/home" "$CT_SANDBOX/config" "$CT_SANDBOX/work"
        [ ! -d "$CT_SANDBOX/san" ] || chown nobody:nogroup "$CT_SANDBOX/san"
    else
        CT_RUN_AS=""
    fi
    CT_DB="$CT_SANDBOX/db"
    CT_WORK="$CT_SANDBOX/work"
    CT_DATA_PATH="$CT_SANDBOX/home/.local/share/camtrace:$CT_SANDBOX/system"
    ct_require_plugin
}

# ct_sanitizer_env: in a sanitizer build, the environment (VAR=value lines)
# that loads the plugin into tshark: the ASan runtime first, as tshark is
# not instrumented (CT_SANITIZER_PRELOAD, from CMake), and reports to
# files that ct_sanitizer_check reads.  Nothing otherwise.
ct_sanitizer_env() {
    local leaks="fast_unwind_on_malloc=0:detect_leaks=1"
    [ -n "${CT_SANITIZER_PRELOAD:-}" ] || return 0
    # Leak stacks must unwind through GLib, which has no frame pointers:
    # the slow unwinder on every malloc makes tshark several times slower,
    # so CT_SANITIZER_LEAKS=0 (the capture fuzzer) checks errors only.
    [ "${CT_SANITIZER_LEAKS:-1}" = 1 ] || leaks="detect_leaks=0"
    printf '%s\n' "LD_PRELOAD=$CT_SANITIZER_PRELOAD $CT_SANDBOX/keep-loaded.so" \
        "ASAN_OPTIONS=$leaks:exitcode=0:log_path=$CT_SANDBOX/san/report" \
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$CT_SANDBOX/san/report"
}

# ct_tshark [VAR=value ...] -- ARGS...: tshark in the sandbox, from $CT_WORK,
# with only the variables given (plus PATH and the sandbox's own; a
# variable given wins over those) in its environment.  No extcap
# programs: tests need none, and under a preloaded sanitizer runtime some
# of Debian's hang when tshark asks them for their interfaces.  With
# -T fields, the output is normalised as Wireshark 4.0 prints it (see
# ct_fields_normalize); the exit status is tshark's.
ct_tshark() {
    local vars=() prev="" arg fields=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        vars+=("$1")
        shift
    done
    [ "${1:-}" = "--" ] && shift
    mapfile -t -O "${#vars[@]}" vars < <(ct_sanitizer_env)
    for arg in "$@"; do
        { [ "$prev" = -T ] && [ "$arg" = fields ]; } || [ "$arg" = -Tfields ] && fields=1
        prev=$arg
    done
    if [ -z "$fields" ]; then
        ct_tshark_raw "${vars[@]}" -- "$@"
        return
    fi
    ct_tshark_raw "${vars[@]}" -- "$@" | ct_fields_normalize
    return "${PIPESTATUS[0]}"
}

# CT_TSHARK_TIMEOUT=SECONDS (in the test's shell, not among the VARs)
# bounds the run: tshark is stopped then, and the status is timeout's 124.
ct_tshark_raw() {
    local vars=() bound=()
    while [ "$1" != "--" ]; do
        vars+=("$1")
        shift
    done
    shift
    [ -z "${CT_TSHARK_TIMEOUT:-}" ] || bound=(timeout -k 5 "$CT_TSHARK_TIMEOUT")
    # timeout outside env -i: a sanitizer runtime is preloaded into tshark only.
    (cd "$CT_WORK" && $CT_RUN_AS ${bound[@]+"${bound[@]}"} env -i PATH="$PATH" LANG=C.UTF-8 TZ=UTC \
        HOME="$CT_SANDBOX/home" WIRESHARK_CONFIG_DIR="$CT_SANDBOX/config" \
        WIRESHARK_PLUGIN_DIR="$CT_SANDBOX/plugins" WIRESHARK_EXTCAP_DIR="$CT_SANDBOX/extcap" \
        CAMTRACE_DATA_PATH="$CT_DATA_PATH" ${vars[@]+"${vars[@]}"} tshark "$@")
}

# ct_fields_normalize: tshark -T fields output (stdin to stdout) as
# Wireshark 4.0 prints it.  Later versions changed their own printing:
# 4.2 doubles every backslash (CamTrace writes one only to start a \DDD
# escape, never two in a row, so halving them is exact), and 4.6 prints
# booleans as True/False where 4.0 prints 1/0.  Baselines then hold what
# CamTrace adds, the same on every version.
ct_fields_normalize() {
    sed -e 's/\\\\/\\/g' | awk 'BEGIN { FS = OFS = "\t" }
        { for (i = 1; i <= NF; i++) { if ($i == "True") $i = 1; else if ($i == "False") $i = 0 } print }'
}

# ct_tree_normalize: tshark -V/-O output (stdin to stdout) reduced to what
# CamTrace adds: a "Frame N" line per packet, then the lines of its
# CamTrace tree.  Other protocols' summaries change between Wireshark
# versions (4.6 adds the record type to the frame line, manufacturer
# names get longer); they are not ours to test.
ct_tree_normalize() {
    awk '/^Frame [0-9]+:/ { sub(/:.*/, ""); print; next }
        /^\[CamTrace IP enrichment\]/ { print; on = 1; next }
        on && /^ / { print; next }
        { on = 0 }
        /^$/ { print }'
}

# In a sanitizer build: fail on any AddressSanitizer or UBSan error, and on
# any leak whose allocation passed through CamTrace's code.  tshark 4.0
# leaks a few bytes of its own (the -z statistics setup); those are not
# ours to fix and do not fail the tests.
ct_sanitizer_check() {
    local f
    [ -n "${CT_SANITIZER_PRELOAD:-}" ] || return 0
    for f in "$CT_SANDBOX"/san/report.*; do
        [ -e "$f" ] || continue
        if grep -q "ERROR: AddressSanitizer\|runtime error:" "$f" ||
            awk '/^(Direct|Indirect) leak/ { block = ""; on = 1 }
                on { block = block $0 "\n" }
                /^$/ { if (on && block ~ /camtrace\.so|\/core\/ct_|\/plugin\//) bad = 1; on = 0 }
                END { if (on && block ~ /camtrace\.so|\/core\/ct_|\/plugin\//) bad = 1; exit !bad }' "$f"; then
            cat "$f" >&2
            ct_fail "sanitizer report in $f"
        fi
    done
}

# ct_dnsd_start ZONE [ARGS...]: our test DNS server on 127.0.0.1, port in
# $CT_DNS_PORT.  Tests never talk to any other DNS server.
ct_dnsd_start() {
    local zone=$1 portfile="$CT_SANDBOX/dnsd.port"
    shift
    : >"$portfile"
    "$CT_DNSD" --port 0 --zone "$zone" "$@" >"$portfile" 2>/dev/null &
    CT_DNSD_PID=$!
    for _ in $(seq 100); do
        [ -s "$portfile" ] && break
        sleep 0.05
    done
    CT_DNS_PORT=$(head -n 1 "$portfile")
    [ -n "$CT_DNS_PORT" ] || ct_fail "ct-dnsd did not start"
}

ct_dnsd_stop() {
    if [ -n "${CT_DNSD_PID:-}" ]; then
        kill "$CT_DNSD_PID" 2>/dev/null || true
        wait "$CT_DNSD_PID" 2>/dev/null || true
        CT_DNSD_PID=""
    fi
}

# A port on which nothing listens.
ct_closed_port() {
    # ct-dnsd picks a free port and exits; nothing binds it again soon.
    "$CT_DNSD" --port 0 --zone /dev/null >"$CT_SANDBOX/closed.port" &
    local pid=$!
    for _ in $(seq 100); do
        [ -s "$CT_SANDBOX/closed.port" ] && break
        sleep 0.05
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    head -n 1 "$CT_SANDBOX/closed.port"
}

# A test that silently ran without the plugin would prove nothing.
ct_require_plugin() {
    local plugins
    plugins=$(ct_tshark -- -G plugins) || ct_fail "tshark -G plugins failed"
    echo "$plugins" | grep -q "^camtrace\.so" ||
        ct_fail "the CamTrace plugin did not load from $CT_SANDBOX/plugins:
$plugins"
}

# ct_check_baseline NAME FILE: compare with tests/golden/baseline/NAME.txt,
# or write it when CT_UPDATE_BASELINES=1.  With CT_OUTPUT_DIR set, FILE is
# also kept there as NAME.txt (tools/test-matrix.sh compares those between
# Wireshark versions).
ct_check_baseline() {
    local name=$1 actual=$2
    local expected="$CT_SOURCE_DIR/tests/golden/baseline/$name.txt"
    if [ -n "${CT_OUTPUT_DIR:-}" ]; then
        mkdir -p "$CT_OUTPUT_DIR" && cp "$actual" "$CT_OUTPUT_DIR/$name.txt"
    fi
    if [ "${CT_UPDATE_BASELINES:-0}" = 1 ]; then
        cp "$actual" "$expected"
        echo "updated $expected"
        return 0
    fi
    [ -f "$expected" ] || ct_fail "no baseline $expected (run with CT_UPDATE_BASELINES=1)"
    diff -u "$expected" "$actual" || ct_fail "$name differs from its baseline"
}

# ct_check_strict CSV JSONL COLUMNS: an export reads back strictly: RFC 4180
# CSV with CRLF line ends and COLUMNS cells in every row, no text cell
# starting with a formula character (a number may start with "-"), and JSON
# Lines with unique keys in the order of the CSV header, one per CSV row.
ct_check_strict() {
    python3 - "$@" <<'PY' || ct_fail "$1 / $2 do not read back strictly"
import csv, json, sys
with open(sys.argv[1], newline="") as f:
    raw = f.read()
assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", ""), "not CRLF"
rows = list(csv.reader(raw.splitlines(keepends=True), strict=True))
assert all(len(r) == int(sys.argv[3]) for r in rows), "a row of another width"
def number(cell):
    try:
        float(cell)
        return True
    except ValueError:
        return False
for r in rows[1:]:
    for cell in r:
        assert number(cell) or cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
def unique(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
with open(sys.argv[2], encoding="utf-8") as f:
    records = [json.loads(line, object_pairs_hook=unique) for line in f]
assert len(records) == len(rows) - 1, "CSV and JSON Lines differ in length"
assert all(list(r) == rows[0] for r in records), "JSON keys differ from the CSV header"
PY
}

# The line the plugin prints, once, when it starts asking DNS servers for
# PTR names (which servers, and how to turn it off).
CT_PTR_NOTICE='^camtrace: reverse DNS: asking .* for the names of the capture.s addresses; preference camtrace.ptr:FALSE turns it off$'

# ct_expect_quiet FILE: tshark said nothing on stderr.
ct_expect_quiet() {
    [ ! -s "$1" ] || ct_fail "unexpected stderr: $(cat "$1")"
}

# ct_expect_notice FILE SERVERS: stderr holds the reverse DNS notice for
# SERVERS (as "IP:port (where they were set)"), once, and nothing else.
ct_expect_notice() {
    local n
    n=$(grep -c -- "$CT_PTR_NOTICE" "$1" || true)
    [ "$n" = 1 ] || ct_fail "the reverse DNS notice appears $n times: $(cat "$1")"
    grep -qF "camtrace: reverse DNS: asking $2 for the names" "$1" ||
        ct_fail "the reverse DNS notice does not name $2: $(cat "$1")"
    [ "$(wc -l <"$1")" = 1 ] || ct_fail "unexpected stderr: $(cat "$1")"
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
    [ "$2" = "$3" ] || ct_fail "$1: expected [$3], got [$2]"
}

# ct_run_case CASE: case_CASE in a fresh sandbox, then the sanitizer check.
ct_run_case() {
    ct_sandbox_init
    "case_$1"
    ct_sanitizer_check
    echo "PASS: $1"
}
