#!/bin/sh
# Installs what the build, the demo and the tests need from Debian's
# archive, if it is missing. Needs root (or sudo) only when something is
# missing.
#
#   tools/setup.sh                  build + demo + tests (make demo, make test)
#   tools/setup.sh --ci             the same plus what CI-only checks use,
#                                   and every board's packages (make test-all-boards)
#   tools/setup.sh --board NAME     the same plus board NAME's cross compiler
#                                   and emulator (`make BOARD=NAME ...` runs this)
set -eu

# command -> Debian package
need="gcc:gcc make:make python3:python3 openssl:openssl bzip2:bzip2 dpkg-deb:dpkg apt-get:apt"

# What each board needs beyond the host build, as command:package pairs
# (a file path stands for a package that installs no command).
board_needs() {
    case "$1" in
    posix) ;;
    linux-mips)
        echo "mips-linux-gnu-gcc:gcc-mips-linux-gnu"
        echo "/usr/mips-linux-gnu/lib/libc.a:libc6-dev-mips-cross"
        echo "qemu-mips:qemu-user" ;;
    linux-armhf)
        echo "arm-linux-gnueabihf-gcc:gcc-arm-linux-gnueabihf"
        echo "/usr/arm-linux-gnueabihf/lib/libc.a:libc6-dev-armhf-cross"
        echo "qemu-arm:qemu-user" ;;
    cortex-m4)
        echo "arm-none-eabi-gcc:gcc-arm-none-eabi"
        echo "/usr/lib/arm-none-eabi/newlib/thumb/v7e-m/nofp/libc_nano.a:libnewlib-arm-none-eabi" ;;
    mps2-an385)
        echo "arm-none-eabi-gcc:gcc-arm-none-eabi"
        echo "/usr/lib/arm-none-eabi/newlib/thumb/v7-m/nofp/librdimon.a:libnewlib-arm-none-eabi"
        echo "qemu-system-arm:qemu-system-arm" ;;
    *)
        echo "setup: unknown board '$1' (see boards/)" >&2
        return 1 ;;
    esac
}
ALL_BOARDS="posix linux-mips linux-armhf cortex-m4 mps2-an385"

case "${1:-}" in
"") ;;
--ci)
    need="$need clang:clang"
    for b in $ALL_BOARDS; do need="$need $(board_needs "$b")"; done ;;
--board)
    extra=$(board_needs "${2:?setup: --board needs a board name}")
    need="$need $extra" ;;
*)
    echo "usage: tools/setup.sh [--ci | --board NAME]" >&2
    exit 2 ;;
esac

missing=
for pair in $need; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    case "$cmd" in
    /*) [ -e "$cmd" ] && continue ;;
    *) command -v "$cmd" >/dev/null 2>&1 && continue ;;
    esac
    case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
# The archive's signing keys, needed to verify the sources we fetch.
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing="$missing debian-archive-keyring"

[ -z "$missing" ] && exit 0

echo "setup: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=
elif command -v sudo >/dev/null 2>&1; then
    sudo=sudo
else
    echo "setup: please install as root:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$sudo apt-get update -q >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
