/*
 * src/api/models.h - the decoding tables of the API's models (internal).
 * Each table lists its fields in struct order: row i is `present` bit i,
 * which the LUM_*_HAS_* constants of lumminary/models.h rely on.
 */
#ifndef LUM_SRC_API_MODELS_H
#define LUM_SRC_API_MODELS_H

#include "json/json.h"

extern const lum_model lum_model_javascript_web_token;
extern const lum_model lum_model_client_snp;
extern const lum_model lum_model_customer_name;
extern const lum_model lum_model_customer_address;
extern const lum_model lum_model_access_scope;
extern const lum_model lum_model_file_location;
extern const lum_model lum_model_report_file;
extern const lum_model lum_model_report_credentials;
extern const lum_model lum_model_authorization;
extern const lum_model lum_model_product;
extern const lum_model lum_model_molecular_location;
extern const lum_model lum_model_client_gene;
extern const lum_model lum_model_public_snp;
extern const lum_model lum_model_public_gene;
extern const lum_model lum_model_reference_overview;            /* "ReferenceGenomeOverview" */
extern const lum_model lum_model_reference_chromosome_overview; /* same fields */
extern const lum_model lum_model_reference_sequence;            /* for lum_json_decode_text */

/* ReferenceSequence's only struct: which of its fields were present. */
typedef struct lum_reference_sequence {
    uint32_t present;
} lum_reference_sequence;

#endif /* LUM_SRC_API_MODELS_H */
