#!/bin/sh
# Runs test programs and totals their results.
#
#   tests/run.sh [--run "PREFIX"] COMMAND...
#
# Each COMMAND (one argument, split on spaces) prints one line per test:
# "PASS suite/name" or "FAIL suite/name: why". A command that exits non-zero
# without printing a FAIL line (a crash, a sanitizer report) counts as one
# failure of its own. PREFIX (e.g. "qemu-mips -L /usr/mips-linux-gnu") is put
# in front of commands that are ELF binaries, so cross-built tests run under
# an emulator while scripts run natively. ELF binaries are also killed after
# LUM_TEST_TIMEOUT seconds (default 600; status 124): a hang fails the run
# instead of stalling it. (Scripts bound their own programs' run time.)
# The last line is "N passed, N failed"; the exit status is 0 only if
# nothing failed.
set -u
run_prefix=
if [ "${1:-}" = "--run" ]; then run_prefix=$2; shift 2; fi

is_elf() {
    [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]
}

passed=0
failed=0
for cmd in "$@"; do
    out=$(mktemp)
    prog=${cmd%% *}
    prefix=
    if is_elf "$prog"; then prefix="timeout -k 5 ${LUM_TEST_TIMEOUT:-600} $run_prefix"; fi
    # shellcheck disable=SC2086
    $prefix $cmd >"$out" 2>&1
    rc=$?
    if [ -n "$prefix" ] && [ "$rc" -eq 124 ]; then
        echo "timed out (status 124: killed by timeout)" >>"$out"
    fi
    p=$(grep -c '^PASS ' "$out")
    f=$(grep -c '^FAIL ' "$out")
    grep '^FAIL ' "$out"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $cmd: exited with status $rc after $p passes; its output ends:"
        tail -n 15 "$out" | sed 's/^/    /'
        f=1
    fi
    echo "  $cmd: $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
    rm -f "$out"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
