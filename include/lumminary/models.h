/*
 * lumminary/models.h - the API's models as plain C structs.
 *
 * Decoders fill these from JSON (see lumminary/api.h). Rules common to all:
 *  - Every struct starts with `present`, a bit set of the fields the server
 *    sent (bit i = the i-th field as listed in the struct, see the
 *    LUM_<MODEL>_HAS_* constants). Absent fields and JSON null are not set
 *    and read as zero / "". Required fields are always present after a
 *    successful decode, unless the call sent an X-Fields mask (a mask may
 *    legitimately leave out required fields; then only `present` tells).
 *  - Strings are NUL-terminated UTF-8, unescaped. A string longer than its
 *    capacity fails the call with LUM_ERR_TOO_LONG; nothing is cut.
 *  - Bounded lists keep a count of all entries the server sent and store the
 *    first ones that fit (`*_count` can exceed the capacity: check it).
 *    Genotype alleles are the exception: more than LUM_MAX_ALLELES fails with
 *    LUM_ERR_TOO_LONG, since a cut genotype would be a wrong genotype.
 *  - Long lists (SNPs, rsid lists, the queue) are not stored at all: they
 *    are delivered element by element to a callback, and only counted here.
 */
#ifndef LUMMINARY_MODELS_H
#define LUMMINARY_MODELS_H

#include <stdbool.h>
#include <stdint.h>

#include "lumminary/config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LUM_BIT(n) (1u << (n))

/* JavascriptWebToken: the answer of post_jwt_auth. */
typedef struct lum_javascript_web_token {
    uint32_t present;
    char access_token[LUM_MAX_JWT]; /* required */
} lum_javascript_web_token;

/* ClientSNP: one genotype call of a customer's dataset. */
typedef struct lum_client_snp {
    uint32_t present;
    char snp_id[LUM_MAX_RSID];                    /* required: "rs429358" or a vendor "i..." id */
    char chromosome_accession[LUM_MAX_ACCESSION]; /* required: "NC_000019.9" */
    int64_t location;                             /* required: position on that chromosome */
    uint32_t genotyped_alleles_count;             /* required: 2 diploid, 1 haploid, 0 no-call */
    char genotyped_alleles[LUM_MAX_ALLELES][LUM_MAX_ALLELE];
    bool phased;                                  /* required */
    char reference_genome[LUM_MAX_GENOME];        /* required: "GRCh37", "NCBI36"... */
} lum_client_snp;
enum {
    LUM_CLIENT_SNP_HAS_SNP_ID = LUM_BIT(0),
    LUM_CLIENT_SNP_HAS_CHROMOSOME_ACCESSION = LUM_BIT(1),
    LUM_CLIENT_SNP_HAS_LOCATION = LUM_BIT(2),
    LUM_CLIENT_SNP_HAS_GENOTYPED_ALLELES = LUM_BIT(3),
    LUM_CLIENT_SNP_HAS_PHASED = LUM_BIT(4),
    LUM_CLIENT_SNP_HAS_REFERENCE_GENOME = LUM_BIT(5)
};

/* CustomerName (scope "name"). */
typedef struct lum_customer_name {
    uint32_t present;
    char first_name[LUM_MAX_NAME]; /* required */
    char last_name[LUM_MAX_NAME];  /* required */
} lum_customer_name;

/* CustomerAddress (scope "address"). */
typedef struct lum_customer_address {
    uint32_t present;
    char address1[LUM_MAX_NAME]; /* required */
    char address2[LUM_MAX_NAME];
    char city[LUM_MAX_NAME];     /* required */
    char country[LUM_MAX_NAME];  /* required */
    char phone[LUM_MAX_NAME];    /* required */
    char state[LUM_MAX_NAME];
    char zipcode[LUM_MAX_NAME];  /* required */
} lum_customer_address;
enum { LUM_CUSTOMER_ADDRESS_HAS_ADDRESS2 = LUM_BIT(1), LUM_CUSTOMER_ADDRESS_HAS_STATE = LUM_BIT(5) };

