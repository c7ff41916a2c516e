#!/usr/bin/env bash
# Builds the Debian package from a build directory, unpacks it into a scratch root (dpkg -x) and checks what a
# laptop would get: the declared dependencies, every file where the desktop looks for it (binary, desktop
# entry, icons, metainfo, man page, systemd units), the desktop entry and metainfo validated, and the installed
# binary running --version, demo and check. Registered with CTest as package_deb (label "package").
# Usage: scripts/package-test.sh BUILD_DIR   (a configured and built tree; the package is built in a temp dir)
set -euo pipefail

fail() {
    echo "package-test: FAIL: $*" >&2
    exit 1
}

[ $# -eq 1 ] || fail "usage: scripts/package-test.sh BUILD_DIR"
build=$(cd "$1" && pwd) || fail "no build directory $1"
[ -f "$build/CPackConfig.cmake" ] || fail "$build has no CPackConfig.cmake: configure it with CMake first"

for tool in cpack dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli file readelf groff; do
    command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/install-deps.sh"
done

app_id=org.fieldbook.Fieldbook
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[ -n "$version" ] || fail "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The package, built in the temp dir so the build tree keeps no CPack leftovers.
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    fail "cpack -G DEB failed"
fi
debs=("$work"/out/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no single .deb: ${debs[*]}"
deb=${debs[0]}
echo "package-test: built $(basename "$deb")"

# The control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = fieldbook ] || fail "Package is '$(field Package)', not fieldbook"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
for name in Maintainer Section Description; do
    [ -n "$(field "$name")" ] || fail "the control file has no $name"
done
depends=$(field Depends)
echo "package-test: Depends: $depends"
# Every library the binary links (dpkg-shlibdeps' part: the window adds Qt Gui, Widgets and Svg), the plugins Qt
# loads at run time (declared by hand: the SQL drivers, the SVG icon engine), and what the command line needs in
# any case.
wanted=(libqt6core6 libqt6sql6 libqt6network6 libpq5 libsqlite3-0 libqt6sql6-sqlite libqt6sql6-psql libqt6svg6)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for soname in $(readelf -d "$build/app/fieldbook" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    owner=$(dpkg -S "*/$multiarch/$soname" 2>/dev/null | head -n 1 | cut -d: -f1) || true
    [ -n "$owner" ] || fail "no installed package holds $soname, which the binary links"
    wanted+=("$owner")
done
depends_names=$(sed 's/, /\n/g' <<<"$depends" | awk '{print $1}')
for package in "${wanted[@]}"; do
    grep -qxF "$package" <<<"$depends_names" || fail "Depends lacks $package"
done
# Every dependency is a real Debian package, installable: this machine (set up by scripts/install-deps.sh) has a
# version of one alternative that satisfies it.
satisfied() { # satisfied "name (op version)"
    local name op want have
    read -r name op want <<<"$(tr -d '()' <<<"$1")"
    have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null | sed -n 's/^install ok installed //p')
    [ -n "$have" ] && { [ -z "$op" ] || dpkg --compare-versions "$have" "$op" "$want"; }
}
while IFS= read -r dependency; do
    found=no
    IFS='|' read -ra alternatives <<<"$dependency"
    for alternative in "${alternatives[@]}"; do
        satisfied "$(xargs <<<"$alternative")" && found=yes && break
    done
    [ $found = yes ] || fail "the dependency '$dependency' is not satisfied here: is it a Debian 12 package?"
done < <(sed 's/, /\n/g' <<<"$depends")

# The files, exactly: a stray install rule (or a missing one) shows here.
root=$work/root
dpkg-deb -x "$deb" "$root"
expected=(
    usr/bin/fieldbook
    usr/share/applications/$app_id.desktop
    usr/share/icons/hicolor/scalable/apps/$app_id.svg
    usr/share/metainfo/$app_id.metainfo.xml
    usr/share/man/man1/fieldbook.1.gz
    usr/lib/systemd/user/fieldbook-sync.service
    usr/lib/systemd/user/fieldbook-sync.timer
    usr/share/doc/fieldbook/examples/sync.env
)
sizes=(16 24 32 48 64 128 256)
for size in "${sizes[@]}"; do
    expected+=("usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
diff <(printf '%s\n' "${expected[@]}" | sort) <(cd "$root" && find . -type f -o -type l | sed 's|^\./||' | sort) \
    || fail "the package's files differ from the expected list (< expected, > in the package)"
echo "package-test: files:"
dpkg-deb -c "$deb" | awk '{print "  " $NF}' | grep -v '/$'

# The binary: executable, stripped, and finding its libraries in the system (no RUNPATH into a build tree).
[ -x "$root/usr/bin/fieldbook" ] || fail "usr/bin/fieldbook is not executable"
described=$(file -b "$root/usr/bin/fieldbook")
[[ "$described" == ELF*", stripped"* ]] || fail "usr/bin/fieldbook is not a stripped executable: $described"
! readelf -d "$root/usr/bin/fieldbook" | grep -Eq 'RPATH|RUNPATH' || fail "usr/bin/fieldbook has an RPATH"

# Icons: each PNG is a real image of its size.
for size in "${sizes[@]}"; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    file -b "$png" | grep -q "PNG image data, $size x $size" || fail "$png: $(file -b "$png")"
done

# The desktop entry: valid, and naming the installed binary and icon.
desktop=$root/usr/share/applications/$app_id.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $app_id.desktop"
grep -qx 'Exec=fieldbook' "$desktop" || fail "the desktop entry's Exec is not the installed fieldbook"
grep -qx "Icon=$app_id" "$desktop" || fail "the desktop entry's Icon is not $app_id"

# The metainfo: valid, launching the desktop entry, its newest release the package's version.
metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
appstreamcli validate --no-net --explain "$metainfo" || fail "appstreamcli rejects $app_id.metainfo.xml"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
    || fail "the metainfo does not launch $app_id.desktop"
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d'"' -f2)
[ "$newest" = "$version" ] || fail "the metainfo's newest release is '$newest', not $version: add a <release>"

# The man page: well-formed roff, the version in its footer, every command of --help documented.
man_page=$work/fieldbook.1
gzip -dc "$root/usr/share/man/man1/fieldbook.1.gz" >"$man_page"
groff_warnings=$(groff -man -ww -z "$man_page" 2>&1) || fail "groff cannot read the man page: $groff_warnings"
[ -z "$groff_warnings" ] || fail "groff warns about the man page: $groff_warnings"
grep -q "^\.TH FIELDBOOK 1 .*\"Fieldbook $version\"" "$man_page" \
    || fail "the man page does not say version $version"

# The installed binary runs on the system's Qt, in a throwaway home.
home=$work/home
mkdir -p "$home"
run() {
    env -i PATH=/usr/bin:/bin HOME="$home" XDG_RUNTIME_DIR="$home" QT_QPA_PLATFORM=offscreen \
        "$root/usr/bin/fieldbook" "$@"
}
shown=$(run --version) || fail "fieldbook --version failed"
[ "$shown" = "fieldbook $version" ] || fail "fieldbook --version says '$shown', not 'fieldbook $version'"
commands=$(run --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ -n "$commands" ] || fail "fieldbook --help lists no commands"
for command in $commands; do
    grep -q "^\.BI\? \"\?$command\b" "$man_page" || fail "the man page does not document '$command'"
done
if ! run demo --db "$work/demo.db" --contacts 5 >"$work/demo.log" 2>&1; then
    cat "$work/demo.log" >&2
    fail "fieldbook demo failed"
fi
checked=$(run check --db "$work/demo.db" 2>&1) || fail "fieldbook check failed: $checked"
[[ "$checked" == ok:* ]] || fail "fieldbook check said: $checked"
echo "package-test: installed fieldbook $version: $checked"

# The systemd units parse without a warning. The service names a bare `fieldbook` (systemd looks in /usr/bin
# and /usr/local/bin), so the copy checked here points at the unpacked binary instead.
units=$root/usr/lib/systemd/user
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$work/units" "$work/runtime"
    sed "s|^ExecStart=fieldbook |ExecStart=$root/usr/bin/fieldbook |" "$units/fieldbook-sync.service" \
        >"$work/units/fieldbook-sync.service"
    cp "$units/fieldbook-sync.timer" "$work/units/"
    analyzed=$(XDG_RUNTIME_DIR="$work/runtime" systemd-analyze verify --user --man=no \
        "$work/units/fieldbook-sync.service" "$work/units/fieldbook-sync.timer" 2>&1) \
        || fail "systemd-analyze rejects the units: $analyzed"
    [ -z "$analyzed" ] || fail "systemd-analyze warns about the units: $analyzed"
fi
grep -q '^ExecStart=fieldbook sync ' "$units/fieldbook-sync.service" \
    || fail "fieldbook-sync.service does not run fieldbook sync"
grep -q '^WantedBy=timers.target' "$units/fieldbook-sync.timer" \
    || fail "fieldbook-sync.timer cannot be enabled"

echo "package-test: ok"
