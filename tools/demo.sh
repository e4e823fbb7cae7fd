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

work=$(mktemp -d)
sandbox_pid=
stop() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "== starting the sandbox (TLS, 127.0.0.1, a free port)"
python3 tools/sandbox/server.py --host 127.0.0.1 --port 0 --state-dir "$work/sandbox" \
    --data-dir "$shared/data" >"$work/sandbox.json" 2>"$work/sandbox.log" &
sandbox_pid=$!
i=0
until [ -s "$work/sandbox.json" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$sandbox_pid" 2>/dev/null; then
        echo "demo: the sandbox did not start:" >&2
        cat "$work/sandbox.log" >&2
        exit 1
    fi
    sleep 0.1
done

# The agent's configuration, from the sandbox's start-up line.
python3 - "$work/sandbox.json" "$work" "$panel" >"$work/agent.conf" <<'PY'
import json, sys
info = json.load(open(sys.argv[1]))
product = [p for p in info["products"] if p["name"] == "trait-panel"][0]
print("api_host = %s" % info["host"])
print("api_port = %d" % info["port"])
print("product_uuid = %s" % product["product_uuid"])
print("api_key = %s" % product["api_key"])
print("ca_file = %s" % info["ca_file"])
print("state_file = %s/agent.state" % sys.argv[2])
print("panel_file = %s" % sys.argv[3])
PY
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