/* AccessScope: what the customer granted; each member present only if granted. */
typedef struct lum_access_scope {
    uint32_t present;
    char dataset[LUM_MAX_ID];    /* the dataset UUID the product may read */
    char email[LUM_MAX_EMAIL];
    char login[LUM_MAX_ID];      /* the customer UUID only */
    lum_customer_name name;
    lum_customer_address address;
    char sex[16];                /* later API versions */
} lum_access_scope;
enum {
    LUM_SCOPE_HAS_DATASET = LUM_BIT(0),
    LUM_SCOPE_HAS_EMAIL = LUM_BIT(1),
    LUM_SCOPE_HAS_LOGIN = LUM_BIT(2),
    LUM_SCOPE_HAS_NAME = LUM_BIT(3),
    LUM_SCOPE_HAS_ADDRESS = LUM_BIT(4),
    LUM_SCOPE_HAS_SEX = LUM_BIT(5)
};

/* FileLocation of a ReportFile. */
typedef struct lum_file_location {
    uint32_t present;
    char filename_original[LUM_MAX_FILENAME]; /* required */
    char host[LUM_MAX_HOST];                  /* required */
    char path[LUM_MAX_URL];                   /* required */
} lum_file_location;

/* ReportFile: a file result (post_authorization_result_file). */
typedef struct lum_report_file {
    uint32_t present;
    char report_file_uuid[LUM_MAX_ID];   /* required */
    char authorization_uuid[LUM_MAX_ID]; /* required */
    int64_t create_timestamp;            /* required, unix seconds */
    lum_file_location file_location;     /* required */
} lum_report_file;

/* ReportCredentials: a website-credentials result. */
typedef struct lum_report_credentials {
    uint32_t present;
    char report_credentials_uuid[LUM_MAX_ID]; /* required */
    char authorization_uuid[LUM_MAX_ID];      /* required */
    int64_t create_timestamp;                 /* required */
    char client_username[LUM_MAX_NAME];
    char client_password[LUM_MAX_NAME];
    char report_url[LUM_MAX_URL];
} lum_report_credentials;
enum {
    LUM_REPORT_CREDENTIALS_HAS_CLIENT_USERNAME = LUM_BIT(3),
    LUM_REPORT_CREDENTIALS_HAS_CLIENT_PASSWORD = LUM_BIT(4),
    LUM_REPORT_CREDENTIALS_HAS_REPORT_URL = LUM_BIT(5)
};

/* Authorization states (the `state` field). */
#define LUM_STATE_PENDING_DATASET "authorization_state_pending_dataset"
#define LUM_STATE_FULFILLABLE "authorization_state_fulfillable"
#define LUM_STATE_RESULT_AVAILABLE "authorization_state_result_available"
#define LUM_STATE_NOT_FULFILLABLE "authorization_state_not_fulfillable"

/* Authorization: a customer's grant to a product; the queue's element. */
typedef struct lum_authorization {
    uint32_t present;
    char authorization_uuid[LUM_MAX_ID]; /* required */
    char client_uuid[LUM_MAX_ID];        /* required */
    char product_uuid[LUM_MAX_ID];       /* required */
    int64_t create_timestamp;            /* required, unix seconds */
    bool is_active;                      /* required: false = revoked */
    lum_access_scope scopes;             /* required */
    char state[LUM_MAX_STATE];           /* required: one of LUM_STATE_* */
    int64_t sequence_number;
    char order[LUM_MAX_ID];
    uint32_t report_files_count;
    lum_report_file report_files[LUM_MAX_REPORT_FILES];
    uint32_t report_credentials_count;
    lum_report_credentials report_credentials[LUM_MAX_REPORT_CREDENTIALS];
} lum_authorization;
enum {
    LUM_AUTHORIZATION_HAS_SEQUENCE_NUMBER = LUM_BIT(7),
    LUM_AUTHORIZATION_HAS_ORDER = LUM_BIT(8),
    LUM_AUTHORIZATION_HAS_REPORT_FILES = LUM_BIT(9),
    LUM_AUTHORIZATION_HAS_REPORT_CREDENTIALS = LUM_BIT(10)
};

