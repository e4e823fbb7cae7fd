/*
 * lumminary/api.h - one function per API operation, named as in the
 * operation list (LumminaryAPISpecApi): lum_<operation_name>.
 *
 * Common to every function here:
 *  - Blocks until the response is fully read, each wait bounded by the
 *    client's io_timeout_ms (and request_timeout_ms if set).
 *  - Authenticated operations obtain a JWT first when the client has none or
 *    when it is about to expire, and on a 401 re-authenticate once and retry
 *    once (when the request can be replayed).
 *  - String arguments are NUL-terminated and only read during the call.
 *    Path parameters are percent-encoded, query values encoded; a value
 *    containing control characters (CR, LF...) is refused with
 *    LUM_ERR_INVALID_ARG before anything is sent.
 *  - x_fields: an optional X-Fields mask, e.g. "snp_id,genotyped_alleles"
 *    or "{authorization_uuid,scopes{dataset}}"; NULL sends none. With a mask,
 *    required fields are not enforced (see models.h).
 *  - Output structs are caller-owned, zeroed by the call, and filled on
 *    success; after a failure their content is unspecified.
 *  - Streamed lists: the callback receives each element in the caller's
 *    scratch struct, valid only during the callback. It returns 0 to go on or
 *    any other value to stop, which fails the call with LUM_ERR_ABORTED. The
 *    callback must not call into the same client.
 *  - Returns LUM_OK or a negative lum_err; lum_client_error() then has the
 *    HTTP status, the server's message and, for JSON errors, the field.
 *    Status mapping: 400 LUM_ERR_BAD_REQUEST, 401 LUM_ERR_UNAUTHORIZED,
 *    403 LUM_ERR_FORBIDDEN, 404 LUM_ERR_NOT_FOUND, 409 LUM_ERR_CONFLICT,
 *    422 LUM_ERR_UNPROCESSABLE, 429 LUM_ERR_RATE_LIMITED, 5xx LUM_ERR_SERVER,
 *    others LUM_ERR_HTTP_STATUS. Transport, TLS, HTTP and JSON failures have
 *    their own codes (error.h).
 *  - Answers are checked, not trusted: unknown members are skipped, null
 *    reads as absent, a known member given twice in one object is
 *    LUM_ERR_JSON naming it (which value would be meant?), and a value too
 *    long for its field is LUM_ERR_TOO_LONG, never cut.
 */
#ifndef LUMMINARY_API_H
#define LUMMINARY_API_H

#include <stddef.h>
#include <stdint.h>

#include "lumminary/client.h"
#include "lumminary/models.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- callbacks */

/* One streamed ClientSNP. Return 0 to continue. */
typedef int (*lum_client_snp_cb)(void *user, const lum_client_snp *snp);
/* One streamed Authorization (the queue). Return 0 to continue. */
typedef int (*lum_authorization_cb)(void *user, const lum_authorization *authorization);
/* One rsid of a streamed list; list is a LUM_LIST_* value. Return 0 to continue. */
typedef int (*lum_rsid_cb)(void *user, int list, const char *rsid);
/* One streamed ReferenceGenomeOverview / ReferenceChromosomeOverview. Return 0 to continue. */
typedef int (*lum_reference_overview_cb)(void *user, const lum_reference_overview *overview);
/* The next piece of a sequence, in order: len bytes at bases (not
   NUL-terminated, valid during the call only). Return 0 to continue. */
typedef int (*lum_sequence_cb)(void *user, const char *bases, size_t len);

/*
 * A source of bytes for uploads, read in order from the start.
 *  read:   copies up to cap bytes into buf; returns the count (>0), 0 at the
 *          end, or a negative value on failure (the call fails with LUM_ERR_IO).
 *  rewind: optional (NULL when the source cannot be replayed); returns 0 on
 *          success. Used to retry an upload after a 401.
 *  size:   the exact number of bytes read will deliver, or -1 if unknown
 *          (then the body is sent with chunked transfer coding).
 *  name:   the file name sent in the multipart part, or NULL ("report").
 */
typedef struct lum_reader {
    void *ctx;
    int (*read)(void *ctx, uint8_t *buf, size_t cap);
    int (*rewind)(void *ctx);
    int64_t size;
    const char *name;
} lum_reader;

/*
 * A sink for bytes the SDK produces (TSV export, JSON encoding...): receives
 * len bytes at data (not NUL-terminated, valid during the call only).
 * Returns 0, or any other value to stop: the call then fails with LUM_ERR_IO.
 */
