"""End-to-end: the real agent binary against the real sandbox, over TLS on
127.0.0.1, checked through the sandbox's ledger of every result received.

Environment: LUM_AGENT (the agent binary, required), LUM_AGENT_RUN (a
command prefix to run it, e.g. "qemu-mips -L /usr/mips-linux-gnu").
"""

import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "sandbox", "tests"))

from sandbox import AUTHS, DATA_DIR, Sandbox, free_port  # noqa: E402

AGENT = os.environ.get("LUM_AGENT", os.path.join(REPO, "build", "posix", "lumminary-agent"))
AGENT_RUN = shlex.split(os.environ.get("LUM_AGENT_RUN", ""))
PANEL = os.path.join(DATA_DIR, "reference", "snps_grch37.tsv")

# What the seed's queue must end up as (tools/sandbox/seed.json).
FULFILLABLE = [AUTHS[0], AUTHS[2], AUTHS[5]]
UNFULFILLABLE = [AUTHS[1], AUTHS[4]]
REVOKED = AUTHS[3]
CRASHED = 70  # the agent's exit status when --crash-at fires


class Agent:
    """An agent configuration in its own folder, run as a subprocess."""

    def __init__(self, sb, **settings):
        self.dir = tempfile.mkdtemp(prefix="lum-agent-test-")
        self.state = os.path.join(self.dir, "agent.state")
        p = sb.products["trait-panel"]
        cfg = {
            "api_host": "127.0.0.1",
            "api_port": sb.port,
            "product_uuid": p["product_uuid"],
            "api_key": p["api_key"],
            "state_file": self.state,
            "panel_file": PANEL,
            "timeout_ms": 10000,
            "retries": 3,
            "retry_base_ms": 50,
        }
        if sb.tls:
            cfg["ca_file"] = sb.info["ca_file"]
        else:
            cfg["plain_http"] = "true"
        cfg.update(settings)
        self.config = os.path.join(self.dir, "agent.conf")
        with open(self.config, "w") as f:
            for k, v in cfg.items():
                if v is not None:
                    f.write("%s = %s\n" % (k, v))

    def command(self, *args):
        return AGENT_RUN + [AGENT] + list(args) + [self.config]

    def run(self, *args, timeout=120):
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout)


class AgentTestCase(unittest.TestCase):
    SERVER_ARGS = ("--admin",)
    TLS = True

    def setUp(self):
        self.sb = Sandbox(*self.SERVER_ARGS, tls=self.TLS)
        self.addCleanup(self.sb.stop)

    def entries(self, kind=None):
        return [e for e in self.sb.ledger() if kind is None or e["type"] == kind]

    def assertLedgerComplete(self):
        """Exactly one report file and one done per fulfillable authorization,
        one unfulfillable flag per unfulfillable one, nothing else."""
        by_type = {}
        for e in self.sb.ledger():
            by_type.setdefault(e["type"], []).append(e["authorization_uuid"])
        self.assertEqual(sorted(by_type.get("file", [])), sorted(FULFILLABLE))
        self.assertEqual(sorted(by_type.get("done", [])), sorted(FULFILLABLE))
        self.assertEqual(sorted(by_type.get("unfulfillable", [])), sorted(UNFULFILLABLE))
        self.assertEqual(set(by_type) - {"file", "done", "unfulfillable"}, set())

    def assertRan(self, proc, status=0):
        self.assertEqual(proc.returncode, status, "stdout:\n%s\nstderr:\n%s" % (proc.stdout, proc.stderr))

    def fault(self, **spec):
        r = self.sb.admin("POST", "/faults", spec)
        self.assertEqual(r.status, 201, r)


