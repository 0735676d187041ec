#!/usr/bin/env python3
"""readme_commands.py README SOURCE_DIR - the shell commands README.md shows.

Every line of every ```sh block is a command, except blank lines and
comments; a line ending in a backslash continues on the next.  Each
command is printed as one line, KIND<TAB>LINE<TAB>COMMAND (LINE: where it
starts in README.md), with KIND:

  run            it runs offline on a bundled file: docs.readme runs it
  not-offline:R  it cannot run offline, for the reason R (the rules below)
  unbundled      neither: it names no bundled file (data/..., examples/...)
                 and is of no kind that needs more than the clone; the
                 test fails on it, so that every example either runs as
                 shown on a bundled capture or says why it cannot

The rules, by what the command does, never by where it is:

  - it starts with sudo, apt-get, apt or npm: it changes the system or
    needs the network;
  - it starts with ./tools/: the set-up and test scripts (install
    packages, fetch databases, build, run the tests themselves);
  - it starts with cmake: it configures or builds the project (the
    tests' own build does that);
  - camtrace-capture without --pcap: a live capture, which needs an
    interface and the right to capture;
  - it sets a DNS server (camtrace.dns_servers, DNS_RESOLVER=): it sends
    the capture's addresses to that server.
"""
import os
import re
import shlex
import sys


def commands(readme):
    """(line number, command) for every command in the ```sh blocks."""
    out = []
    in_sh = False
    pending, start = "", 0
    with open(readme, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("```"):
                if in_sh and pending:
                    raise SystemExit(f"{readme}:{start}: a command continues past its block")
                in_sh = not in_sh and line.strip() == "```sh"
                continue
            if not in_sh:
                continue
            if not pending:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                start = number
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            out.append((start, pending + line))
            pending = ""
    return out


ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def classify(command, source_dir):
    try:
        words = shlex.split(command, comments=True)
    except ValueError as e:
        return f"unbundled ({e})"
    program_words = list(words)  # the command without its leading VAR=value words
    while program_words and ASSIGNMENT.match(program_words[0]):
        program_words.pop(0)
    program = program_words[0] if program_words else ""
    if program in ("sudo", "apt-get", "apt", "npm"):
        return "not-offline:changes the system or needs the network"
    if program.startswith("./tools/"):
        return "not-offline:a set-up or test script (installs, fetches, builds)"
    if program == "cmake":
        return "not-offline:configures or builds the project"
    if program == "camtrace-capture" and "--pcap" not in program_words:
        return "not-offline:a live capture (an interface and the right to capture)"
    if any("camtrace.dns_servers" in w or w.startswith("DNS_RESOLVER=") for w in words):
        return "not-offline:asks the DNS server it names"
    bundled = [w for w in words
               if re.match(r"^(data|examples)/", w) and os.path.isfile(os.path.join(source_dir, w))]
    return "run" if bundled else "unbundled"


def main():
    readme, source_dir = sys.argv[1:3]
    for number, command in commands(readme):
        print(f"{classify(command, source_dir)}\t{number}\t{command}")


if __name__ == "__main__":
    main()
