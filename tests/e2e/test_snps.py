"""End-to-end: lumminary-snps (README's example) downloads a whole 100,000-SNP
dataset over TLS, streamed through a 4 KiB buffer; every line must match the
sandbox's own copy of the dataset."""

import os
import shlex
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "sandbox", "tests"))

from sandbox import C1, D1, Sandbox  # noqa: E402

SNPS = os.environ.get("LUM_SNPS", os.path.join(REPO, "build", "posix", "lumminary-snps"))
RUN = shlex.split(os.environ.get("LUM_AGENT_RUN", ""))


def expected_lines(snps):
    out = []
    for s in snps:
        a = s["genotyped_alleles"]
        out.append("%s\t%s\t%d\t%s%s" % (s["snp_id"], s["chromosome_accession"], s["location"],
                                         a[0] if a else "-", a[1] if len(a) > 1 else ""))
    return out


class TestSnpDownload(unittest.TestCase):
    def check(self, *server_args):
        sb = Sandbox("--admin", *server_args)
        self.addCleanup(sb.stop)
        want = expected_lines(sb.admin("GET", "/datasets/" + D1).json())
        p = sb.products["whole-genome"]
        proc = subprocess.run(RUN + [SNPS, "127.0.0.1", str(sb.port), sb.info["ca_file"], p["product_uuid"],
                                     p["api_key"], C1, D1], capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        got = proc.stdout.splitlines()
        self.assertEqual(len(got), 100000)
        self.assertEqual(got, want)

    def test_content_length_body(self):
        self.check()

    def test_chunked_body_in_small_chunks(self):
        self.check("--chunked", "--chunk-size", "1000")


if __name__ == "__main__":
    unittest.main()
