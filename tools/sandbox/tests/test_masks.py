"""X-Fields masks: the parser and applier in-process, then through the server."""

import unittest

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import C1, D1, TRAIT, SandboxTestCase
import masks

AUTH = {"authorization_uuid": "a", "client_uuid": "c", "is_active": True,
        "report_files": [], "scopes": {"dataset": "d", "name": {"first_name": "F", "last_name": "L"}},
        "state": "s"}


class MaskUnitTests(unittest.TestCase):
    def test_parse_forms(self):
        self.assertIsNone(masks.parse(None))
        self.assertIsNone(masks.parse("   "))
        self.assertEqual(masks.parse("a,b"), {"a": None, "b": None})
        self.assertEqual(masks.parse(" { a , b { c , d{e} } } "), {"a": None, "b": {"c": None, "d": {"e": None}}})
        self.assertEqual(masks.parse("*,b{*}"), {"*": None, "b": {"*": None}})

    def test_malformed(self):
        for bad in ("{a", "a}", "a,,b", ",a", "a,", "a{", "a{}", "{}", "a b", "a;b", "a{b}}", "{a}}", "a{b}c",
                    "*{a}", "a.b", '"a"', "a{b,,c}", "{", "}", "a\x00", "{a},b"):
            with self.subTest(mask=bad):
                with self.assertRaises(masks.MaskError):
                    masks.parse(bad)

    def test_depth_bound(self):
        with self.assertRaises(masks.MaskError):
            masks.parse("a{" * 100 + "b" + "}" * 100)

    def test_apply(self):
        m = masks.parse("state,scopes{name{last_name}},absent,authorization_uuid")
        # model order, absent names omitted
        self.assertEqual(masks.apply(m, AUTH), {"authorization_uuid": "a", "scopes": {"name": {"last_name": "L"}},
                                                "state": "s"})
        self.assertEqual(masks.apply(masks.parse("*"), AUTH), AUTH)
        self.assertEqual(masks.apply(masks.parse("*,scopes{dataset}"), AUTH)["scopes"], {"dataset": "d"})
        self.assertEqual(masks.apply(masks.parse("state"), [AUTH, AUTH]), [{"state": "s"}, {"state": "s"}])
        self.assertEqual(masks.apply(masks.parse("report_files{path}"), AUTH), {"report_files": []})
        with self.assertRaises(masks.MaskError):
            masks.apply(masks.parse("state{x}"), AUTH)


class MaskServerTests(SandboxTestCase):
    def test_nested_mask_on_queue(self):
        r = self.get("/products/%s/authorizations" % TRAIT,
                     headers={"X-Fields": "{authorization_uuid, scopes{dataset}}"})
        self.assertStatus(r, 200)
        q = r.json()
        self.assertEqual(q[0], {"authorization_uuid": "21dde439-f110-4307-85e7-d4f474a4a39a",
                                "scopes": {"dataset": D1}})
        self.assertEqual(q[4]["scopes"], {})

    def test_star_and_snps(self):
        full = self.get("/products/" + TRAIT).json()
        self.assertEqual(self.get("/products/" + TRAIT, headers={"X-Fields": "*"}).json(), full)
        r = self.get("/clients/%s/datasets/%s/snps/" % (C1, D1), headers={"X-Fields": "snp_id,genotyped_alleles"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()[1], {"genotyped_alleles": ["C", "T"], "snp_id": "rs429358"})
        r = self.get("/clients/%s/datasets/%s/genes/APOE" % (C1, D1), headers={"X-Fields": "symbol,snps{location}"})
        self.assertEqual(r.json(), {"snps": [{"location": 50103781}, {"location": 50103919}], "symbol": "APOE"})
        r = self.get("/clients/%s/datasets/%s/snps/rs7412" % (C1, D1), headers={"X-Fields": "nothing_here"})
        self.assertEqual((r.status, r.json()), (200, {}))

    def test_malformed_mask_400(self):
        for path in ("/products/" + TRAIT, "/products/%s/authorizations" % TRAIT,
                     "/clients/%s/datasets/%s/snps/" % (C1, D1), "/reference/genomes/"):
            for bad in ("{a", "a,,b", "a}", "a b"):
                with self.subTest(path=path, mask=bad):
                    self.assertStatus(self.get(path, headers={"X-Fields": bad}), 400)
        self.assertStatus(self.get("/clients/%s/datasets/%s/snps/" % (C1, D1), headers={"X-Fields": "snp_id{x}"}),
                          400)


if __name__ == "__main__":
    unittest.main()
