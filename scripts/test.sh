#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as errors, starts a throwaway
# PostgreSQL and runs every test with CTest (GUI tests on the offscreen platform). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset testing
cmake --build --preset testing

eval "$(bash scripts/pg-throwaway.sh start)"
trap 'bash scripts/pg-throwaway.sh stop "$FIELDBOOK_PG_DATA"' EXIT
echo "test.sh: PostgreSQL on 127.0.0.1:$PGPORT"

export QT_QPA_PLATFORM=offscreen
ctest --preset testing -j2
