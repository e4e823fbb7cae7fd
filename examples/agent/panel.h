/*
 * The trait panel and the report computed from it.
 *
 * The panel comes from data/reference/snps_grch37.tsv: the rows whose
 * `verification` is "sourced", with their gene and alternative alleles. For
 * one authorization, panel_observe() is fed every SNP received (a streamed
 * list of any length) and keeps only the genotypes of panel SNPs, so memory
 * is fixed. panel_write_report() then renders the text report.
 */
#ifndef AGENT_PANEL_H
#define AGENT_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/models.h"


#define PANEL_MAX 64

typedef struct panel_snp {
    char snp_id[LUM_MAX_RSID];
    char gene[16];
    char alt_alleles[16]; /* "C" or "C,G" as in the TSV */
    /* per authorization */
    bool seen;
    uint8_t n_alleles;
    char alleles[LUM_MAX_ALLELES][LUM_MAX_ALLELE];
} panel_snp;

typedef struct panel {
    panel_snp snps[PANEL_MAX]; /* sorted by snp_id for binary search */
    size_t n;
    /* per authorization */
    uint32_t snps_received;
    char reference_genome[LUM_MAX_GENOME];
} panel;

/* Parses the panel TSV (NUL-terminated text; CRLF or LF). Returns 0 or -1
   with a reason. */
int panel_parse(panel *p, const char *text, char *why, size_t why_cap);

/* Forgets the genotypes of the previous authorization. */
void panel_reset(panel *p);

/* Records snp if it is on the panel. */
void panel_observe(panel *p, const lum_client_snp *snp);

/* The APOE type from rs429358 and rs7412, e.g. "e3/e4" (with the Greek
   epsilon), or "undetermined". */
const char *panel_apoe(const panel *p, char *buf, size_t cap);

/* Counts panel SNPs with a call (at least one allele). */
size_t panel_called(const panel *p);

/* Writes the report text; returns its length, or 0 if cap is too small. */
size_t panel_write_report(const panel *p, char *out, size_t cap, const char *product_uuid,
                          const char *authorization_uuid, const char *client_uuid,
                          const char *dataset_uuid);

#endif /* AGENT_PANEL_H */
