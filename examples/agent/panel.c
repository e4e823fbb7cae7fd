/*
 * Trait panel: loading, per-authorization genotypes, the report text.
 */
#include "panel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the column named `name` in a TAB-separated header, or -1. */
static int column(const char *header, const char *name)
{
    const char *p = header;
    int i = 0;
    size_t n = strlen(name);
    for (;;) {
        const char *end = strpbrk(p, "\t\r\n");
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0) return i;
        if (end == NULL || *end != '\t') return -1;
        p = end + 1;
        i++;
    }
}

/* Copies field `index` of a TAB-separated line into out. */
static int field(const char *line, int index, char *out, size_t cap)
{
    const char *p = line, *end;
    size_t len;
    int i;
    for (i = 0; i < index; i++) {
        p = strchr(p, '\t');
        if (p == NULL) return -1;
        p++;
    }
    end = strpbrk(p, "\t\r\n");
    len = end != NULL ? (size_t)(end - p) : strlen(p);
    if (len >= cap) return -1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 0;
}

int panel_load(panel *p, const char *path, char *why, size_t why_cap)
{
    char line[1024], verification[64];
    int c_id, c_gene, c_alt, c_ver, lineno = 1;
    FILE *f = fopen(path, "r");

    memset(p, 0, sizeof *p);
    if (f == NULL) {
        snprintf(why, why_cap, "cannot read panel file %s: %s", path, strerror(errno));
        return -1;
    }
    if (fgets(line, sizeof line, f) == NULL) {
        snprintf(why, why_cap, "panel file %s is empty", path);
        fclose(f);
        return -1;
    }
    c_id = column(line, "snp_id");
    c_gene = column(line, "gene_symbol");
    c_alt = column(line, "alternative_alleles");
    c_ver = column(line, "verification");
    if (c_id < 0 || c_gene < 0 || c_alt < 0 || c_ver < 0) {
        snprintf(why, why_cap, "panel file %s lacks a snp_id/gene_symbol/alternative_alleles/verification column", path);
        fclose(f);
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        panel_snp *s;
        lineno++;
        if (line[0] == '\n' || line[0] == '\r') continue;
        /* Only values read from a cited source make it into a report. */
        if (field(line, c_ver, verification, sizeof verification) != 0) goto bad;
        if (strncmp(verification, "sourced", 7) != 0) continue;
        if (p->n == PANEL_MAX) {
            snprintf(why, why_cap, "panel file %s has more than %d sourced SNPs", path, PANEL_MAX);
            fclose(f);
            return -1;
        }
        s = &p->snps[p->n];
        if (field(line, c_id, s->snp_id, sizeof s->snp_id) != 0 ||
            field(line, c_gene, s->gene, sizeof s->gene) != 0 ||
            field(line, c_alt, s->alt_alleles, sizeof s->alt_alleles) != 0)
            goto bad;
        p->n++;
    }
    fclose(f);
    if (p->n == 0) {
        snprintf(why, why_cap, "panel file %s has no sourced SNP", path);
        return -1;
    }
    return 0;
bad:
    snprintf(why, why_cap, "%s:%d: malformed panel row", path, lineno);
    fclose(f);
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
