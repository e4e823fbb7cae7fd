#!/usr/bin/env python3
"""make bench: prints the SDK's figures on this machine, one key=value line
each (nothing is asserted: machines here are shared and noisy).

    python3 tests/bench/run.py --bench build/posix/lum-bench --agent build/posix/lumminary-agent
                               [--snps 1000000] [--runs 3]

- decode_mem_*: lum-bench decode, the client's streaming SNP decoder from a
  response in memory (2 KiB and 16 KiB working buffers).
- e2e_tls_*: lum-bench fetch, get_client_snp_group of --snps SNPs from the
  sandbox over loopback TLS 1.3.
- agent_*: the agent's whole job on the sandbox's bench product (one
  authorization whose dataset holds N synthetic SNPs): wall time, and peak
  RSS (lum-bench rss: wait4 of the agent) for 10,000, 100,000 and --snps SNPs.
- python_json_mbps: the same fetch with curl into Python's json.load, the
  yardstick of what a user would pick instead; ratio_vs_python compares.
- sdk_heap_allocs: heap allocations made anywhere in the process during the
  SDK's calls in lum-bench (its malloc family counts them).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.path.join(ROOT, "tools", "sandbox", "server.py")
BENCH_CLIENT = "831ea36e-d3a2-4b45-80cb-8b518c7c21a6"
BENCH_DATASET = "544b5d41-9bde-4311-bff1-d542881c959b"
SNP_PATH = "/v1/clients/%s/datasets/%s/snps/" % (BENCH_CLIENT, BENCH_DATASET)


def shared_dir():
    return os.environ.get("LUM_SHARED_DIR") or os.path.join(os.path.dirname(ROOT), "shared")


class Sandbox:
    """The sandbox with the bench product, stopped on exit whatever happens."""

    def __init__(self, snps):
        self.state = tempfile.mkdtemp(prefix="lum-bench-")
        self.proc = subprocess.Popen(
            [sys.executable, SERVER, "--host", "127.0.0.1", "--port", "0", "--synthetic-snps", str(snps),
             "--state-dir", os.path.join(self.state, "sandbox"), "--data-dir", os.path.join(shared_dir(), "data")],
            stdout=subprocess.PIPE, stderr=open(os.path.join(self.state, "sandbox.log"), "wb"))
        line = self.proc.stdout.readline()
        if not line:
            self.close()
            raise SystemExit("bench: the sandbox did not start (see its log)")
        self.info = json.loads(line)
        self.product = [p for p in self.info["products"] if p["name"] == "bench"][0]

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_lines(cmd, timeout=600):
    """Runs cmd; returns its key=value lines as a dict (exits on failure)."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if r.returncode != 0:
        raise SystemExit("bench: %s failed (%d): %s" % (cmd[0], r.returncode, r.stderr.decode(errors="replace")))
    out = {}
    for line in r.stdout.decode().splitlines():
        k, _, v = line.partition("=")
        if v:
            out[k] = v
    return out


