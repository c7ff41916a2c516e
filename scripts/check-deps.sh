#!/usr/bin/env bash
# Checks that a fresh Debian 12 machine gets everything the build and the tests use from scripts/install-deps.sh:
# every header the build included (ninja's dependency log) and every tool the tests run belongs to a Debian
# package that install-deps.sh lists or that one of those depends on. A package that is merely installed here
# (by hand, or as the base image's) fails the check: a new machine may not have it.
#   bash scripts/check-deps.sh [BUILD_DIR]      (default build/testing, after a build; takes a few seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/testing}"

fail() {
    echo "check-deps: $*" >&2
    exit 1
}

[ -f "$build/build.ninja" ] || fail "no build in $build: build first (cmake --build --preset testing)"

# The packages a fresh machine gets from install-deps.sh: those it lists, everything they depend on (installed:
# the build just used them), and the ones every Debian system has (Essential, or Priority required).
mapfile -t listed < <(sed -n '/^packages=(/,/^)/p' scripts/install-deps.sh | sed -e '1d;$d' -e 's/#.*//' \
    | tr -s ' \t' '\n' | sed '/^$/d')
[ ${#listed[@]} -gt 0 ] || fail "found no package list in scripts/install-deps.sh"
brought=$(mktemp)
trap 'rm -f "$brought"' EXIT
{
    printf '%s\n' "${listed[@]}"
    apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances "${listed[@]}" 2>/dev/null | grep -v '^ ' | sed 's/:.*//'
    dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" { print $1 }'
} | sort -u >"$brought"

problems=()
# check WHAT FILE...: each file's owner (the file lists dpkg -S reads, /var/lib/dpkg/info/*.list, in one pass;
# the file as given, resolved, or on the other side of merged /usr: /usr/bin/bash is /bin/bash to dpkg) must be
# brought. One line per package that is not.
check() {
    local what=$1 line
    shift
    while IFS= read -r line; do
        problems+=("$what $line")
    done < <(paste -d'|' <(printf '%s\n' "$@") <(printf '%s\n' "$@" | xargs -r -d '\n' realpath -m) | awk -F'|' '
        FILENAME == ARGV[1] { brought[$0] = 1; next }
        FILENAME != "-" {
            pkg = FILENAME; sub(/.*\//, "", pkg); sub(/\.list$/, "", pkg); sub(/:.*/, "", pkg)
            previous = owner[$0]
            owner[$0] = previous == "" ? pkg : previous "," pkg
            next
        }
        {
            candidates[1] = $1; candidates[2] = $2; candidates[3] = $1; candidates[4] = "/usr" $1
            sub(/^\/usr/, "", candidates[3])
            found = ""
            for (i = 1; i <= 4 && found == ""; i++)
                if (candidates[i] in owner) found = owner[candidates[i]]
            if (found == "") { print $1 " belongs to no Debian package"; next }
            n = split(found, pkgs, ",")
            ok = 0
            for (i = 1; i <= n; i++) if (pkgs[i] in brought) ok = 1
            if (!ok && !(found in told)) {
                told[found] = 1
                print $1 " comes from " found ", which install-deps.sh does not bring"
            }
        }' "$brought" /var/lib/dpkg/info/*.list -)
}

# What the build included; ours (the source and build trees) are no package's.
source_dir=$(pwd -P)
mapfile -t headers < <(ninja -C "$build" -t deps 2>/dev/null | sed -n 's/^    //p' | grep '^/' \
    | grep -v "^$source_dir/" | sort -u)
[ ${#headers[@]} -gt 0 ] || fail "ninja's dependency log in $build is empty: build first"
check header "${headers[@]}"

# The tools the tests and the package test run, on the PATH the tests get (scripts/test.sh).
tools=(bash cmake ctest cpack runuser dbus-daemon pdftotext dpkg dpkg-deb dpkg-shlibdeps dpkg-architecture
    desktop-file-validate appstreamcli file readelf groff)
paths=()
for tool in "${tools[@]}"; do
    path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$tool" || true)
    [ -n "$path" ] || { problems+=("tool $tool is not installed"); continue; }
    paths+=("$path")
done
paths+=(/usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl /usr/lib/postgresql/15/bin/postgres)
check tool "${paths[@]}"

if [ ${#problems[@]} -gt 0 ]; then
    printf 'check-deps: %s\n' "${problems[@]}" >&2
    fail "list the missing packages in scripts/install-deps.sh"
fi
echo "check-deps: ${#headers[@]} headers and ${#paths[@]} tools, each from a package install-deps.sh brings"
