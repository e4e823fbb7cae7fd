#!/usr/bin/env python3
"""The ledger: one JSON line per result received, written and fsync'ed before
the HTTP response goes out, so a test that saw the response (or lost it to a
fault) can count exactly what the server committed.

As a script it prints a summary table of a ledger file:
    python3 tools/sandbox/ledger.py LEDGER
"""

import argparse
import json
import os
import sys
import threading


class Ledger:
    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        # a fresh ledger per run: the server's state is not persisted either
        self._file = open(path, "w", encoding="utf-8")

    def append(self, entry):
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self._file.write(line)
            self._file.flush()
            os.fsync(self._file.fileno())

    def entries(self):
        with self._lock:
            return read(self.path)

    def close(self):
        with self._lock:
            self._file.close()


def read(path):
    """Entries of a ledger file; malformed lines are skipped."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                out.append(entry)
    return out


def summary(entries):
    """A human-readable table plus totals per type."""
    cols = ["seq", "authorization_uuid", "customer", "type", "filename", "bytes"]
    rows = []
    for e in entries:
        rows.append([
            str(e.get("sequence_number", "")),
            str(e.get("authorization_uuid", "")),
            str(e.get("client_uuid", "")),
            str(e.get("type", "")),
            str(e.get("filename", "")) if e.get("type") == "file" else "",
            str(e.get("bytes", "")) if e.get("type") == "file" else "",
        ])
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    numeric = {0, 5}

    def fmt(r):
        return "  ".join(v.rjust(w) if i in numeric else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths))).rstrip()

    lines = [fmt(cols), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in rows]
    totals = {}
    for e in entries:
        t = totals.setdefault(str(e.get("type", "?")), [0, 0])
        t[0] += 1
        if isinstance(e.get("bytes"), int):
            t[1] += e["bytes"]
    lines.append("")
    lines.append("totals:")
    for kind in ("file", "credentials", "done", "unfulfillable"):
        if kind in totals:
            n, b = totals.pop(kind)
            lines.append("  %-13s %5d%s" % (kind, n, "  %d bytes" % b if kind == "file" else ""))
    for kind, (n, b) in sorted(totals.items()):
        lines.append("  %-13s %5d" % (kind, n))
    lines.append("  %-13s %5d" % ("all", len(entries)))
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description="Summarise a sandbox ledger (JSON lines) as a table.")
    p.add_argument("ledger", help="path of the ledger.jsonl file")
    args = p.parse_args(argv)
    try:
        entries = read(args.ledger)
    except OSError as e:
        print("ledger.py: %s" % e, file=sys.stderr)
        return 2
    sys.stdout.write(summary(entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
