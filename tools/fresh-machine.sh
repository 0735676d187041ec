#!/bin/bash
# fresh-machine.sh [--keep] [REPO [DIR]] - the README's two commands on a
# fresh machine, as a newcomer would run them.
#
# Makes a minimal Debian 12 system in DIR (default: a new folder under
# /var/tmp) with debootstrap --variant=minbase, gives it the host's DNS
# settings and local CA certificates (/usr/local/share/ca-certificates,
# for networks whose proxy intercepts TLS), installs sudo, git and
# ca-certificates, creates an ordinary user "newcomer" with passwordless
# sudo, and as that user clones REPO (default: the checkout this script is
# in, at its committed HEAD; uncommitted changes are not part of it) and
# runs ./tools/quickstart.sh, then ./tools/run-tests.sh.  It ends with
# both exit codes and the test summaries, and exits 0 only when both
# commands did.  Their full output is in DIR/home/newcomer/*.log while
# DIR exists.
#
# Needs root, debootstrap and the network (deb.debian.org, the npm
# registry); takes about 20-30 minutes on 2 cores.  The mounts inside DIR
# are undone on exit, whatever happens; DIR is then removed unless --keep
# is given.
set -euo pipefail

keep=""
if [ "${1:-}" = --keep ]; then
    keep=1
    shift
fi
here=$(cd "$(dirname "$0")/.." && pwd)
repo=${1:-$here}
dir=${2:-}
user=newcomer
mirror=http://deb.debian.org/debian

say() { echo "== fresh-machine: $*"; }
die() {
    echo "fresh-machine: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount): sudo $0 $*"
command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"

# What is tested: a local repository at its committed HEAD, or a URL.
rev="" src_desc=$repo
if [ -d "$repo" ]; then
    repo=$(cd "$repo" && pwd)
    rev=$(git -C "$repo" rev-parse HEAD) || die "$repo is not a git repository"
    src_desc="$repo at $(git -C "$repo" log -1 --format='%h %s' HEAD)"
    if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
        echo "fresh-machine: note: $repo has uncommitted changes; they are not tested" >&2
    fi
fi

if [ -z "$dir" ]; then
    dir=$(mktemp -d /var/tmp/camtrace-fresh.XXXXXX)
else
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
fi
# It becomes /: everyone must be able to enter it (mktemp made it 0700).
chmod 755 "$dir"

mounted=()
cleanup() {
    local status=$? p m i
    # Processes still running inside the new system (a test's server,
    # say) were started by this script: end them, by their ids.
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$dir" ] || continue
        kill "${p#/proc/}" 2>/dev/null || true
    done
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        m=${mounted[i]}
        umount "$m" 2>/dev/null || umount -l "$m" || echo "fresh-machine: could not unmount $m" >&2
    done
    if [ -z "$keep" ]; then
        if grep -qF " $dir/" /proc/mounts || grep -qF " $dir " /proc/mounts; then
            echo "fresh-machine: something is still mounted under $dir; not removing it" >&2
        else
            rm -rf --one-file-system "$dir"
        fi
    else
        echo "fresh-machine: kept $dir"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# in_root COMMAND...: as root inside the new system, with a clean
# environment (nothing of the host's leaks in).
in_root() {
    chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive "$@"
}
# as_user SHELL-COMMAND: as the ordinary user, in a login shell.
as_user() {
    chroot "$dir" /usr/bin/env -i TERM=dumb /usr/sbin/runuser -l "$user" -c "$1"
}

say "debootstrap --variant=minbase bookworm $dir $mirror"
debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 || {
    tail -n 20 "$dir.debootstrap.log" >&2
    die "debootstrap failed (log: $dir.debootstrap.log)"
}
rm -f "$dir.debootstrap.log"

for m in /proc /sys /dev /dev/pts; do
    mount --bind "$m" "$dir$m"
    mounted+=("$dir$m")
done
cp /etc/resolv.conf "$dir/etc/resolv.conf"
cp /etc/hosts "$dir/etc/hosts"
# No services start inside a chroot.
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"

say "apt-get install sudo git ca-certificates"
in_root apt-get update -q >/dev/null
in_root apt-get install -y -q --no-install-recommends sudo git ca-certificates >/dev/null
if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    say "local CA certificates: $(cd /usr/local/share/ca-certificates && echo *)"
    cp -r /usr/local/share/ca-certificates/. "$dir/usr/local/share/ca-certificates/"
    in_root update-ca-certificates >/dev/null
fi

say "user $user with passwordless sudo"
in_root useradd --create-home --shell /bin/bash "$user"
echo "$user ALL=(ALL) NOPASSWD:ALL" >"$dir/etc/sudoers.d/$user"
chmod 440 "$dir/etc/sudoers.d/$user"

# A local repository is copied in as a bare one at exactly that commit,
# then cloned by the user as from any other place.
if [ -n "$rev" ]; then
    git clone -q --bare "$repo" "$dir/srv/camtrace.git"
    if [ "$(git -C "$dir/srv/camtrace.git" rev-parse HEAD)" != "$rev" ]; then
        git -C "$dir/srv/camtrace.git" update-ref --no-deref HEAD "$rev"
    fi
    in_root chown -R "$user:$user" /srv/camtrace.git
    url=/srv/camtrace.git
else
    url=$repo
fi
say "git clone $src_desc"
as_user "git clone -q $(printf '%q' "$url") camtrace && git -C camtrace log -1 --format='cloned %h %s'"

say "./tools/quickstart.sh as $user"
qs=0
as_user 'cd camtrace && ./tools/quickstart.sh' 2>&1 | tee "$dir/home/$user/quickstart.log" || qs=$?
say "./tools/run-tests.sh as $user"
rt=0
as_user 'cd camtrace && ./tools/run-tests.sh' 2>&1 | tee "$dir/home/$user/run-tests.log" || rt=$?

echo
say "summary: Debian 12 minbase, user $user, $src_desc"
echo "quickstart.sh: exit $qs"
echo "run-tests.sh: exit $rt"
sed -n '/^== Summary$/,$p' "$dir/home/$user/run-tests.log" | grep ' build: ' ||
    echo "run-tests.sh printed no summary"
[ "$qs" = 0 ] && [ "$rt" = 0 ]
