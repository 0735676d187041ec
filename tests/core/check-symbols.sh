#!/bin/bash
# check-symbols.sh LIBRARY.a|OBJECT... - the core library defines no
# global symbol outside its ct_ namespace: every function and variable
# that other code can link against starts with "ct_" (everything else is
# static).  Symbols a sanitizer adds (__asan_*, ASan's one-definition-rule
# indicators __odr_asan.NAME) are the sanitizer's, not ours.
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

[ $# -gt 0 ] || fail "usage: $0 LIBRARY.a|OBJECT..."
# nm -g: external symbols only; --defined-only: those the core defines.
# Archive member headers ("ct_addr.c.o:") and blank lines have fewer
# than three fields.
symbols=$(nm -g --defined-only "$@" | awk 'NF == 3 { print $3 }' | sort -u)
[ -n "$symbols" ] || fail "no global symbols defined in $*"
foreign=$(grep -Ev '^(ct_|__asan_|__odr_asan\.)' <<<"$symbols" || true)
[ -z "$foreign" ] || fail "the core defines global symbols outside ct_: $(tr '\n' ' ' <<<"$foreign")"
echo "PASS: $(grep -c '^ct_' <<<"$symbols") global symbols, all ct_"
