"""Synthetic datasets: determinism, content, and the script's 23andMe output."""

import hashlib
import os
import subprocess
import sys
import unittest

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import BENCH, DATA_DIR, SANDBOX, SandboxTestCase
import genotypes
import reference
import synth

REF = reference.Reference(DATA_DIR)
ORDER = [name for name, _, _ in REF.chromosomes]


class SynthTests(unittest.TestCase):
    def test_deterministic(self):
        a = synth.generate(3000, 7, REF)
        self.assertEqual(a, synth.generate(3000, 7, REF))
        self.assertNotEqual(a, synth.generate(3000, 8, REF))

    def test_golden_seed_dataset(self):
        # the seed's dataset 3 (5,000 SNPs, seed 3): changing synth.py changes the
        # datasets other test suites see, so it must be a deliberate change
        rows = synth.generate(5000, 3, REF)
        self.assertEqual(rows[:2], [("rs277695363", "1", 146452, "AA"), ("rs273813685", "1", 950371, "TA")])
        self.assertEqual(hashlib.sha256(repr(rows).encode()).hexdigest(),
                         "41912ac01cd251380633d6447044dcc910448485b9d13f76e280abe54ddc603b")

    def test_content(self):
        rows = synth.generate(20000, 6, REF)
        self.assertEqual(len(rows), 20000)
        self.assertEqual(len({r[0] for r in rows}), 20000)
        chroms = [r[1] for r in rows]
        self.assertEqual(set(chroms), set(ORDER))
        self.assertEqual(sorted(chroms, key=ORDER.index), chroms)  # chromosome order
        last = {}
        lengths = {n: l for n, _, l in REF.chromosomes}
        for snp_id, chrom, pos, gt in rows:
            self.assertGreater(pos, last.get(chrom, 0))
            self.assertLessEqual(pos, lengths[chrom])
            last[chrom] = pos
            self.assertRegex(snp_id, r"^rs[0-9]+$")
            if chrom in ("Y", "MT"):
                self.assertLessEqual(len(gt), 2 if gt == "--" else 1)
        nocalls = sum(1 for r in rows if r[3] == "--")
        self.assertTrue(0.005 * len(rows) < nocalls < 0.015 * len(rows), nocalls)
        by_id = {r[0]: r for r in rows}
        for ref_row in REF.snps:
            r = by_id[ref_row["snp_id"]]
            self.assertEqual((r[1], r[2]), (ref_row["chromosome"], int(ref_row["position_grch37"])))
            alleles = REF.snp_alleles(ref_row)
            if alleles:
                self.assertTrue(set(r[3]) <= {alleles[0]} | set(alleles[1]), (r, alleles))
                self.assertEqual(len(r[3]), 2)

    def test_small_n_keeps_reference_snps(self):
        rows = synth.generate(5, 1, REF)
        self.assertEqual(len(rows), len(REF.snps))

    def test_script_output_parses_back(self):
        out = subprocess.run([sys.executable, os.path.join(SANDBOX, "synth.py"), "--snps", "2000", "--seed", "11",
                              "--data-dir", DATA_DIR], stdout=subprocess.PIPE, check=True).stdout
        again = subprocess.run([sys.executable, os.path.join(SANDBOX, "synth.py"), "--snps", "2000", "--seed", "11",
                                "--data-dir", DATA_DIR], stdout=subprocess.PIPE, check=True).stdout
        self.assertEqual(out, again)
        self.assertTrue(out.startswith(b"# "))
        parsed = genotypes.parse_bytes(out)
        self.assertEqual((parsed.layout, parsed.build), ("23andme", 37))
        self.assertEqual(parsed.rows, synth.generate(2000, 11, REF))


class BenchServerTests(SandboxTestCase):
    SERVER_ARGS = ("--synthetic-snps", "3000")
    TLS = False

    def test_bench_product(self):
        names = [p["name"] for p in self.sb.info["products"]]
        self.assertEqual(names, ["trait-panel", "whole-genome", "bench"])
        self.assertEqual(self.sb.products["bench"]["product_uuid"], BENCH)
        q = self.get("/products/%s/authorizations" % BENCH, product="bench").json()
        self.assertEqual(len(q), 1)
        self.assertEqual(q[0]["sequence_number"], 8)
        ds, client = q[0]["scopes"]["dataset"], q[0]["client_uuid"]
        r = self.get("/clients/%s/datasets/%s/snps/" % (client, ds), product="bench")
        self.assertEqual(r.status, 200)
        rows = synth.generate(3000, 42, REF)
        self.assertEqual([(s["snp_id"], s["location"]) for s in r.json()], [(x[0], x[2]) for x in rows])
        # trait-panel has no authorization on it
        self.assertEqual(self.get("/clients/%s/datasets/%s/snps/" % (client, ds)).status, 401)


if __name__ == "__main__":
    unittest.main()
