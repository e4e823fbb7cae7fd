"""One-shot transport faults for client robustness tests (admin endpoint).

A fault applies to the next request(s) routed to its operation ("*" = any API
operation); "count" makes it apply that many times.  Actions:
  status             answer {"status"} (default 503) with Retry-After if given
  reset_before       close the connection without processing or answering
  reset_after_commit process fully (ledger included), then close, no answer
  stall              wait "seconds", then process normally
  gateway_timeout    answer 504 at once, as a proxy would, and process the
                     request "seconds" later all the same (its upstream went on)
  truncate_body      process, send the headers with the real Content-Length
                     and only the first half of the body, then close
"""

import threading

ACTIONS = ("status", "reset_before", "reset_after_commit", "stall", "truncate_body", "gateway_timeout")
MAX_STALL = 600


class FaultError(Exception):
    pass


def _int(spec, key, default, lo, hi):
    v = spec.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or not lo <= v <= hi:
        raise FaultError("%s must be an integer in %d..%d" % (key, lo, hi))
    return int(v)


class Faults:
    def __init__(self, operations):
        self.operations = set(operations)
        self._lock = threading.Lock()
        self._pending = []

    def validate(self, spec):
        if not isinstance(spec, dict):
            raise FaultError("a fault is a JSON object")
        unknown = set(spec) - {"operation", "action", "status", "retry_after", "seconds", "count"}
        if unknown:
            raise FaultError("unknown keys %s" % sorted(unknown))
        op = spec.get("operation")
        if op != "*" and op not in self.operations:
            raise FaultError("operation must be one of the 17 operation names or '*'")
        action = spec.get("action")
        if action not in ACTIONS:
            raise FaultError("action must be one of %s" % ", ".join(ACTIONS))
        fault = {"operation": op, "action": action, "count": _int(spec, "count", 1, 1, 1_000_000)}
        if action == "status":
            fault["status"] = _int(spec, "status", 503, 200, 599)
            if "retry_after" in spec:
                fault["retry_after"] = _int(spec, "retry_after", 0, 0, 86400)
        elif action in ("stall", "gateway_timeout"):
            v = spec.get("seconds")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= MAX_STALL:
                raise FaultError("seconds must be a number in 0..%d" % MAX_STALL)
            fault["seconds"] = v
        return fault

    def install(self, specs):
        """Validate all, then install all (nothing is installed if one is bad)."""
        items = specs if isinstance(specs, list) else [specs]
        faults = [self.validate(s) for s in items]
        with self._lock:
            self._pending.extend(faults)
            return [dict(f) for f in self._pending]

    def take(self, operation):
        with self._lock:
            for i, f in enumerate(self._pending):
                if f["operation"] in ("*", operation):
                    f["count"] -= 1
                    if f["count"] <= 0:
                        del self._pending[i]
                    return dict(f)
        return None

    def pending(self):
        with self._lock:
            return [dict(f) for f in self._pending]

    def clear(self):
        with self._lock:
            n = len(self._pending)
            self._pending = []
            return n
