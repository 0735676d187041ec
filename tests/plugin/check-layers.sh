#!/bin/bash
# check-layers.sh PLUGIN.so OBJECT... - the plugin's structure, read from
# what its object files define and need (nm):
#   - the files form a one-way chain: no file needs, directly or through
#     others, a symbol of a file that needs one of its own (no cycle);
#   - the exporters (flows, devices, flow-table) need nothing of each
#     other, and nothing needs them but plugin.c, which registers them;
#   - the module exports Wireshark's plugin symbols and nothing else.
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

so=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name of an object: flows.c.o -> flows
name() { basename "$1" | sed 's/\.c\.o$//; s/\.o$//'; }

for o in "$@"; do
    n=$(name "$o")
    nm --defined-only "$o" | awk '$2 ~ /^[TDRB]$/ { print $3 }' | sed "s/\$/ $n/" >>"$work/defined"
    nm --undefined-only "$o" | awk '{ print $2 }' | sed "s/^/$n /" >>"$work/needed"
done
[ -s "$work/defined" ] || fail "no symbols defined in $*"

# One edge "A B" per object A needing a symbol that object B defines.
awk 'NR == FNR { owner[$1] = $2; next }
     ($2 in owner) && owner[$2] != $1 { print $1, owner[$2] }' \
    "$work/defined" "$work/needed" | sort -u >"$work/edges"
echo "needs:"
sed 's/^/  /' "$work/edges"

tsort "$work/edges" >/dev/null 2>"$work/tsort.err" || true
if [ -s "$work/tsort.err" ]; then
    fail "the plugin's files depend on each other in a cycle: $(cat "$work/tsort.err")"
fi

exporters="flows devices flow-table"
for e in $exporters; do
    for f in $exporters; do
        [ "$e" = "$f" ] && continue
        if grep -qx "$e $f" "$work/edges"; then
            fail "exporter $e uses exporter $f"
        fi
    done
    bad=$(awk -v e="$e" '$2 == e && $1 != "plugin" { print $1 }' "$work/edges")
    [ -z "$bad" ] || fail "$bad uses exporter $e"
done

# AddressSanitizer adds one __odr_asan.NAME indicator per exported global
# (its one-definition-rule check); those are the sanitizer's, not ours.
exported=$(nm -D --defined-only "$so" | awk '$3 !~ /^__odr_asan\./ { print $3 }' |
    sort | tr '\n' ' ')
case "$exported" in
"plugin_register plugin_version plugin_want_major plugin_want_minor " | \
    "plugin_describe plugin_register plugin_version plugin_want_major plugin_want_minor ") ;;
*) fail "$so exports more than Wireshark's plugin symbols: $exported" ;;
esac
echo "PASS: one-way chain, exporters apart, exports: $exported"
