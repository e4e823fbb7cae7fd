#!/bin/sh
# make demo: start the sandbox over TLS on 127.0.0.1, run the agent against
# it, show what the sandbox's ledger received, stop the sandbox.
#
#   tools/demo.sh AGENT_BINARY
#
# Environment: LUM_SHARED_DIR (the shared folder with data/), AGENT_RUN (a
# prefix to run the agent, e.g. an emulator).
set -eu
agent=${1:?usage: tools/demo.sh AGENT_BINARY}
shared=${LUM_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
panel=$shared/data/reference/snps_grch37.tsv
[ -f "$panel" ] || { echo "demo: no shared data at $shared (set LUM_SHARED_DIR)" >&2; exit 1; }

. "$(dirname "$0")/sandbox_run.sh"

echo "== starting the sandbox (TLS, 127.0.0.1, a free port)"
sandbox_start demo
sandbox_agent_conf trait-panel "$panel" >"$work/agent.conf"
ledger=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ledger"])' "$work/sandbox.json")
echo "   $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$work/sandbox.json")"

echo "== running the agent"
set +e
${AGENT_RUN:-} "$agent" "$work/agent.conf"
rc=$?
set -e
echo "   agent exit status: $rc"

echo "== what the sandbox's ledger received"
python3 tools/sandbox/ledger.py "$ledger"

# The demo passes only if the ledger holds each result once.
python3 - "$ledger" <<'PY'
import collections, json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
seen = collections.Counter((e["type"], e["authorization_uuid"]) for e in entries)
dups = [k for k, n in seen.items() if n > 1]
if dups:
    sys.exit("demo: duplicate results in the ledger: %s" % dups)
print("== ledger check: %d results, no duplicates" % len(entries))
PY
exit $rc
