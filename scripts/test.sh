#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as errors, checks that every header
# and tool comes from a package install-deps.sh brings, starts a throwaway PostgreSQL and runs every test with
# CTest (GUI tests on the offscreen platform). Exits non-zero on any failure.
#
# The tests run in a clean environment, as on a fresh machine: their own HOME and XDG directories, the system's
# PATH, no session bus or display of this machine's (so never its keychain), no FIELDBOOK_* or PG* setting of
# the user's; only the throwaway PostgreSQL's variables are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset testing
cmake --build --preset testing
bash scripts/check-deps.sh build/testing

scratch=$(mktemp -d /tmp/fieldbook-test.XXXXXX)
pg_data=""
cleanup() {
    if [ -n "$pg_data" ]; then
        bash scripts/pg-throwaway.sh stop "$pg_data"
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/state" "$scratch/runtime"
chmod 700 "$scratch/runtime"

pg_env=$(bash scripts/pg-throwaway.sh start)
eval "$pg_env"
pg_data=$FIELDBOOK_PG_DATA
echo "test.sh: PostgreSQL on 127.0.0.1:$PGPORT"

env -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    HOME="$scratch/home" \
    XDG_CONFIG_HOME="$scratch/config" \
    XDG_DATA_HOME="$scratch/data" \
    XDG_CACHE_HOME="$scratch/cache" \
    XDG_STATE_HOME="$scratch/state" \
    XDG_RUNTIME_DIR="$scratch/runtime" \
    TMPDIR=/tmp \
    QT_QPA_PLATFORM=offscreen \
    FIELDBOOK_PG_DATA="$FIELDBOOK_PG_DATA" \
    FIELDBOOK_TEST_PG_URL="$FIELDBOOK_TEST_PG_URL" \
    PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER" \
    ctest --preset testing -j2
