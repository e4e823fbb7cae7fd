"""End-to-end: every one of the 17 operations, and the helpers, through the
C API (tests/e2e/ops_client.c, built as lum-ops-check) against the sandbox
over TLS. Each decoded model is printed by lum_json_encode; the test checks
it field by field against what the sandbox serves (its raw JSON, fetched
here with Python's own client) and against facts taken straight from the
shared data files (reference TSVs, the rCRS FASTA, the seed).

Environment: LUM_OPS_CHECK (the program; default build/posix/lum-ops-check),
LUM_AGENT_RUN (a command prefix, e.g. "qemu-mips -L /usr/mips-linux-gnu").
"""

import base64
import hashlib
import json
import os
import shlex
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "sandbox", "tests"))

from sandbox import (AUTHS, C1, C3, D1, D3, TRAIT, WHOLE, WHOLE_AUTH, Sandbox,  # noqa: E402
                     common_symbol, reference_fasta as fasta, reference_tsv as tsv)

OPS = os.environ.get("LUM_OPS_CHECK", os.path.join(REPO, "build", "posix", "lum-ops-check"))
RUN = shlex.split(os.environ.get("LUM_AGENT_RUN", ""))
GENOME = "GCF_000001405.25"

STREAMED = {"Product": ("snps_authorized", "snps_min_required"), "ClientGene": ("snps",),
            "PublicGene": ("snp_ids",)}


def pseudo_sequence(accession, start, stop):
    """The sandbox README's definition, written again here: 4096-base blocks
    from shake_256("<accession>:<k>"), two bits a base (MSB first, ACGT),
    then the reference allele of each snps_grch37.tsv SNP at its position."""
    first, last = (start - 1) // 4096, (stop - 1) // 4096
    bases = []
    for k in range(first, last + 1):
        for byte in hashlib.shake_256(("%s:%d" % (accession, k)).encode()).digest(1024):
            bases.extend("ACGT"[(byte >> s) & 3] for s in (6, 4, 2, 0))
    seq = bases[start - 1 - first * 4096:stop - first * 4096]
    for row in tsv("snps_grch37.tsv"):
        pos, ref = int(row["position_grch37"]), row["reference_allele"]
        if row["chromosome_accession"] == accession and start <= pos <= stop and ref in ("A", "C", "G", "T"):
            seq[pos - start] = ref
    return "".join(seq)


class Ops:
    """lum-ops-check for one product of one sandbox."""

    def __init__(self, sb, product):
        p = sb.products[product]
        self.base = [sb.info["host"], str(sb.port), sb.info["ca_file"], p["product_uuid"], p["api_key"]]

    def run(self, *args, mask=None, buffer=None, ok=True):
        opts = (["-x", mask] if mask is not None else []) + (["-b", str(buffer)] if buffer else [])
        proc = subprocess.run(RUN + [OPS] + opts + self.base + list(args), capture_output=True, text=True,
                              timeout=120)
        if ok and proc.returncode != 0:
            raise AssertionError("%s: exit %d\n%s%s" % (args, proc.returncode, proc.stdout[-2000:], proc.stderr))
        return proc

    def lines(self, *args, **kw):
        return self.run(*args, **kw).stdout.splitlines()

    def models(self, *args, **kw):
        """[(tag, parsed JSON or text)] of the program's lines."""
        out = []
        for line in self.lines(*args, **kw):
            tag, _, rest = line.partition(" ")
            out.append((tag, json.loads(rest) if rest[:1] in ("{", "[") else rest))
        return out

    def error(self, *args, **kw):
        proc = self.run(*args, ok=False, **kw)
        last = proc.stdout.splitlines()[-1]
        _, code, status, message = last.split(" ", 3)
        return proc.returncode, int(code), int(status), message


class OperationsTestCase(unittest.TestCase):
    def served(self, path, product="trait-panel", model=None):
        """The sandbox's own answer (parsed), streamed lists taken out."""
        r = self.sb.request("GET", path, product=product)
        self.assertEqual(r.status, 200, r)
        obj = r.json()
        for key in STREAMED.get(model, ()):
            obj.pop(key, None)
        return obj


