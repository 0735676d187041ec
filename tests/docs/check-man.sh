#!/bin/bash
# check-man.sh COMMAND MANPAGE [COMMAND MANPAGE]... - each manual page
# matches its command's --help, and renders without a warning.
#
# Against `COMMAND --help`:
#   - every option --help lists (with its argument name: "--in FILE") is a
#     tag under OPTIONS in the page, and every tag there is an option of
#     --help: nothing undocumented, nothing stale;
#   - every number in an option's help text (a default, a limit) appears in
#     the page's description of that option;
#   - every variable --help names (ENRICH_IPS, CAMTRACE_TSHARK, ...) is a
#     tag under ENVIRONMENT;
#   - the exit statuses of --help are the tags under EXIT STATUS.
# The page is read as man shows it (rendered to plain text), so the roff
# markup may be written any way that renders the same.
#
# Rendering: `man -l` with groff's warnings on, groff -ww, and mandoc's
# lint when mandoc is installed must print nothing; lexgrog must find the
# NAME line (whatis and apropos read it).
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

[ $# -ge 2 ] && [ $(($# % 2)) = 0 ] || fail "usage: $0 COMMAND MANPAGE [COMMAND MANPAGE]..."
command -v man >/dev/null || fail "man is not installed (apt-get install man-db)"
command -v groff >/dev/null || fail "groff is not installed (apt-get install groff-base)"

tmp=$(mktemp -d /tmp/camtrace-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 MANWIDTH=80
unset MANPAGER PAGER MAN_KEEP_FORMATTING MANOPT MANROFFOPT GROFF_SGR

while [ $# -gt 0 ]; do
    cmd=$1 page=$2
    shift 2
    name=$(basename "$page" .1)
    [ -f "$page" ] || fail "$page: no such manual page"

    # Rendering, warnings on.
    man --warnings=all -E UTF-8 -l "$page" >"$tmp/$name.txt" 2>"$tmp/$name.man.err" ||
        fail "$page: man -l failed: $(cat "$tmp/$name.man.err")"
    [ -s "$tmp/$name.man.err" ] && fail "$page: man -l warns: $(cat "$tmp/$name.man.err")"
    groff -man -ww -z -Tutf8 "$page" 2>"$tmp/$name.groff.err" ||
        fail "$page: groff failed: $(cat "$tmp/$name.groff.err")"
    [ -s "$tmp/$name.groff.err" ] && fail "$page: groff -ww warns: $(cat "$tmp/$name.groff.err")"
    if command -v mandoc >/dev/null; then
        mandoc -T lint -W warning "$page" >"$tmp/$name.mandoc" 2>&1 ||
            fail "$page: mandoc -T lint: $(cat "$tmp/$name.mandoc")"
    fi
    if command -v lexgrog >/dev/null; then
        lexgrog "$page" >/dev/null || fail "$page: lexgrog finds no NAME line"
    fi
    # Piped, man-db already strips bold and underline; col -b in case.
    if command -v col >/dev/null; then
        col -b <"$tmp/$name.txt" >"$tmp/$name.plain"
    else
        cp "$tmp/$name.txt" "$tmp/$name.plain"
    fi

    "$cmd" --help >"$tmp/$name.help" 2>"$tmp/$name.help.err" ||
        fail "$cmd --help failed: $(cat "$tmp/$name.help.err")"

    python3 - "$name" "$tmp/$name.help" "$tmp/$name.plain" <<'EOF' || exit 1
import re
import sys

name, help_path, man_path = sys.argv[1:]
help_text = open(help_path, encoding="utf-8").read()
# groff 1.23 (sid) without col(1) leaves tabs between a short tag and its text.
man_text = open(man_path, encoding="utf-8").read().expandtabs()
problems = []

# --help: "  --in FILE         read FILE; ...", "  -h, --help        ...",
# "      --version     ...", continued by lines indented deeper.
OPT = re.compile(r"^( {2,8})((?:-[A-Za-z], )?--?[A-Za-z][A-Za-z0-9-]*(?: [A-Z][A-Z0-9_]*)?)(?: {2,}(.*)|$)")
help_opts = {}  # "--in" -> ("FILE", description)
lines = help_text.split("\n")
i = 0
while i < len(lines):
    m = OPT.match(lines[i])
    if not m:
        i += 1
        continue
    indent, tag, desc = len(m.group(1)), m.group(2), m.group(3) or ""
    i += 1
    while i < len(lines) and lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) > indent + len(tag):
        desc += " " + lines[i].strip()
        i += 1
    for part in tag.split(", "):
        opt, _, arg = part.partition(" ")
        help_opts[opt] = (arg, desc)
if not help_opts:
    sys.exit(f"FAIL: {name} --help lists no options")

def section(title):
    """The body of a rendered section: from its heading to the next one."""
    m = re.search(r"^" + re.escape(title) + r"\n(.*?)(?=^\S|\Z)", man_text, re.M | re.S)
    return m.group(1) if m else None

def tagged(body):
    """Tags (lines at the tag indent: the section's least, 7 spaces with
    groff 1.22, 5 with 1.23) and the text under each."""
    items = {}
    tag = None
    indents = [len(l) - len(l.lstrip()) for l in body.split("\n") if l.strip()]
    tag_indent = min(indents) if indents else 7
    for line in body.split("\n"):
        m = re.match(r"^ {%d}(\S.*?)(?: {2,}(.*)|$)" % tag_indent, line)
        if m:
            tag = m.group(1)
            items[tag] = m.group(2) or ""
        elif tag is not None and line.strip():
            items[tag] += " " + line.strip()
    return items

options = section("OPTIONS")
if options is None:
    sys.exit(f"FAIL: {name}.1 has no OPTIONS section")
man_opts = {}
for tag, desc in tagged(options).items():
    for part in tag.split(", "):
        opt, _, arg = part.partition(" ")
        if not opt.startswith("-"):
            problems.append(f"OPTIONS has a tag that is not an option: {tag!r}")
            continue
        man_opts[opt] = (arg, desc)

for opt, (arg, desc) in sorted(help_opts.items()):
    if opt not in man_opts:
        problems.append(f"{opt} is in --help but not documented under OPTIONS")
        continue
    if man_opts[opt][0] != arg:
        problems.append(f"{opt}: --help says {opt} {arg}, the page {opt} {man_opts[opt][0]}")
    for number in re.findall(r"\b\d+\b", desc):
        if not re.search(r"\b" + number + r"\b", man_opts[opt][1]):
            problems.append(f"{opt}: --help says {number} ({desc.strip()!r}); the page does not")
for opt in sorted(set(man_opts) - set(help_opts)):
    problems.append(f"{opt} is documented under OPTIONS but {name} --help does not list it")

variables = set(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", help_text))
environment = section("ENVIRONMENT")
if variables and environment is None:
    problems.append("no ENVIRONMENT section, but --help names " + ", ".join(sorted(variables)))
elif variables:
    env_tags = set(tagged(environment))
    for var in sorted(variables - env_tags):
        problems.append(f"{var} is in --help but not a tag under ENVIRONMENT")

m = re.search(r"^Exit status: (.*?)(?:\n\n|\Z)", help_text, re.M | re.S)
if m is None:
    problems.append("--help has no 'Exit status:' paragraph")
else:
    help_status = set(re.findall(r"(?:^|[,:]\s)(\d+) ", m.group(1)))
    exit_section = section("EXIT STATUS")
    man_status = set(tagged(exit_section)) if exit_section is not None else set()
    if help_status != man_status:
        problems.append(f"exit statuses: --help {sorted(help_status)}, EXIT STATUS {sorted(man_status)}")

if problems:
    print(f"FAIL: {name}.1 against {name} --help:", file=sys.stderr)
    for p in problems:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print(f"PASS: {name}.1: {len(help_opts)} options, {len(variables)} variables, as --help says")
EOF
done
