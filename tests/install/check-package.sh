#!/bin/bash
# check-package.sh - the Debian package (cmake/CamTracePackage.cmake) is
# built from this tree into a temporary folder and holds what it must:
#
#   - the plugin in the global plugin folder of the Wireshark it was built
#     against (pkg-config's plugindir/epan, .../plugins/<major>.<minor>/epan),
#     the two commands in /usr/bin, their man pages gzipped in
#     /usr/share/man/man1 (the pages of doc/), the CamTrace profile in
#     Wireshark's global profiles folder, and nothing else (no database);
#   - files owned by root, commands executable, and built for prefix /usr
#     (`camtrace --help` names /usr/share/camtrace as its data folder);
#   - Depends: the exact libwireshark the plugin links (the package of its
#     soname, >= this Wireshark's version, << the next release series),
#     `tshark | wireshark`, and a package for every library any file
#     links (dpkg-shlibdeps);
#   - and dpkg, on a package database and a root folder of its own
#     (--admindir, --instdir: nothing on this machine changes, no root
#     needed), installs it when
#     the libraries of this machine are there, and refuses it (dependency
#     problems) next to another Wireshark: libwireshark of the next series
#     under the same name, an older release of this series, or another
#     soname altogether.
#
# The expected values are worked out here, from pkg-config, readelf and
# dpkg, not taken from the build.
#
# This build is packaged as it is when it was configured as a package must
# be (CT_PACKAGE_DIRECT=ON: cpack with its CPackConfig.cmake); otherwise a
# packaging build is made in the temporary folder, as the package target
# does (cmake/CamTracePackageBuild.cmake).
set -euo pipefail
# (No pipeline here ends in a reader that stops early, grep -q or head:
# with pipefail the writer's SIGPIPE would fail the test at random.)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

: "${CT_BUILD_DIR:?}" "${CT_SOURCE_DIR:?}" "${CT_VERSION:?}" "${CT_PACKAGE_FILE:?}"
for tool in dpkg dpkg-deb dpkg-query pkg-config readelf; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