class TestReadOperations(OperationsTestCase):
    """Read-only operations: one sandbox for all."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox("--admin")
        cls.addClassCleanup(cls.sb.stop)
        cls.trait = Ops(cls.sb, "trait-panel")
        cls.whole = Ops(cls.sb, "whole-genome")

    def dataset(self, uuid):
        return self.sb.admin("GET", "/datasets/" + uuid).json()

    # ---- auth and product ----------------------------------------------------------

    def test_post_jwt_auth(self):
        [(tag, jwt)] = self.trait.models("post_jwt_auth")
        self.assertEqual(tag, "jwt")
        header, payload, signature = jwt["access_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        self.assertEqual(claims["sub"], TRAIT)
        self.assertEqual(claims["role"], "role_product")
        self.assertEqual(claims["exp"] - claims["iat"], 30)

    def test_get_product(self):
        out = self.trait.models("get_product")
        self.assertEqual(out[-1], ("product", self.served("/products/" + TRAIT, model="Product")))
        product = out[-1][1]
        self.assertEqual(product["authorized_scopes"], ["dataset", "email", "name", "address", "login", "sex"])
        self.assertIs(product["snps_authorized_any"], False)
        sourced = [r["snp_id"] for r in tsv("snps_grch37.tsv") if r["verification"].startswith("sourced")]
        self.assertEqual(len(sourced), 33)
        rsids = [r for t, r in out if t == "rsid"]
        self.assertEqual([r.split()[1] for r in rsids if r.startswith("2 ")], sourced)
        self.assertEqual([r.split()[1] for r in rsids if r.startswith("4 ")], ["rs429358", "rs7412"])

    # ---- authorizations ------------------------------------------------------------

    def test_get_authorizations_queue(self):
        served = self.served("/products/%s/authorizations" % TRAIT)
        self.assertEqual(self.trait.models("get_authorizations_queue"), [("authorization", a) for a in served])
        self.assertEqual([a["authorization_uuid"] for _, a in self.trait.models("get_authorizations_queue", "3")],
                         AUTHS[2:])

    def test_get_product_authorization(self):
        [(tag, a)] = self.trait.models("get_product_authorization", AUTHS[2])
        self.assertEqual(a, self.served("/products/%s/authorizations/%s" % (TRAIT, AUTHS[2])))
        self.assertEqual(a["client_uuid"], C3)
        self.assertEqual(a["scopes"]["dataset"], D3)
        self.assertEqual(sorted(a["scopes"]), ["address", "dataset", "name", "sex"])
        self.assertEqual(a["state"], "authorization_state_fulfillable")
        # an X-Fields mask, nested
        [(_, masked)] = self.trait.models("get_product_authorization", AUTHS[2], mask="{authorization_uuid,scopes{dataset}}")
        self.assertEqual(masked, {"authorization_uuid": AUTHS[2], "scopes": {"dataset": D3}})

    # ---- client data -----------------------------------------------------------------

    def test_get_client_snp(self):
        [(tag, snp)] = self.whole.models("get_client_snp", C1, D1, "rs429358")
        self.assertEqual(snp, {"snp_id": "rs429358", "chromosome_accession": "NC_000019.8", "location": 50103781,
                               "genotyped_alleles": ["C", "T"], "phased": False, "reference_genome": "NCBI36"})
        self.assertIn(snp, self.dataset(D1))
        [(_, masked)] = self.whole.models("get_client_snp", C1, D1, "rs429358", mask="snp_id,genotyped_alleles")
        self.assertEqual(masked, {"snp_id": "rs429358", "genotyped_alleles": ["C", "T"]})
        self.assertEqual(self.whole.error("get_client_snp", C1, D1, "rs0")[1:3], (-54, 404))
        self.assertEqual(self.trait.error("get_client_snp", C1, D1, "rs1815739")[1:3], (-52, 401))

    def test_get_client_snp_group(self):
        everything = self.dataset(D1)
        got = self.whole.models("get_client_snp_group", C1, D1, buffer=512)
        self.assertEqual(len(got), len(everything))
        self.assertEqual(got, [("snp", s) for s in everything])
        allowed = {r["snp_id"] for r in tsv("snps_grch37.tsv") if r["verification"].startswith("sourced")}
        got = self.trait.models("get_client_snp_group", C1, D1)
        self.assertEqual(got, [("snp", s) for s in everything if s["snp_id"] in allowed])

    def test_post_client_snp_group(self):
        everything = {s["snp_id"]: s for s in self.dataset(D1)}
        got = self.whole.models("post_client_snp_group", C1, D1, "rs7412", "rs429358", "rs0", "rs7412")
        # file order, absent ones left out, no duplicates
        order = [s["snp_id"] for s in self.dataset(D1)]
        want = sorted(["rs7412", "rs429358"], key=order.index)
        self.assertEqual(got, [("snp", everything[r]) for r in want])

    def test_get_client_gene(self):
        genes = {g["symbol"]: g for g in tsv("genes_grch37.tsv")}
        apoe = genes["APOE"]
        location = {"chromosome_accession": apoe["chromosome_accession"], "start": int(apoe["start"]),
                    "stop": int(apoe["stop"])}
        # NCBI36 dataset: the gene's SNPs are its snp_ids column
        out = self.whole.models("get_client_gene", C1, D1, "APOE")
        self.assertEqual(out[-1], ("client_gene", {"symbol": "APOE", "molecular_location": location}))
        by_id = {s["snp_id"]: s for s in self.dataset(D1)}
        self.assertEqual(out[:-1], [("snp", by_id[r]) for r in ("rs429358", "rs7412")])
        self.assertEqual(out[-1][1], self.served("/clients/%s/datasets/%s/genes/APOE" % (C1, D1), "whole-genome",
                                                 "ClientGene"))
        # GRCh37 dataset: every dataset SNP within the coordinates, that the product may read
        allowed = {r["snp_id"] for r in tsv("snps_grch37.tsv") if r["verification"].startswith("sourced")}
        inside = [s for s in self.dataset(D3) if s["chromosome_accession"] == location["chromosome_accession"]
                  and location["start"] <= s["location"] <= location["stop"] and s["snp_id"] in allowed]
        self.assertTrue(inside)
        out = self.trait.models("get_client_gene", C3, D3, "APOE", buffer=512)
        self.assertEqual(out, [("snp", s) for s in inside] + [("client_gene", {"symbol": "APOE",
                                                                               "molecular_location": location})])
        self.assertEqual(self.whole.error("get_client_gene", C1, D1, "NOPE")[1:3], (-54, 404))

    # ---- reference data ---------------------------------------------------------------

    def test_get_gene(self):
        row = {g["symbol"]: g for g in tsv("genes_grch37.tsv")}["APOE"]
        want = {"symbol": "APOE", "chromosome": row["chromosome"], "parent_accession": row["chromosome_accession"],
                "molecular_start_position": int(row["start"]), "molecular_end_position": int(row["stop"])}
        self.assertEqual(want["molecular_start_position"], 45409053)
        self.assertEqual(want["molecular_end_position"], 45412650)
        for args in (("HGNC", "APOE"), ("hgnc", "apoe", "149", "GRCH37P13")):
            out = self.trait.models("get_gene", *args)
            self.assertEqual(out, [("rsid", "5 rs429358"), ("rsid", "5 rs7412"), ("public_gene", want)])
        self.assertEqual(out[-1][1], self.served("/reference/genes/databases/HGNC/accessions/APOE",
                                                 model="PublicGene"))
        self.assertEqual(self.trait.error("get_gene", "HGNC", "APOE", "150", "-")[1:3], (-54, 404))
        self.assertEqual(self.trait.error("get_gene", "HGNC", "APOE", "149", "GRCH38")[1:3], (-54, 404))

    def test_get_reference_snp(self):
        row = {r["snp_id"]: r for r in tsv("snps_grch37.tsv")}["rs6025"]
        want = {"snp_id": "rs6025", "chromosome": "1", "chromosome_accession": "NC_000001.10",
                "location": int(row["position_grch37"]), "reference_allele": "T", "alternative_alleles": ["C"],
                "reference_genome": "GRCh37.p13", "dbsnp_version": 149}
        self.assertEqual(row["reference_allele"], "T")
        self.assertEqual(self.trait.models("get_reference_snp", "rs6025"), [("public_snp", want)])
        self.assertEqual(self.trait.models("get_reference_snp", "rs6025", "149", "GRCH37P13"), [("public_snp", want)])
        self.assertEqual(want, self.served("/reference/snps/rs6025"))
        self.assertEqual(self.trait.error("get_reference_snp", "rs6025", "150", "-")[1:3], (-54, 404))

    def test_get_reference_genomes_group(self):
        self.assertEqual(self.trait.models("get_reference_genomes_group"),
                         [("genome", {"reference_accession": GENOME})])

    def test_get_reference_genome(self):
        want = [("chromosome", {"reference_accession": r["refseq_accession"]}) for r in tsv("grch37_chromosomes.tsv")]
        self.assertEqual(len(want), 25)
        self.assertEqual(self.trait.models("get_reference_genome", GENOME, buffer=512), want)
        self.assertEqual(self.trait.error("get_reference_genome", "GCF_0")[1:3], (-54, 404))

    def test_get_reference_chromosome(self):
        mt = fasta("NC_012920.1.fa")
        self.assertEqual(len(mt), 16569)
        # closed interval: 1..10 is ten bases
        self.assertEqual(self.trait.lines("get_reference_chromosome", GENOME, "NC_012920.1", "1", "10"),
                         ["sequence GATCACAGGT"])
        self.assertEqual(mt[:10], "GATCACAGGT")
        self.assertEqual(self.trait.lines("get_reference_chromosome", GENOME, "NC_012920.1", "1", "16569", buffer=512),
                         ["sequence " + mt])
        self.assertEqual(self.trait.lines("get_reference_chromosome", GENOME, "NC_012920.1", "16569", "16569"),
                         ["sequence " + mt[-1]])
        # a million bases through a 512-byte buffer, rs6025's T in the middle of it
        start, stop = 169000000, 169999999
        seq = self.trait.lines("get_reference_chromosome", GENOME, "NC_000001.10", str(start), str(stop), buffer=512)
        want = pseudo_sequence("NC_000001.10", start, stop)
        self.assertEqual(len(want), 1000000)
        self.assertEqual(want[169519049 - start], "T")
        self.assertEqual(seq, ["sequence " + want])
        # outside the chromosome, too long, a mask without the sequence
        self.assertEqual(self.trait.error("get_reference_chromosome", GENOME, "NC_012920.1", "0", "10")[1:3],
                         (-54, 404))
        self.assertEqual(self.trait.error("get_reference_chromosome", GENOME, "NC_012920.1", "10", "16570")[1:3],
                         (-54, 404))
        self.assertEqual(self.trait.error("get_reference_chromosome", GENOME, "NC_000001.10", "1", "1000001")[1:3],
                         (-51, 400))
        self.assertEqual(self.trait.lines("get_reference_chromosome", GENOME, "NC_012920.1", "1", "10",
                                          mask="reference_accession"), ["sequence "])

    def test_get_reference_chromosome_into(self):
        mt = fasta("NC_012920.1.fa")
        self.assertEqual(self.trait.lines("get_reference_chromosome_into", GENOME, "NC_012920.1", "101", "200", "101"),
                         ["sequence " + mt[100:200], "length 100"])
        self.assertEqual(self.trait.error("get_reference_chromosome_into", GENOME, "NC_012920.1", "101", "200", "100")[1],
                         -3)

    # ---- helpers ---------------------------------------------------------------------

    def test_authorization_metadata(self):
        [line] = self.trait.lines("authorization_metadata", AUTHS[0])
        seed = json.load(open(os.path.join(REPO, "tools", "sandbox", "seed.json")))
        customer = [c for c in seed["customers"] if c["client_uuid"] == C1][0]
        a = self.served("/products/%s/authorizations/%s" % (TRAIT, AUTHS[0]))
        import datetime
        utc = datetime.datetime.fromtimestamp(a["create_timestamp"], datetime.timezone.utc)
        self.assertEqual(line, "metadata %s %s %s %d %s %d %s|%s|%s %s|%s|%s" % (
            C1, TRAIT, AUTHS[0], a["create_timestamp"], utc.strftime("%Y-%m-%dT%H:%M:%SZ"), 1 | 2 | 8, D1,
            customer["email"], "", customer["name"]["first_name"], customer["name"]["last_name"], ""))

    def test_authorization_dna_data(self):
        out = self.whole.run("authorization_dna_data", WHOLE_AUTH, buffer=512).stdout
        rows = ["# rsid\tchromosome\tposition\tgenotype"]
        for s in self.dataset(D1):
            rows.append("%s\t%s\t%d\t%s" % (s["snp_id"], common_symbol(s["chromosome_accession"]), s["location"],
                                            "".join(s["genotyped_alleles"])))
        self.assertEqual(out, "\n".join(rows) + "\n")
        self.assertIn("rs429358\t19\t50103781\tCT\n", out)


class TestResultOperations(OperationsTestCase):
    """Operations that change the sandbox's state: a fresh sandbox each."""

    def setUp(self):
        self.sb = Sandbox("--admin")
        self.addCleanup(self.sb.stop)
        self.trait = Ops(self.sb, "trait-panel")

    def authorization(self, uuid):
        return self.served("/products/%s/authorizations/%s" % (TRAIT, uuid))

    def test_post_product_authorization(self):
        self.assertEqual(self.trait.lines("post_product_authorization", AUTHS[0]), ["done 201"])
        [entry] = self.sb.ledger()
        self.assertEqual((entry["type"], entry["authorization_uuid"], entry["client_uuid"]), ("done", AUTHS[0], C1))
        self.assertEqual(self.authorization(AUTHS[0])["state"], "authorization_state_result_available")
        self.assertEqual(self.trait.error("post_product_authorization", AUTHS[3])[1:3], (-52, 401))  # revoked

    def test_post_product_authorization_unfulfillable(self):
        [(tag, a)] = self.trait.models("post_product_authorization_unfulfillable", AUTHS[1])
        self.assertEqual(a["state"], "authorization_state_not_fulfillable")
        self.assertEqual(a, self.authorization(AUTHS[1]))
        self.assertEqual([(e["type"], e["authorization_uuid"]) for e in self.sb.ledger()],
                         [("unfulfillable", AUTHS[1])])

    def test_post_authorization_result_file(self):
        content = "APOE e3/e4\nrs429358 CT\n"
        [(tag, rf)] = self.trait.models("post_authorization_result_file", AUTHS[0], "apoe report.txt", content)
        self.assertEqual(tag, "report_file")
        self.assertEqual(rf["authorization_uuid"], AUTHS[0])
        self.assertEqual(rf["file_location"]["filename_original"], "apoe report.txt")
        self.assertEqual(rf["file_location"]["host"], "sandbox")
        with open(rf["file_location"]["path"]) as f:
            self.assertEqual(f.read(), content)
        [entry] = self.sb.ledger()
        self.assertEqual((entry["type"], entry["filename"], entry["bytes"], entry["sha256"]),
                         ("file", "apoe report.txt", len(content), hashlib.sha256(content.encode()).hexdigest()))
        self.assertEqual(self.authorization(AUTHS[0])["report_files"], [rf])

    def test_post_authorization_result_credentials(self):
        [(tag, rc)] = self.trait.models("post_authorization_result_credentials", AUTHS[2], "zoe", "p+w/d=",
                                        "https://example.com/r?a=1&b=2")
        self.assertEqual(tag, "report_credentials")
        self.assertEqual((rc["authorization_uuid"], rc["client_username"], rc["client_password"], rc["report_url"]),
                         (AUTHS[2], "zoe", "p+w/d=", "https://example.com/r?a=1&b=2"))
        [entry] = self.sb.ledger()
        self.assertEqual((entry["credentials_username"], entry["credentials_password"], entry["report_url"]),
                         ("zoe", "p+w/d=", "https://example.com/r?a=1&b=2"))
        # every field optional: left out, absent from the model
        [(_, rc)] = self.trait.models("post_authorization_result_credentials", AUTHS[5], "-", "-", "-")
        self.assertEqual(sorted(rc), ["authorization_uuid", "create_timestamp", "report_credentials_uuid"])
        self.assertEqual(self.authorization(AUTHS[5])["report_credentials"], [rc])


if __name__ == "__main__":
    unittest.main()
