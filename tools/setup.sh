#!/bin/sh
# Installs what the build, the demo and the tests need from Debian's
# archive, if it is missing. Needs root (or sudo) only when something is
# missing.
#
#   tools/setup.sh          build + demo + tests (make demo, make test)
#   tools/setup.sh --ci     the same plus what CI-only checks use
set -eu

# command -> Debian package
need="gcc:gcc make:make python3:python3 openssl:openssl bzip2:bzip2 dpkg-deb:dpkg apt-get:apt"
if [ "${1:-}" = "--ci" ]; then
    need="$need clang:clang"
fi

missing=
for pair in $need; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
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
