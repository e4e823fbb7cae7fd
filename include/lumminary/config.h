/*
 * lumminary/config.h - compile-time sizes and switches, all overridable.
 *
 * To change a value, define it on the compiler command line or put the
 * definitions in a header of your own and build with
 * -DLUM_CONFIG_FILE='"my_lum_config.h"'. Every value below is a default that
 * applies only when it is not already defined.
 *
 * String capacities include the terminating NUL. A decoded value that does
 * not fit its capacity is reported as LUM_ERR_TOO_LONG, never truncated.
 */
#ifndef LUMMINARY_CONFIG_H
#define LUMMINARY_CONFIG_H

#ifdef LUM_CONFIG_FILE
#include LUM_CONFIG_FILE
#endif

/* ---- client and HTTP ---- */
#ifndef LUM_MAX_HOST
#define LUM_MAX_HOST 128 /* API host name or address literal */
#endif
#ifndef LUM_MAX_BASE_PATH
#define LUM_MAX_BASE_PATH 64 /* API base path, e.g. "/v1" */
#endif
#ifndef LUM_MAX_API_KEY
#define LUM_MAX_API_KEY 160 /* product API key */
#endif
#ifndef LUM_MAX_JWT
#define LUM_MAX_JWT 1024 /* access token returned by post_jwt_auth */
#endif
#ifndef LUM_MAX_MESSAGE
#define LUM_MAX_MESSAGE 160 /* server error message kept for the caller (cut, with "...") */
#endif
#ifndef LUM_MAX_HEADER_LINE
#define LUM_MAX_HEADER_LINE 1024 /* longest accepted response header line */
#endif
#ifndef LUM_MAX_HEADER_BYTES
#define LUM_MAX_HEADER_BYTES 8192 /* all response header lines together */
#endif
#ifndef LUM_DRAIN_MAX
#define LUM_DRAIN_MAX 65536 /* error bodies longer than this close the connection */
#endif

/* ---- JSON ---- */
#ifndef LUM_JSON_MAX_TOKENS
/* jsmn tokens held in the client (20 bytes each). The largest model at its
   default capacities, an Authorization with every scope granted and
   LUM_MAX_REPORT_FILES + LUM_MAX_REPORT_CREDENTIALS results, needs 115. */
#define LUM_JSON_MAX_TOKENS 128
#endif

/* ---- model field capacities ---- */
#ifndef LUM_MAX_ID
#define LUM_MAX_ID 48 /* UUIDs and other identifiers (36 chars for a UUID) */
#endif
#ifndef LUM_MAX_RSID
#define LUM_MAX_RSID 24 /* SNP ids: "rs" + digits, or vendor "i" ids */
#endif
#ifndef LUM_MAX_ACCESSION
#define LUM_MAX_ACCESSION 24 /* "NC_000019.9", "GCF_000001405.25" */
#endif
#ifndef LUM_MAX_ALLELE
#define LUM_MAX_ALLELE 8 /* one allele: "A", "I", "D" or a short sequence */
#endif
#ifndef LUM_MAX_ALLELES
#define LUM_MAX_ALLELES 2 /* alleles per genotype call (diploid) */
#endif
#ifndef LUM_MAX_GENOME
#define LUM_MAX_GENOME 24 /* reference_genome, e.g. "GRCh37", "NCBI36" */
#endif
#ifndef LUM_MAX_STATE
#define LUM_MAX_STATE 48 /* authorization state names */
#endif
#ifndef LUM_MAX_EMAIL
#define LUM_MAX_EMAIL 96
#endif
#ifndef LUM_MAX_NAME
#define LUM_MAX_NAME 64 /* person names, address lines, cities... */
#endif
#ifndef LUM_MAX_FILENAME
#define LUM_MAX_FILENAME 128
#endif
#ifndef LUM_MAX_URL
#define LUM_MAX_URL 192
#endif
/* The list capacities (LUM_MAX_ALLELES, LUM_MAX_REPORT_FILES,
   LUM_MAX_REPORT_CREDENTIALS, LUM_MAX_SCOPES, LUM_MAX_ALT_ALLELES) are at
   most 255: the model tables keep them in a byte, and the build stops on a
   larger one. */
#ifndef LUM_MAX_REPORT_FILES
#define LUM_MAX_REPORT_FILES 2 /* report_files kept per Authorization */
#endif
#ifndef LUM_MAX_REPORT_CREDENTIALS
#define LUM_MAX_REPORT_CREDENTIALS 2 /* report_credentials kept per Authorization */
#endif
#ifndef LUM_MAX_SCOPES
#define LUM_MAX_SCOPES 8 /* Product.authorized_scopes entries */
#endif
#ifndef LUM_MAX_SCOPE_NAME
#define LUM_MAX_SCOPE_NAME 16
#endif
#ifndef LUM_MAX_CHROMOSOME
#define LUM_MAX_CHROMOSOME 8 /* chromosome names: "1".."22", "X", "Y", "MT" */
#endif
#ifndef LUM_MAX_REF_ALLELE
#define LUM_MAX_REF_ALLELE 32 /* PublicSNP alleles (dbSNP's can be short sequences) */
#endif
#ifndef LUM_MAX_ALT_ALLELES
#define LUM_MAX_ALT_ALLELES 4 /* PublicSNP.alternative_alleles kept (3 bases + an indel) */
#endif

/* ---- diagnostics ---- */
#ifndef LUM_ASSERT_ENABLED
#define LUM_ASSERT_ENABLED 0 /* 1: LUM_ASSERT traps on a broken invariant */
#endif

#endif /* LUMMINARY_CONFIG_H */
