/*
 * lumminary/json.h - models back into JSON, for programs that forward what
 * they decoded (a CLI printing results, a gateway relaying them).
 *
 * The encoder walks the same tables the decoder uses, so a field added to a
 * model is encoded without further code. Output is compact (no spaces), keys
 * in struct order, and only fields whose `present` bit is set (see
 * models.h): a field the server left out, sent as null, or masked off stays
 * out. Strings are escaped per RFC 8259: '"' and '\' with a backslash,
 * control characters as \u00XX, valid UTF-8 passed through as is, and each
 * byte that is not part of valid UTF-8 replaced by \ufffd (the output is
 * always valid JSON). Bounded lists become arrays of the entries stored
 * (the first LUM_MAX_* of them when the count exceeds the capacity).
 * Streamed lists (Product's rsid lists, ClientGene.snps, PublicGene.snp_ids)
 * are left out: their elements went to a callback and only their count is
 * known; a program that wants them prints them from its callback.
 */
#ifndef LUMMINARY_JSON_H
#define LUMMINARY_JSON_H

#include "lumminary/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A model's table, opaque here; pass the one that matches the struct. */
struct lum_model;

extern const struct lum_model lum_model_client_snp;          /* lum_client_snp */
extern const struct lum_model lum_model_authorization;       /* lum_authorization */
extern const struct lum_model lum_model_product;             /* lum_product */
extern const struct lum_model lum_model_client_gene;         /* lum_client_gene */
extern const struct lum_model lum_model_public_snp;          /* lum_public_snp */
extern const struct lum_model lum_model_public_gene;         /* lum_public_gene */
extern const struct lum_model lum_model_report_file;         /* lum_report_file */
extern const struct lum_model lum_model_report_credentials;  /* lum_report_credentials */
extern const struct lum_model lum_model_reference_overview;  /* lum_reference_overview */
extern const struct lum_model lum_model_javascript_web_token; /* lum_javascript_web_token */

/*
 * Writes obj, a struct of model m, as one JSON object (no trailing newline)
 * to write, in pieces of at most 64 bytes as they are produced. obj is only
 * read. Uses no heap and a small, fixed stack (nesting is bounded by the
 * tables: three levels). Does not block, except inside write.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG (a NULL argument) or LUM_ERR_IO (write
 * returned non-zero; what was written before stays written).
 */
int lum_json_encode(const struct lum_model *m, const void *obj, lum_write_fn write, void *ctx);

/*
 * Parses s[0..len) (not NUL-terminated) as a JSON integer: an optional '-',
 * then 0 or digits without a leading zero; no '+', spaces, fraction or
 * exponent. The SDK decodes every integer field this way; programs use it
 * for their own settings and records too. Writes *out only on success.
 * Does not block. Returns LUM_OK, or LUM_ERR_JSON_TYPE (anything else, or a
 * value outside int64_t).
 */
int lum_parse_int64(const char *s, size_t len, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_JSON_H */
