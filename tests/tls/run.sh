#!/bin/sh
# tests/tls/run.sh BINARY [RUN-PREFIX...]
#
# Runs the TLS port's test program against local `openssl s_server`
# instances. Certificates are made here, at run time, in a temporary folder;
# servers listen on 127.0.0.1 on ports the kernel picks (`-accept ...:0`).
# Whatever happens, the servers are killed (by their PIDs) and the folder is
# removed on exit. RUN-PREFIX runs a cross-built binary (e.g. qemu-mips).
# TLS_TEST_LOG=1 in the environment shows the port's log lines on stderr.
set -eu

bin=$1
shift
run="$*" # e.g. qemu-mips -L /usr/mips-linux-gnu

if ! command -v openssl >/dev/null 2>&1; then
    echo "FAIL tls/setup: the openssl command-line tool is needed (apt-get install openssl)"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lum-tls.XXXXXX")
pids=
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

die() { echo "FAIL tls/setup: $*"; exit 1; }

# ---------------------------------------------------------------- certificates
(
    cd "$tmp"
    # CAs: RSA-2048 (like most public roots), ECDSA P-256, and one we never trust.
    openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa_ca.key -out rsa_ca.pem \
        -days 2 -subj "/CN=lumminary test RSA CA" 2>/dev/null
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec_ca.key \
        -out ec_ca.pem -days 2 -subj "/CN=lumminary test EC CA" 2>/dev/null
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other_ca.key \
        -out other_ca.pem -days 2 -subj "/CN=somebody else's CA" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > leaf.ext
    # Leaves for "localhost" / 127.0.0.1: RSA-2048 under the RSA CA, P-256 under the EC CA.
    openssl req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj /CN=localhost 2>/dev/null
    openssl x509 -req -in rsa.csr -CA rsa_ca.pem -CAkey rsa_ca.key -CAcreateserial -days 2 \
        -sha256 -extfile leaf.ext -out rsa.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr \
        -subj /CN=localhost 2>/dev/null
    openssl x509 -req -in ec.csr -CA ec_ca.pem -CAkey ec_ca.key -CAcreateserial -days 2 \
        -sha256 -extfile leaf.ext -out ec.pem 2>/dev/null
    cat rsa_ca.pem ec_ca.pem > ca.pem
    openssl x509 -in ec_ca.pem -outform DER -out ec_ca.der
) || die "could not create certificates with openssl"

# ---------------------------------------------------------------- servers
# start NAME ARGS...: starts `openssl s_server -rev` (echoes each line
# reversed) and sets $port to the port it listens on.
start() {
    name=$1
    shift
    : >"$tmp/$name.log"
    openssl s_server -accept 127.0.0.1:0 -rev "$@" >"$tmp/$name.log" 2>&1 </dev/null &
    pids="$pids $!"
    i=0
    port=
    while [ -z "$port" ]; do
        port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$tmp/$name.log" | head -n 1)
        [ -n "$port" ] && break
        i=$((i + 1))
        [ "$i" -lt 200 ] || die "s_server $name did not start: $(cat "$tmp/$name.log")"
        sleep 0.05
    done
}

start ec13 -tls1_3 -cert "$tmp/ec.pem" -key "$tmp/ec.key"
TLS_PORT_EC13=$port
start rsa12 -tls1_2 -cert "$tmp/rsa.pem" -key "$tmp/rsa.key"
TLS_PORT_RSA12=$port
# A TLS 1.2-only RSA server that imposes RSA-PSS on the ServerKeyExchange
# (its own signature-algorithm order wins): mbedTLS issue 10668.
start pss12 -tls1_2 -cert "$tmp/rsa.pem" -key "$tmp/rsa.key" -serverpref \
    -sigalgs "RSA-PSS+SHA256:RSA-PSS+SHA384:RSA+SHA256"
TLS_PORT_PSS12=$port
start rsa -cert "$tmp/rsa.pem" -key "$tmp/rsa.key"
TLS_PORT_RSA=$port
start ec -cert "$tmp/ec.pem" -key "$tmp/ec.key"
TLS_PORT_EC=$port

TLS_CERTS=$tmp
export TLS_CERTS TLS_PORT_EC13 TLS_PORT_RSA12 TLS_PORT_PSS12 TLS_PORT_RSA TLS_PORT_EC

status=0
# shellcheck disable=SC2086
$run "$bin" || status=$?
exit "$status"
