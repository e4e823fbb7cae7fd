/*
 * The API's models as decoding tables: one row per JSON field, in the order
 * of the struct members (row i sets `present` bit i).
 */
#include "api/models.h"

#include <stddef.h>

#include "lumminary/models.h"

#define REQ LUM_FF_REQUIRED
#define OPT 0

static const lum_field jwt_fields[] = {
    LUM_F_STR(lum_javascript_web_token, access_token, REQ),
};
const lum_model lum_model_javascript_web_token =
    LUM_MODEL(lum_javascript_web_token, "JavascriptWebToken", jwt_fields);

static const lum_field client_snp_fields[] = {
    LUM_F_STR(lum_client_snp, snp_id, REQ),
    LUM_F_STR(lum_client_snp, chromosome_accession, REQ),
    LUM_F_INT(lum_client_snp, location, REQ),
    /* A genotype with more alleles than we can hold must not be cut. */
    LUM_F_STRS(lum_client_snp, genotyped_alleles, REQ | LUM_FF_STRICT_COUNT),
    LUM_F_BOOL(lum_client_snp, phased, REQ),
    LUM_F_STR(lum_client_snp, reference_genome, REQ),
};
const lum_model lum_model_client_snp = LUM_MODEL(lum_client_snp, "ClientSNP", client_snp_fields);

static const lum_field customer_name_fields[] = {
    LUM_F_STR(lum_customer_name, first_name, REQ),
    LUM_F_STR(lum_customer_name, last_name, REQ),
};
const lum_model lum_model_customer_name =
    LUM_MODEL(lum_customer_name, "CustomerName", customer_name_fields);

static const lum_field customer_address_fields[] = {
    LUM_F_STR(lum_customer_address, address1, REQ),
    LUM_F_STR(lum_customer_address, address2, OPT),
    LUM_F_STR(lum_customer_address, city, REQ),
    LUM_F_STR(lum_customer_address, country, REQ),
    LUM_F_STR(lum_customer_address, phone, REQ),
    LUM_F_STR(lum_customer_address, state, OPT),
    LUM_F_STR(lum_customer_address, zipcode, REQ),
};
const lum_model lum_model_customer_address =
    LUM_MODEL(lum_customer_address, "CustomerAddress", customer_address_fields);

static const lum_field access_scope_fields[] = {
    LUM_F_STR(lum_access_scope, dataset, OPT),
    LUM_F_STR(lum_access_scope, email, OPT),
    LUM_F_STR(lum_access_scope, login, OPT),
    LUM_F_OBJ(lum_access_scope, name, OPT, lum_model_customer_name),
    LUM_F_OBJ(lum_access_scope, address, OPT, lum_model_customer_address),
    LUM_F_STR(lum_access_scope, sex, OPT),
};
const lum_model lum_model_access_scope = LUM_MODEL(lum_access_scope, "AccessScope", access_scope_fields);

static const lum_field file_location_fields[] = {
    LUM_F_STR(lum_file_location, filename_original, REQ),
    LUM_F_STR(lum_file_location, host, REQ),
    LUM_F_STR(lum_file_location, path, REQ),
};
const lum_model lum_model_file_location =
    LUM_MODEL(lum_file_location, "FileLocation", file_location_fields);

static const lum_field report_file_fields[] = {
    LUM_F_STR(lum_report_file, report_file_uuid, REQ),
    LUM_F_STR(lum_report_file, authorization_uuid, REQ),
    LUM_F_INT(lum_report_file, create_timestamp, REQ),
    LUM_F_OBJ(lum_report_file, file_location, REQ, lum_model_file_location),
};
const lum_model lum_model_report_file = LUM_MODEL(lum_report_file, "ReportFile", report_file_fields);

static const lum_field report_credentials_fields[] = {
    LUM_F_STR(lum_report_credentials, report_credentials_uuid, REQ),
    LUM_F_STR(lum_report_credentials, authorization_uuid, REQ),
    LUM_F_INT(lum_report_credentials, create_timestamp, REQ),
    LUM_F_STR(lum_report_credentials, client_username, OPT),
    LUM_F_STR(lum_report_credentials, client_password, OPT),
    LUM_F_STR(lum_report_credentials, report_url, OPT),
};
const lum_model lum_model_report_credentials =
    LUM_MODEL(lum_report_credentials, "ReportCredentials", report_credentials_fields);

