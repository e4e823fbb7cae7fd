# tools/sandbox_run.sh - sourced by the scripts that run a program against
# a sandbox of their own (tools/demo.sh, tools/tls_pool_peak.sh).
#
#   . tools/sandbox_run.sh
#   sandbox_start NAME [server.py options...]
#
# Makes $work (a fresh folder, removed on exit), starts the sandbox on
# 127.0.0.1 and a free port with $shared/data, waits for its start-up line
# ($work/sandbox.json), and stops it on exit, whatever happens. NAME
# prefixes the error message when it does not start. Needs $shared.

work=$(mktemp -d)
sandbox_pid=
sandbox_stop() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap sandbox_stop EXIT
trap 'exit 130' INT TERM

sandbox_start() {
    name=$1
    shift
    python3 tools/sandbox/server.py --host 127.0.0.1 --port 0 --state-dir "$work/sandbox" \
        --data-dir "$shared/data" "$@" >"$work/sandbox.json" 2>"$work/sandbox.log" &
    sandbox_pid=$!
    i=0
    until [ -s "$work/sandbox.json" ]; do
        i=$((i + 1))
        if [ $i -gt 300 ] || ! kill -0 "$sandbox_pid" 2>/dev/null; then
            echo "$name: the sandbox did not start:" >&2
            cat "$work/sandbox.log" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# sandbox_agent_conf PRODUCT_NAME PANEL [extra "key = value" lines...]:
# the agent's configuration for that product, on stdout.
sandbox_agent_conf() {
    python3 - "$work/sandbox.json" "$work" "$@" <<'PY'
import json, sys
info = json.load(open(sys.argv[1]))
product = [p for p in info["products"] if p["name"] == sys.argv[3]][0]
print("api_host = %s" % info["host"])
print("api_port = %d" % info["port"])
print("product_uuid = %s" % product["product_uuid"])
print("api_key = %s" % product["api_key"])
print("ca_file = %s" % info["ca_file"])
print("state_file = %s/agent.state" % sys.argv[2])
print("panel_file = %s" % sys.argv[4])
for line in sys.argv[5:]:
    print(line)
PY
}
