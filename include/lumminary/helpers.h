/*
 * lumminary/helpers.h - the reference (Python) client's helpers, in C.
 *
 * Named like the operations: the reference client's name prefixed lum_
 * (authorization_metadata, authorization_dna_data, chromosome_common_symbol).
 * No heap; nothing blocks except lum_authorization_dna_data, which is an
 * API call (see api.h for what that implies).
 */
#ifndef LUMMINARY_HELPERS_H
#define LUMMINARY_HELPERS_H

#include <stdint.h>

#include "lumminary/api.h"
#include "lumminary/models.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "2000-02-29T00:00:00Z" and its NUL. */
#define LUM_ISO8601_UTC_LEN 21

/*
 * What the reference client's authorization_metadata() returns, as a
 * struct. The optional members are present only when the customer granted
 * the scope (bits LUM_METADATA_HAS_*, the same as the scope's bits).
 */
typedef struct lum_auth_metadata {
    uint32_t present;                              /* LUM_METADATA_HAS_* */
    char customer[LUM_MAX_ID];                     /* client_uuid */
    char product[LUM_MAX_ID];                      /* product_uuid */
    char authorization[LUM_MAX_ID];                /* authorization_uuid */
    int64_t created_timestamp;                     /* create_timestamp, unix seconds */
    char created_timestamp_utc[LUM_ISO8601_UTC_LEN]; /* the same as ISO-8601 UTC text */
    char dataset[LUM_MAX_ID];
    char customer_email[LUM_MAX_EMAIL];
    lum_customer_name customer_name;
    lum_customer_address customer_address;
    char customer_sex[sizeof(((lum_access_scope *)0)->sex)];
} lum_auth_metadata;
enum {
    LUM_METADATA_HAS_DATASET = LUM_SCOPE_HAS_DATASET,
    LUM_METADATA_HAS_CUSTOMER_EMAIL = LUM_SCOPE_HAS_EMAIL,
    LUM_METADATA_HAS_CUSTOMER_NAME = LUM_SCOPE_HAS_NAME,
    LUM_METADATA_HAS_CUSTOMER_ADDRESS = LUM_SCOPE_HAS_ADDRESS,
    LUM_METADATA_HAS_CUSTOMER_SEX = LUM_SCOPE_HAS_SEX
};

/*
 * authorization_metadata: fills *out (caller-owned, zeroed first) from the
 * authorization *a (only read). The date is computed with integer arithmetic
 * (proleptic Gregorian calendar, no libc time functions), e.g. 951782400 ->
 * "2000-02-29T00:00:00Z". Does not block.
 * Returns LUM_OK, or LUM_ERR_INVALID_ARG for a NULL argument or a timestamp
 * outside the years 0000-9999 (which a 4-digit ISO-8601 year cannot carry).
 */
int lum_authorization_metadata(const lum_authorization *a, lum_auth_metadata *out);

/*
 * Writes the ISO-8601 UTC text of unix time t ("YYYY-MM-DDTHH:MM:SSZ") into
 * out. Returns LUM_OK or LUM_ERR_INVALID_ARG (a year outside 0000-9999).
 */
int lum_iso8601_utc(int64_t t, char out[LUM_ISO8601_UTC_LEN]);

/*
 * chromosome_common_symbol: "NC_000001" .. "NC_000022" -> "1" .. "22",
 * "NC_000023" -> "X", "NC_000024" -> "Y", "NC_012920" -> "MT", each with or
 * without a version suffix (".10"). Writes the NUL-terminated symbol into
 * out. Returns LUM_OK, or LUM_ERR_INVALID_ARG for anything else (out is then
 * ""). Does not block.
 */
int lum_chromosome_common_symbol(const char *accession, char out[3]);

/*
 * authorization_dna_data: the SNPs of the authorization's dataset that the
 * product may read (get_client_snp_group), as 23andMe-style TSV written to
 * write as they stream in (never accumulated):
 *
 *     # rsid<TAB>chromosome<TAB>position<TAB>genotype\n
 *     rs429358<TAB>19<TAB>50103781<TAB>CT\n
 *
 * chromosome is lum_chromosome_common_symbol of the accession; genotype is
 * the alleles concatenated, so a no-call (no alleles) is an empty field, as
 * the reference client writes it ("".join([])). Every line ends with "\n".
 * The header is written with the first row (or at the end for a dataset
 * without SNPs), so a call that fails before any data writes nothing.
 * *a is only read; *scratch holds one SNP at a time.
 * Blocks like every operation (api.h). Returns LUM_OK, LUM_ERR_INVALID_ARG
 * (NULL arguments, or no dataset scope granted: the reference returns None),
 * LUM_ERR_IO (write returned non-zero), LUM_ERR_JSON_TYPE (a SNP on a
 * chromosome without a common symbol; lum_client_error names
 * ClientSNP.chromosome_accession), or any error of
 * lum_get_client_snp_group. Rows written before a failure stay written.
 */
int lum_authorization_dna_data(lum_client *c, const lum_authorization *a, lum_client_snp *scratch,
                               lum_write_fn write, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_HELPERS_H */
