#!/usr/bin/env bash
# Mutation check, run by hand (not part of scripts/test.sh or CI): do the tests catch real bugs?
#
#   bash scripts/mutation-check.sh [NAME-REGEX]
#
# Applies each mutation of scripts/mutations.txt (a small change a user would notice: a guard that no longer
# fires, a total off by a rule, an acknowledgement before COMMIT) one at a time to a scratch copy of the
# committed HEAD, rebuilds only the tests named for it, runs them, and restores the file. A mutation is
# caught when one of its tests fails. Prints each result, the survivors, and at the end
#   FIGURE mutants_caught_pct <percent>
#
# Your working tree is never touched: the scratch copy is a detached git worktree in build/mutation (kept
# between runs, so later runs rebuild incrementally; ccache helps the first build). Commit first: the check
# runs on HEAD. A mutation that no longer applies (its text is not found exactly once) or does not build is
# reported and left out of the figure. The sync tests need PostgreSQL: a throwaway one is started unless
# FIELDBOOK_TEST_PG_URL is set. Logs: build/mutation-logs/.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
list="${MUTATIONS:-$root/scripts/mutations.txt}"
scratch="${MUTATION_DIR:-$root/build/mutation}"
logs="$root/build/mutation-logs"
filter="${1:-.}"
build="$scratch/build/testing"

# Parse the list: blocks of "== name", "what: ...", "file: ...", "tests: ...", "find: ...", "repl: ...".
# In find and repl, {NL} stands for a line break; the text is matched literally and must occur exactly once.
names=() whats=() files=() tests=() finds=() repls=()
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
    '== '*) names+=("${line#== }") whats+=("") files+=("") tests+=("") finds+=("") repls+=("") ;;
    'what: '*) whats[-1]="${line#what: }" ;;
    'file: '*) files[-1]="${line#file: }" ;;
    'tests: '*) tests[-1]="${line#tests: }" ;;
    'find: '*) finds[-1]="${line#find: }" ;;
    'repl: '*) repls[-1]="${line#repl: }" ;;
    '#'* | '') ;;
    *) echo "mutation-check: cannot read this line of $list: $line" >&2; exit 2 ;;
    esac
done <"$list"

selected=()
for i in "${!names[@]}"; do
    if [[ "${names[$i]}" =~ $filter ]]; then
        if [ -z "${files[$i]}" ] || [ -z "${tests[$i]}" ] || [ -z "${finds[$i]}" ]; then
            echo "mutation-check: ${names[$i]} needs file, tests and find" >&2
            exit 2
        fi
        selected+=("$i")
    fi
done
[ ${#selected[@]} -gt 0 ] || { echo "mutation-check: no mutation matches '$filter'" >&2; exit 2; }

# The scratch copy at HEAD, clean.
head=$(git -C "$root" rev-parse HEAD)
if [ ! -e "$scratch/.git" ]; then
    git -C "$root" worktree add --detach "$scratch" "$head" >/dev/null
else
    git -C "$scratch" reset -q --hard
    git -C "$scratch" checkout -q --detach "$head"
fi
mkdir -p "$logs"

current_file=""
restore() {
    if [ -n "$current_file" ]; then
        git -C "$scratch" checkout -q -- "$current_file"
        current_file=""
    fi
}
pg_data=""
cleanup() {
    restore
    if [ -n "$pg_data" ]; then
        bash "$root/scripts/pg-throwaway.sh" stop "$pg_data" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${FIELDBOOK_TEST_PG_URL:-}" ]; then
    eval "$(bash "$root/scripts/pg-throwaway.sh" start)"
    pg_data="$FIELDBOOK_PG_DATA"
fi
export QT_QPA_PLATFORM=offscreen
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
(cd "$scratch" && cmake --preset testing "${launcher[@]}") >"$logs/configure.log" 2>&1 \
    || { cat "$logs/configure.log" >&2; exit 1; }

# Every test any selected mutation runs, built and passing before anything is mutated: a failing baseline
# would count as caught.
all_tests=()
for i in "${selected[@]}"; do
    for t in ${tests[$i]}; do
        [[ " ${all_tests[*]} " == *" $t "* ]] || all_tests+=("$t")
    done
done
regex_of() { local IFS='|'; echo "^($*)\$"; }
echo "mutation-check: baseline build and run of ${all_tests[*]}"
cmake --build "$build" --target "${all_tests[@]}" >"$logs/baseline.build.log" 2>&1 \
    || { tail -40 "$logs/baseline.build.log" >&2; echo "mutation-check: the baseline does not build" >&2; exit 1; }
if ! ctest --test-dir "$build" -R "$(regex_of "${all_tests[@]}")" --timeout 300 >"$logs/baseline.test.log" 2>&1; then
    tail -40 "$logs/baseline.test.log" >&2
    echo "mutation-check: the tests fail without any mutation; fix that first" >&2
    exit 1
fi

caught=0
counted=0
survivors=()
invalid=()
for i in "${selected[@]}"; do
    name="${names[$i]}" file="${files[$i]}"
    read -r -a mutant_tests <<<"${tests[$i]}"
    current_file="$file"
    if ! FIND="${finds[$i]}" REPL="${repls[$i]}" perl -e '
            my ($path) = @ARGV;
            my ($find, $repl) = ($ENV{FIND}, $ENV{REPL});
            s/\{NL\}/\n/g for $find, $repl;
            open(my $in, "<", $path) or die "cannot read $path\n";
            local $/;
            my $text = <$in>;
            close $in;
            my $count = () = $text =~ /\Q$find\E/g;
            if ($count != 1) { print STDERR "found $count times\n"; exit 3; }
            $text =~ s/\Q$find\E/$repl/;
            open(my $out, ">", $path) or die "cannot write $path\n";
            print $out $text;
            close $out;' "$scratch/$file" 2>"$logs/$name.apply.log"; then
        restore
        invalid+=("$name (does not apply: $(cat "$logs/$name.apply.log"))")
        echo "INVALID  $name: the text to mutate is not in $file exactly once"
        continue
    fi
    start=$SECONDS
    if ! cmake --build "$build" --target "${mutant_tests[@]}" >"$logs/$name.build.log" 2>&1; then
        restore
        invalid+=("$name (does not build)")
        echo "INVALID  $name: does not build (see $logs/$name.build.log)"
        continue
    fi
    counted=$((counted + 1))
    if ctest --test-dir "$build" -R "$(regex_of "${mutant_tests[@]}")" --timeout 300 --stop-on-failure --output-on-failure \
        >"$logs/$name.test.log" 2>&1; then
        survivors+=("$name: ${whats[$i]}")
        echo "SURVIVED $name ($((SECONDS - start)) s): ${whats[$i]}"
    else
        caught=$((caught + 1))
        failed=$(grep -oE '[0-9]+ - test_[a-z_]+' "$logs/$name.test.log" | sed 's/^[0-9]* - //' | tr '\n' ' ')
        echo "caught   $name ($((SECONDS - start)) s) by ${failed:-a test}"
    fi
    restore
done
# The last mutant's objects are rebuilt from the restored file next time.

echo
echo "mutation-check: $caught of $counted mutations caught"
if [ ${#survivors[@]} -gt 0 ]; then
    echo "survivors:"
    printf '  %s\n' "${survivors[@]}"
fi
if [ ${#invalid[@]} -gt 0 ]; then
    echo "not counted:"
    printf '  %s\n' "${invalid[@]}"
fi
if [ "$counted" -gt 0 ]; then
    echo "FIGURE mutants_caught_pct $(awk -v c="$caught" -v n="$counted" 'BEGIN { printf "%.1f", 100 * c / n }')"
fi