typedef int (*lum_write_fn)(void *ctx, const char *data, size_t len);

/* State of a reader over bytes in memory (see lum_reader_memory). */
typedef struct lum_memory_source {
    const uint8_t *data;
    size_t len, pos;
} lum_memory_source;

/* Makes *r read len bytes at data (not copied: keep them valid), rewindable,
   with the given file name (may be NULL). Never fails. */
void lum_reader_memory(lum_reader *r, lum_memory_source *src, const void *data, size_t len,
                       const char *name);

/* ---------------------------------------------------------------- auth */

/*
 * post_jwt_auth: POST /auth/jwt with the form fields username, password and
 * role (NULL: "role_product"). Not needed in normal use: authenticated calls
 * obtain and renew the client's own token. A rejected login is
 * LUM_ERR_AUTH (with the server's 401 status in lum_client_error).
 */
int lum_post_jwt_auth(lum_client *c, const char *username, const char *password, const char *role,
                      const char *x_fields, lum_javascript_web_token *out);

/* ---------------------------------------------------------------- products */

/*
 * get_product: GET /products/{product_id}. The rsid lists snps_authorized
 * and snps_min_required go to on_rsid (may be NULL: only counted).
 */
int lum_get_product(lum_client *c, const char *product_id, const char *x_fields, lum_product *out,
                    lum_rsid_cb on_rsid, void *user);

/* Pass as seq_num_start to leave the parameter out. */
#define LUM_SEQ_NONE (-1)

/*
 * get_authorizations_queue: GET /products/{product_id}/authorizations
 * [?seq_num_start=N]. Each Authorization not yet processed (with
 * sequence_number >= seq_num_start) is decoded into *scratch and passed to
 * on_authorization, in the server's order.
 */
int lum_get_authorizations_queue(lum_client *c, const char *product_id, int64_t seq_num_start,
                                 const char *x_fields, lum_authorization *scratch,
                                 lum_authorization_cb on_authorization, void *user);

/* get_product_authorization: GET /products/{product_id}/authorizations/{authorization_id}. */
int lum_get_product_authorization(lum_client *c, const char *product_id, const char *authorization_id,
                                  const char *x_fields, lum_authorization *out);

/*
 * post_product_authorization: POST .../authorizations/{authorization_id}
 * with no body: processing is complete (201, empty response).
 */
int lum_post_product_authorization(lum_client *c, const char *product_id, const char *authorization_id);

/*
 * post_product_authorization_unfulfillable: POST .../{authorization_id}/unfulfillable.
 * out (may be NULL) receives the updated Authorization.
 */
int lum_post_product_authorization_unfulfillable(lum_client *c, const char *product_id,
                                                 const char *authorization_id, const char *x_fields,
                                                 lum_authorization *out);

/*
 * post_authorization_result_file: POST .../{authorization_id}/file
 * [?original_filename=NAME] with a multipart/form-data body whose part
 * "file_report" is read from file_report while it is sent (never held
 * whole in memory). out (may be NULL) receives the ReportFile.
 * Not retried automatically after the body was sent: if the connection
 * fails after that, the result may or may not have arrived; check with
 * lum_get_product_authorization before posting again.
 */
int lum_post_authorization_result_file(lum_client *c, const char *product_id,
                                       const char *authorization_id, const lum_reader *file_report,
                                       const char *original_filename, const char *x_fields,
                                       lum_report_file *out);

/*
 * post_authorization_result_credentials: POST .../{authorization_id}/credentials
 * with the urlencoded form fields credentials_username, credentials_password
 * and report_url (each optional: NULL leaves it out). out may be NULL.
 */
int lum_post_authorization_result_credentials(lum_client *c, const char *product_id,
                                              const char *authorization_id,
                                              const char *credentials_username,
                                              const char *credentials_password,
                                              const char *report_url, const char *x_fields,
                                              lum_report_credentials *out);

/* ---------------------------------------------------------------- client data */

/* get_client_snp: GET /clients/{client_id}/datasets/{dataset_id}/snps/{snp_id}. */
int lum_get_client_snp(lum_client *c, const char *client_id, const char *dataset_id,
                       const char *snp_id, const char *x_fields, lum_client_snp *out);

/*
 * get_client_snp_group: GET /clients/{client_id}/datasets/{dataset_id}/snps/:
 * every SNP of the dataset the product may read, streamed to on_snp.
 */
