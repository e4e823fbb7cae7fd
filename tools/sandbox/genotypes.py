"""Consumer genotype-file readers, and the mapping of their rows to ClientSNP.

Layouts: 23andMe (with or without its '#' header), AncestryDNA v1/v2 (two
allele columns; also inside a .zip), deCODEme (CSV with a Strand column;
minus-strand calls are complemented), FamilyTreeDNA / MyHeritage (quoted CSV).
CRLF, a UTF-8 byte-order mark, '#' comments and a missing header are all
accepted, because real exports have all of them.

A raw row is (snp_id, chromosome_name, position, genotype_string); a dataset
record is (snp_id, chromosome_accession, location, alleles_tuple).
"""

import csv
import io
import re
import zipfile

COMPLEMENT = {"A": "T", "T": "A", "C": "G", "G": "C"}
NO_CALLS = {"", "--", "-", "00", "0", "0 0", "..", "NN"}
# vendor chromosome names -> common name
CHROMOSOME_ALIASES = {"23": "X", "24": "Y", "25": "XY", "26": "MT", "M": "MT", "XY": "XY", "PAR": "XY"}

_HEADER_ID = {"rsid", "name", "snp", "snpid", "snp_id", "snp name"}
_COLUMNS = {
    "id": {"rsid", "name", "snp", "snpid", "snp_id", "snp name"},
    "chromosome": {"chromosome", "chr", "chrom"},
    "position": {"position", "pos", "coordinate"},
    "genotype": {"genotype", "result", "yourcode", "call"},
    "allele1": {"allele1"},
    "allele2": {"allele2"},
    "strand": {"strand"},
}


class GenotypeFileError(Exception):
    pass


class ParsedFile:
    def __init__(self, layout, rows, build, skipped):
        self.layout = layout      # e.g. "23andme", "ancestrydna", "decodeme", "ftdna-csv"
        self.rows = rows          # [(snp_id, chromosome_name, position, genotype)]
        self.build = build        # 36, 37 or None when the file does not say
        self.skipped = skipped    # malformed rows ignored


def read_file(path):
    with open(path, "rb") as f:
        data = f.read()
    return parse_bytes(data, name=path)


def parse_bytes(data, name="<bytes>"):
    if data[:4] == b"PK\x03\x04":
        data = _unzip(data, name)
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return parse_text(text)


def _unzip(data, name):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [m for m in z.infolist() if not m.is_dir()]
            if not members:
                raise GenotypeFileError("%s: empty zip" % name)
            # the export is the one text member (vendors put exactly one)
            texts = [m for m in members if m.filename.lower().endswith((".txt", ".csv", ".tsv"))]
            return z.read((texts or members)[0])
    except zipfile.BadZipFile as e:
        raise GenotypeFileError("%s: %s" % (name, e))


def _build_from_comments(comments):
    text = " ".join(comments).lower()
    m = re.search(r"build\s*(3[5-8])", text) or re.search(r"grch\s*(3[78])", text)
    if m:
        return int(m.group(1))
    if "hg19" in text:
        return 37
    if "hg18" in text:
        return 36
    return None


