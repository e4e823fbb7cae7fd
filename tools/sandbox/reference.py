"""GRCh37 reference facts from data/reference/, and the reference endpoints' models.

Everything is read once at start-up; the objects are immutable afterwards, so
handler threads share them without locking.
"""

import hashlib
import os

GENOME_ACCESSION = "GCF_000001405.25"  # GRCh37.p13
DBSNP_VERSION = 149
GRCH_VERSION = "GRCH37P13"
PUBLIC_REFERENCE_GENOME = "GRCh37.p13"  # reference_genome of PublicSNP
SEQUENCE_CAP = 1_000_000  # longest range get_reference_chromosome serves (bp)

# Pseudo-random sequence for chromosomes other than MT: blocks of BLOCK bases,
# block k = shake_256("<accession>:<k>") -> BLOCK/4 bytes, 4 bases per byte,
# most significant bit pair first, 00=A 01=C 10=G 11=T.  Bases at the
# positions of snps_grch37.tsv are then set to their reference allele.
BLOCK = 4096
_BYTE_BASES = ["".join("ACGT"[(b >> s) & 3] for s in (6, 4, 2, 0)) for b in range(256)]


class ReferenceError_(Exception):
    """Bad reference data files: the server cannot start."""


def read_tsv(path):
    """Rows of a TAB-separated file with one header line, as dicts."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise ReferenceError_("cannot read %s: %s" % (path, e))
    if not lines:
        raise ReferenceError_("%s is empty" % path)
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


class Reference:
    def __init__(self, data_dir):
        ref = os.path.join(data_dir, "reference")
        self.chromosomes = []  # [(name, accession, length)] in file order
        for r in read_tsv(os.path.join(ref, "grch37_chromosomes.tsv")):
            self.chromosomes.append((r["name"], r["refseq_accession"], int(r["length"])))
        self.accession_by_name = {n: a for n, a, _ in self.chromosomes}
        self.length_by_accession = {a: l for _, a, l in self.chromosomes}
        self.name_by_accession = {a: n for n, a, _ in self.chromosomes}

        self.snps = read_tsv(os.path.join(ref, "snps_grch37.tsv"))
        self.snp_by_id = {r["snp_id"]: r for r in self.snps}
        self.genes = read_tsv(os.path.join(ref, "genes_grch37.tsv"))
        self.gene_by_symbol = {r["symbol"]: r for r in self.genes}
        self.par = read_tsv(os.path.join(ref, "grch37_par.tsv"))
        self.markers = read_tsv(os.path.join(ref, "build_marker_snps.tsv"))
        self.mt_sequence = self._read_fasta(os.path.join(ref, "NC_012920.1.fa"))
        # reference alleles pinned into the pseudo-random sequences
        self._pinned = {}
        for r in self.snps:
            allele = r["reference_allele"]
            if len(allele) == 1 and allele in "ACGT":
                self._pinned.setdefault(r["chromosome_accession"], {})[int(r["position_grch37"])] = allele

    @staticmethod
    def _read_fasta(path):
        try:
            with open(path, encoding="ascii") as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise ReferenceError_("cannot read %s: %s" % (path, e))
        return "".join(l.strip() for l in lines if l and not l.startswith(">"))

    # ---- facts used elsewhere ------------------------------------------

    def snps_with_verification_prefix(self, prefix):
        return [r["snp_id"] for r in self.snps if r["verification"].startswith(prefix)]

    @staticmethod
    def snp_alleles(row):
        """(ref, [alts]) of a snps_grch37 row, or None if the alleles are unverified."""
        ref = row["reference_allele"]
        if not ref or ref == "unverified":
            return None
        alts = [a for a in row["alternative_alleles"].split(",") if a and a != "unverified"]
        return ref, alts

    # ---- models -----------------------------------------------------------

    def genomes(self):
        return [{"reference_accession": GENOME_ACCESSION}]

    def genome_chromosomes(self, genome_accession):
        if genome_accession != GENOME_ACCESSION:
            return None
        return [{"reference_accession": a} for _, a, _ in self.chromosomes]

    def sequence(self, accession, start, stop):
        """Bases start..stop (1-based, both included); caller checked the bounds."""
        if accession == "NC_012920.1":
            return self.mt_sequence[start - 1:stop]
        first, last = (start - 1) // BLOCK, (stop - 1) // BLOCK
        parts = []
        for k in range(first, last + 1):
            digest = hashlib.shake_256(("%s:%d" % (accession, k)).encode("ascii")).digest(BLOCK // 4)
            parts.append("".join(map(_BYTE_BASES.__getitem__, digest)))
        offset = first * BLOCK
        seq = "".join(parts)[start - 1 - offset:stop - offset]
        pins = self._pinned.get(accession)
        if pins:
            chars = None
            for pos, base in pins.items():
                if start <= pos <= stop:
                    chars = chars or list(seq)
                    chars[pos - start] = base
            if chars is not None:
                seq = "".join(chars)
        return seq

    def public_snp(self, snp_id):
        """PublicSNP in schema order, or None (unknown or unverified alleles)."""
        row = self.snp_by_id.get(snp_id)
        if row is None:
            return None
        alleles = self.snp_alleles(row)
        if alleles is None:
            return None
        ref, alts = alleles
        return {
            "alternative_alleles": alts,
            "chromosome": row["chromosome"],
            "chromosome_accession": row["chromosome_accession"],
            "dbsnp_version": DBSNP_VERSION,
            "location": int(row["position_grch37"]),
            "reference_allele": ref,
            "reference_genome": PUBLIC_REFERENCE_GENOME,
            "snp_id": row["snp_id"],
        }

    def find_gene(self, symbol, case_insensitive=False):
        row = self.gene_by_symbol.get(symbol)
        if row is None and case_insensitive:
            for r in self.genes:
                if r["symbol"].upper() == symbol.upper():
                    return r
        return row

    @staticmethod
    def gene_snp_ids(row):
        return [s for s in row["snp_ids"].split(",") if s]

    def public_gene(self, row):
        return {
            "chromosome": row["chromosome"],
            "molecular_end_position": int(row["stop"]),
            "molecular_start_position": int(row["start"]),
            "parent_accession": row["chromosome_accession"],
            "snp_ids": self.gene_snp_ids(row),
            "symbol": row["symbol"],
        }


def default_data_dir():
    """$LUM_SHARED_DIR/data if set, else <repo>/../shared/data."""
    shared = os.environ.get("LUM_SHARED_DIR")
    if shared:
        return os.path.join(shared, "data")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(os.path.dirname(repo), "shared", "data")
