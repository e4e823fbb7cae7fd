"""End-to-end: the `lumminary` command-line tool against the sandbox over TLS
on 127.0.0.1. Every one of the 17 operations, dna-export and the CWL
commands, with exact values from the seed (tools/sandbox/seed.json), the
admin dataset endpoint (/_sandbox/datasets/{uuid}), the shared reference
files, and the sandbox's own JSON answers; plus exit statuses and messages.

CWL payloads are checked against tests/vectors/cwl_reference.py, the
reference client's logic on a pure-Python AES-GCM that shares nothing with
the C code (and is itself checked here against published known answers).

Environment: LUM_CLI (the binary), LUM_AGENT_RUN (a command prefix such as
"qemu-mips -L /usr/mips-linux-gnu").
"""

import base64
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "sandbox", "tests"))
sys.path.insert(0, os.path.join(REPO, "tests", "vectors"))

import aes_gcm  # noqa: E402
import cwl_reference as ref  # noqa: E402
from sandbox import (AUTHS, C1, C2, C3, C4, D1, D2, D3, D4, TRAIT, Sandbox, common_symbol,  # noqa: E402
                     free_port, reference_fasta as fasta, reference_tsv as tsv)

CLI = os.environ.get("LUM_CLI", os.path.join(REPO, "build", "posix", "lumminary"))
RUN = shlex.split(os.environ.get("LUM_AGENT_RUN", ""))
SEED = json.load(open(os.path.join(REPO, "tools", "sandbox", "seed.json"), encoding="utf-8"))
GENOME = "GCF_000001405.25"

OPERATIONS = [
    "post_jwt_auth", "get_product", "get_authorizations_queue", "get_product_authorization",
    "post_product_authorization", "post_product_authorization_unfulfillable", "post_authorization_result_file",
    "post_authorization_result_credentials", "get_client_snp", "get_client_snp_group", "post_client_snp_group",
    "get_client_gene", "get_gene", "get_reference_snp", "get_reference_genomes_group", "get_reference_genome",
    "get_reference_chromosome",
]

# Exit statuses (examples/cli/cli.h, `lumminary --help`).
EXIT_USAGE, EXIT_UNREACHABLE, EXIT_TLS, EXIT_CREDENTIALS = 2, 3, 4, 5
EXIT_NOT_FOUND, EXIT_UNAUTHORIZED, EXIT_HTTP, EXIT_DECRYPT = 6, 7, 8, 10


