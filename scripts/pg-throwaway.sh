#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests: a temporary data directory, 127.0.0.1 only, a free port.
#   eval "$(scripts/pg-throwaway.sh start)"   # exports FIELDBOOK_TEST_PG_URL, PGHOST, PGPORT, FIELDBOOK_PG_DATA
#   scripts/pg-throwaway.sh stop "$FIELDBOOK_PG_DATA"
# initdb and postgres refuse to run as root: as root they run as the postgres user through runuser.
set -euo pipefail

bindir=/usr/lib/postgresql/15/bin

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    data=$(mktemp -d /tmp/fieldbook-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$data"
    fi
    # Passwords are checked over TCP (scram-sha-256), as on a real server, so tests can prove a wrong password
    # is refused; the administrator's password is random and lives only in this cluster and the exported URL.
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    printf '%s\n' "$password" >"$data.pw"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$data.pw"
    fi
    as_pg "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$data.pw" --encoding=UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 \
        || { cat "$data.initdb.log" >&2; exit 1; }
    rm -f "$data.pw"
    for port in $(seq 55432 55532); do
        if as_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=on" start >/dev/null 2>&1; then
            echo "export FIELDBOOK_PG_DATA='$data' PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres"
            echo "export FIELDBOOK_TEST_PG_URL='postgresql://postgres:$password@127.0.0.1:$port/postgres'"
            exit 0
        fi
    done
    echo "pg-throwaway: no free port in 55432-55532" >&2
    exit 1
    ;;
stop)
    data="${2:?usage: pg-throwaway.sh stop DATA_DIR}"
    as_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$data" "$data.initdb.log"
    ;;
*)
    echo "usage: pg-throwaway.sh start | stop DATA_DIR" >&2
    exit 2
    ;;
esac
