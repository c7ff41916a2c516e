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
    # locale-gen, for the de_DE.UTF-8 locale of the tests' second pass (below)
    locales tzdata
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
else
    echo "install-deps: installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# scripts/test.sh runs the tests a second time under a German locale (decimal comma, day-first dates) and a time
# zone far from UTC; the C library needs that locale generated (Debian's `locales` package has its data).
locale_name=de_DE.UTF-8
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
    echo "install-deps: generating the $locale_name locale"
    if ! grep -qx "$locale_name UTF-8" /etc/locale.gen 2>/dev/null; then
        echo "$locale_name UTF-8" | "${sudo_cmd[@]}" tee -a /etc/locale.gen >/dev/null
    fi
    "${sudo_cmd[@]}" locale-gen >/dev/null
fi