tmp=$(mktemp -d /tmp/camtrace-package.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/out"
mkdir -p "$out"

# ---- build the package ------------------------------------------------------

if [ "${CT_PACKAGE_DIRECT:-OFF}" = ON ]; then
    cpack --config "$CT_BUILD_DIR/CPackConfig.cmake" -B "$out" >"$tmp/build.log" 2>&1 ||
        fail "cpack failed: $(tail -30 "$tmp/build.log")"
else
    cmake -DSOURCE_DIR="$CT_SOURCE_DIR" -DBUILD_DIR="$tmp/build" -DOUTPUT_DIR="$out" \
        -DPACKAGE_FILE="$CT_PACKAGE_FILE" -DGENERATOR="$CT_GENERATOR" \
        -DMAKE_PROGRAM="${CT_MAKE_PROGRAM:-}" -DC_COMPILER="$CT_C_COMPILER" \
        -DWERROR="${CT_WERROR:-OFF}" -DMAINTAINER="${CT_MAINTAINER:-}" \
        -DHOMEPAGE="${CT_HOMEPAGE:-}" -DJOBS=2 \
        -P "$CT_SOURCE_DIR/cmake/CamTracePackageBuild.cmake" >"$tmp/build.log" 2>&1 ||
        fail "the packaging build failed: $(tail -30 "$tmp/build.log")"
fi

arch=$(dpkg --print-architecture)
name="camtrace_${CT_VERSION}_${arch}.deb"
[ "$CT_PACKAGE_FILE" = "$name" ] || fail "the build names the package $CT_PACKAGE_FILE, not $name"
debs=$(cd "$out" && ls -- *.deb 2>/dev/null || true)
[ "$debs" = "$name" ] || fail "expected $name alone in the output, found: ${debs:-nothing}"
deb="$out/$name"

# ---- what it must be --------------------------------------------------------

ws_version=$(pkg-config --modversion wireshark)
[[ $ws_version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]] || fail "Wireshark version '$ws_version'"
ws_major=${BASH_REMATCH[1]} ws_minor=${BASH_REMATCH[2]} ws_patch=${BASH_REMATCH[3]}
plugindir=$(pkg-config --variable=plugindir wireshark)
case "$plugindir" in
/usr/*/plugins/"$ws_major.$ws_minor") ;;
*) fail "pkg-config's plugindir $plugindir is not /usr/.../plugins/$ws_major.$ws_minor" ;;
esac
profiles="$(pkg-config --variable=prefix wireshark)/share/wireshark/profiles/CamTrace"
libdir=$(pkg-config --variable=libdir wireshark)
soname=$(readelf -d "$libdir/libwireshark.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ $soname =~ ^libwireshark\.so\.[0-9]+$ ]] || fail "soname of $libdir/libwireshark.so: '$soname'"
libpkg=$(dpkg -S "$libdir/$soname" | sed -n '1s/:.*//p')
[ -n "$libpkg" ] || fail "dpkg does not know which package has $libdir/$soname"
upper="$ws_major.$((ws_minor + 1))~"

# ---- control fields ---------------------------------------------------------

field() {
    dpkg-deb -f "$deb" "$1"
}
[ "$(field Package)" = camtrace ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$CT_VERSION" ] || fail "Version: $(field Version), not $CT_VERSION"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture), not $arch"
[[ $(field Maintainer) =~ ^[^\<]+\ \<[^@\>]+@[^@\>]+\>$ ]] || fail "Maintainer: '$(field Maintainer)'"
[ "$(field Section)" = net ] || fail "Section: $(field Section)"
description=$(field Description)
[ "$(printf '%s\n' "$description" | wc -l)" -ge 5 ] ||
    fail "Description has no long description: $description"
printf '%s\n' "$description" | awk 'length > 80 { exit 1 }' ||
    fail "Description has lines over 80 columns: $description"
if [ -n "${CT_HOMEPAGE:-}" ]; then
    [ "$(field Homepage)" = "$CT_HOMEPAGE" ] || fail "Homepage: $(field Homepage), not $CT_HOMEPAGE"
fi

depends=$(field Depends)
declare -A dep_items=() dep_names=()
while IFS= read -r item; do
    dep_items["$item"]=1
    # Every alternative's package name.
    for alt in ${item//|/ }; do
        [[ $alt =~ ^[a-z0-9][a-z0-9.+-]+$ ]] && dep_names["$alt"]=1
    done
done < <(printf '%s\n' "$depends" | sed 's/, /\n/g')
for want in "$libpkg (>= $ws_version)" "$libpkg (<< $upper)" "tshark | wireshark"; do
    [ -n "${dep_items[$want]:-}" ] || fail "Depends has no '$want': $depends"
done

# ---- contents ---------------------------------------------------------------

dpkg-deb -c "$deb" >"$tmp/contents"
awk '$2 != "root/root" { print; bad = 1 } END { exit bad }' "$tmp/contents" ||
    fail "entries not owned by root/root (above)"
want_files=(
    "./usr/bin/camtrace"
    "./usr/bin/camtrace-capture"
    ".$plugindir/epan/camtrace.so"
    "./usr/share/man/man1/camtrace.1.gz"
    "./usr/share/man/man1/camtrace-capture.1.gz"
    "./usr/share/camtrace/camtrace-ecs-template.json"
)
for f in "$CT_SOURCE_DIR"/data/profiles/CamTrace/*; do
    want_files+=(".$profiles/$(basename "$f")")
done
awk '$1 !~ /^d/ { print $6 }' "$tmp/contents" | sort >"$tmp/files"
printf '%s\n' "${want_files[@]}" | sort >"$tmp/want"
diff -u "$tmp/want" "$tmp/files" >"$tmp/files.diff" ||
    fail "the package's files are not the expected ones (- missing, + unexpected): $(cat "$tmp/files.diff")"
grep -q '\.mmdb' "$tmp/files" && fail "the package ships a database"
for f in ./usr/bin/camtrace ./usr/bin/camtrace-capture; do
    grep -q "^-rwxr-xr-x .* $f\$" "$tmp/contents" || fail "$f is not 0755: $(grep " $f\$" "$tmp/contents")"
done
awk '$1 ~ /^-/ && $6 !~ /^\.\/usr\/bin\// && $1 != "-rw-r--r--" { print; bad = 1 } END { exit bad }' \
    "$tmp/contents" || fail "data files not 0644 (above)"

root="$tmp/root"
dpkg-deb -x "$deb" "$root"
for page in camtrace.1 camtrace-capture.1; do
    gzip -t "$root/usr/share/man/man1/$page.gz" || fail "$page.gz is not gzip"
    gzip -dc "$root/usr/share/man/man1/$page.gz" | cmp -s - "$CT_SOURCE_DIR/doc/$page" ||
        fail "$page.gz is not doc/$page"
done
for f in "$CT_SOURCE_DIR"/data/profiles/CamTrace/*; do
    cmp -s "$f" "$root$profiles/$(basename "$f")" || fail "profile file $(basename "$f") differs"
done
readelf -d "$root$plugindir/epan/camtrace.so" | grep -F "[$soname]" >/dev/null ||
    fail "the plugin does not link $soname"
"$root/usr/bin/camtrace" --version | grep -x "camtrace $CT_VERSION" >/dev/null ||
    fail "camtrace --version: $("$root/usr/bin/camtrace" --version)"
"$root/usr/bin/camtrace-capture" --version | grep -x "camtrace-capture $CT_VERSION" >/dev/null ||
    fail "camtrace-capture --version: $("$root/usr/bin/camtrace-capture" --version)"
# The data folder compiled in: the prefix is /usr.
"$root/usr/bin/camtrace" --help | grep ' /usr/share/camtrace,' >/dev/null ||
    fail "camtrace was not built for prefix /usr: $("$root/usr/bin/camtrace" --help | grep -A1 MAXMIND_CITY_DB)"

# dpkg-shlibdeps: a package for every library a file links.
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
while IFS= read -r elf; do
    for lib in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        path=$("$ldconfig" -p | awk -v lib="$lib" '$1 == lib && !found { print $NF; found = 1 }')
        [ -n "$path" ] || fail "${elf#"$root"} links $lib, which ldconfig does not know"
        owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null) ||
            fail "no package has $path (${elf#"$root"} links it)"
        owner=${owner%%:*}
        [ -n "${dep_names[$owner]:-}" ] || fail "${elf#"$root"} links $lib ($owner), not in Depends: $depends"
    done
done < <(find "$root" -type f \( -name '*.so' -o -perm -u+x \))

# ---- dpkg: installs here, refused next to another Wireshark -----------------

# A package database holding, for each package Depends names (the first of
# alternatives), what this machine has; $1 is the folder, then NAME=VERSION
# overrides (VERSION empty: left out).
make_admindir() {
    local dir=$1 pkg version override
    shift
    mkdir -p "$dir/info" "$dir/updates" "$dir/triggers"
    : >"$dir/available"
    : >"$dir/status"
    declare -A set_to=()
    for override in "$@"; do
        set_to["${override%%=*}"]=${override#*=}
    done
    for item in "${!dep_items[@]}"; do
        pkg=${item%% *}
        pkg=${pkg%%|*}
        version=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) ||
            fail "Depends names $pkg, which is not installed here"
        [ -n "${set_to[$pkg]+set}" ] && version=${set_to[$pkg]}
        [ -n "$version" ] || continue
        grep -q "^Package: $pkg\$" "$dir/status" && continue
        dpkg-query -W -f 'Package: ${Package}\nStatus: install ok installed\nPriority: optional\n' "$pkg" >>"$dir/status"
        printf 'Version: %s\n' "$version" >>"$dir/status"
        dpkg-query -W -f 'Architecture: ${Architecture}\nMulti-Arch: ${Multi-Arch}\nMaintainer: x\nDescription: x\n\n' \
            "$pkg" | sed '/^Multi-Arch: $/d' >>"$dir/status"
    done
    # Packages that are not installed here at all (another Wireshark).
    for pkg in "${!set_to[@]}"; do
        [ -n "${set_to[$pkg]}" ] || continue
        grep -q "^Package: $pkg\$" "$dir/status" && continue
        printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nVersion: %s\nArchitecture: %s\nMaintainer: x\nDescription: x\n\n' \
            "$pkg" "${set_to[$pkg]}" "$arch" >>"$dir/status"
    done
}

# dpkg -i for real, into a folder of its own (the package has no
# maintainer scripts); dpkg wants ldconfig and start-stop-daemon on PATH.
try_install() {
    mkdir -p "$1.root"
    HOME="$tmp" PATH="$PATH:/usr/sbin:/sbin" dpkg --admindir="$1" --instdir="$1.root" \
        --log=/dev/null --force-not-root -i "$deb" >"$1.log" 2>&1
}

make_admindir "$tmp/here"
try_install "$tmp/here" || fail "dpkg does not install it with this machine's packages: $(grep -v 'files list file' "$tmp/here.log")"
[ "$(dpkg-query --admindir="$tmp/here" -W -f '${Status}' camtrace)" = "install ok installed" ] ||
    fail "dpkg did not configure it: $(cat "$tmp/here.log")"
[ -f "$tmp/here.root$plugindir/epan/camtrace.so" ] || fail "dpkg -i put no plugin in $plugindir/epan"

refused() { # WHAT ADMINDIR
    if try_install "$2"; then
        fail "dpkg installs the package $1: $(grep -v 'files list file' "$2.log")"
    fi
    grep -q "camtrace depends on $libpkg" "$2.log" ||
        fail "dpkg refuses the package $1, but not for $libpkg: $(grep -v 'files list file' "$2.log")"
}
make_admindir "$tmp/next" "$libpkg=$ws_major.$((ws_minor + 1)).0-1"
refused "next to $libpkg $ws_major.$((ws_minor + 1)).0" "$tmp/next"
make_admindir "$tmp/other" "$libpkg=" "libwireshark$(( ${soname##*.} + 1 ))=$ws_major.$((ws_minor + 2)).0-1"
refused "next to another soname (Wireshark $ws_major.$((ws_minor + 2)))" "$tmp/other"
if [ "$ws_patch" -gt 0 ]; then
    make_admindir "$tmp/older" "$libpkg=$ws_major.$ws_minor.$((ws_patch - 1))-1"
    refused "next to $libpkg $ws_major.$ws_minor.$((ws_patch - 1))" "$tmp/older"
fi

echo "PASS: $name: $(wc -l <"$tmp/files") files, plugin in $plugindir/epan, Depends $libpkg (>= $ws_version), $libpkg (<< $upper)"