int lum_get_client_snp_group(lum_client *c, const char *client_id, const char *dataset_id,
                             const char *x_fields, lum_client_snp *scratch, lum_client_snp_cb on_snp,
                             void *user);

/*
 * post_client_snp_group: POST /clients/{client_id}/datasets/{dataset_id}/snps/
 * with the form field snps = the JSON list of the n_snps rsids in snps.
 * SNPs missing from the dataset are left out by the server.
 */
int lum_post_client_snp_group(lum_client *c, const char *client_id, const char *dataset_id,
                              const char *const *snps, size_t n_snps, const char *x_fields,
                              lum_client_snp *scratch, lum_client_snp_cb on_snp, void *user);

/*
 * get_client_gene: GET /clients/{client_id}/datasets/{dataset_id}/genes/{gene_symbol}.
 * The gene's SNPs (those of the dataset within its coordinates that the
 * product may read) are decoded into *scratch and passed to on_snp (may be
 * NULL: only counted in out->snps_count). A gene whose coordinates hold no SNP of the
 * dataset is LUM_ERR_NOT_FOUND.
 */
int lum_get_client_gene(lum_client *c, const char *client_id, const char *dataset_id,
                        const char *gene_symbol, const char *x_fields, lum_client_gene *out,
                        lum_client_snp *scratch, lum_client_snp_cb on_snp, void *user);

/* ---------------------------------------------------------------- reference data */

/*
 * get_gene: GET /reference/genes/databases/{database_name}/accessions/{accession}
 * [?dbsnp_build=N][&reference_genome=G]. dbsnp_build 0 and reference_genome
 * NULL leave the parameter out (the server then uses 149 and "GRCH37P13").
 * The gene's snp_ids go to on_snp_id with list LUM_LIST_SNP_IDS (may be
 * NULL: only counted in out->snp_ids_count).
 */
int lum_get_gene(lum_client *c, const char *database_name, const char *accession, int32_t dbsnp_build,
                 const char *reference_genome, const char *x_fields, lum_public_gene *out,
                 lum_rsid_cb on_snp_id, void *user);

/*
 * get_reference_snp: GET /reference/snps/{snp_accession}[?dbsnp_version=N]
 * [&grch_version=G]. dbsnp_version 0 and grch_version NULL leave the
 * parameter out (149 and "GRCH37P13").
 */
int lum_get_reference_snp(lum_client *c, const char *snp_accession, int32_t dbsnp_version,
                          const char *grch_version, const char *x_fields, lum_public_snp *out);

/* get_reference_genomes_group: GET /reference/genomes/: each genome build,
   decoded into *scratch and passed to on_genome. */
int lum_get_reference_genomes_group(lum_client *c, const char *x_fields, lum_reference_overview *scratch,
                                    lum_reference_overview_cb on_genome, void *user);

/* get_reference_genome: GET /reference/genomes/{genome_build_accession}/chromosomes:
   each chromosome of the build, decoded into *scratch and passed to on_chromosome. */
int lum_get_reference_genome(lum_client *c, const char *genome_build_accession, const char *x_fields,
                             lum_reference_overview *scratch, lum_reference_overview_cb on_chromosome,
                             void *user);

/*
 * get_reference_chromosome: GET /reference/genomes/{build}/chromosomes/{chromosome_accession}
 * ?range_start=A&range_stop=B: the bases A..B, 1-based, both ends included
 * (1..10 is 10 bases; the sandbox serves at most 1,000,000 per call).
 * The sequence never has to fit the working buffer: it goes to on_bases
 * (required) in pieces, unescaped, in order, as it arrives (each piece
 * points into the working buffer; a working buffer of any size works). An X-Fields mask that leaves `sequence` out makes no
 * call to on_bases and returns LUM_OK.
 */
int lum_get_reference_chromosome(lum_client *c, const char *genome_build_accession,
                                 const char *chromosome_accession, int64_t range_start,
                                 int64_t range_stop, const char *x_fields, lum_sequence_cb on_bases,
                                 void *user);

/*
 * The same into the caller's out[0..cap): NUL-terminated, *len (may be
 * NULL) = its length. A sequence of cap bytes or more is LUM_ERR_TOO_LONG
 * (out is then "" and the rest of the response is not read). A mask
 * without `sequence` gives "".
 */
int lum_get_reference_chromosome_into(lum_client *c, const char *genome_build_accession,
                                      const char *chromosome_accession, int64_t range_start,
                                      int64_t range_stop, const char *x_fields, char *out, size_t cap,
                                      size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_API_H */
