"""Genotype-file readers: each layout's exact parse of known rows, and the
quirks (CRLF, BOM, comments, no header, vendor chromosome codes)."""

import io
import os
import unittest
import zipfile

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import DATA_DIR
import genotypes
import reference

REF = reference.Reference(DATA_DIR)


def load(name, build=None):
    parsed = genotypes.read_file(os.path.join(DATA_DIR, "genotypes", name))
    b = build or parsed.build or genotypes.detect_build(parsed.rows, REF.markers) or 37
    records, _ = genotypes.to_records(parsed.rows, genotypes.accession_table(REF.accession_by_name, b))
    return parsed, b, {r[0]: r for r in records}, records


class LayoutTests(unittest.TestCase):
    def test_23andme_fragment_build36(self):
        parsed, build, by_id, records = load("23andme_b36_chr19-MT_fragment_crlf.txt", 36)
        self.assertEqual((parsed.layout, len(records), parsed.skipped), ("23andme", 100000, 0))
        self.assertEqual(genotypes.reference_genome_name(build), "NCBI36")
        self.assertEqual(by_id["rs429358"], ("rs429358", "NC_000019.8", 50103781, ("C", "T")))
        self.assertEqual(by_id["rs7412"], ("rs7412", "NC_000019.8", 50103919, ("C", "C")))
        self.assertEqual(by_id["i4001200"], ("i4001200", "NC_012920.1", 3, ("T",)))       # MT, haploid
        self.assertEqual(by_id["i4000095"][1:], ("NC_000024.8", 2709694, ("T",)))          # Y
        self.assertEqual(by_id["rs5939319"][1:], ("NC_000023.9", 2710157, ("G",)))         # X, haploid
        self.assertEqual(by_id["rs28503286"][3], ("C", "T"))                               # X PAR, diploid
        self.assertEqual(by_id["i4000492"][3], ())                                         # '--'
        self.assertEqual(by_id["rs63749075"][3], ("D", "I"))
        self.assertEqual(by_id["rs28399444"][3], ("I", "I"))
        self.assertEqual(by_id["rs62635036"][3], ("I",))
        self.assertEqual(by_id["rs4680"][1], "NC_000022.9")

    def test_23andme_2011_header(self):
        parsed, build, by_id, records = load("23andme_b36_2011_header_crlf.txt")
        self.assertEqual((parsed.layout, parsed.build, len(records)), ("23andme", 36, 985))
        self.assertEqual(by_id["rs4477212"], ("rs4477212", "NC_000001.9", 72017, ("A", "G")))
        self.assertEqual(records[0][0], "rs4477212")

    def test_decodeme_minus_strand(self):
        parsed, build, by_id, records = load("decodeme_b36_strand_crlf.csv", 36)
        self.assertEqual((parsed.layout, len(records)), ("decodeme", 999))
        self.assertEqual(by_id["rs4477212"], ("rs4477212", "NC_000001.9", 72017, ("A", "G")))   # + strand
        self.assertEqual(by_id["rs3094315"], ("rs3094315", "NC_000001.9", 742429, ("G", "A")))  # - strand CT
        self.assertEqual(by_id["rs2843130"][3], ("G", "C"))                                      # - strand CG
        self.assertEqual(by_id["rs28546461"][3], ())
        self.assertEqual(sum(1 for r in records if r[3] == ()), 4)

    def test_ancestry_v1(self):
        parsed, build, by_id, records = load("ancestrydna_v1_b37_lf.txt")
        self.assertEqual((parsed.layout, parsed.build, len(records)), ("ancestrydna", 37, 5))
        self.assertEqual(by_id["rs4477212"], ("rs4477212", "NC_000001.10", 82154, ("C", "T")))

    def test_ancestry_v2_and_zip(self):
        parsed, build, by_id, records = load("ancestrydna_v2_b37_crlf.txt")
        self.assertEqual((parsed.layout, build, len(records)), ("ancestrydna", 37, 2))
        self.assertEqual(by_id["rs190214723"], ("rs190214723", "NC_000001.10", 693625, ("C", "T")))
        self.assertEqual(by_id["rs3131972"][3], ("G", "G"))
        zparsed, zbuild, _, zrecords = load("ancestrydna_v2_b37_crlf.zip")
        self.assertEqual((zrecords, zbuild), (records, build))

    def test_ftdna_quoted_build_from_markers(self):
        parsed, build, by_id, records = load("ftdna_illumina_b37_quoted.csv")
        self.assertEqual((parsed.layout, parsed.build, build, len(records)), ("ftdna-csv", None, 37, 5))
        self.assertEqual(by_id["rs3094315"], ("rs3094315", "NC_000001.10", 752566, ("A", "G")))
        self.assertEqual(by_id["rs3131972"][3], ("G", "G"))

    def test_myheritage(self):
        parsed, build, by_id, records = load("myheritage_synthetic_quoted.csv", 37)
        self.assertEqual((parsed.layout, len(records)), ("ftdna-csv", 8))
        self.assertEqual(by_id["rs1"], ("rs1", "NC_000001.10", 101, ("A", "G")))
        self.assertEqual(by_id["rs5"][3], ())


