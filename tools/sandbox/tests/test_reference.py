"""Reference endpoints: genomes, chromosomes, sequences (closed intervals), SNPs, genes."""

import os
import unittest

from sandbox import DATA_DIR, SandboxTestCase

GENOME = "GCF_000001405.25"
MT = "/reference/genomes/%s/chromosomes/NC_012920.1" % GENOME


def rcrs():
    with open(os.path.join(DATA_DIR, "reference", "NC_012920.1.fa")) as f:
        return "".join(l.strip() for l in f if not l.startswith(">"))


class ReferenceTests(SandboxTestCase):
    def seq(self, path, a, b):
        return self.get("%s?range_start=%s&range_stop=%s" % (path, a, b))

    def test_genomes(self):
        r = self.get("/reference/genomes/")
        self.assertStatus(r, 200)
        self.assertEqual(r.json(), [{"reference_accession": GENOME}])
        r = self.get("/reference/genomes/%s/chromosomes" % GENOME)
        self.assertStatus(r, 200)
        accs = [c["reference_accession"] for c in r.json()]
        self.assertEqual(len(accs), 25)
        self.assertEqual((accs[0], accs[18], accs[22], accs[23], accs[24]),
                         ("NC_000001.10", "NC_000019.9", "NC_000023.10", "NC_000024.9", "NC_012920.1"))
        self.assertStatus(self.get("/reference/genomes/GCF_000001405.39/chromosomes"), 404)
        self.assertStatus(self.get("/reference/genomes/", product=None), 401)

    def test_mt_closed_intervals(self):
        full = rcrs()
        self.assertEqual(len(full), 16569)
        for a, b in ((1, 10), (1, 1), (3107, 3107), (16560, 16569), (1, 16569), (500, 1500)):
            with self.subTest(a=a, b=b):
                r = self.seq(MT, a, b)
                self.assertStatus(r, 200)
                self.assertEqual(r.json(), {"sequence": full[a - 1:b]})
        self.assertEqual(self.seq(MT, 1, 10).json()["sequence"], "GATCACAGGT")
        self.assertEqual(self.seq(MT, 3107, 3107).json()["sequence"], "N")

    def test_range_errors(self):
        for a, b, status in ((0, 10, 404), (10, 9, 404), (16569, 16570, 404), (-1, 5, 404),
                             ("", 5, 400), (1, "", 400), ("a", 5, 400), (1, "2.0", 400), ("1e3", 5, 400)):
            with self.subTest(a=a, b=b):
                self.assertStatus(self.seq(MT, a, b), status)
        self.assertStatus(self.get(MT + "?range_start=1"), 400)
        self.assertStatus(self.get(MT), 400)
        self.assertStatus(self.seq("/reference/genomes/%s/chromosomes/NC_000001.9" % GENOME, 1, 5), 404)
        self.assertStatus(self.seq("/reference/genomes/GRCh37/chromosomes/NC_012920.1", 1, 5), 404)
        chr1 = "/reference/genomes/%s/chromosomes/NC_000001.10" % GENOME
        self.assertStatus(self.seq(chr1, 1, 1000000), 200)
        self.assertStatus(self.seq(chr1, 1, 1000001), 400)
        self.assertStatus(self.seq(chr1, 249250621, 249250621), 200)
        self.assertStatus(self.seq(chr1, 249250621, 249250622), 404)

    def test_pseudo_random_sequence(self):
        chr1 = "/reference/genomes/%s/chromosomes/NC_000001.10" % GENOME
        a = self.seq(chr1, 4000, 9000).json()["sequence"]
        self.assertEqual(len(a), 5001)
        self.assertTrue(set(a) <= set("ACGT"))
        self.assertEqual(self.seq(chr1, 4090, 4100).json()["sequence"], a[90:101])  # across a block edge
        self.assertNotEqual(self.seq("/reference/genomes/%s/chromosomes/NC_000002.11" % GENOME, 4000, 9000)
                            .json()["sequence"], a)
        # reference alleles of snps_grch37.tsv are pinned: rs6025 (F5) T in GRCh37
        self.assertEqual(self.seq(chr1, 169519049, 169519049).json()["sequence"], "T")
        s = self.seq("/reference/genomes/%s/chromosomes/NC_000019.9" % GENOME, 45411940, 45411942).json()
        self.assertEqual(s["sequence"][1], "T")  # rs429358

    def test_reference_snp(self):
        r = self.get("/reference/snps/rs429358")
        self.assertStatus(r, 200)
        self.assertEqual(r.json(), {"alternative_alleles": ["C"], "chromosome": "19",
                                    "chromosome_accession": "NC_000019.9", "dbsnp_version": 149,
                                    "location": 45411941, "reference_allele": "T",
                                    "reference_genome": "GRCh37.p13", "snp_id": "rs429358"})
        self.assertEqual(self.get("/reference/snps/rs1142345").json()["alternative_alleles"], ["C", "G"])
        self.assertStatus(self.get("/reference/snps/rs429358?dbsnp_version=149&grch_version=GRCH37P13"), 200)
        self.assertStatus(self.get("/reference/snps/rs429358?dbsnp_version=150"), 404)
        self.assertStatus(self.get("/reference/snps/rs429358?grch_version=GRCH38"), 404)
        self.assertStatus(self.get("/reference/snps/rs429358?dbsnp_version=x"), 400)
        self.assertStatus(self.get("/reference/snps/rs53576"), 404)   # alleles unverified
        self.assertStatus(self.get("/reference/snps/rs1"), 404)

    def test_gene(self):
        r = self.get("/reference/genes/databases/HGNC/accessions/APOE")
        self.assertStatus(r, 200)
        self.assertEqual(r.json(), {"chromosome": "19", "molecular_end_position": 45412650,
                                    "molecular_start_position": 45409053, "parent_accession": "NC_000019.9",
                                    "snp_ids": ["rs429358", "rs7412"], "symbol": "APOE"})
        self.assertStatus(self.get("/reference/genes/databases/hgnc/accessions/apoe"), 200)
        self.assertEqual(self.get("/reference/genes/databases/HGNC/accessions/VKORC1").json()["snp_ids"], [])
        self.assertStatus(self.get("/reference/genes/databases/Genbank/accessions/APOE"), 404)
        self.assertStatus(self.get("/reference/genes/databases/HGNC/accessions/NOPE"), 404)
        self.assertStatus(self.get("/reference/genes/databases/HGNC/accessions/APOE?dbsnp_build=150"), 404)
        self.assertStatus(self.get("/reference/genes/databases/HGNC/accessions/APOE?reference_genome=GRCH38"), 404)


if __name__ == "__main__":
    unittest.main()