class CliTestCase(unittest.TestCase):
    """One sandbox per class; a credentials file for trait-panel."""

    SERVER_ARGS = ("--admin",)
    TLS = True

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox(*cls.SERVER_ARGS, tls=cls.TLS)
        cls.dir = tempfile.mkdtemp(prefix="lum-cli-test-")
        cls.creds = cls.write_creds("env.json", cls.env_json())

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    @classmethod
    def env_json(cls, product="trait-panel", **over):
        p = cls.sb.products[product]
        doc = {"login": p["product_uuid"], "api_key": p["api_key"], "role": "role_product",
               "host": cls.sb.info["base_url"]}
        doc.update(over)
        return json.dumps(doc)

    @classmethod
    def write_creds(cls, name, text):
        path = os.path.join(cls.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cli(self, *args, creds=None, env=None, stdin=None, timeout=120):
        e = {k: v for k, v in os.environ.items() if not k.startswith("LUMMINARY_")}
        e["LUMMINARY_CREDENTIALS"] = creds or self.creds
        if self.sb.tls:
            e["LUMMINARY_CA_FILE"] = self.sb.info["ca_file"]
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return subprocess.run(RUN + [CLI] + list(args), capture_output=True, timeout=timeout, env=e,
                              input=stdin)

    def ok(self, *args, **kw):
        p = self.cli(*args, **kw)
        self.assertEqual(p.returncode, 0, "stdout: %r\nstderr: %r" % (p.stdout[:2000], p.stderr[:2000]))
        self.assertEqual(p.stderr, b"")
        return p.stdout.decode("utf-8")

    def ok_json(self, *args, **kw):
        out = self.ok(*args, **kw)
        self.assertTrue(out.endswith("\n") and out.count("\n") == 1, out[-200:])
        return json.loads(out)

    def fails(self, status, *args, **kw):
        p = self.cli(*args, **kw)
        self.assertEqual(p.returncode, status, "stdout: %r\nstderr: %r" % (p.stdout[:2000], p.stderr[:2000]))
        return p.stderr.decode("utf-8")

    def api(self, path, product="trait-panel"):
        """The sandbox's own JSON answer, fetched by Python."""
        r = self.sb.request("GET", path, product=product)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def dataset(self, uuid):
        r = self.sb.admin("GET", "/datasets/" + uuid)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def authorized(self):
        return [r["snp_id"] for r in tsv("snps_grch37.tsv") if r["verification"].startswith("sourced")]


class TestCliHelp(unittest.TestCase):
    def test_help_lists_every_operation_with_an_example(self):
        p = subprocess.run(RUN + [CLI, "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        for name in OPERATIONS + ["dna-export", "cwl-encrypt", "cwl-decrypt"]:
            self.assertIn("\n  %s " % name, p.stdout)
            self.assertIn("e.g. lumminary %s" % name, p.stdout)
        for line in ["exit status:", "5 credentials refused", "6 not found (HTTP 404)",
                     "10 CWL payload failed authentication", "LUMMINARY_API_KEY"]:
            self.assertIn(line, p.stdout)

    def test_command_help_and_usage_errors(self):
        p = subprocess.run(RUN + [CLI, "get_client_snp", "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith("usage: lumminary get_client_snp CLIENT DATASET SNP\n"), p.stdout)
        for args, why in [([], "no command given"), (["get_snp"], 'unknown command "get_snp"'),
                          (["get_client_snp", "a", "b"], "2 arguments given"),
                          (["get_client_snp", "a", "b", "c", "--seq-num-start", "1"], "--seq-num-start does not apply"),
                          (["get_authorizations_queue", "--seq-num-start", "x"], "non-negative integer"),
                          (["get_gene", "HGNC", "APOE", "--dbsnp-build", "0"], "integer from 1"),
                          (["get_reference_snp", "rs1", "--bogus"], "unknown option --bogus"),
                          (["get_reference_snp", "rs1", "--x-fields"], "--x-fields needs a value")]:
            p = subprocess.run(RUN + [CLI] + args, capture_output=True, text=True, timeout=30,
                               env={"PATH": os.environ.get("PATH", "")})
            self.assertEqual(p.returncode, EXIT_USAGE, (args, p.stderr))
            self.assertIn(why, p.stderr)
            self.assertEqual(p.stdout, "")


class TestCliOperations(CliTestCase):
    """The read-only operations (and post_jwt_auth)."""

    def test_post_jwt_auth(self):
        tok = self.ok_json("post_jwt_auth")
        self.assertEqual(list(tok), ["access_token"])
        self.assertEqual(len(tok["access_token"].split(".")), 3)
        # The token works for Python too.
        r = self.sb.request("GET", "/products/" + TRAIT, token=tok["access_token"])
        self.assertEqual(r.status, 200)
        # Explicit USERNAME PASSWORD [ROLE]: the other product's credentials.
        p = self.sb.products["whole-genome"]
        tok = self.ok_json("post_jwt_auth", p["product_uuid"], p["api_key"], "role_product")
        r = self.sb.request("GET", "/products/" + p["product_uuid"], token=tok["access_token"])
        self.assertEqual(r.status, 200)
        err = self.fails(EXIT_CREDENTIALS, "post_jwt_auth", p["product_uuid"], "wrong-key")
        self.assertIn("HTTP 401: Bad username or password", err)

    def test_get_product(self):
        got = self.ok_json("get_product")
        seed = SEED["products"][0]
        self.assertEqual(got, self.api("/products/" + TRAIT))
        self.assertEqual(got["product_uuid"], seed["product_uuid"])
        self.assertEqual(got["authorized_scopes"], seed["authorized_scopes"])
        self.assertEqual(got["snps_authorized"], self.authorized())
        self.assertEqual(got["snps_min_required"], ["rs429358", "rs7412"])
        self.assertIs(got["snps_authorized_any"], False)
        self.assertEqual(got["email"], seed["email"])
        self.assertEqual(got["redirect_uri"], seed["redirect_uri"])
        # The streamed lists come first in the text.
        self.assertTrue(self.ok("get_product").startswith('{"snps_authorized":["rs429358","rs7412",'))
        # An explicit product id and a mask; empty streamed lists print as [].
        self.assertEqual(self.ok_json("get_product", TRAIT, "--x-fields", "product_uuid,email"),
                         {"product_uuid": TRAIT, "email": seed["email"]})
        whole = self.ok_json("get_product", "--credentials", self.write_creds("wg.json", self.env_json("whole-genome")))
        self.assertEqual(whole["snps_authorized"], [])
        self.assertIs(whole["snps_authorized_any"], True)
        err = self.fails(EXIT_UNAUTHORIZED, "get_product", self.sb.products["whole-genome"]["product_uuid"])
        self.assertIn("HTTP 401", err)

    def test_get_authorizations_queue(self):
        got = self.ok_json("get_authorizations_queue")
        self.assertEqual(got, self.api("/products/%s/authorizations" % TRAIT))
        seeds = [a for a in SEED["authorizations"] if a["product"] == "trait-panel"]
        self.assertEqual([a["authorization_uuid"] for a in got], [a["authorization_uuid"] for a in seeds])
        self.assertEqual([a["sequence_number"] for a in got], [1, 2, 3, 4, 5, 6])
        for a, s in zip(got, seeds):
            self.assertEqual(a["client_uuid"], s["client_uuid"])
            self.assertEqual(a["create_timestamp"], s["create_timestamp"])
            self.assertEqual(a["is_active"], s["is_active"])
            self.assertEqual(sorted(a["scopes"]), sorted(s["scopes"]))
            self.assertEqual(a.get("order"), s.get("order"))
            self.assertEqual(a["state"], "authorization_state_fulfillable" if "dataset" in s["scopes"]
                             else "authorization_state_pending_dataset")
        tail = self.ok_json("get_authorizations_queue", TRAIT, "--seq-num-start", "5",
                            "--x-fields", "authorization_uuid,sequence_number")
        self.assertEqual(tail, [{"authorization_uuid": AUTHS[4], "sequence_number": 5},
                                {"authorization_uuid": AUTHS[5], "sequence_number": 6}])
        self.assertEqual(self.ok("get_authorizations_queue", "--seq-num-start", "99"), "[]\n")

    def test_get_product_authorization(self):
        got = self.ok_json("get_product_authorization", AUTHS[0])
        self.assertEqual(got, self.api("/products/%s/authorizations/%s" % (TRAIT, AUTHS[0])))
        customer = SEED["customers"][0]
        self.assertEqual(got["scopes"], {"dataset": D1, "email": customer["email"], "name": customer["name"]})
        self.assertEqual(got["order"], "0e303a68-8bde-4b47-9638-5e20fdc9dbe1")
        # PRODUCT given explicitly; address and sex scopes.
        got = self.ok_json("get_product_authorization", TRAIT, AUTHS[2])
        customer = SEED["customers"][2]
        self.assertEqual(got["scopes"]["address"], customer["address"])
        self.assertEqual(got["scopes"]["sex"], "female")
        self.assertEqual(got["client_uuid"], C3)
        missing = "00000000-0000-4000-8000-000000000000"
        err = self.fails(EXIT_NOT_FOUND, "get_product_authorization", missing)
        self.assertIn("get_product_authorization: not found (404); HTTP 404: Authorization %s does not exist"
                      % missing, err)

    def test_get_client_snp(self):
        want = [s for s in self.dataset(D1) if s["snp_id"] == "rs429358"][0]
        self.assertEqual(self.ok_json("get_client_snp", C1, D1, "rs429358"), want)
        self.assertEqual(want["genotyped_alleles"], ["C", "T"])
        self.assertEqual(self.ok_json("get_client_snp", C1, D1, "rs429358", "--x-fields", "snp_id,genotyped_alleles"),
                         {"snp_id": "rs429358", "genotyped_alleles": ["C", "T"]})
        err = self.fails(EXIT_NOT_FOUND, "get_client_snp", C1, D1, "rs1801133")
        self.assertIn("HTTP 404: SNP rs1801133 is not in dataset %s" % D1, err)
        err = self.fails(EXIT_UNAUTHORIZED, "get_client_snp", C1, D1, "rs1")
        self.assertIn("get_client_snp: unauthorized (401); HTTP 401: Not authorized for SNP rs1", err)
        err = self.fails(EXIT_UNAUTHORIZED, "get_client_snp", C4, D4, "rs429358")  # revoked
        self.assertIn("HTTP 401: No active authorization of this product for dataset %s" % D4, err)
        err = self.fails(EXIT_HTTP, "get_client_snp", C1, D1, "rs429358", "--x-fields", "a{")
        self.assertIn("bad request (400); HTTP 400: Mask parse error", err)

    def test_get_client_snp_group(self):
        allowed = set(self.authorized())
        want = [s for s in self.dataset(D1) if s["snp_id"] in allowed]
        self.assertGreater(len(want), 5)
        self.assertEqual(self.ok_json("get_client_snp_group", C1, D1), want)
        masked = self.ok_json("get_client_snp_group", C3, D3, "--x-fields", "snp_id,location")
        self.assertEqual(masked, [{"snp_id": s["snp_id"], "location": s["location"]}
                                  for s in self.dataset(D3) if s["snp_id"] in allowed])
        err = self.fails(EXIT_NOT_FOUND, "get_client_snp_group", C1, D2)
        self.assertIn("HTTP 404: Dataset %s does not exist for client %s" % (D2, C1), err)

    def test_post_client_snp_group(self):
        by_id = {s["snp_id"]: s for s in self.dataset(D1)}
        got = self.ok_json("post_client_snp_group", C1, D1, "rs7412", "rs429358", "rs1801133")
        # In file order, SNPs missing from the dataset left out.
        order = [s["snp_id"] for s in self.dataset(D1) if s["snp_id"] in ("rs7412", "rs429358")]
        self.assertEqual(got, [by_id[i] for i in order])
        self.assertEqual(self.ok("post_client_snp_group", C2, D2, "rs429358"), "[]\n")
        err = self.fails(EXIT_UNAUTHORIZED, "post_client_snp_group", C1, D1, "rs7412", "rs2")
        self.assertIn("HTTP 401: Not authorized for SNP rs2", err)

    def test_get_client_gene(self):
        gene = [g for g in tsv("genes_grch37.tsv") if g["symbol"] == "APOE"][0]
        by_id = {s["snp_id"]: s for s in self.dataset(D1)}
        got = self.ok_json("get_client_gene", C1, D1, "APOE")
        self.assertEqual(got, {
            "snps": [by_id[i] for i in gene["snp_ids"].split(",")],
            "symbol": "APOE",
            "molecular_location": {"chromosome_accession": gene["chromosome_accession"],
                                   "start": int(gene["start"]), "stop": int(gene["stop"])}})
        self.assertEqual(got, self.api("/clients/%s/datasets/%s/genes/APOE" % (C1, D1)))
        self.assertEqual(self.ok_json("get_client_gene", C1, D1, "APOE", "--x-fields", "symbol"), {"symbol": "APOE"})
        err = self.fails(EXIT_NOT_FOUND, "get_client_gene", C1, D1, "NOPE1")
        self.assertIn("HTTP 404: Gene NOPE1 does not exist", err)

    def test_get_gene(self):
        for g in tsv("genes_grch37.tsv")[:3]:
            want = {"snp_ids": g["snp_ids"].split(",") if g["snp_ids"] else [], "symbol": g["symbol"],
                    "chromosome": g["chromosome"], "parent_accession": g["chromosome_accession"],
                    "molecular_start_position": int(g["start"]), "molecular_end_position": int(g["stop"])}
            self.assertEqual(self.ok_json("get_gene", "HGNC", g["symbol"]), want)
        self.assertEqual(self.ok_json("get_gene", "hgnc", "APOE", "--dbsnp-build", "149", "--reference-genome",
                                      "GRCH37P13", "--x-fields", "symbol,snp_ids"),
                         {"snp_ids": ["rs429358", "rs7412"], "symbol": "APOE"})
        err = self.fails(EXIT_NOT_FOUND, "get_gene", "HGNC", "APOE", "--dbsnp-build", "150")
        self.assertIn("HTTP 404: Only dbsnp_build=149 is available", err)
        err = self.fails(EXIT_NOT_FOUND, "get_gene", "HGNC", "APOE", "--reference-genome", "GRCH38")
        self.assertIn("HTTP 404: Only reference_genome=GRCH37P13 is available", err)

    def test_get_reference_snp(self):
        for row in tsv("snps_grch37.tsv"):
            if row["reference_allele"] in ("", "unverified") or not row["verification"].startswith("sourced"):
                continue
            if row["snp_id"] not in ("rs7412", "rs6025", "rs1801133"):
                continue
            got = self.ok_json("get_reference_snp", row["snp_id"])
            alts = [a for a in row["alternative_alleles"].split(",") if a and a != "unverified"]
            want = {"snp_id": row["snp_id"], "chromosome": row["chromosome"],
                    "chromosome_accession": row["chromosome_accession"], "location": int(row["position_grch37"]),
                    "reference_allele": row["reference_allele"], "reference_genome": "GRCh37.p13",
                    "dbsnp_version": 149}
            if alts:
                want["alternative_alleles"] = alts
            self.assertEqual(got, want)
        self.assertEqual(self.ok_json("get_reference_snp", "rs6025", "--dbsnp-version", "149", "--grch-version",
                                      "GRCH37P13", "--x-fields", "reference_allele"), {"reference_allele": "T"})
        err = self.fails(EXIT_NOT_FOUND, "get_reference_snp", "rs6025", "--grch-version", "GRCH38")
        self.assertIn("HTTP 404: Only grch_version=GRCH37P13 is available", err)

    def test_get_reference_genomes_group_and_genome(self):
        self.assertEqual(self.ok_json("get_reference_genomes_group"), [{"reference_accession": GENOME}])
        self.assertEqual(self.ok_json("get_reference_genome", GENOME),
                         [{"reference_accession": r["refseq_accession"]} for r in tsv("grch37_chromosomes.tsv")])
        self.assertEqual(len(self.ok_json("get_reference_genome", GENOME, "--x-fields", "reference_accession")), 25)
        err = self.fails(EXIT_NOT_FOUND, "get_reference_genome", "GCF_000001405.39")
        self.assertIn("HTTP 404: Reference genome GCF_000001405.39 does not exist", err)

    def test_get_reference_chromosome(self):
        mt = fasta("NC_012920.1.fa")
        self.assertEqual(len(mt), 16569)
        self.assertEqual(self.ok_json("get_reference_chromosome", GENOME, "NC_012920.1", "--range-start", "1",
                                      "--range-stop", "60"), {"sequence": mt[:60]})
        # Positional START STOP; position 3107 is the rCRS's N; both ends included.
        self.assertEqual(self.ok_json("get_reference_chromosome", GENOME, "NC_012920.1", "3100", "3110"),
                         {"sequence": mt[3099:3110]})
        whole = self.ok_json("get_reference_chromosome", GENOME, "NC_012920.1", "1", "16569")
        self.assertEqual(whole["sequence"], mt)
        # A pseudo-random chromosome carries the reference allele of each known SNP.
        row = [r for r in tsv("snps_grch37.tsv") if r["snp_id"] == "rs7412"][0]
        pos = int(row["position_grch37"])
        got = self.ok_json("get_reference_chromosome", GENOME, row["chromosome_accession"],
                           "--range-start", str(pos - 5), "--range-stop", str(pos + 5))
        self.assertEqual(len(got["sequence"]), 11)
        self.assertEqual(got["sequence"][5], row["reference_allele"])
        self.assertEqual(self.ok_json("get_reference_chromosome", GENOME, "NC_012920.1", "1", "5",
                                      "--x-fields", "sequence"), {"sequence": mt[:5]})
        err = self.fails(EXIT_NOT_FOUND, "get_reference_chromosome", GENOME, "NC_012920.1", "16560", "16570")
        self.assertIn("HTTP 404: Coordinates 16560..16570 do not exist on NC_012920.1 (1..16569)", err)
        err = self.fails(EXIT_USAGE, "get_reference_chromosome", GENOME, "NC_012920.1", "--range-start", "5")
        self.assertIn("the range is required", err)

    def test_dna_export(self):
        allowed = set(self.authorized())
        rows = ["# rsid\tchromosome\tposition\tgenotype"]
        for s in self.dataset(D1):
            if s["snp_id"] in allowed:
                rows.append("\t".join([s["snp_id"], common_symbol(s["chromosome_accession"]), str(s["location"]),
                                       "".join(s["genotyped_alleles"])]))
        want = "\n".join(rows) + "\n"
        self.assertEqual(self.ok("dna-export", C1, D1), want)
        self.assertIn("rs429358\t19\t50103781\tCT\n", want)
        # By authorization, as the reference's authorization_dna_data(uuid).
        self.assertEqual(self.ok("dna-export", AUTHS[0]), want)
        err = self.fails(EXIT_UNAUTHORIZED, "dna-export", AUTHS[4])
        self.assertIn("grants no dataset scope", err)
        err = self.fails(EXIT_UNAUTHORIZED, "dna-export", C4, D4)
        self.assertIn("HTTP 401", err)


class TestCliResults(CliTestCase):
    """The operations that post results, checked through the sandbox's ledger."""

    def ledger(self, kind=None):
        return [e for e in self.sb.ledger() if kind is None or e["type"] == kind]

    def test_post_authorization_result_file(self):
        report = os.path.join(self.dir, "report-1.txt")
        data = "Report for customer 1\n\u03b5 \u2714\n".encode("utf-8") * 500
        with open(report, "wb") as f:
            f.write(data)
        got = self.ok_json("post_authorization_result_file", AUTHS[0], "--file", report,
                           "--original-filename", "r\u00e9sultat 1.txt")
        self.assertEqual(got["authorization_uuid"], AUTHS[0])
        self.assertEqual(got["file_location"]["filename_original"], "r\u00e9sultat 1.txt")
        self.assertEqual(got["file_location"]["host"], "sandbox")
        with open(got["file_location"]["path"], "rb") as f:
            self.assertEqual(f.read(), data)
        entry = [e for e in self.ledger("file") if e["authorization_uuid"] == AUTHS[0]][-1]
        self.assertEqual(entry["filename"], "r\u00e9sultat 1.txt")
        # Without --original-filename: the file's own name. From stdin, with a mask.
        got = self.ok_json("post_authorization_result_file", TRAIT, AUTHS[0], "--file", report)
        self.assertEqual(got["file_location"]["filename_original"], "report-1.txt")
        got = self.ok_json("post_authorization_result_file", AUTHS[0], "--file", "-", "--original-filename",
                           "piped.txt", "--x-fields", "file_location{filename_original}", stdin=b"from a pipe")
        self.assertEqual(got, {"file_location": {"filename_original": "piped.txt"}})
        auth = self.ok_json("get_product_authorization", AUTHS[0])
        self.assertEqual(auth["state"], "authorization_state_result_available")
        self.assertEqual(auth["report_files"][0]["file_location"]["filename_original"], "r\u00e9sultat 1.txt")
        err = self.fails(11, "post_authorization_result_file", AUTHS[0], "--file", os.path.join(self.dir, "none"))
        self.assertIn("No such file or directory", err)
        err = self.fails(EXIT_USAGE, "post_authorization_result_file", AUTHS[0])
        self.assertIn("--file PATH is required", err)

    def test_post_authorization_result_credentials(self):
        got = self.ok_json("post_authorization_result_credentials", AUTHS[2], "--credentials-username", "cleo",
                           "--credentials-password", "p&s=+ w%rd", "--report-url", "https://r.example/a?b=1&c")
        self.assertEqual(got["authorization_uuid"], AUTHS[2])
        self.assertEqual((got["client_username"], got["client_password"], got["report_url"]),
                         ("cleo", "p&s=+ w%rd", "https://r.example/a?b=1&c"))
        entry = [e for e in self.ledger("credentials") if e["authorization_uuid"] == AUTHS[2]][-1]
        self.assertEqual((entry["credentials_username"], entry["credentials_password"], entry["report_url"]),
                         ("cleo", "p&s=+ w%rd", "https://r.example/a?b=1&c"))
        # Every field optional.
        got = self.ok_json("post_authorization_result_credentials", AUTHS[2])
        self.assertNotIn("client_username", got)

    def test_post_product_authorization_and_unfulfillable(self):
        self.assertEqual(self.ok("post_product_authorization", AUTHS[5]), "")
        self.assertEqual([e["authorization_uuid"] for e in self.ledger("done")], [AUTHS[5]])
        got = self.ok_json("post_product_authorization_unfulfillable", TRAIT, AUTHS[1])
        self.assertEqual(got["authorization_uuid"], AUTHS[1])
        self.assertEqual(got["state"], "authorization_state_not_fulfillable")
        self.assertEqual([e["authorization_uuid"] for e in self.ledger("unfulfillable")], [AUTHS[1]])
        queue = [a["authorization_uuid"] for a in self.ok_json("get_authorizations_queue")]
        self.assertNotIn(AUTHS[5], queue)
        self.assertNotIn(AUTHS[1], queue)
        err = self.fails(EXIT_UNAUTHORIZED, "post_product_authorization", AUTHS[3])
        self.assertIn("HTTP 401: Authorization %s is revoked" % AUTHS[3], err)
        err = self.fails(EXIT_UNAUTHORIZED, "post_product_authorization_unfulfillable", AUTHS[3])
        self.assertIn("is revoked", err)


class TestCliCredentials(CliTestCase):
    """Where credentials come from, and what goes wrong with them."""

    def test_environment_variables(self):
        p = self.sb.products["trait-panel"]
        env = {"LUMMINARY_CREDENTIALS": None, "LUMMINARY_PRODUCT_UUID": p["product_uuid"],
               "LUMMINARY_API_KEY": p["api_key"], "LUMMINARY_HOST": self.sb.info["base_url"]}
        self.assertEqual(self.ok_json("get_reference_genomes_group", env=env), [{"reference_accession": GENOME}])
        err = self.fails(EXIT_USAGE, "get_product", env=dict(env, LUMMINARY_API_KEY=None))
        self.assertIn("LUMMINARY_API_KEY is not set", err)
        err = self.fails(EXIT_USAGE, "get_product", env=dict(env, LUMMINARY_HOST="127.0.0.1:%d" % self.sb.port))
        self.assertIn("LUMMINARY_HOST", err)

    def test_later_spelling_and_option(self):
        p = self.sb.products["trait-panel"]
        path = self.write_creds("later.json", json.dumps({"product_uuid": p["product_uuid"], "api_key": p["api_key"],
                                                          "api_host": self.sb.info["base_url"] + "/",
                                                          "output_root": "/tmp"}))
        self.assertEqual(self.ok_json("get_product", "--x-fields", "product_uuid", "--credentials", path,
                                      creds="/nonexistent"), {"product_uuid": TRAIT})

    def test_bad_credentials_files(self):
        p = self.sb.products["trait-panel"]
        cases = [
            ("missing.json", None, "No such file or directory"),
            ("bad.json", '{"login": "x", ', "malformed JSON"),
            ("nokey.json", json.dumps({"login": p["product_uuid"]}), 'key "api_key": required JSON field missing'),
            ("both.json", json.dumps({"login": "a", "product_uuid": "b", "api_key": "k"}),
             'key "login/product_uuid": invalid argument'),
            ("host.json", self.env_json(host="ftp://127.0.0.1/v1"), 'key "host": invalid argument'),
            ("type.json", json.dumps({"login": 42, "api_key": "k"}), 'key "login"'),
        ]
        for name, text, why in cases:
            path = os.path.join(self.dir, name)
            if text is not None:
                self.write_creds(name, text)
            err = self.fails(EXIT_USAGE, "get_product", creds=path)
            self.assertIn("credentials file %s" % path, err)
            self.assertIn(why, err)

    def test_refused_credentials(self):
        path = self.write_creds("wrong.json", self.env_json(api_key="bm90IHRoZSBrZXk="))
        err = self.fails(EXIT_CREDENTIALS, "get_product", creds=path)
        self.assertIn("get_product: authentication refused; HTTP 401: Bad username or password", err)

    def test_no_credentials(self):
        err = self.fails(EXIT_USAGE, "get_product", env={"LUMMINARY_CREDENTIALS": None})
        self.assertIn("no credentials", err)

    def test_tls_and_network_failures(self):
        err = self.fails(EXIT_TLS, "get_product", env={"LUMMINARY_CA_FILE": "/nonexistent/ca.pem"})
        self.assertIn("TLS set-up failed", err)
        with tempfile.TemporaryDirectory() as d:
            # A certificate the server's chain does not lead to.
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", os.path.join(d, "k.pem"), "-out", os.path.join(d, "c.pem"),
                            "-days", "2", "-subj", "/CN=stranger"], check=True, capture_output=True)
            err = self.fails(EXIT_TLS, "get_product", env={"LUMMINARY_CA_FILE": os.path.join(d, "c.pem")})
            self.assertIn("get_product: server certificate not trusted", err)
        path = self.write_creds("closed.json", self.env_json(host="https://127.0.0.1:%d/v1" % free_port()))
        err = self.fails(EXIT_UNREACHABLE, "get_product", creds=path)
        self.assertIn("connection refused", err)


class TestCliPlainHttp(CliTestCase):
    TLS = False

    def test_http_url_is_used_as_given_with_a_warning(self):
        p = self.cli("get_reference_genomes_group")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout), [{"reference_accession": GENOME}])
        self.assertIn(b"plain HTTP", p.stderr)
        # The same server named https:// is a TLS failure, never a silent downgrade.
        path = self.write_creds("https.json", self.env_json(host="https://127.0.0.1:%d/v1" % self.sb.port))
        self.assertEqual(self.cli("get_reference_genomes_group", creds=path,
                                  env={"LUMMINARY_CA_FILE": None}).returncode, EXIT_TLS)


class HostileServer:
    """A plain-HTTP server on 127.0.0.1 (a free port) that logs any product
    in and answers every other request with `answer(sock)`: the hostile
    part. Stopped by stop(), always (the tests' tearDown)."""

    LOGIN = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n"
             b'{"access_token": "aaa.bbb.ccc"}')

    def __init__(self, answer):
        import threading
        self.answer = answer
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @staticmethod
    def read_request(conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v)
        while len(body) < length:
            body += conn.recv(65536)
        return head.split(b" ")[1]

    def serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            conn.settimeout(30)
            try:
                while not self.stopping.is_set():
                    path = self.read_request(conn)
                    if path is None:
                        break
                    if path.endswith(b"/auth/jwt"):
                        conn.sendall(self.LOGIN)
                        continue
                    self.answer(conn, self.stopping)
                    break
            except OSError:
                pass
            finally:
                conn.close()

    def stop(self):
        self.stopping.set()
        self.thread.join(10)
        self.sock.close()


