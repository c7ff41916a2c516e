#!/usr/bin/env bash
# Lists functions longer than a limit (default 80 lines) in the given directories (default ui app).
# Our clang-format style puts a function's opening and closing braces alone in column 0, so a function is the
# lines between a "{" line and the next "}" line at column 0; the name is the line before the "{".
# Usage: scripts/function-lengths.sh [limit] [dir...]; exits 1 if any function is over the limit.
set -euo pipefail
limit=${1:-80}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(ui app)
cd "$(dirname "$0")/.."
found=0
while IFS= read -r file; do
    out=$(awk -v limit="$limit" -v file="$file" '
        /^\{[[:space:]]*$/ { start = NR; name = prev; next }
        /^\}/ && start { len = NR - start - 1; if (len > limit) printf "%s:%d: %d lines: %s\n", file, start, len, name; start = 0 }
        { if ($0 !~ /^[[:space:]]*$/) prev = $0 }
    ' "$file")
    if [ -n "$out" ]; then echo "$out"; found=1; fi
done < <(find "${dirs[@]}" -name '*.cpp' | sort)
exit $found