static const lum_field authorization_fields[] = {
    LUM_F_STR(lum_authorization, authorization_uuid, REQ),
    LUM_F_STR(lum_authorization, client_uuid, REQ),
    LUM_F_STR(lum_authorization, product_uuid, REQ),
    LUM_F_INT(lum_authorization, create_timestamp, REQ),
    LUM_F_BOOL(lum_authorization, is_active, REQ),
    LUM_F_OBJ(lum_authorization, scopes, REQ, lum_model_access_scope),
    LUM_F_STR(lum_authorization, state, REQ),
    LUM_F_INT(lum_authorization, sequence_number, OPT),
    LUM_F_STR(lum_authorization, order, OPT),
    LUM_F_OBJS(lum_authorization, report_files, OPT, lum_model_report_file),
    LUM_F_OBJS(lum_authorization, report_credentials, OPT, lum_model_report_credentials),
};
const lum_model lum_model_authorization =
    LUM_MODEL(lum_authorization, "Authorization", authorization_fields);

static const lum_field product_fields[] = {
    LUM_F_STR(lum_product, product_uuid, REQ),
    LUM_F_STRS(lum_product, authorized_scopes, REQ),
    LUM_F_STREAM(lum_product, snps_authorized, REQ, NULL),
    LUM_F_BOOL(lum_product, snps_authorized_any, REQ),
    LUM_F_STREAM(lum_product, snps_min_required, REQ, NULL),
    LUM_F_BOOL(lum_product, snps_min_required_any, REQ),
    LUM_F_STR(lum_product, email, OPT),
    LUM_F_STR(lum_product, redirect_uri, OPT),
};
const lum_model lum_model_product = LUM_MODEL(lum_product, "Product", product_fields);

static const lum_field molecular_location_fields[] = {
    LUM_F_STR(lum_molecular_location, chromosome_accession, REQ),
    LUM_F_INT(lum_molecular_location, start, REQ),
    LUM_F_INT(lum_molecular_location, stop, REQ),
};
const lum_model lum_model_molecular_location =
    LUM_MODEL(lum_molecular_location, "MolecularLocation", molecular_location_fields);

static const lum_field client_gene_fields[] = {
    LUM_F_STR(lum_client_gene, symbol, REQ),
    LUM_F_OBJ(lum_client_gene, molecular_location, REQ, lum_model_molecular_location),
    LUM_F_STREAM(lum_client_gene, snps, OPT, &lum_model_client_snp),
};
const lum_model lum_model_client_gene = LUM_MODEL(lum_client_gene, "ClientGene", client_gene_fields);

static const lum_field public_snp_fields[] = {
    LUM_F_STR(lum_public_snp, snp_id, REQ),
    LUM_F_STR(lum_public_snp, chromosome, REQ),
    LUM_F_STR(lum_public_snp, chromosome_accession, REQ),
    LUM_F_INT(lum_public_snp, location, REQ),
    LUM_F_STR(lum_public_snp, reference_allele, REQ),
    LUM_F_STRS(lum_public_snp, alternative_alleles, OPT),
    LUM_F_STR(lum_public_snp, reference_genome, REQ),
    LUM_F_INT(lum_public_snp, dbsnp_version, REQ),
};
const lum_model lum_model_public_snp = LUM_MODEL(lum_public_snp, "PublicSNP", public_snp_fields);

static const lum_field public_gene_fields[] = {
    LUM_F_STR(lum_public_gene, symbol, REQ),
    LUM_F_STR(lum_public_gene, chromosome, REQ),
    LUM_F_STR(lum_public_gene, parent_accession, REQ),
    LUM_F_INT(lum_public_gene, molecular_start_position, REQ),
    LUM_F_INT(lum_public_gene, molecular_end_position, REQ),
    LUM_F_STREAM(lum_public_gene, snp_ids, REQ, NULL), /* row LUM_LIST_SNP_IDS */
};
const lum_model lum_model_public_gene = LUM_MODEL(lum_public_gene, "PublicGene", public_gene_fields);

/* The two overview models have the same single field; only their names
   (in error reports) differ. */
static const lum_field reference_overview_fields[] = {
    LUM_F_STR(lum_reference_overview, reference_accession, REQ),
};
const lum_model lum_model_reference_overview =
    LUM_MODEL(lum_reference_overview, "ReferenceGenomeOverview", reference_overview_fields);
const lum_model lum_model_reference_chromosome_overview =
    LUM_MODEL(lum_reference_overview, "ReferenceChromosomeOverview", reference_overview_fields);

/* Decoded by lum_json_decode_text, never into a struct of its own. */
static const lum_field reference_sequence_fields[] = {
    LUM_ROW("sequence", LUM_FT_TEXT, REQ, 0, 0, NULL),
};
const lum_model lum_model_reference_sequence =
    LUM_MODEL(lum_reference_sequence, "ReferenceSequence", reference_sequence_fields);