/* Product. Its rsid lists are streamed (lum_rsid_cb) and counted here. */
typedef struct lum_product {
    uint32_t present;
    char product_uuid[LUM_MAX_ID];                               /* required */
    uint32_t authorized_scopes_count;                            /* required */
    char authorized_scopes[LUM_MAX_SCOPES][LUM_MAX_SCOPE_NAME];
    uint32_t snps_authorized_count;                              /* required (streamed) */
    bool snps_authorized_any;                                    /* required */
    uint32_t snps_min_required_count;                            /* required (streamed) */
    bool snps_min_required_any;                                  /* required */
    char email[LUM_MAX_EMAIL];
    char redirect_uri[LUM_MAX_URL];
} lum_product;
enum { LUM_PRODUCT_HAS_EMAIL = LUM_BIT(6), LUM_PRODUCT_HAS_REDIRECT_URI = LUM_BIT(7) };

/* Which list an rsid passed to a lum_rsid_cb belongs to (the list's row in
   its model: Product's two lists, PublicGene.snp_ids). */
enum { LUM_LIST_SNPS_AUTHORIZED = 2, LUM_LIST_SNPS_MIN_REQUIRED = 4, LUM_LIST_SNP_IDS = 5 };

/* MolecularLocation of a ClientGene. */
typedef struct lum_molecular_location {
    uint32_t present;
    char chromosome_accession[LUM_MAX_ACCESSION]; /* required */
    int64_t start;                                /* required */
    int64_t stop;                                 /* required */
} lum_molecular_location;

/* ClientGene. Its SNPs are streamed (lum_client_snp_cb) and counted here. */
typedef struct lum_client_gene {
    uint32_t present;
    char symbol[LUM_MAX_RSID];                 /* required */
    lum_molecular_location molecular_location; /* required */
    uint32_t snps_count;
} lum_client_gene;
enum { LUM_CLIENT_GENE_HAS_SNPS = LUM_BIT(2) };

/* PublicSNP: a reference SNP (get_reference_snp). */
typedef struct lum_public_snp {
    uint32_t present;
    char snp_id[LUM_MAX_RSID];                     /* required */
    char chromosome[LUM_MAX_CHROMOSOME];           /* required: "19", "X", "MT" */
    char chromosome_accession[LUM_MAX_ACCESSION];  /* required: "NC_000019.9" */
    int64_t location;                              /* required */
    char reference_allele[LUM_MAX_REF_ALLELE];     /* required */
    uint32_t alternative_alleles_count;            /* may exceed LUM_MAX_ALT_ALLELES: check */
    char alternative_alleles[LUM_MAX_ALT_ALLELES][LUM_MAX_REF_ALLELE];
    char reference_genome[LUM_MAX_GENOME];         /* required: "GRCh37.p13" */
    int64_t dbsnp_version;                         /* required: 149 */
} lum_public_snp;
enum { LUM_PUBLIC_SNP_HAS_ALTERNATIVE_ALLELES = LUM_BIT(5) };

/* PublicGene (get_gene). Its snp_ids are streamed (lum_rsid_cb, list
   LUM_LIST_SNP_IDS) and counted here. */
typedef struct lum_public_gene {
    uint32_t present;
    char symbol[LUM_MAX_RSID];                 /* required: "APOE" */
    char chromosome[LUM_MAX_CHROMOSOME];       /* required */
    char parent_accession[LUM_MAX_ACCESSION];  /* required: the chromosome's accession */
    int64_t molecular_start_position;          /* required */
    int64_t molecular_end_position;            /* required */
    uint32_t snp_ids_count;                    /* required (streamed) */
} lum_public_gene;

/* ReferenceGenomeOverview and ReferenceChromosomeOverview (the same shape):
   one genome build, or one chromosome of a build. */
typedef struct lum_reference_overview {
    uint32_t present;
    char reference_accession[LUM_MAX_ACCESSION]; /* required: "GCF_000001405.25", "NC_000001.10" */
} lum_reference_overview;

/* ReferenceSequence has no struct: its `sequence` can be millions of bases
   and is streamed (lum_get_reference_chromosome). */

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_MODELS_H */
