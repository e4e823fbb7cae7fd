"""Admin endpoints: dataset dumps (every layout) and one-shot faults."""

import http.client
import time
import unittest

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import AUTHS, C1, D1, D3, DATA_DIR, GALLERY, TRAIT, Sandbox, read_response
import reference
import synth

QUEUE = "/products/%s/authorizations" % TRAIT


class AdminTests(unittest.TestCase):
    def setUp(self):
        self.sb = Sandbox("--admin")
        self.addCleanup(self.sb.stop)

    def get(self, path, **kw):
        return self.sb.request("GET", path, product="trait-panel", **kw)

    def test_dataset_dump_every_layout(self):
        expect = {
            "23andme_2011": ("rs4477212", "NC_000001.9", 72017, ["A", "G"], "NCBI36", 985),
            "ancestry_v1": ("rs4477212", "NC_000001.10", 82154, ["C", "T"], "GRCh37", 5),
            "ancestry_v2": ("rs190214723", "NC_000001.10", 693625, ["C", "T"], "GRCh37", 2),
            "ancestry_zip": ("rs190214723", "NC_000001.10", 693625, ["C", "T"], "GRCh37", 2),
            "ftdna": ("rs3094315", "NC_000001.10", 752566, ["A", "G"], "GRCh37", 5),
            "myheritage": ("rs1", "NC_000001.10", 101, ["A", "G"], "GRCh37", 8),
        }
        for name, (snp, acc, pos, alleles, build, count) in expect.items():
            with self.subTest(layout=name):
                r = self.sb.request("GET", "/_sandbox/datasets/" + GALLERY[name])
                self.assertEqual(r.status, 200)
                snps = r.json()
                self.assertEqual(len(snps), count)
                self.assertEqual(snps[0], {"chromosome_accession": acc, "genotyped_alleles": alleles,
                                           "location": pos, "phased": False, "reference_genome": build,
                                           "snp_id": snp})
        r = self.sb.request("GET", "/_sandbox/datasets/" + D1, headers={"X-Fields": "snp_id"})
        self.assertEqual(len(r.json()), 100000)
        self.assertEqual(r.json()[0], {"snp_id": "rs807812"})
        self.assertEqual(self.sb.request("GET", "/_sandbox/datasets/nope").status, 404)

    def test_synthetic_dataset_matches_synth(self):
        rows = synth.generate(5000, 3, reference.Reference(DATA_DIR))
        snps = self.sb.request("GET", "/_sandbox/datasets/" + D3).json()
        self.assertEqual([(s["snp_id"], s["location"]) for s in snps], [(r[0], r[2]) for r in rows])
        self.assertEqual({s["reference_genome"] for s in snps}, {"GRCh37"})

    def test_status_fault_and_count(self):
        r = self.sb.admin("POST", "/faults", {"operation": "get_product", "action": "status", "status": 503,
                                              "retry_after": 1, "count": 2})
        self.assertEqual(r.status, 201)
        self.assertEqual(len(self.sb.admin("GET", "/faults").json()), 1)
        self.assertEqual(self.get("/reference/genomes/").status, 200)  # other operations unaffected
        for _ in range(2):
            r = self.get("/products/" + TRAIT)
            self.assertEqual((r.status, r.header("Retry-After")), (503, "1"))
            self.assertIn("message", r.json())
        self.assertEqual(self.get("/products/" + TRAIT).status, 200)
        self.assertEqual(self.sb.admin("GET", "/faults").json(), [])

    def test_reset_before_commits_nothing(self):
        self.sb.admin("POST", "/faults", {"operation": "post_product_authorization", "action": "reset_before"})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.sb.request("POST", "/products/%s/authorizations/%s" % (TRAIT, AUTHS[1]), product="trait-panel")
        self.assertEqual(self.sb.ledger(), [])
        self.assertIn(AUTHS[1], [a["authorization_uuid"] for a in self.get(QUEUE).json()])

    def test_reset_after_commit(self):
        self.sb.admin("POST", "/faults", {"operation": "post_authorization_result_credentials",
                                          "action": "reset_after_commit"})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.sb.form("POST", "/products/%s/authorizations/%s/credentials" % (TRAIT, AUTHS[0]),
                         {"credentials_username": "u"}, product="trait-panel")
        ledger = self.sb.ledger()
        self.assertEqual([(e["type"], e["authorization_uuid"]) for e in ledger], [("credentials", AUTHS[0])])
        self.assertNotIn(AUTHS[0], [a["authorization_uuid"] for a in self.get(QUEUE).json()])
        self.assertEqual(self.sb.request("GET", "/_sandbox/ledger").json(), ledger)

    def test_stall(self):
        self.sb.admin("POST", "/faults", {"operation": "*", "action": "stall", "seconds": 1})
        t0 = time.time()
        self.assertEqual(self.get("/reference/genomes/").status, 200)
        self.assertGreaterEqual(time.time() - t0, 0.9)

    def test_truncate_body(self):
        self.sb.admin("POST", "/faults", {"operation": "get_client_snp_group", "action": "truncate_body"})
        s = self.sb.raw_socket()
        try:
            s.sendall(("GET /v1/clients/%s/datasets/%s/snps/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
                       % (C1, D1, self.sb.token("whole-genome"))).encode())
            with self.assertRaises(ConnectionError):
                read_response(s)
        finally:
            s.close()
        r = self.sb.request("GET", "/clients/%s/datasets/%s/snps/" % (C1, D1), product="whole-genome")
        self.assertEqual(len(r.json()), 100000)

    def test_fault_validation_and_clear(self):
        for bad in ({"operation": "nope", "action": "status"}, {"operation": "get_product", "action": "boom"},
                    {"operation": "get_product", "action": "stall"}, {"operation": "get_product",
                    "action": "status", "count": 0}, [{"operation": "get_product", "action": "x"}], "x"):
            with self.subTest(bad=bad):
                self.assertEqual(self.sb.admin("POST", "/faults", bad).status, 400)
        self.assertEqual(self.sb.request("POST", "/_sandbox/faults", b"{not json").status, 400)
        self.sb.admin("POST", "/faults", [{"operation": "get_product", "action": "reset_before"},
                                          {"operation": "get_gene", "action": "stall", "seconds": 5}])
        self.assertEqual(self.sb.admin("DELETE", "/faults").json(), {"cleared": 2})
        self.assertEqual(self.get("/products/" + TRAIT).status, 200)
        self.assertEqual(self.sb.request("PUT", "/_sandbox/faults").status, 405)


if __name__ == "__main__":
    unittest.main()
