#!/usr/bin/env bash
# Installs the Debian 12 packages Fieldbook needs to build, run and test, only those missing.
# Runs apt-get as root, or through sudo for a normal user.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql qt6-tools-dev qt6-svg-dev qtkeychain-qt6-dev
    libsqlite3-dev libpq-dev
    postgresql-15 xvfb xauth
    # The package test (scripts/package-test.sh): dpkg-shlibdeps for cpack, the desktop entry, metainfo and man
    # page validators
    dpkg-dev desktop-file-utils appstream file groff-base
    # pdftotext: the GUI test of the invoice PDF reads its text back (Qt compresses the page streams)
    poppler-utils
    # dbus-daemon: the keychain tests run a session bus of their own (tests/support/privatesessionbus.h)
    dbus-daemon
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