class TestCliHostileServer(unittest.TestCase):
    """What a lying server gets: a clear exit status, output that stays
    JSON, and logs it cannot write escape sequences into."""

    def cli(self, answer, *args, timeout=60):
        srv = HostileServer(answer)
        self.addCleanup(srv.stop)
        e = {k: v for k, v in os.environ.items() if not k.startswith("LUMMINARY_")}
        e.update(LUMMINARY_PRODUCT_UUID="p", LUMMINARY_API_KEY="k",
                 LUMMINARY_HOST="http://127.0.0.1:%d/v1" % srv.port)
        return subprocess.run(RUN + [CLI] + list(args), capture_output=True, timeout=timeout, env=e)

    @staticmethod
    def respond(body, status=b"200 OK"):
        def answer(conn, stopping):
            conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                         % len(body) + body)
        return answer

    def test_a_dripping_server_is_cut_off_by_the_deadline(self):
        def drip(conn, stopping):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4611686018427387903\r\n\r\n[")
            while not stopping.wait(0.3):  # one byte every 0.3 s: each wait is far below --timeout
                conn.sendall(b" ")
        p = self.cli(drip, "get_client_snp_group", "c", "d", "--timeout", "5000", "--deadline", "2000")
        self.assertEqual(p.returncode, EXIT_UNREACHABLE, p.stderr)
        self.assertIn(b"get_client_snp_group: timed out", p.stderr)

    def test_control_characters_in_the_servers_message_do_not_reach_the_terminal(self):
        p = self.cli(self.respond(b'{"message": "\\u001b[2J\\u001b]0;pwned\\u0007 hi\\r\\nX"}', b"500 ERR"),
                     "get_client_snp", "c", "d", "rs1")
        self.assertEqual(p.returncode, EXIT_HTTP, p.stderr)
        self.assertEqual(p.stderr.splitlines()[-1],
                         b"lumminary: get_client_snp: server error (5xx); HTTP 500:  [2J ]0;pwned  hi  X")
        self.assertNotIn(b"\x1b", p.stderr)

    def test_a_sequence_that_is_not_text_still_prints_as_json(self):
        p = self.cli(self.respond(b'{"sequence": "A\xff\xfeC\\u0001G\\"T"}'),
                     "get_reference_chromosome", GENOME, "NC_012920.1", "--range-start", "1", "--range-stop", "6")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b'{"sequence":"A\\ufffd\\ufffdC\\u0001G\\"T"}\n')
        self.assertEqual(json.loads(p.stdout), {"sequence": "A\ufffd\ufffdC\x01G\"T"})

    def test_a_member_given_twice_is_a_malformed_answer(self):
        p = self.cli(self.respond(b'[{"snp_id": "rs1", "chromosome_accession": "NC_000001.10", "location": 1, '
                                  b'"genotyped_alleles": [], "phased": false, "reference_genome": "GRCh37", '
                                  b'"snp_id": "rs2"}]'),
                     "get_client_snp_group", "c", "d")
        self.assertEqual(p.returncode, 9, p.stderr)
        self.assertIn(b"in ClientSNP.snp_id", p.stderr)

    def test_a_value_too_long_for_its_field_is_a_malformed_answer(self):
        p = self.cli(self.respond(b'{"snp_id": "rs' + b"1" * 5000 + b'", "chromosome_accession": "NC_000001.10", '
                                  b'"location": 1, "genotyped_alleles": [], "phased": false, '
                                  b'"reference_genome": "GRCh37"}'),
                     "get_client_snp", "c", "d", "rs1")
        self.assertEqual(p.returncode, 9, p.stderr)