class TestAgentJob(AgentTestCase):
    def test_drains_the_queue_over_tls(self):
        agent = Agent(self.sb)
        proc = agent.run()
        self.assertRan(proc)
        lines = proc.stdout.splitlines()
        self.assertEqual(len(lines), 7, proc.stdout)
        self.assertEqual(lines[-1], "queue drained: 6 authorizations handled: 3 reports, 2 unfulfillable, "
                                    "1 skipped, 0 failed")
        self.assertIn("[seq 2] %s: unfulfillable (required SNP rs429358 missing from the dataset)" % AUTHS[1], lines)
        self.assertIn("[seq 4] %s: skipped (revoked)" % REVOKED, lines)
        self.assertIn("[seq 5] %s: unfulfillable (no dataset scope)" % AUTHS[4], lines)
        self.assertEqual(proc.stderr, "")
        self.assertLedgerComplete()

        # The report of customer 1 (23andMe build-36 fragment: rs429358 CT, rs7412 CC).
        report_entry = [e for e in self.entries("file") if e["authorization_uuid"] == AUTHS[0]][0]
        self.assertEqual(report_entry["filename"], "lumminary-report-%s.txt" % AUTHS[0])
        with open(report_entry["path"], encoding="utf-8") as f:
            report = f.read().splitlines()
        self.assertEqual(report[0], "Lumminary trait panel report. For information only: "
                                    "this is not a medical diagnosis.")
        self.assertIn("reference genome: NCBI36", report)
        self.assertIn("rs429358\tAPOE\tC/T\tC\t1", report)
        self.assertIn("rs7412\tAPOE\tC/C\tT\t0", report)
        self.assertIn("rs1801133\tMTHFR\tnot genotyped\tA\t-", report)
        self.assertEqual(report[-1], "APOE: \u03b53/\u03b54")

        with open(agent.state) as f:
            self.assertEqual(f.read(), "last_seq=6\npending_uuid=\npending_seq=-1\npending_phase=none\n")

        # A second run finds nothing new and sends no result.
        again = agent.run()
        self.assertRan(again)
        self.assertEqual(again.stdout.strip(), "queue drained: 0 authorizations handled: 0 reports, "
                                               "0 unfulfillable, 0 skipped, 0 failed")
        self.assertLedgerComplete()

    def test_killed_after_second_authorization_resumes_without_duplicates(self):
        agent = Agent(self.sb)
        first = agent.run("--crash-at", "saved:2")
        self.assertRan(first, CRASHED)
        self.assertEqual(len(first.stdout.splitlines()), 2, first.stdout)
        self.assertEqual([e["authorization_uuid"] for e in self.entries("file")], [AUTHS[0]])
        self.assertEqual([e["authorization_uuid"] for e in self.entries("unfulfillable")], [AUTHS[1]])

        second = agent.run()
        self.assertRan(second)
        self.assertTrue(second.stdout.splitlines()[0].startswith("[seq 3] "), second.stdout)
        self.assertIn("4 authorizations handled: 2 reports, 1 unfulfillable, 1 skipped", second.stdout)
        self.assertLedgerComplete()

    def test_killed_after_upload_checks_before_uploading_again(self):
        agent = Agent(self.sb)
        first = agent.run("--crash-at", "uploaded:1")
        self.assertRan(first, CRASHED)
        self.assertEqual([e["type"] for e in self.sb.ledger()], ["file"])

        second = agent.run()
        self.assertRan(second)
        self.assertIn("report of %s arrived before the stop" % AUTHS[0], second.stderr)
        self.assertLedgerComplete()

    def test_sigkill_during_upload_waits_for_it_instead_of_redoing_it(self):
        """Killed while the server still holds a whole upload (it records it
        2 s later): the restarted agent must not take "not there yet" for
        "never arrived", or the report is posted twice."""
        agent = Agent(self.sb, timeout_ms=5000)
        self.fault(operation="post_authorization_result_file", action="stall", seconds=2)
        proc = subprocess.Popen(agent.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                with open(agent.state) if os.path.exists(agent.state) else open(os.devnull) as f:
                    if "pending_phase=uploading" in f.read():
                        break
                time.sleep(0.02)
            time.sleep(0.3)  # the request is on the wire, held by the server
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        self.assertEqual(self.entries("file"), [])

        second = agent.run()  # at once, while the server still holds the first upload
        self.assertRan(second)
        self.assertIn("report of %s not there yet; asking again in 5000 ms" % AUTHS[0], second.stderr)
        self.assertIn("report of %s arrived before the stop" % AUTHS[0], second.stderr)
        self.assertLedgerComplete()

    def test_stopped_before_the_upload_was_sent_redoes_it_once(self):
        agent = Agent(self.sb, timeout_ms=1000)
        first = agent.run("--crash-at", "uploading:1")
        self.assertRan(first, CRASHED)
        self.assertEqual(self.sb.ledger(), [])
        second = agent.run()
        self.assertRan(second)
        self.assertIn("report of %s not there yet; asking again in 1000 ms" % AUTHS[0], second.stderr)
        self.assertIn("report of %s did not arrive; redoing it" % AUTHS[0], second.stderr)
        self.assertLedgerComplete()

    def test_upload_dropped_unprocessed_is_checked_then_resent_once(self):
        agent = Agent(self.sb, timeout_ms=1000)
        self.fault(operation="post_authorization_result_file", action="reset_before")
        proc = agent.run()
        self.assertRan(proc)
        self.assertIn("report of %s not there yet; asking again in 1000 ms" % AUTHS[0], proc.stderr)
        self.assertLedgerComplete()

    def test_upload_that_cannot_be_confirmed_is_left_pending_not_resent(self):
        """The upload arrived but its answer was lost, and asking fails too:
        sending it again could post it twice, so it stays pending."""
        agent = Agent(self.sb, timeout_ms=1000)
        self.fault(operation="post_authorization_result_file", action="reset_after_commit")
        self.fault(operation="get_product_authorization", action="status", status=500, count=100)
        first = agent.run()
        self.assertRan(first, 1)
        self.assertEqual(len(self.entries("file")), 1)
        self.assertIn("FAILED to upload the report", first.stdout)
        with open(agent.state) as f:
            self.assertIn("pending_phase=uploading", f.read())
        self.sb.admin("DELETE", "/faults")
        second = agent.run()
        self.assertRan(second)
        self.assertIn("report of %s arrived before the stop" % AUTHS[0], second.stderr)
        self.assertLedgerComplete()

    def test_gateway_timeout_on_upload_waits_for_the_upstream(self):
        """A 504 from a proxy whose upstream records the report a moment later."""
        agent = Agent(self.sb, timeout_ms=3000)
        self.fault(operation="post_authorization_result_file", action="gateway_timeout", seconds=1)
        proc = agent.run()
        self.assertRan(proc)
        self.assertIn("report of %s not there yet; asking again in 3000 ms" % AUTHS[0], proc.stderr)
        self.assertIn("but the report arrived", proc.stderr)
        self.assertLedgerComplete()

    def test_retry_after_of_a_busy_upload_is_honoured(self):
        agent = Agent(self.sb, timeout_ms=500, retry_base_ms=10)
        self.fault(operation="post_authorization_result_file", action="status", status=503, retry_after=1)
        proc = agent.run()
        self.assertRan(proc)
        self.assertIn("post_authorization_result_file: server error (5xx); retrying in 1000 ms", proc.stderr)
        self.assertLedgerComplete()

    def test_connection_lost_after_upload_is_checked_not_repeated(self):
        agent = Agent(self.sb)
        self.fault(operation="post_authorization_result_file", action="reset_after_commit")
        proc = agent.run()
        self.assertRan(proc)
        self.assertIn("but the report arrived", proc.stderr)
        self.assertLedgerComplete()

    def test_server_busy_is_retried_after_retry_after(self):
        agent = Agent(self.sb)
        self.fault(operation="get_client_snp_group", action="status", status=503, retry_after=1, count=2)
        proc = agent.run()
        self.assertRan(proc)
        self.assertEqual(proc.stderr.count("get_client_snp_group: server error (5xx); retrying in 1000 ms"), 2,
                         proc.stderr)
        self.assertLedgerComplete()

    def test_truncated_snp_list_is_fetched_again(self):
        agent = Agent(self.sb)
        self.fault(operation="get_client_snp_group", action="truncate_body")
        proc = agent.run()
        self.assertRan(proc)
        self.assertIn("get_client_snp_group: response body cut short; retrying", proc.stderr)
        self.assertLedgerComplete()


class TestShortTokens(AgentTestCase):
    SERVER_ARGS = ("--admin", "--jwt-ttl", "1")

    def test_expired_token_is_renewed_on_401(self):
        agent = Agent(self.sb)
        # Tokens live 1 s here; stalling a read 2 s makes the token expire in flight.
        self.fault(operation="get_client_snp_group", action="stall", seconds=2)
        proc = agent.run()
        self.assertRan(proc)
        self.assertLedgerComplete()


class TestTls12OnlyRsaServer(AgentTestCase):
    SERVER_ARGS = ("--tls-max", "1.2", "--tls-key", "rsa")

    def test_hybrid_client_talks_to_tls12_rsa_server(self):
        proc = Agent(self.sb).run()
        self.assertRan(proc)
        self.assertLedgerComplete()


class TestPlainHttp(AgentTestCase):
    TLS = False

    def test_plain_http_only_when_asked(self):
        proc = Agent(self.sb).run()
        self.assertRan(proc)
        self.assertLedgerComplete()


class TestFailuresExitWithOneLine(AgentTestCase):
    def assertOneLine(self, proc, status, start):
        self.assertRan(proc, status)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith(start), lines[0])
        self.assertEqual(self.sb.ledger(), [])

    def test_bad_config(self):
        proc = Agent(self.sb, api_prot=443).run()
        self.assertOneLine(proc, 2, "lumminary-agent: bad config: ")
        self.assertIn("unknown key 'api_prot'", proc.stderr)

    def test_numbers_must_be_plain_integers(self):
        # strtoul took "+500", "0500" and "-1" (as 4294967295); the agent reads
        # its settings as JSON integers now, like everything else.
        for value in ("+500", "0500", "500ms", "-1", "4294967796"):
            proc = Agent(self.sb, timeout_ms=value).run()
            self.assertOneLine(proc, 2, "lumminary-agent: bad config: ")
            self.assertIn("timeout_ms", proc.stderr)

    def test_missing_ca_file_is_a_config_error(self):
        proc = Agent(self.sb, ca_file=None).run()
        self.assertOneLine(proc, 2, "lumminary-agent: bad config: ")

    def test_unreachable_server(self):
        proc = Agent(self.sb, api_port=free_port(), retries=0).run()
        self.assertOneLine(proc, 3, "lumminary-agent: get_product: connection refused or unreachable")

    def test_untrusted_server_certificate(self):
        other = tempfile.mkdtemp(prefix="lum-agent-ca-")
        ca = os.path.join(other, "ca.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", os.path.join(other, "ca.key"), "-out", ca, "-days", "2",
                        "-subj", "/CN=Not the sandbox CA"], check=True, capture_output=True)
        proc = Agent(self.sb, ca_file=ca, retries=0).run()
        self.assertOneLine(proc, 4, "lumminary-agent: get_product: server certificate not trusted")

    def test_wrong_api_key(self):
        proc = Agent(self.sb, api_key="not-the-key").run()
        self.assertOneLine(proc, 5, "lumminary-agent: get_product: authentication refused (HTTP 401")


if __name__ == "__main__":
    unittest.main()