def parse_text(text):
    comments, data_lines = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
        else:
            data_lines.append(line.rstrip("\r\n"))
    if not data_lines:
        return ParsedFile("empty", [], _build_from_comments(comments), 0)

    first = data_lines[0]
    if "\t" in first:
        split = lambda l: [c.strip() for c in l.split("\t")]
        delim = "tab"
    elif "," in first:
        split = lambda l: [c.strip() for c in next(csv.reader([l]))]
        delim = "csv"
    else:
        split = lambda l: l.split()
        delim = "space"

    cells = split(first)
    cols = None
    if cells and cells[0].strip('"').lower() in _HEADER_ID:
        cols = {}
        for i, c in enumerate(cells):
            key = c.strip('"').strip().lower()
            for field, names in _COLUMNS.items():
                if key in names and field not in cols:
                    cols[field] = i
        body = data_lines[1:]
    else:
        body = data_lines
        n = len(cells)
        if n == 4:
            cols = {"id": 0, "chromosome": 1, "position": 2, "genotype": 3}
        elif n == 5:
            cols = {"id": 0, "chromosome": 1, "position": 2, "allele1": 3, "allele2": 4}
        elif n == 6:
            cols = {"id": 0, "chromosome": 2, "position": 3, "strand": 4, "genotype": 5}
        else:
            raise GenotypeFileError("unrecognised layout: %d columns and no header" % n)
    for need in ("id", "chromosome", "position"):
        if need not in cols:
            raise GenotypeFileError("header lacks a %s column" % need)
    if "genotype" not in cols and not ("allele1" in cols and "allele2" in cols):
        raise GenotypeFileError("header lacks a genotype column")

    if "strand" in cols:
        layout = "decodeme"
    elif "allele1" in cols:
        layout = "ancestrydna"
    elif delim == "csv":
        layout = "ftdna-csv"
    else:
        layout = "23andme"

    i_id, i_chr, i_pos = cols["id"], cols["chromosome"], cols["position"]
    i_gt, i_a1, i_a2 = cols.get("genotype"), cols.get("allele1"), cols.get("allele2")
    i_strand = cols.get("strand")
    width = max(cols.values()) + 1
    rows, skipped = [], 0
    for line in body:
        c = split(line)
        if len(c) < width:
            skipped += 1
            continue
        pos = c[i_pos]
        if not pos.isdigit():
            skipped += 1
            continue
        if i_gt is not None:
            gt = c[i_gt]
        else:
            a1, a2 = c[i_a1], c[i_a2]
            gt = "" if (a1 in ("0", "-", "") and a2 in ("0", "-", "")) else a1 + a2
        if i_strand is not None and c[i_strand] == "-":
            gt = "".join(COMPLEMENT.get(ch, ch) for ch in gt.upper())
        rows.append((c[i_id], c[i_chr], int(pos), gt))
    return ParsedFile(layout, rows, _build_from_comments(comments), skipped)


def detect_build(rows, markers):
    """36 or 37 from the build-marker SNPs' positions, or None."""
    by_id = {m["snp_id"]: m for m in markers}
    votes = {36: 0, 37: 0}
    for snp_id, _chrom, pos, _gt in rows:
        m = by_id.get(snp_id)
        if m is None:
            continue
        if str(pos) == m["position_ncbi36"]:
            votes[36] += 1
        elif str(pos) == m["position_grch37"]:
            votes[37] += 1
    if votes[36] == votes[37]:
        return None
    return 36 if votes[36] > votes[37] else 37


def reference_genome_name(build):
    return "NCBI36" if build == 36 else "GRCh37"


def accession_table(grch37_accessions, build):
    """chromosome name (as written in files) -> accession for this build.

    Build 36 uses the same RefSeq NC_0000NN with a version one lower; MT is
    NC_012920.1 (rCRS) in both.  '25'/'XY' (X pseudo-autosomal) map to X.
    """
    table = {}
    for name, acc in grch37_accessions.items():
        if build == 36 and name != "MT":
            base, _, ver = acc.rpartition(".")
            acc = "%s.%d" % (base, int(ver) - 1)
        table[name] = acc
    for alias, name in CHROMOSOME_ALIASES.items():
        table[alias] = table["X" if name == "XY" else name]
    # 'chr1', 'chrX', 'chrM' spellings
    for name in list(table):
        table["chr" + name] = table[name]
    return table


_allele_cache = {}


def alleles_of(genotype):
    """Called alleles in file order: 'AG'->('A','G'), 'A'->('A',), '--'->()."""
    t = _allele_cache.get(genotype)
    if t is None:
        g = genotype.strip().strip('"').upper()
        if g in NO_CALLS:
            t = ()
        else:
            t = tuple(ch for ch in g if ch not in "-0 /")
        if len(_allele_cache) < 4096:
            _allele_cache[genotype] = t
    return t


def to_records(rows, accessions):
    """Dataset records from raw rows; rows on unknown chromosomes are dropped.

    Returns (records, dropped_count).  Later duplicates of an id are dropped
    too, so an id maps to one record.
    """
    records, seen, dropped = [], set(), 0
    get_acc = accessions.get
    for snp_id, chrom, pos, gt in rows:
        acc = get_acc(chrom) or get_acc(chrom.upper())
        if acc is None or snp_id in seen or not snp_id:
            dropped += 1
            continue
        seen.add(snp_id)
        records.append((snp_id, acc, pos, alleles_of(gt)))
    return records, dropped


def client_snp(record, reference_genome):
    """ClientSNP model (keys in schema order) of one record."""
    snp_id, acc, pos, alleles = record
    return {
        "chromosome_accession": acc,
        "genotyped_alleles": list(alleles),
        "location": pos,
        "phased": False,
        "reference_genome": reference_genome,
        "snp_id": snp_id,
    }
