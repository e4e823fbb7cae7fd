#!/bin/sh
# Runs one program built for BOARD=mps2-an385 on QEMU's emulated Cortex-M3:
#
#   boards/mps2-an385/run.sh PROGRAM.elf
#
# Output comes through semihosting (stdout and stderr on the host's stdout
# and stderr); the exit status is the program's (134 after a fault). A program
# that runs longer than LUM_BOARD_TIMEOUT seconds (default 300) is killed and
# the status is 124, so a hang fails the test run instead of stalling it.
set -eu
prog=${1:?usage: run.sh PROGRAM.elf}
[ $# -eq 1 ] || { echo "run.sh: the board passes no arguments to programs" >&2; exit 2; }
exec timeout -k 5 "${LUM_BOARD_TIMEOUT:-300}" \
    qemu-system-arm -M mps2-an385 -nographic -monitor none -serial none \
    -semihosting-config enable=on,target=native -kernel "$prog" </dev/null
