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

clean_env=(
    env -i
    PATH=/usr/sbin:/usr/bin:/sbin:/bin
    HOME="$scratch/home"
    XDG_CONFIG_HOME="$scratch/config"
    XDG_DATA_HOME="$scratch/data"
    XDG_CACHE_HOME="$scratch/cache"
    XDG_STATE_HOME="$scratch/state"
    XDG_RUNTIME_DIR="$scratch/runtime"
    TMPDIR=/tmp
    QT_QPA_PLATFORM=offscreen
    FIELDBOOK_PG_DATA="$FIELDBOOK_PG_DATA"
    FIELDBOOK_TEST_PG_URL="$FIELDBOOK_TEST_PG_URL"
    PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER"
)
"${clean_env[@]}" LANG=C.UTF-8 ctest --preset testing -j2

# A second pass under another locale and time zone, over the tests where they can matter: what is shown or typed
# (the GUI tests: money, dates, times, week starts, the price fields), the services and models that compute
# days, months and money, the command line's output, and the push's timestamps. German: a decimal comma, day-first
# dates, weeks from Monday. Brisbane: UTC+10 without daylight saving, so the local date differs from UTC's every
# morning until 10:00. Not repeated (nothing there reads the locale or the local zone): the database and
# migration tests, the LLM clients and the keychain, the crash and fault pushes, the server's row-level security,
# the credentials and URLs, the package. About 3 minutes on 2 cores (the whole suite takes about 15).
echo "test.sh: second pass, LANG=de_DE.UTF-8 TZ=Australia/Brisbane"
"${clean_env[@]}" LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 LANGUAGE=de TZ=Australia/Brisbane \
    ctest --preset testing -j2 \
    -R '^test_(catalog|closeout|contacts|customers|history|invoices|lists|mainwindow|reachouts|schedule|settings|syncpanel|syncstatus|ticket|workday|models|events|audit|ticket_service|invoice_service|message_service|contact_service|catalog_service|scheduled_message_handler|attribute_persistence_handler|cli|sync_cli|push)$'