class TestCliCwl(unittest.TestCase):
    """cwl-encrypt / cwl-decrypt against the reference client's logic."""

    KEY = ref.KEY256

    def cli(self, *args, env=None):
        e = {k: v for k, v in os.environ.items() if not k.startswith("LUMMINARY_")}
        e.update(env or {})
        return subprocess.run(RUN + [CLI] + list(args), capture_output=True, text=True, timeout=60, env=e)

    def ok(self, *args, **kw):
        p = self.cli(*args, **kw)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        return p.stdout

    def test_reference_aes_gcm_passes_the_known_answers(self):
        aes_gcm.self_test()  # FIPS 197 appendix C, GCM spec test cases 1-4, 13-15

    def test_committed_vectors_are_what_the_reference_makes(self):
        with open(os.path.join(REPO, "tests", "unit", "cwl_vectors.h"), encoding="utf-8") as f:
            self.assertEqual(f.read(), ref.header())

    def test_cli_request_decrypts_with_the_reference(self):
        obj = {"scopes": "address,dataset,email", "productUuid": TRAIT,
               "customData": {"customerId": "42", "session": "caf\u00e9 \"x\" \U0001F9EC"}}
        text = json.dumps(obj)
        out = self.ok("cwl-encrypt", "--key", self.KEY, text)
        self.assertTrue(out.endswith("\n"))
        payload = out[:-1]
        self.assertNotIn("+", payload)
        self.assertNotIn("=", payload)
        # As the partner's callback would receive it back.
        got = ref.cwl_url_query_extract("https://partner.example/cb?request=" + payload, self.KEY)
        self.assertEqual(got, {"request": obj})
        # Byte for byte: the plaintext is json.dumps(json.dumps(obj)).
        raw = base64.b64decode(urllib.parse.unquote(payload))
        plain = aes_gcm.decrypt(base64.b64decode(self.KEY), raw[:12], raw[12:-12], raw[-12:])
        self.assertEqual(plain, json.dumps(json.dumps(obj)).encode())
        # Built from options: the guide's object, in its key order.
        out = self.ok("cwl-encrypt", "--scopes", "dataset,email", "--product-uuid", TRAIT, "--custom-data",
                      "customerId=42", "--custom-data", "websiteSession=s=1", env={"LUMMINARY_CWL_KEY": self.KEY})
        raw = base64.b64decode(urllib.parse.unquote(out.strip()))
        plain = aes_gcm.decrypt(base64.b64decode(self.KEY), raw[:12], raw[12:-12], raw[-12:])
        self.assertEqual(plain, json.dumps(json.dumps({"scopes": "dataset,email", "productUuid": TRAIT,
                                                       "customData": {"customerId": "42",
                                                                      "websiteSession": "s=1"}})).encode())
        # Two runs, two nonces.
        self.assertNotEqual(self.ok("cwl-encrypt", "--key", self.KEY, text), out)

    def test_cli_reads_reference_payloads_and_callbacks(self):
        request = {"scopes": "dataset", "productUuid": TRAIT, "customData": {"customerId": "\u00e9\t7"}}
        response = {"authorizationUuid": AUTHS[0], "authorizationTimestamp": 1552003200}
        nonce1, nonce2 = os.urandom(12), os.urandom(12)
        req = ref.cwl_data_request_build(request, self.KEY, nonce1)
        rsp = ref.cwl_data_request_build(response, self.KEY, nonce2)
        url = "https://partner.example/lumminary/callback?request=%s&response=%s" % (req, rsp)
        self.assertEqual(json.loads(self.ok("cwl-decrypt", "--key", self.KEY, url)),
                         {"request": request, "response": response})
        self.assertEqual(self.ok("cwl-decrypt", "--key", self.KEY, req), json.dumps(request) + "\n")
        # Not URL-encoded works too; and only one parameter.
        self.assertEqual(self.ok("cwl-decrypt", "--key", self.KEY, urllib.parse.unquote(rsp)),
                         json.dumps(response) + "\n")
        self.assertEqual(json.loads(self.ok("cwl-decrypt", "--key", self.KEY, "cb?response=" + rsp)),
                         {"response": response})
        # --raw: bytes as they are, both ways.
        raw = ref.payload(b"any bytes\n\x01", self.KEY, nonce1)
        self.assertEqual(self.ok("cwl-decrypt", "--raw", "--key", self.KEY, raw), "any bytes\n\x01")
        raw = base64.b64decode(self.ok("cwl-encrypt", "--raw", "--key", ref.KEY128, "plain text").strip())
        self.assertEqual(aes_gcm.decrypt(base64.b64decode(ref.KEY128), raw[:12], raw[12:-12], raw[-12:]),
                         b"plain text")

    def test_cwl_failures(self):
        req = ref.cwl_data_request_build({"scopes": "dataset"}, self.KEY, os.urandom(12))
        tampered = urllib.parse.unquote(req)
        tampered = tampered[:20] + ("A" if tampered[20] != "A" else "B") + tampered[21:]
        for args in (["--key", self.KEY, tampered], ["--key", ref.KEY128, req],
                     ["--key", self.KEY, "https://p/cb?request=" + tampered]):
            p = self.cli("cwl-decrypt", *args)
            self.assertEqual(p.returncode, EXIT_DECRYPT, p.stderr)
            self.assertIn("decryption failed: wrong key or altered data", p.stderr)
            self.assertEqual(p.stdout, "")
        p = self.cli("cwl-decrypt", "--key", self.KEY, req[:-7])
        self.assertEqual(p.returncode, EXIT_USAGE)
        self.assertIn("not base64", p.stderr)
        p = self.cli("cwl-decrypt", "--key", "c2hvcnQ=", req)
        self.assertEqual(p.returncode, EXIT_USAGE)
        p = self.cli("cwl-decrypt", req)
        self.assertEqual(p.returncode, EXIT_USAGE)
        self.assertIn("the CWL key is required", p.stderr)
        p = self.cli("cwl-decrypt", "--key", self.KEY, "https://p/cb?other=1")
        self.assertEqual(p.returncode, EXIT_USAGE)


if __name__ == "__main__":
    unittest.main()
