#!/bin/sh
# make size: runs AGENT (built with a board's TLS profile) over TLS 1.2
# against the sandbox and prints tls_pool_peak=N, the most of its TLS pool
# ever in use during the whole job (handshake, every request, every upload).
#
#   tools/tls_pool_peak.sh AGENT_BINARY
set -eu
agent=${1:?usage: tools/tls_pool_peak.sh AGENT_BINARY}
shared=${LUM_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
. "$(dirname "$0")/sandbox_run.sh"
sandbox_start tls_pool_peak --tls-max 1.2
sandbox_agent_conf trait-panel "$shared/data/reference/snps_grch37.tsv" "tls_max_version = 1.2" >"$work/agent.conf"
"$agent" --tls-pool-peak "$work/agent.conf" >"$work/agent.out" 2>&1 || {
    echo "tls_pool_peak: the agent failed:" >&2
    cat "$work/agent.out" >&2
    exit 1
}
grep '^queue drained' "$work/agent.out" | sed 's/^/# /'
grep '^tls_pool_peak=' "$work/agent.out"