class QuirkTests(unittest.TestCase):
    def records(self, data, build=37):
        parsed = genotypes.parse_bytes(data)
        return parsed, genotypes.to_records(parsed.rows, genotypes.accession_table(REF.accession_by_name, build))[0]

    def test_bom_crlf_comments_no_header(self):
        data = (b"\xef\xbb\xbf# comment\r\n\r\n#another\r\nrs1\t23\t5\tA\r\nrs2\t24\t6\tC\r\nrs3\t25\t7\tAG\r\n"
                b"rs4\t26\t8\tT\r\nrs5\tM\t9\tG\r\nrs6\tchr2\t10\t--\r\nrs7\tXY\t11\tCT\r\nrs8\t0\t1\tAA\r\n"
                b"# trailing comment\r\n")
        parsed, recs = self.records(data)
        self.assertEqual(parsed.layout, "23andme")
        self.assertEqual(recs, [("rs1", "NC_000023.10", 5, ("A",)), ("rs2", "NC_000024.9", 6, ("C",)),
                                ("rs3", "NC_000023.10", 7, ("A", "G")), ("rs4", "NC_012920.1", 8, ("T",)),
                                ("rs5", "NC_012920.1", 9, ("G",)), ("rs6", "NC_000002.11", 10, ()),
                                ("rs7", "NC_000023.10", 11, ("C", "T"))])  # chromosome 0 dropped

    def test_build36_accessions(self):
        _, recs = self.records(b"rs1\t1\t5\tAG\nrs2\tX\t6\tA\nrs3\tMT\t7\tA\n", build=36)
        self.assertEqual([r[1] for r in recs], ["NC_000001.9", "NC_000023.9", "NC_012920.1"])

    def test_ancestry_no_calls_and_zip_member(self):
        text = b"rsid\tchromosome\tposition\tallele1\tallele2\r\nrs1\t1\t5\t0\t0\r\nrs2\t1\t6\tA\tG\r\n"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("AncestryDNA.txt", text)
        parsed, recs = self.records(buf.getvalue())
        self.assertEqual(parsed.layout, "ancestrydna")
        self.assertEqual([r[3] for r in recs], [(), ("A", "G")])

    def test_malformed_rows_skipped(self):
        parsed, recs = self.records(b"rs1\t1\t5\tAG\nrs2\t1\tnotanumber\tAG\nrs3\t1\n")
        self.assertEqual((len(recs), parsed.skipped), (1, 2))

    def test_client_snp_model(self):
        self.assertEqual(list(genotypes.client_snp(("rs1", "NC_000001.10", 5, ("A", "G")), "GRCh37")),
                         ["chromosome_accession", "genotyped_alleles", "location", "phased", "reference_genome",
                          "snp_id"])


if __name__ == "__main__":
    unittest.main()
