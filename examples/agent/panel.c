/*
 * Trait panel: loading, per-authorization genotypes, the report text.
 */
#include "panel.h"

#include <stdio.h>
#include <string.h>

/* Field `index` of the TAB-separated line[0..len), as (start, length). */
static int field_at(const char *line, size_t len, int index, const char **start, size_t *flen)
{
    size_t i = 0, begin = 0;
    int k = 0;
    for (;; i++) {
        if (i == len || line[i] == '\t') {
            if (k == index) {
                *start = line + begin;
                *flen = i - begin;
                return 0;
            }
            if (i == len) return -1;
            k++;
            begin = i + 1;
        }
    }
}

static int copy_field(const char *line, size_t len, int index, char *out, size_t cap)
{
    const char *f;
    size_t n;
    if (field_at(line, len, index, &f, &n) != 0 || n >= cap) return -1;
    memcpy(out, f, n);
    out[n] = '\0';
    return 0;
}

/* Index of the column named `name` in the header line, or -1. */
static int column(const char *line, size_t len, const char *name)
{
    const char *f;
    size_t n;
    int i;
    for (i = 0; field_at(line, len, i, &f, &n) == 0; i++)
        if (n == strlen(name) && memcmp(f, name, n) == 0) return i;
    return -1;
}

/* The next line of text (without CR/LF); false at the end. */
static bool next_line(const char **text, const char **line, size_t *len)
{
    const char *p = *text, *nl;
    if (*p == '\0') return false;
    nl = strchr(p, '\n');
    *line = p;
    *len = nl != NULL ? (size_t)(nl - p) : strlen(p);
    *text = p + *len + (nl != NULL);
    if (*len > 0 && p[*len - 1] == '\r') (*len)--;
    return true;
}

int panel_parse(panel *p, const char *text, char *why, size_t why_cap)
{
    char verification[64];
    const char *line;
    size_t len;
    int c_id, c_gene, c_alt, c_ver, lineno = 1;

    memset(p, 0, sizeof *p);
    if (!next_line(&text, &line, &len)) {
        snprintf(why, why_cap, "the panel is empty");
        return -1;
    }
    c_id = column(line, len, "snp_id");
    c_gene = column(line, len, "gene_symbol");
    c_alt = column(line, len, "alternative_alleles");
    c_ver = column(line, len, "verification");
    if (c_id < 0 || c_gene < 0 || c_alt < 0 || c_ver < 0) {
        snprintf(why, why_cap, "the panel lacks a snp_id/gene_symbol/alternative_alleles/verification column");
        return -1;
    }
    while (next_line(&text, &line, &len)) {
        panel_snp *s;
        lineno++;
        if (len == 0) continue;
        /* Only values read from a cited source make it into a report. */
        if (copy_field(line, len, c_ver, verification, sizeof verification) != 0) goto bad;
        if (strncmp(verification, "sourced", 7) != 0) continue;
        if (p->n == PANEL_MAX) {
            snprintf(why, why_cap, "the panel has more than %d sourced SNPs", PANEL_MAX);
            return -1;
        }
        s = &p->snps[p->n];
        if (copy_field(line, len, c_id, s->snp_id, sizeof s->snp_id) != 0 ||
            copy_field(line, len, c_gene, s->gene, sizeof s->gene) != 0 ||
            copy_field(line, len, c_alt, s->alt_alleles, sizeof s->alt_alleles) != 0)
            goto bad;
        p->n++;
    }
    if (p->n == 0) {
        snprintf(why, why_cap, "the panel has no sourced SNP");
        return -1;
    }
    return 0;
bad:
    snprintf(why, why_cap, "line %d: malformed panel row", lineno);
    return -1;
}

void panel_reset(panel *p)
{
    size_t i;
    for (i = 0; i < p->n; i++) {
        p->snps[i].seen = false;
        p->snps[i].n_alleles = 0;
    }
    p->snps_received = 0;
    p->reference_genome[0] = '\0';
}

void panel_observe(panel *p, const lum_client_snp *snp)
{
    size_t i, k;
    p->snps_received++;
    if (p->reference_genome[0] == '\0') strcpy(p->reference_genome, snp->reference_genome);
    /* The panel is a few dozen SNPs: a linear scan with a first-byte filter
       costs less than sorting would save. */
    for (i = 0; i < p->n; i++) {
        panel_snp *s = &p->snps[i];
        if (s->snp_id[2] != snp->snp_id[2] || strcmp(s->snp_id, snp->snp_id) != 0) continue;
        s->seen = true;
        s->n_alleles = (uint8_t)snp->genotyped_alleles_count;
        for (k = 0; k < s->n_alleles; k++) strcpy(s->alleles[k], snp->genotyped_alleles[k]);
        return;
    }
}

