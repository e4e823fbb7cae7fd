#!/usr/bin/env python3
"""Measure how fast the sandbox serves a big get_client_snp_group body over
loopback: plain and TLS, Content-Length and chunked.  Prints figures only
(nothing is asserted).

    python3 tools/sandbox/bench.py [--snps 1000000] [--runs 3] [--client curl|python]

Each mode starts its own server with --synthetic-snps N (the body is
pre-serialised at start-up, so this measures the transport) and downloads the
bench dataset into /dev/null --runs times; the best run is reported.
"""

import argparse
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_CLIENT = "831ea36e-d3a2-4b45-80cb-8b518c7c21a6"
BENCH_DATASET = "544b5d41-9bde-4311-bff1-d542881c959b"


def start(snps, extra, state):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--synthetic-snps", str(snps),
                             "--state-dir", state] + extra, stdout=subprocess.PIPE)
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        raise SystemExit("bench: the server did not start")
    return proc, json.loads(line)


def connect(info):
    host, port = info["host"], info["port"]
    if info["scheme"] == "https":
        ctx = ssl.create_default_context(cafile=info["ca_file"])
        return http.client.HTTPSConnection(host, port, context=ctx, timeout=60)
    return http.client.HTTPConnection(host, port, timeout=60)


def token(info):
    p = [p for p in info["products"] if p["name"] == "bench"][0]
    c = connect(info)
    body = urllib.parse.urlencode({"username": p["product_uuid"], "password": p["api_key"], "role": "role_product"})
    c.request("POST", "/v1/auth/jwt", body, {"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    tok = json.loads(r.read())["access_token"]
    c.close()
    return tok


def fetch_python(info, path, tok):
    c = connect(info)
    t0 = time.perf_counter()
    c.request("GET", path, headers={"Authorization": "Bearer " + tok})
    r = c.getresponse()
    n = 0
    buf = bytearray(1 << 20)
    while True:
        k = r.readinto(buf)
        if not k:
            break
        n += k
    dt = time.perf_counter() - t0
    c.close()
    return r.status, n, dt


def fetch_curl(info, path, tok):
    url = "%s://%s:%d%s" % (info["scheme"], info["host"], info["port"], path)
    cmd = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}",
           "-H", "Authorization: Bearer " + tok, url]
    if info["ca_file"]:
        cmd[1:1] = ["--cacert", info["ca_file"]]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout.decode().split()
    return int(out[0]), int(out[1]), float(out[2])


def main(argv=None):
    p = argparse.ArgumentParser(description="Loopback throughput of a big get_client_snp_group body.")
    p.add_argument("--snps", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--client", choices=("curl", "python"), default="curl" if shutil.which("curl") else "python")
    args = p.parse_args(argv)
    fetch = fetch_curl if args.client == "curl" else fetch_python
    path = "/v1/clients/%s/datasets/%s/snps/" % (BENCH_CLIENT, BENCH_DATASET)
    print("get_client_snp_group, %d SNPs, client %s, best of %d" % (args.snps, args.client, args.runs))
    print("%-22s %12s %9s %10s" % ("mode", "bytes", "seconds", "MB/s"))
    for name, extra in (("plain", ["--no-tls"]), ("plain chunked", ["--no-tls", "--chunked"]),
                        ("tls1.3", []), ("tls1.3 chunked", ["--chunked"]),
                        ("tls1.2 rsa", ["--tls-max", "1.2", "--tls-key", "rsa"])):
        state = tempfile.mkdtemp(prefix="lum-bench-")
        proc, info = start(args.snps, extra, state)
        try:
            tok = token(info)
            best = None
            for _ in range(args.runs):
                status, n, dt = fetch(info, path, tok)
                if status != 200:
                    raise SystemExit("bench: HTTP %d" % status)
                best = min(best or dt, dt)
            print("%-22s %12d %9.3f %10.0f" % (name, n, best, n / best / 1e6))
        finally:
            proc.terminate()
            proc.wait()
            shutil.rmtree(state, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