def run_agent(bench, agent, sb, work):
    """One whole agent job on the bench product: (seconds, peak RSS KiB)."""
    conf = os.path.join(work, "agent.conf")
    state = os.path.join(work, "agent.state")
    if os.path.exists(state):
        os.unlink(state)
    with open(conf, "w") as f:
        f.write("api_host = %s\napi_port = %d\nproduct_uuid = %s\napi_key = %s\nca_file = %s\n"
                "state_file = %s\npanel_file = %s\n" % (
                    sb.info["host"], sb.info["port"], sb.product["product_uuid"], sb.product["api_key"],
                    sb.info["ca_file"], state, os.path.join(shared_dir(), "data", "reference", "snps_grch37.tsv")))
    r = subprocess.run([bench, "rss", agent, conf], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    fig = dict(l.split("=", 1) for l in r.stdout.decode().split())
    out = r.stderr.decode(errors="replace")
    if r.returncode != 0 or fig.get("status") != "0" or "report uploaded" not in out:
        raise SystemExit("bench: the agent did not upload its report (status %s): %s" % (fig.get("status"), out))
    return float(fig["seconds"]), int(fig["rss_kib"])


def token(sb):
    import http.client
    import ssl
    ctx = ssl.create_default_context(cafile=sb.info["ca_file"])
    c = http.client.HTTPSConnection(sb.info["host"], sb.info["port"], context=ctx, timeout=60)
    body = urllib.parse.urlencode({"username": sb.product["product_uuid"], "password": sb.product["api_key"],
                                   "role": "role_product"})
    c.request("POST", "/v1/auth/jwt", body, {"Content-Type": "application/x-www-form-urlencoded"})
    tok = json.loads(c.getresponse().read())["access_token"]
    c.close()
    return tok


def python_yardstick(sb, runs, expect):
    """curl over TLS piped into json.load: best (seconds, bytes)."""
    url = "https://%s:%d%s" % (sb.info["host"], sb.info["port"], SNP_PATH)
    loader = ("import json, sys; d = sys.stdin.buffer.read(); n = len(json.loads(d)); "
              "sys.stdout.write('%d %d' % (n, len(d)))")
    best = None
    size = 0
    for _ in range(runs):
        tok = token(sb)
        t0 = time.perf_counter()
        curl = subprocess.Popen(["curl", "-s", "--fail", "--cacert", sb.info["ca_file"],
                                 "-H", "Authorization: Bearer " + tok, url], stdout=subprocess.PIPE)
        py = subprocess.run([sys.executable, "-c", loader], stdin=curl.stdout, stdout=subprocess.PIPE, check=True)
        curl.stdout.close()
        if curl.wait() != 0:
            raise SystemExit("bench: curl failed")
        dt = time.perf_counter() - t0
        n, size = (int(x) for x in py.stdout.split())
        if n != expect:
            raise SystemExit("bench: python decoded %d of %d SNPs" % (n, expect))
        best = dt if best is None else min(best, dt)
    return best, size


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench", required=True, help="the lum-bench program")
    p.add_argument("--agent", required=True, help="the lumminary-agent program")
    p.add_argument("--snps", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    if shutil.which("curl") is None:
        raise SystemExit("bench: curl is needed for the Python yardstick (apt-get install curl)")
    fig = {}

    def show(k, v):
        fig[k] = v
        print("%s=%s" % (k, v), flush=True)

    if args.snps != 1_000_000:
        print("# note: the *_1m_* keys below are measured on %d SNPs (--snps), not 1,000,000" % args.snps)
    print("# lum-bench decode (memory, %d SNPs, best of 3)" % args.snps, flush=True)
    d = run_lines([args.bench, "decode", str(args.snps)])
    for k in ("decode_mem_2k_mbps", "decode_mem_16k_mbps", "decode_mem_snps_per_s"):
        show(k, d[k])
    allocs = int(d["decode_heap_allocs"])

    work = tempfile.mkdtemp(prefix="lum-bench-agent-")
    try:
        rss = {}
        for n, key in ((10_000, "10k"), (100_000, "100k")):
            with Sandbox(n) as sb:
                _, rss[key] = run_agent(args.bench, args.agent, sb, work)
        print("# sandbox with %d SNPs over TLS 1.3 (best of %d)" % (args.snps, args.runs), flush=True)
        with Sandbox(args.snps) as sb:
            f = run_lines([args.bench, "fetch", sb.info["host"], str(sb.info["port"]), sb.info["ca_file"],
                           sb.product["product_uuid"], sb.product["api_key"], BENCH_CLIENT, BENCH_DATASET,
                           str(args.runs)])
            show("e2e_tls_mbps", f["e2e_tls_mbps"])
            show("e2e_tls_snps_per_s", f["e2e_tls_snps_per_s"])
            allocs += int(f["e2e_heap_allocs"])
            seconds, rss["1m"] = run_agent(args.bench, args.agent, sb, work)
            show("agent_1m_seconds", "%.2f" % seconds)
            show("agent_1m_snps_per_s", "%.0f" % (args.snps / seconds))
            py_s, py_bytes = python_yardstick(sb, args.runs, args.snps)
        show("agent_rss_10k_kib", rss["10k"])
        show("agent_rss_100k_kib", rss["100k"])
        show("agent_rss_1m_kib", rss["1m"])
        show("python_json_mbps", "%.1f" % (py_bytes / py_s / 1e6))
        show("ratio_vs_python", "%.1f" % (float(fig["e2e_tls_mbps"]) / float(fig["python_json_mbps"])))
        show("sdk_heap_allocs", allocs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