static const panel_snp *find(const panel *p, const char *id)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        if (strcmp(p->snps[i].snp_id, id) == 0) return &p->snps[i];
    return NULL;
}

/* How many of the genotype's alleles are among the comma-separated alts. */
static int alt_count(const panel_snp *s)
{
    int n = 0;
    size_t k;
    for (k = 0; k < s->n_alleles; k++) {
        const char *a = s->alt_alleles;
        size_t len = strlen(s->alleles[k]);
        while (*a != '\0') {
            size_t alen = strcspn(a, ",");
            if (alen == len && memcmp(a, s->alleles[k], len) == 0) {
                n++;
                break;
            }
            a += alen;
            if (*a == ',') a++;
        }
    }
    return n;
}

static int count_allele(const panel_snp *s, const char *allele)
{
    int n = 0;
    size_t k;
    for (k = 0; k < s->n_alleles; k++) n += strcmp(s->alleles[k], allele) == 0;
    return n;
}

const char *panel_apoe(const panel *p, char *buf, size_t cap)
{
    /* rs429358 C marks an e4 haplotype, rs7412 T an e2; the rest are e3.
       Unphased, two of each: e4 count + e2 count above 2 would need the
       rare e1 and cannot be told apart, so it stays undetermined. */
    static const char *const eps[] = {"\xce\xb5" "2", "\xce\xb5" "3", "\xce\xb5" "4"};
    const panel_snp *a = find(p, "rs429358"), *b = find(p, "rs7412");
    int n4, n2, types[2], i = 0;

    if (a == NULL || b == NULL || !a->seen || !b->seen || a->n_alleles != 2 || b->n_alleles != 2 ||
        count_allele(a, "C") + count_allele(a, "T") != 2 || count_allele(b, "C") + count_allele(b, "T") != 2)
        return "undetermined";
    n4 = count_allele(a, "C");
    n2 = count_allele(b, "T");
    if (n4 + n2 > 2) return "undetermined";
    while (n2-- > 0) types[i++] = 0;
    while (i < 2 - n4) types[i++] = 1;
    while (i < 2) types[i++] = 2;
    snprintf(buf, cap, "%s/%s", eps[types[0]], eps[types[1]]);
    return buf;
}

size_t panel_called(const panel *p)
{
    size_t i, n = 0;
    for (i = 0; i < p->n; i++) n += p->snps[i].seen && p->snps[i].n_alleles > 0;
    return n;
}

size_t panel_write_report(const panel *p, char *out, size_t cap, const char *product_uuid,
                          const char *authorization_uuid, const char *client_uuid,
                          const char *dataset_uuid)
{
    size_t len = 0, i;
    char apoe[32];
    int n;

#define APPEND(...)                                                          \
    do {                                                                     \
        n = snprintf(out + len, cap - len, __VA_ARGS__);                     \
        if (n < 0 || (size_t)n >= cap - len) return 0;                      \
        len += (size_t)n;                                                    \
    } while (0)

    APPEND("Lumminary trait panel report. For information only: this is not a medical diagnosis.\n");
    APPEND("product: %s\nauthorization: %s\ncustomer: %s\ndataset: %s\n", product_uuid,
           authorization_uuid, client_uuid, dataset_uuid);
    APPEND("reference genome: %s\nSNPs received: %lu\n\n",
           p->reference_genome[0] ? p->reference_genome : "unknown", (unsigned long)p->snps_received);
    APPEND("snp_id\tgene\tgenotype\talternative_alleles\talternative_allele_count\n");
    for (i = 0; i < p->n; i++) {
        const panel_snp *s = &p->snps[i];
        if (!s->seen) {
            APPEND("%s\t%s\tnot genotyped\t%s\t-\n", s->snp_id, s->gene, s->alt_alleles);
        } else if (s->n_alleles == 0) {
            APPEND("%s\t%s\tno call\t%s\t-\n", s->snp_id, s->gene, s->alt_alleles);
        } else {
            APPEND("%s\t%s\t%s%s%s\t%s\t%d\n", s->snp_id, s->gene, s->alleles[0],
                   s->n_alleles > 1 ? "/" : "", s->n_alleles > 1 ? s->alleles[1] : "", s->alt_alleles,
                   alt_count(s));
        }
    }
    APPEND("\nAPOE: %s\n", panel_apoe(p, apoe, sizeof apoe));
#undef APPEND
    return len;
}
