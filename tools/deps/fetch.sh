#!/bin/sh
# Fetches the project's third-party sources from Debian's archive into
# build/deps/ and checks them against pinned versions and sha256 sums.
# Nothing fetched here is committed. apt verifies the archive's signatures;
# the sha256 pins make sure we build exactly what we tested with.
#
#   tools/deps/fetch.sh jsmn      -> build/deps/jsmn/jsmn.h
#   tools/deps/fetch.sh mbedtls   -> build/deps/mbedtls-3.6.6/ (source tree)
#
# Environment: DEPS_DIR (default build/deps).
set -eu

# ---- pins: change these together, after testing ----
JSMN_DEB_VERSION=1.1.0-2              # bookworm's libjsmn-dev (header only)
JSMN_H_SHA256=1ed6154dedf009212a08a397e9c4ed50a0ce31d5a8301bb294e137ae3188c13b
MBEDTLS_SUITE=trixie                  # mbedTLS 3.6 LTS is packaged in trixie
MBEDTLS_VERSION=3.6.6
MBEDTLS_ORIG=mbedtls_${MBEDTLS_VERSION}.orig.tar.bz2
MBEDTLS_ORIG_SHA256=8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a

DEPS_DIR=${DEPS_DIR:-build/deps}
mkdir -p "$DEPS_DIR"
DEPS_DIR=$(cd "$DEPS_DIR" && pwd)

die() { echo "fetch.sh: $*" >&2; exit 1; }

check_sha256() { # file expected
    got=$(sha256sum "$1" | cut -d' ' -f1)
    [ "$got" = "$2" ] || die "checksum mismatch for $1
  expected $2
  got      $got
The archive has moved on (or the download is corrupt). Test the new version,
then update the pins in tools/deps/fetch.sh."
}

fetch_jsmn() {
    out="$DEPS_DIR/jsmn"
    if [ -f "$out/jsmn.h" ]; then check_sha256 "$out/jsmn.h" "$JSMN_H_SHA256"; return 0; fi
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && apt-get download -q "libjsmn-dev=$JSMN_DEB_VERSION" >/dev/null 2>"$tmp/err") ||
        die "apt-get download libjsmn-dev=$JSMN_DEB_VERSION failed (is the Debian archive reachable? run 'apt-get update'):
$(cat "$tmp/err")"
    dpkg-deb -x "$tmp"/libjsmn-dev_*.deb "$tmp/x"
    check_sha256 "$tmp/x/usr/include/jsmn.h" "$JSMN_H_SHA256"
    mkdir -p "$out"
    cp "$tmp/x/usr/include/jsmn.h" "$out/jsmn.h"
    cp "$tmp/x/usr/share/doc/libjsmn-dev/copyright" "$out/COPYRIGHT"
    echo "fetched jsmn $JSMN_DEB_VERSION into $out"
}

fetch_mbedtls() {
    out="$DEPS_DIR/mbedtls-$MBEDTLS_VERSION"
    [ -f "$out/.fetched" ] && return 0
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    # A private apt configuration that knows only the deb-src entry we need,
    # so the machine's own sources.list is neither used nor changed.
    mkdir -p "$tmp/apt/lists/partial" "$tmp/dl"
    cat > "$tmp/apt/debian-src.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $MBEDTLS_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt_opts="-q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$tmp/apt -o Dir::State::Lists=$tmp/apt/lists"
    # shellcheck disable=SC2086
    apt-get $apt_opts update >"$tmp/err" 2>&1 ||
        die "apt-get update of the $MBEDTLS_SUITE deb-src list failed:
$(cat "$tmp/err")"
    # shellcheck disable=SC2086
    (cd "$tmp/dl" && apt-get $apt_opts source --download-only mbedtls >"$tmp/err" 2>&1) ||
        die "apt-get source mbedtls failed:
$(cat "$tmp/err")"
    [ -f "$tmp/dl/$MBEDTLS_ORIG" ] || die "Debian's $MBEDTLS_SUITE no longer ships $MBEDTLS_ORIG (found: $(ls "$tmp/dl" | tr '\n' ' ')).
Test the new version, then update MBEDTLS_VERSION and MBEDTLS_ORIG_SHA256 in tools/deps/fetch.sh."
    check_sha256 "$tmp/dl/$MBEDTLS_ORIG" "$MBEDTLS_ORIG_SHA256"
    rm -rf "$out" "$out.tmp"; mkdir -p "$out.tmp"
    tar -xjf "$tmp/dl/$MBEDTLS_ORIG" -C "$out.tmp" --strip-components=1
    touch "$out.tmp/.fetched"
    mv "$out.tmp" "$out"
    echo "fetched mbedtls $MBEDTLS_VERSION into $out"
}

case "${1:-}" in
    jsmn) fetch_jsmn ;;
    mbedtls) fetch_mbedtls ;;
    *) die "usage: $0 jsmn|mbedtls" ;;
esac
