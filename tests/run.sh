#!/bin/sh
# Runs test programs and totals their results.
#
#   tests/run.sh [--run "PREFIX"] PROGRAM...
#
# Each program prints one line per test: "PASS suite/name" or
# "FAIL suite/name: why". A program that exits non-zero without printing a
# FAIL line (a crash, a sanitizer report) counts as one failure of its own.
# The last line is "N passed, N failed"; the exit status is 0 only if
# nothing failed.
set -u
run_prefix=
if [ "${1:-}" = "--run" ]; then run_prefix=$2; shift 2; fi

passed=0
failed=0
for prog in "$@"; do
    out=$(mktemp)
    # shellcheck disable=SC2086
    $run_prefix "$prog" >"$out" 2>&1
    rc=$?
    p=$(grep -c '^PASS ' "$out")
    f=$(grep -c '^FAIL ' "$out")
    grep -E '^(FAIL|PASS) ' "$out" | grep '^FAIL ' || true
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $(basename "$prog"): exited with status $rc after $p passes; its output ends:"
        tail -n 15 "$out" | sed 's/^/    /'
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    rm -f "$out"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
