"""Client data: 401 vs 404 rules, SNP filtering, SNP groups, genes."""

import json
import os
import unittest
import urllib.parse

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import (C1, C2, C3, C4, C6, C7, D1, D2, D3, D4, D6, DATA_DIR, GALLERY, SandboxTestCase,
                     multipart)
import api
import genotypes
import store

FRAGMENT = os.path.join(DATA_DIR, "genotypes", "23andme_b36_chr19-MT_fragment_crlf.txt")


def snps_path(c, d, snp=""):
    return "/clients/%s/datasets/%s/snps/%s" % (c, d, urllib.parse.quote(snp, safe=""))


class AccessTests(SandboxTestCase):

    def test_existence_before_authorization(self):
        for path in (snps_path("no-such-client", D1), snps_path(C1, "no-such-dataset"),
                     snps_path(C1, D2),  # another customer's dataset
                     snps_path("no-such-client", D1, "rs429358"),
                     "/clients/%s/datasets/%s/genes/APOE" % (C2, D1)):
            with self.subTest(path=path):
                self.assertStatus(self.get(path), 404)

    def test_no_active_authorization_401(self):
        cases = [
            ("trait-panel", snps_path(C4, D4)),                  # revoked
            ("trait-panel", snps_path(C4, D4, "rs429358")),
            ("trait-panel", snps_path(C7, GALLERY["ftdna"])),     # no authorization at all
            ("whole-genome", snps_path(C3, D3)),                  # another product's authorization
            ("whole-genome", "/clients/%s/datasets/%s/genes/APOE" % (C3, D3)),
        ]
        for product, path in cases:
            with self.subTest(product=product, path=path):
                self.assertStatus(self.get(path, product=product), 401)

    def test_get_client_snp_exact(self):
        r = self.get(snps_path(C1, D1, "rs429358"))
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b'{"chromosome_accession": "NC_000019.8", "genotyped_alleles": ["C", "T"], '
                                 b'"location": 50103781, "phased": false, "reference_genome": "NCBI36", '
                                 b'"snp_id": "rs429358"}\n')

    def test_get_client_snp_rules(self):
        self.assertStatus(self.get(snps_path(C1, D1, "rs807812")), 401)    # in dataset, not authorized
        self.assertStatus(self.get(snps_path(C1, D1, "rs1")), 401)         # unknown and not authorized
        self.assertStatus(self.get(snps_path(C1, D1, "rs1801133")), 404)   # authorized, not in dataset
        r = self.get(snps_path(C1, D1, "rs807812"), product="whole-genome")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["genotyped_alleles"], ["A", "G"])
        self.assertStatus(self.get(snps_path(C1, D1, "i5001588"), product="whole-genome"), 200)
        self.assertStatus(self.get(snps_path(C1, D1, "rs1"), product="whole-genome"), 404)

    def test_group_filters_authorized(self):
        r = self.get(snps_path(C1, D1))
        self.assertStatus(r, 200)
        ids = [s["snp_id"] for s in r.json()]
        # authorized ∩ dataset, in file order
        self.assertEqual(ids, ["rs2108622", "rs429358", "rs7412", "rs4680", "rs3892097", "rs1065852"])
        d2 = self.get(snps_path(C2, D2)).json()
        self.assertNotIn("rs429358", [s["snp_id"] for s in d2])

    def test_group_whole_dataset(self):
        with open(FRAGMENT, newline="") as f:
            ids = [l.split("\t")[0] for l in f.read().splitlines() if l and not l.startswith("#")]
        r = self.get(snps_path(C1, D1), product="whole-genome")
        self.assertStatus(r, 200)
        snps = r.json()
        self.assertEqual([s["snp_id"] for s in snps], list(dict.fromkeys(ids)))
        by_id = {s["snp_id"]: s for s in snps}
        self.assertEqual(by_id["rs7412"]["genotyped_alleles"], ["C", "C"])
        self.assertTrue(all(s["reference_genome"] == "NCBI36" and s["phased"] is False for s in snps))

    def test_post_group(self):
        path = snps_path(C1, D1)
        want = ["rs7412", "rs429358", "rs1801133", "rs7412"]  # rs1801133 not in the dataset: ignored
        for body in (json.dumps(want), json.dumps({"snps": want})):
            with self.subTest(body=body):
                r = self.sb.form("POST", path, {"snps": body}, product="trait-panel")
                self.assertStatus(r, 200)
                self.assertEqual([s["snp_id"] for s in r.json()], ["rs429358", "rs7412"])
        body, ctype = multipart({"snps": json.dumps(want)})
        r = self.sb.request("POST", path, body, {"Content-Type": ctype}, product="trait-panel")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json()), 2)
        r = self.sb.form("POST", path, {"snps": "[]"}, product="trait-panel")
        self.assertEqual((r.status, r.json()), (200, []))

    def test_post_group_errors(self):
        path = snps_path(C1, D1)
        self.assertStatus(self.sb.form("POST", path, {"snps": '["rs429358", "rs807812"]'}, product="trait-panel"), 401)
        for fields in ({"snps": "rs429358"}, {"snps": '{"x": []}'}, {"snps": "[1, 2]"}, {"snps": '"rs1"'},
                       {"other": "[]"}, {}):
            with self.subTest(fields=fields):
                self.assertStatus(self.sb.form("POST", path, fields, product="trait-panel"), 400)
        r = self.sb.request("POST", path, b'{"snps": ["rs429358"]}', {"Content-Type": "application/json"},
                            product="trait-panel")
        self.assertStatus(r, 400)
        self.assertStatus(self.sb.form("POST", snps_path(C1, "nope"), {"snps": "[]"}, product="trait-panel"), 404)
        self.assertStatus(self.sb.form("POST", snps_path(C4, D4), {"snps": "[]"}, product="trait-panel"), 401)

    def test_gene_build36_by_snp_ids(self):
        r = self.get("/clients/%s/datasets/%s/genes/APOE" % (C1, D1))
        self.assertStatus(r, 200)
        g = r.json()
        self.assertEqual(list(g), ["molecular_location", "snps", "symbol"])
        self.assertEqual(g["molecular_location"], {"chromosome_accession": "NC_000019.9", "start": 45409053,
                                                   "stop": 45412650})
        self.assertEqual([(s["snp_id"], s["chromosome_accession"], s["location"]) for s in g["snps"]],
                         [("rs429358", "NC_000019.8", 50103781), ("rs7412", "NC_000019.8", 50103919)])
        self.assertStatus(self.get("/clients/%s/datasets/%s/genes/MTHFR" % (C1, D1)), 404)   # no SNP there
        self.assertStatus(self.get("/clients/%s/datasets/%s/genes/NOPE1" % (C1, D1)), 404)   # unknown gene
        self.assertStatus(self.get("/clients/%s/datasets/%s/genes/VKORC1" % (C1, D1)), 404)  # empty snp_ids

    def test_gene_grch37_by_position(self):
        r = self.get("/clients/%s/datasets/%s/genes/APOE" % (C3, D3))
        self.assertStatus(r, 200)
        snps = {s["snp_id"]: s for s in r.json()["snps"]}
        self.assertEqual(snps["rs429358"]["location"], 45411941)
        self.assertEqual(snps["rs7412"]["chromosome_accession"], "NC_000019.9")
        r = self.get("/clients/%s/datasets/%s/genes/CYP2C19" % (C6, D6))
        self.assertStatus(r, 200)
        got = r.json()["snps"]
        ids = [s["snp_id"] for s in got]
        self.assertIn("rs4244285", ids)
        self.assertNotIn("rs12248560", ids)  # CYP2C19*17 lies upstream of start..stop
        authorized = set(self.get("/products/ef876efe-2080-4359-b7db-6407090aca55").json()["snps_authorized"])
        for s in got:
            self.assertIn(s["snp_id"], authorized)
            self.assertTrue(96522438 <= s["location"] <= 96612962)


class SerialiserUnitTests(unittest.TestCase):
    def test_fast_path_is_byte_identical(self):
        records = [("rs1", "NC_000001.10", 5, ("A", "G")), ("i700", "NC_012920.1", 7, ("T",)),
                   ("rs3", "NC_000023.10", 9, ())]
        ds = store.Dataset("d", "c", 37, records, "test", "test")
        expected = api.json_bytes([genotypes.client_snp(r, "GRCh37") for r in records])
        self.assertEqual(api.snp_list_body(ds, records, None), expected)
        self.assertEqual(api.snp_list_body(ds, [], None), b"[]\n")
        odd = store.Dataset("d", "c", 36, [("rs\"x\u00e9", "NC_000001.9", 1, ("A",))], "t", "t")
        self.assertEqual(json.loads(api.snp_list_body(odd, odd.records, None))[0]["snp_id"], "rs\"x\u00e9")


if __name__ == "__main__":
    unittest.main()
