#!/usr/bin/env bash
# The README's run command: installs what is missing, builds a release and starts Fieldbook on its embedded
# default database (SQLite in the user's data directory), filling it with demo data on first start.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
exec ./build/release/app/fieldbook --demo "$@"
