/*
 * JSON decoding: every model from full and minimal examples to exact field
 * values, escapes, required/typed/bounded fields, streamed lists, the limits
 * (buffer, tokens, capacities) and malformed documents.
 *
 * Most tests call lum_json_decode directly and feed the same document in
 * several ways (all at once, one byte per fill, random pieces from seeded
 * PRNGs); every way must give the same result. A few go through the client.
 */
#include <stdlib.h>
#include <string.h>

#include "api/models.h"
#include "json/json.h"
#include "support/fixture.h"
#include "testlib.h"

/* ---------------------------------------------------------------- harness */

static struct lum_json_tok toks[LUM_JSON_MAX_TOKENS];
static uint8_t jbuf[16384];
static lum_error_info jerr;
static int last_fills;

#define NWAYS 8

/* way 0: the whole document already in the buffer (as far as it fits);
   way 1: one byte per fill; ways 2..: random pieces, seeded by the way. */
static int decode_way(const lum_json_target *t, const char *json, size_t len, size_t cap, int way)
{
    fx_feed f;
    size_t have = 0;
    int rc;
    memset(&f, 0, sizeof f);
    f.data = (const uint8_t *)json;
    f.len = len;
    f.rng.s = 0x1234567u + (uint32_t)way * 7919u;
    if (way == 0) {
        have = len < cap ? len : cap;
        memcpy(jbuf, json, have);
        f.pos = have;
        f.piece = cap;
    } else if (way == 1) {
        f.piece = 1;
    }
    memset(&jerr, 0xff, sizeof jerr); /* must be set, not left over */
    jerr.model = jerr.field = NULL;
    rc = lum_json_decode(t, jbuf, cap, have, fx_fill, &f, toks, LUM_JSON_MAX_TOKENS, &jerr);
    last_fills = f.fills;
    if (rc == LUM_OK && f.pos != f.len) return 9999; /* success must consume the body */
    return rc;
}

/* Streamed elements seen by the callbacks, reset before every way. */
static struct collected {
    int n;
    int lists[8];
    char rsids[1024];
    uint64_t hash;
    lum_client_snp snps[8];
    lum_authorization *authz;
    int stop_at; /* return non-zero at this element (1-based); 0: never */
} col;

static int on_element(void *user, int list, void *elem)
{
    (void)user;
    (void)elem;
    col.n++;
    col.lists[list < 0 ? 7 : list]++;
    return col.stop_at != 0 && col.n >= col.stop_at;
}

static int on_rsid(void *user, int list, void *elem)
{
    size_t used = strlen(col.rsids);
    snprintf(col.rsids + used, sizeof col.rsids - used, "%d:%s,", list, (const char *)elem);
    return on_element(user, list, elem);
}

static int on_snp(void *user, int list, void *elem)
{
    if (col.n < 8) col.snps[col.n] = *(const lum_client_snp *)elem;
    return on_element(user, list, elem);
}

/* Runs every way; all must agree on the code. Leaves `rcvar` = that code. */
#define DECODE(rcvar, t, json, cap)                                                           \
    do {                                                                                      \
        int w_;                                                                               \
        int stop_ = col.stop_at;                                                              \
        for (w_ = 0; w_ < NWAYS; w_++) {                                                      \
            int r_;                                                                           \
            memset(&col, 0, sizeof col);                                                      \
            col.stop_at = stop_;                                                              \
            r_ = decode_way(&(t), (json), strlen(json), (cap), w_);                           \
            if (w_ == 0) rcvar = r_;                                                          \
            else if (r_ != rcvar)                                                             \
                TL_FAIL("%s:%d: way %d gave %d (%s), way 0 gave %d (%s)", __FILE__, __LINE__, \
                        w_, r_, lum_strerror(r_), rcvar, lum_strerror(rcvar));               \
        }                                                                                     \
    } while (0)

#define CHECK_ERR_FIELD(model_name, field_name) \
    do {                                        \
        CHECK_STR_EQ(jerr.model, model_name);   \
        CHECK_STR_EQ(jerr.field, field_name);   \
    } while (0)

static lum_json_target object_target(const lum_model *m, void *out)
{
    lum_json_target t;
    memset(&t, 0, sizeof t);
    t.model = m;
    t.out = out;
    return t;
}

static lum_json_target list_target(const lum_model *m, void *scratch, size_t size)
{
    lum_json_target t;
    memset(&t, 0, sizeof t);
    t.elem_model = m;
    t.elem = scratch;
    t.elem_size = size;
    t.on_element = on_snp;
    return t;
}

/* ---------------------------------------------------------------- documents */

#define UUID_A "8f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
#define UUID_C "c0ffee00-1111-4222-8333-944455556666"
#define UUID_P "9a9a9a9a-7777-4888-9999-aaaabbbbcccc"
#define UUID_D "d5d5d5d5-1234-4567-89ab-cdef01234567"

static const char snp_full[] =
    "{\"snp_id\": \"rs429358\", \"chromosome_accession\": \"NC_000019.9\", \"location\": 45411941, "
    "\"genotyped_alleles\": [\"C\", \"T\"], \"phased\": false, \"reference_genome\": \"GRCh37\"}";

static const char report_file_json[] =
    "{\"report_file_uuid\": \"f0000000-0000-4000-8000-000000000001\", \"authorization_uuid\": \"" UUID_A "\", "
    "\"create_timestamp\": 1546300900, \"file_location\": {\"filename_original\": \"report 1.pdf\", "
    "\"host\": \"files.lumminary.com\", \"path\": \"/reports/f1/report%201.pdf\"}}";

static const char report_credentials_json[] =
    "{\"report_credentials_uuid\": \"c7000000-0000-4000-8000-000000000001\", \"authorization_uuid\": \"" UUID_A "\", "
    "\"create_timestamp\": 1546301000, \"client_username\": \"jane\", \"client_password\": \"p\\\"w\\\\d\", "
    "\"report_url\": \"https://reports.example/jane?x=1&y=2\"}";

static const char authorization_full[] =
    "{\"authorization_uuid\": \"" UUID_A "\", \"client_uuid\": \"" UUID_C "\", "
    "\"product_uuid\": \"" UUID_P "\", \"create_timestamp\": 1546300800, \"is_active\": true, "
    "\"scopes\": {\"dataset\": \"" UUID_D "\", \"email\": \"jane@example.org\", \"login\": \"" UUID_C "\", "
    "\"name\": {\"first_name\": \"Jane\", \"last_name\": \"O'Neil\"}, "
    "\"address\": {\"address1\": \"1 Main St\", \"address2\": \"Apt 2\", \"city\": \"Springfield\", "
    "\"country\": \"US\", \"phone\": \"+1 555 0100\", \"state\": \"IL\", \"zipcode\": \"62701\"}, \"sex\": \"F\"}, "
    "\"state\": \"authorization_state_result_available\", \"sequence_number\": 42, "
    "\"order\": \"0de70000-0000-4000-8000-000000000009\", "
    "\"report_files\": [{\"report_file_uuid\": \"f1\", \"authorization_uuid\": \"" UUID_A "\", \"create_timestamp\": 7, "
    "\"file_location\": {\"filename_original\": \"a.tsv\", \"host\": \"h\", \"path\": \"/a\"}}], "
    "\"report_credentials\": [{\"report_credentials_uuid\": \"rc1\", \"authorization_uuid\": \"" UUID_A "\", "
    "\"create_timestamp\": 8, \"report_url\": \"https://r.example\"}]}";

static const char authorization_minimal[] =
    "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
    "\"create_timestamp\": -5, \"is_active\": false, \"scopes\": {}, \"state\": \"authorization_state_pending_dataset\"}";

static const char product_full[] =
    "{\"product_uuid\": \"" UUID_P "\", \"authorized_scopes\": [\"dataset\", \"email\", \"name\"], "
    "\"snps_authorized\": [\"rs429358\", \"rs7412\", \"i3003137\"], \"snps_authorized_any\": false, "
    "\"snps_min_required\": [\"rs429358\"], \"snps_min_required_any\": true, "
    "\"email\": \"product@example.org\", \"redirect_uri\": \"https://p.example/cb\"}";

/* ---------------------------------------------------------------- models, full and minimal */

static void jwt_full(void)
{
    lum_javascript_web_token out;
    lum_json_target t = object_target(&lum_model_javascript_web_token, &out);
    int rc = 0;
    DECODE(rc, t, "{\"access_token\": \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwIn0.c2ln\", \"expires\": 30}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_STR_EQ(out.access_token, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwIn0.c2ln");
    CHECK_INT_EQ(out.present, 1);
}

static void client_snp_full(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    int rc = 0;
    DECODE(rc, t, snp_full, 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 0x3f);
    CHECK_STR_EQ(out.snp_id, "rs429358");
    CHECK_STR_EQ(out.chromosome_accession, "NC_000019.9");
    CHECK_INT_EQ(out.location, 45411941);
    CHECK_INT_EQ(out.genotyped_alleles_count, 2);
    CHECK_STR_EQ(out.genotyped_alleles[0], "C");
    CHECK_STR_EQ(out.genotyped_alleles[1], "T");
    CHECK_INT_EQ(out.phased, 0);
    CHECK_STR_EQ(out.reference_genome, "GRCh37");
}

static void client_snp_haploid_and_no_call(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    int rc = 0;
    DECODE(rc, t,
           "{\"snp_id\": \"i3003137\", \"chromosome_accession\": \"NC_012920.1\", \"location\": 73, "
           "\"genotyped_alleles\": [\"G\"], \"phased\": true, \"reference_genome\": \"GRCh37\"}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.genotyped_alleles_count, 1);
    CHECK_STR_EQ(out.genotyped_alleles[0], "G");
    CHECK_STR_EQ(out.genotyped_alleles[1], "");
    CHECK_INT_EQ(out.phased, 1);
    DECODE(rc, t,
           "{\"snp_id\": \"rs1\", \"chromosome_accession\": \"NC_000001.10\", \"location\": 0, "
           "\"genotyped_alleles\": [], \"phased\": false, \"reference_genome\": \"NCBI36\"}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.genotyped_alleles_count, 0);
    CHECK_INT_EQ(out.present, 0x3f); /* an empty list is present */
    CHECK_INT_EQ(out.location, 0);
}

static void authorization_full_decodes_every_field(void)
{
    static lum_authorization out;
    lum_json_target t = object_target(&lum_model_authorization, &out);
    int rc = 0;
    DECODE(rc, t, authorization_full, 4096);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 0x7ff);
    CHECK_STR_EQ(out.authorization_uuid, UUID_A);
    CHECK_STR_EQ(out.client_uuid, UUID_C);
    CHECK_STR_EQ(out.product_uuid, UUID_P);
    CHECK_INT_EQ(out.create_timestamp, 1546300800);
    CHECK_INT_EQ(out.is_active, 1);
    CHECK_INT_EQ(out.scopes.present, 0x3f);
    CHECK_STR_EQ(out.scopes.dataset, UUID_D);
    CHECK_STR_EQ(out.scopes.email, "jane@example.org");
    CHECK_STR_EQ(out.scopes.login, UUID_C);
    CHECK_INT_EQ(out.scopes.name.present, 3);
    CHECK_STR_EQ(out.scopes.name.first_name, "Jane");
    CHECK_STR_EQ(out.scopes.name.last_name, "O'Neil");
    CHECK_INT_EQ(out.scopes.address.present, 0x7f);
    CHECK_STR_EQ(out.scopes.address.address1, "1 Main St");
    CHECK_STR_EQ(out.scopes.address.address2, "Apt 2");
    CHECK_STR_EQ(out.scopes.address.city, "Springfield");
    CHECK_STR_EQ(out.scopes.address.country, "US");
    CHECK_STR_EQ(out.scopes.address.phone, "+1 555 0100");
    CHECK_STR_EQ(out.scopes.address.state, "IL");
    CHECK_STR_EQ(out.scopes.address.zipcode, "62701");
    CHECK_STR_EQ(out.scopes.sex, "F");
    CHECK_STR_EQ(out.state, LUM_STATE_RESULT_AVAILABLE);
    CHECK_INT_EQ(out.sequence_number, 42);
    CHECK_STR_EQ(out.order, "0de70000-0000-4000-8000-000000000009");
    CHECK_INT_EQ(out.report_files_count, 1);
    CHECK_INT_EQ(out.report_files[0].present, 0xf);
    CHECK_STR_EQ(out.report_files[0].report_file_uuid, "f1");
    CHECK_STR_EQ(out.report_files[0].authorization_uuid, UUID_A);
    CHECK_INT_EQ(out.report_files[0].create_timestamp, 7);
    CHECK_INT_EQ(out.report_files[0].file_location.present, 7);
    CHECK_STR_EQ(out.report_files[0].file_location.filename_original, "a.tsv");
    CHECK_STR_EQ(out.report_files[0].file_location.host, "h");
    CHECK_STR_EQ(out.report_files[0].file_location.path, "/a");
    CHECK_INT_EQ(out.report_credentials_count, 1);
    CHECK_INT_EQ(out.report_credentials[0].present, 0x27);
    CHECK_STR_EQ(out.report_credentials[0].report_credentials_uuid, "rc1");
    CHECK_INT_EQ(out.report_credentials[0].create_timestamp, 8);
    CHECK_STR_EQ(out.report_credentials[0].client_username, "");
    CHECK_STR_EQ(out.report_credentials[0].report_url, "https://r.example");
}

/*
 * The shape lum_get_product_authorization returns after results were posted
 * (what the docs tell a caller to check before posting again): every scope
 * granted and both lists at their capacities. It must fit the token array.
 */
static void authorization_at_full_capacity_fits_the_tokens(void)
{
    static lum_authorization out;
    static char json[8192];
    lum_json_target t = object_target(&lum_model_authorization, &out);
    const char *scopes = strstr(authorization_full, "\"scopes\"");
    const char *state = strstr(authorization_full, "}, \"state\": \"authorization") + 1;
    char rf[700], rc_json[700];
    int rc = 0, i;
    size_t o;
    snprintf(rf, sizeof rf, "%s", report_file_json);
    snprintf(rc_json, sizeof rc_json, "%s", report_credentials_json);
    o = (size_t)snprintf(json, sizeof json,
                         "{\"authorization_uuid\": \"" UUID_A "\", \"client_uuid\": \"" UUID_C "\", "
                         "\"product_uuid\": \"" UUID_P "\", \"create_timestamp\": 1546300800, \"is_active\": true, "
                         "%.*s, \"state\": \"authorization_state_result_available\", \"sequence_number\": 42, "
                         "\"order\": \"o\", \"report_files\": [",
                         (int)(state - scopes), scopes);
    for (i = 0; i < LUM_MAX_REPORT_FILES; i++)
        o += (size_t)snprintf(json + o, sizeof json - o, "%s%s", i ? ", " : "", rf);
    o += (size_t)snprintf(json + o, sizeof json - o, "], \"report_credentials\": [");
    for (i = 0; i < LUM_MAX_REPORT_CREDENTIALS; i++)
        o += (size_t)snprintf(json + o, sizeof json - o, "%s%s", i ? ", " : "", rc_json);
    snprintf(json + o, sizeof json - o, "]}");

    DECODE(rc, t, json, 8192);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 0x7ff);
    CHECK_INT_EQ(out.scopes.address.present, 0x7f);
    CHECK_INT_EQ(out.report_files_count, LUM_MAX_REPORT_FILES);
    CHECK_STR_EQ(out.report_files[LUM_MAX_REPORT_FILES - 1].file_location.path, "/reports/f1/report%201.pdf");
    CHECK_INT_EQ(out.report_credentials_count, LUM_MAX_REPORT_CREDENTIALS);
    CHECK_STR_EQ(out.report_credentials[LUM_MAX_REPORT_CREDENTIALS - 1].client_password, "p\"w\\d");
}

static void authorization_minimal_sets_only_required_bits(void)
{
    static lum_authorization out;
    lum_json_target t = object_target(&lum_model_authorization, &out);
    int rc = 0;
    DECODE(rc, t, authorization_minimal, 1024);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 0x7f);
    CHECK_INT_EQ(out.scopes.present, 0);
    CHECK_INT_EQ(out.create_timestamp, -5);
    CHECK_INT_EQ(out.is_active, 0);
    CHECK_STR_EQ(out.state, LUM_STATE_PENDING_DATASET);
    CHECK_INT_EQ(out.sequence_number, 0);
    CHECK_STR_EQ(out.order, "");
    CHECK_INT_EQ(out.report_files_count, 0);
}

static void nulls_read_as_absent(void)
{
    static lum_authorization out;
    lum_json_target t = object_target(&lum_model_authorization, &out);
    int rc = 0;
    DECODE(rc, t,
           "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
           "\"create_timestamp\": 1, \"is_active\": true, \"state\": \"s\", "
           "\"scopes\": {\"email\": null, \"address\": {\"address1\": \"x\", \"address2\": null, \"city\": \"c\", "
           "\"country\": \"DE\", \"phone\": \"1\", \"state\": null, \"zipcode\": \"z\"}, \"name\": null}, "
           "\"sequence_number\": null, \"order\": null, \"report_files\": null, \"report_credentials\": []}",
           2048);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 0x7f | LUM_AUTHORIZATION_HAS_REPORT_CREDENTIALS);
    CHECK_INT_EQ(out.scopes.present, LUM_SCOPE_HAS_ADDRESS);
    CHECK_INT_EQ(out.scopes.address.present, 0x7f & ~(LUM_CUSTOMER_ADDRESS_HAS_ADDRESS2 | LUM_CUSTOMER_ADDRESS_HAS_STATE));
    CHECK_STR_EQ(out.scopes.address.address2, "");
    /* A required field that is null is missing. */
    DECODE(rc, t,
           "{\"authorization_uuid\": \"a\", \"client_uuid\": null, \"product_uuid\": \"p\", "
           "\"create_timestamp\": 1, \"is_active\": true, \"state\": \"s\", \"scopes\": {}}", 2048);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_MISSING);
    CHECK_ERR_FIELD("Authorization", "client_uuid");
}

static void product_streams_rsids_in_order(void)
{
    lum_product out;
    char rsid[LUM_MAX_RSID];
    lum_json_target t = object_target(&lum_model_product, &out);
    int rc = 0;
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = on_rsid;
    DECODE(rc, t, product_full, 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 0xff);
    CHECK_STR_EQ(out.product_uuid, UUID_P);
    CHECK_INT_EQ(out.authorized_scopes_count, 3);
    CHECK_STR_EQ(out.authorized_scopes[0], "dataset");
    CHECK_STR_EQ(out.authorized_scopes[2], "name");
    CHECK_INT_EQ(out.snps_authorized_count, 3);
    CHECK_INT_EQ(out.snps_min_required_count, 1);
    CHECK_INT_EQ(out.snps_authorized_any, 0);
    CHECK_INT_EQ(out.snps_min_required_any, 1);
    CHECK_STR_EQ(out.email, "product@example.org");
    CHECK_STR_EQ(out.redirect_uri, "https://p.example/cb");
    CHECK_STR_EQ(col.rsids, "2:rs429358,2:rs7412,2:i3003137,4:rs429358,");
}

/* Product's lists may come in any order, empty, and far longer than the buffer. */
static void product_long_rsid_lists_stream_through_a_small_buffer(void)
{
    static char json[200000];
    lum_product out;
    char rsid[LUM_MAX_RSID];
    lum_json_target t = object_target(&lum_model_product, &out);
    size_t o;
    int i, rc = 0;
    o = (size_t)snprintf(json, sizeof json,
                         "{\"snps_min_required\": [], \"email\": null, \"snps_authorized\": [");
    for (i = 0; i < 10000; i++) o += (size_t)snprintf(json + o, sizeof json - o, "%s\"rs%d\"", i ? "," : "", i);
    snprintf(json + o, sizeof json - o,
             "], \"snps_authorized_any\": true, \"product_uuid\": \"p\", \"authorized_scopes\": [], "
             "\"snps_min_required_any\": false}");
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = on_element;
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.snps_authorized_count, 10000);
    CHECK_INT_EQ(out.snps_min_required_count, 0);
    CHECK_INT_EQ(col.lists[LUM_LIST_SNPS_AUTHORIZED], 10000);
    CHECK_INT_EQ(out.present, 0x3f);
    CHECK_STR_EQ(rsid, "rs9999");
}

static void product_authorized_scopes_keep_first_n_and_count_all(void)
{
    lum_product out;
    char rsid[LUM_MAX_RSID];
    lum_json_target t = object_target(&lum_model_product, &out);
    int rc = 0;
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    DECODE(rc, t,
           "{\"product_uuid\": \"p\", \"authorized_scopes\": [\"s1\", \"s2\", \"s3\", \"s4\", \"s5\", \"s6\", "
           "\"s7\", \"s8\", \"s9\", \"s10\"], \"snps_authorized\": [], \"snps_authorized_any\": true, "
           "\"snps_min_required\": [], \"snps_min_required_any\": true}", 1024);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(LUM_MAX_SCOPES, 8);
    CHECK_INT_EQ(out.authorized_scopes_count, 10);
    CHECK_STR_EQ(out.authorized_scopes[7], "s8");
    /* Entries past the capacity are still type-checked. */
    DECODE(rc, t,
           "{\"product_uuid\": \"p\", \"authorized_scopes\": [\"s1\", \"s2\", \"s3\", \"s4\", \"s5\", \"s6\", "
           "\"s7\", \"s8\", 9], \"snps_authorized\": [], \"snps_authorized_any\": true, "
           "\"snps_min_required\": [], \"snps_min_required_any\": true}", 1024);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    CHECK_ERR_FIELD("Product", "authorized_scopes");
}

static void authorization_report_files_keep_first_n(void)
{
    static lum_authorization out;
    static char json[4096];
    lum_json_target t = object_target(&lum_model_authorization, &out);
    int rc = 0;
    snprintf(json, sizeof json,
             "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
             "\"create_timestamp\": 1, \"is_active\": true, \"scopes\": {}, \"state\": \"s\", "
             "\"report_files\": [%s, %s, {\"report_file_uuid\": \"third\"}]}",
             report_file_json, report_file_json);
    DECODE(rc, t, json, 4096);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.report_files_count, 3);
    CHECK_STR_EQ(out.report_files[1].file_location.filename_original, "report 1.pdf");
    CHECK_INT_EQ(out.report_files[1].create_timestamp, 1546300900);
}

static void client_gene_streams_its_snps(void)
{
    static char json[4096];
    lum_client_gene out;
    lum_client_snp scratch;
    lum_json_target t = object_target(&lum_model_client_gene, &out);
    int rc = 0;
    snprintf(json, sizeof json,
             "{\"symbol\": \"APOE\", \"snps\": [%s, {\"snp_id\": \"rs7412\", \"chromosome_accession\": "
             "\"NC_000019.9\", \"location\": 45412079, \"genotyped_alleles\": [\"C\", \"C\"], \"phased\": true, "
             "\"reference_genome\": \"GRCh37\"}], \"molecular_location\": {\"chromosome_accession\": "
             "\"NC_000019.9\", \"start\": 45409039, \"stop\": 45412650}}",
             snp_full);
    t.elem_model = &lum_model_client_snp;
    t.elem = &scratch;
    t.elem_size = sizeof scratch;
    t.on_element = on_snp;
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 7);
    CHECK_STR_EQ(out.symbol, "APOE");
    CHECK_INT_EQ(out.molecular_location.present, 7);
    CHECK_STR_EQ(out.molecular_location.chromosome_accession, "NC_000019.9");
    CHECK_INT_EQ(out.molecular_location.start, 45409039);
    CHECK_INT_EQ(out.molecular_location.stop, 45412650);
    CHECK_INT_EQ(out.snps_count, 2);
    CHECK_INT_EQ(col.n, 2);
    CHECK_INT_EQ(col.lists[2], 2);
    CHECK_STR_EQ(col.snps[0].snp_id, "rs429358");
    CHECK_STR_EQ(col.snps[1].snp_id, "rs7412");
    CHECK_INT_EQ(col.snps[1].location, 45412079);
    CHECK_INT_EQ(col.snps[1].phased, 1);
    /* snps is optional; a gene without it has count 0 and no bit. */
    DECODE(rc, t,
           "{\"symbol\": \"X\", \"molecular_location\": {\"chromosome_accession\": \"a\", \"start\": 1, "
           "\"stop\": 2}}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, 3);
    CHECK_INT_EQ(out.snps_count, 0);
}

static void report_file_and_credentials(void)
{
    lum_report_file rf;
    lum_report_credentials rc_out;
    lum_json_target t = object_target(&lum_model_report_file, &rf);
    int rc = 0;
    DECODE(rc, t, report_file_json, 1024);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(rf.present, 0xf);
    CHECK_STR_EQ(rf.report_file_uuid, "f0000000-0000-4000-8000-000000000001");
    CHECK_STR_EQ(rf.authorization_uuid, UUID_A);
    CHECK_INT_EQ(rf.create_timestamp, 1546300900);
    CHECK_STR_EQ(rf.file_location.filename_original, "report 1.pdf");
    CHECK_STR_EQ(rf.file_location.host, "files.lumminary.com");
    CHECK_STR_EQ(rf.file_location.path, "/reports/f1/report%201.pdf");

    t = object_target(&lum_model_report_credentials, &rc_out);
    DECODE(rc, t, report_credentials_json, 1024);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(rc_out.present, 0x3f);
    CHECK_STR_EQ(rc_out.report_credentials_uuid, "c7000000-0000-4000-8000-000000000001");
    CHECK_STR_EQ(rc_out.authorization_uuid, UUID_A);
    CHECK_INT_EQ(rc_out.create_timestamp, 1546301000);
    CHECK_STR_EQ(rc_out.client_username, "jane");
    CHECK_STR_EQ(rc_out.client_password, "p\"w\\d");
    CHECK_STR_EQ(rc_out.report_url, "https://reports.example/jane?x=1&y=2");
    DECODE(rc, t, "{\"report_credentials_uuid\": \"r\", \"authorization_uuid\": \"a\", \"create_timestamp\": 0}", 1024);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(rc_out.present, 7);
}

static void unknown_fields_are_skipped_whole(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    int rc = 0;
    DECODE(rc, t,
           "{\"x\": {\"snp_id\": \"WRONG\", \"deep\": [[[{\"location\": 1}]], {}, []]}, \"snp_id\": \"rs1\", "
           "\"chromosome_accession\": \"NC_000001.10\", \"y\": [\"phased\", true], \"location\": 5, "
           "\"genotyped_alleles\": [\"A\", \"A\"], \"z\": null, \"phased\": true, \"w\": -1.5e3, "
           "\"reference_genome\": \"GRCh37\", \"snp_id2\": \"rs2\", \"\": \"\"}", 1024);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_STR_EQ(out.snp_id, "rs1");
    CHECK_INT_EQ(out.location, 5);
    CHECK_INT_EQ(out.phased, 1);
    CHECK_INT_EQ(out.present, 0x3f);
}

/* ---------------------------------------------------------------- strings */

static void escapes_decode_to_utf8(void)
{
    lum_javascript_web_token out;
    lum_json_target t = object_target(&lum_model_javascript_web_token, &out);
    int rc = 0;
    DECODE(rc, t, "{\"access_token\": \"q\\\"b\\\\s\\/ \\b\\f\\n\\r\\t|\\u0041\\u00e9\\u20AC\\ud83d\\ude00|\"}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_STR_EQ(out.access_token, "q\"b\\s/ \b\f\n\r\t|A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|");
    /* Raw UTF-8 passes through untouched. */
    DECODE(rc, t, "{\"access_token\": \"J\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x98\x80\"}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_STR_EQ(out.access_token, "J\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x98\x80");
    /* The highest code point, and the highest BMP one. */
    DECODE(rc, t, "{\"access_token\": \"\\udbff\\udfff\\uffff\"}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_STR_EQ(out.access_token, "\xf4\x8f\xbf\xbf\xef\xbf\xbf");
}

static void bad_escapes_are_errors(void)
{
    static const struct {
        const char *json;
        int rc;
    } cases[] = {
        {"{\"access_token\": \"\\ud83d\"}", LUM_ERR_JSON_TYPE},        /* lone high surrogate */
        {"{\"access_token\": \"\\ud83dx\"}", LUM_ERR_JSON_TYPE},
        {"{\"access_token\": \"\\ud83d\\u0041\"}", LUM_ERR_JSON_TYPE}, /* high + non-low */
        {"{\"access_token\": \"\\ude00\"}", LUM_ERR_JSON_TYPE},        /* lone low surrogate */
        {"{\"access_token\": \"a\\u0000b\"}", LUM_ERR_JSON_TYPE},      /* would cut the C string */
        {"{\"access_token\": \"a\tb\"}", LUM_ERR_JSON_TYPE},           /* raw control character */
        {"{\"access_token\": \"a\\x41\"}", LUM_ERR_JSON},              /* not a JSON escape */
        {"{\"access_token\": \"\\u12G4\"}", LUM_ERR_JSON},
    };
    lum_javascript_web_token out;
    lum_json_target t = object_target(&lum_model_javascript_web_token, &out);
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = 0;
        DECODE(rc, t, cases[i].json, 512);
        if (rc != cases[i].rc) TL_FAIL("case %zu (%s): %d, want %d", i, cases[i].json, rc, cases[i].rc);
        if (rc == LUM_ERR_JSON_TYPE) CHECK_ERR_FIELD("JavascriptWebToken", "access_token");
    }
}

static void string_capacity_is_exact(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    char json[512], id[64];
    int rc = 0;
    /* LUM_MAX_RSID - 1 characters fit, one more does not. */
    memset(id, 'x', sizeof id);
    id[LUM_MAX_RSID - 1] = '\0';
    snprintf(json, sizeof json, "{\"snp_id\": \"%s\", \"chromosome_accession\": \"a\", \"location\": 1, "
             "\"genotyped_alleles\": [], \"phased\": true, \"reference_genome\": \"g\"}", id);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(strlen(out.snp_id), LUM_MAX_RSID - 1);
    id[LUM_MAX_RSID - 1] = 'x';
    id[LUM_MAX_RSID] = '\0';
    snprintf(json, sizeof json, "{\"snp_id\": \"%s\", \"chromosome_accession\": \"a\", \"location\": 1, "
             "\"genotyped_alleles\": [], \"phased\": true, \"reference_genome\": \"g\"}", id);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_TOO_LONG);
    CHECK_ERR_FIELD("ClientSNP", "snp_id");
    /* Capacity counts decoded bytes: 21 'x' + one 2-byte escape fits 23... */
    id[LUM_MAX_RSID - 3] = '\0';
    snprintf(json, sizeof json, "{\"snp_id\": \"%s\\u00e9\", \"chromosome_accession\": \"a\", \"location\": 1, "
             "\"genotyped_alleles\": [], \"phased\": true, \"reference_genome\": \"g\"}", id);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(strlen(out.snp_id), LUM_MAX_RSID - 1);
    /* ...a 3-byte one does not. */
    snprintf(json, sizeof json, "{\"snp_id\": \"%s\\u20ac\", \"chromosome_accession\": \"a\", \"location\": 1, "
             "\"genotyped_alleles\": [], \"phased\": true, \"reference_genome\": \"g\"}", id);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_TOO_LONG);
    CHECK_ERR_FIELD("ClientSNP", "snp_id");
    /* Inside a nested model, the nested model is named. */
    {
        static lum_authorization a;
        char name[LUM_MAX_NAME + 2];
        static char big[1024];
        lum_json_target ta = object_target(&lum_model_authorization, &a);
        memset(name, 'n', sizeof name);
        name[LUM_MAX_NAME] = '\0';
        snprintf(big, sizeof big,
                 "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
                 "\"create_timestamp\": 1, \"is_active\": true, \"state\": \"s\", "
                 "\"scopes\": {\"name\": {\"first_name\": \"%s\", \"last_name\": \"l\"}}}", name);
        DECODE(rc, ta, big, 1024);
        CHECK_INT_EQ(rc, LUM_ERR_TOO_LONG);
        CHECK_ERR_FIELD("CustomerName", "first_name");
    }
}

static void three_alleles_are_too_long(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    int rc = 0;
    DECODE(rc, t,
           "{\"snp_id\": \"rs1\", \"chromosome_accession\": \"a\", \"location\": 1, "
           "\"genotyped_alleles\": [\"A\", \"C\", \"G\"], \"phased\": true, \"reference_genome\": \"g\"}", 512);
    CHECK_INT_EQ(rc, LUM_ERR_TOO_LONG);
    CHECK_ERR_FIELD("ClientSNP", "genotyped_alleles");
    /* An allele longer than LUM_MAX_ALLELE - 1 is too long as well. */
    DECODE(rc, t,
           "{\"snp_id\": \"rs1\", \"chromosome_accession\": \"a\", \"location\": 1, "
           "\"genotyped_alleles\": [\"ACGTACGT\"], \"phased\": true, \"reference_genome\": \"g\"}", 512);
    CHECK_INT_EQ(rc, LUM_ERR_TOO_LONG);
    CHECK_ERR_FIELD("ClientSNP", "genotyped_alleles");
    DECODE(rc, t,
           "{\"snp_id\": \"rs1\", \"chromosome_accession\": \"a\", \"location\": 1, "
           "\"genotyped_alleles\": [\"ACGTACG\", \"-\"], \"phased\": true, \"reference_genome\": \"g\"}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_STR_EQ(out.genotyped_alleles[0], "ACGTACG");
}

/*
 * Found by fuzz_json: the unescapers take (s, n), but a string ending in a
 * lone backslash made them read the byte after s[n - 1]. jsmn never hands
 * them one, the contract allows it.
 */
static void unescape_stays_inside_its_input(void)
{
    static const struct {
        const char *s;
        size_t n;
        int rc;
        const char *out;
    } cases[] = {
        {"ab\\", 3, LUM_ERR_JSON_TYPE, ""},
        {"\\", 1, LUM_ERR_JSON_TYPE, ""},
        {"a\\u00e", 6, LUM_ERR_JSON_TYPE, ""},
        {"\\ud83d\\ude0", 11, LUM_ERR_JSON_TYPE, ""},
        {"a\\nb", 4, LUM_OK, "a\nb"},
        {"abc", 2, LUM_OK, "ab"},
        {"", 0, LUM_OK, ""},
    };
    char out[16];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *copy = (char *)malloc(cases[i].n > 0 ? cases[i].n : 1); /* exactly: ASan sees the end */
        int rc;
        memcpy(copy, cases[i].s, cases[i].n);
        rc = lum_json_unescape(copy, cases[i].n, out, sizeof out);
        if (rc != cases[i].rc || strcmp(out, cases[i].out) != 0)
            TL_FAIL("case %zu: %d \"%s\"", i, rc, out);
        lum_json_unescape_cut(copy, cases[i].n, out, sizeof out);
        if (strcmp(out, cases[i].out) != 0) TL_FAIL("case %zu cut: \"%s\"", i, out);
        free(copy);
    }
}

/* ---------------------------------------------------------------- required and types */

/* Removes the `"key": value` member (value without nested commas) from json. */
static void drop_member(char *out, size_t cap, const char *json, const char *key)
{
    char pat[64];
    const char *at, *end;
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    at = strstr(json, pat);
    if (at == NULL) {
        snprintf(out, cap, "%s", json);
        return;
    }
    end = at + strlen(pat);
    if (*end == '[' || *end == '{') {
        int depth = 0;
        do {
            if (*end == '[' || *end == '{') depth++;
            if (*end == ']' || *end == '}') depth--;
            end++;
        } while (depth > 0);
    } else {
        while (*end != ',' && *end != '}') end++;
    }
    if (*end == ',') end += 2; /* ", " */
    else if (at - json >= 2 && at[-2] == ',') at -= 2;
    snprintf(out, cap, "%.*s%s", (int)(at - json), json, end);
}

static void each_required_field_missing_is_named(void)
{
    static const struct {
        const lum_model *m;
        const char *json;
        const char *model;
        const char *field;
    } cases[] = {
        {&lum_model_client_snp, snp_full, "ClientSNP", "snp_id"},
        {&lum_model_client_snp, snp_full, "ClientSNP", "chromosome_accession"},
        {&lum_model_client_snp, snp_full, "ClientSNP", "location"},
        {&lum_model_client_snp, snp_full, "ClientSNP", "genotyped_alleles"},
        {&lum_model_client_snp, snp_full, "ClientSNP", "phased"},
        {&lum_model_client_snp, snp_full, "ClientSNP", "reference_genome"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "authorization_uuid"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "client_uuid"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "product_uuid"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "create_timestamp"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "is_active"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "scopes"},
        {&lum_model_authorization, authorization_minimal, "Authorization", "state"},
        {&lum_model_authorization, authorization_full, "CustomerName", "last_name"},
        {&lum_model_authorization, authorization_full, "CustomerAddress", "zipcode"},
        {&lum_model_authorization, authorization_full, "CustomerAddress", "phone"},
        {&lum_model_authorization, authorization_full, "FileLocation", "host"},
        {&lum_model_authorization, authorization_full, "ReportCredentials", "report_credentials_uuid"},
        {&lum_model_report_file, report_file_json, "ReportFile", "file_location"},
        {&lum_model_report_file, report_file_json, "FileLocation", "filename_original"},
        {&lum_model_report_credentials, report_credentials_json, "ReportCredentials", "report_credentials_uuid"},
        {&lum_model_product, product_full, "Product", "product_uuid"},
        {&lum_model_product, product_full, "Product", "authorized_scopes"},
        {&lum_model_product, product_full, "Product", "snps_authorized"},
        {&lum_model_product, product_full, "Product", "snps_authorized_any"},
        {&lum_model_product, product_full, "Product", "snps_min_required"},
        {&lum_model_product, product_full, "Product", "snps_min_required_any"},
        {&lum_model_javascript_web_token, "{\"access_token\": \"t\"}", "JavascriptWebToken", "access_token"},
    };
    static char json[4096];
    static union {
        lum_client_snp snp;
        lum_authorization a;
        lum_report_file rf;
        lum_report_credentials rc;
        lum_product p;
        lum_javascript_web_token jwt;
    } out;
    char rsid[LUM_MAX_RSID];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lum_json_target t = object_target(cases[i].m, &out);
        int rc = 0;
        t.elem = rsid;
        t.elem_size = sizeof rsid;
        drop_member(json, sizeof json, cases[i].json, cases[i].field);
        if (strlen(json) == strlen(cases[i].json)) TL_FAIL("case %zu: %s not removed", i, cases[i].field);
        DECODE(rc, t, json, 4096);
        if (rc != LUM_ERR_JSON_MISSING || jerr.model == NULL || jerr.field == NULL ||
            strcmp(jerr.model, cases[i].model) != 0 || strcmp(jerr.field, cases[i].field) != 0)
            TL_FAIL("case %zu (%s.%s): %d %s.%s", i, cases[i].model, cases[i].field, rc,
                    jerr.model ? jerr.model : "-", jerr.field ? jerr.field : "-");
        /* With an X-Fields mask, nothing is required. */
        t.relaxed = true;
        DECODE(rc, t, json, 4096);
        if (rc != LUM_OK) TL_FAIL("case %zu relaxed: %d", i, rc);
    }
}

static void relaxed_mask_leaves_presence_exact(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    int rc = 0;
    t.relaxed = true;
    DECODE(rc, t, "{\"snp_id\": \"rs1\", \"genotyped_alleles\": [\"A\", \"T\"]}", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(out.present, LUM_CLIENT_SNP_HAS_SNP_ID | LUM_CLIENT_SNP_HAS_GENOTYPED_ALLELES);
    CHECK_STR_EQ(out.genotyped_alleles[1], "T");
    /* A mask relaxes presence, not types. */
    DECODE(rc, t, "{\"location\": \"1\"}", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    CHECK_ERR_FIELD("ClientSNP", "location");
}

static void wrong_types_name_the_field(void)
{
    static const struct {
        const char *from, *to, *model, *field;
    } cases[] = {
        {"\"location\": 45411941", "\"location\": \"45411941\"", "ClientSNP", "location"},
        {"\"location\": 45411941", "\"location\": 4.5", "ClientSNP", "location"},
        {"\"location\": 45411941", "\"location\": 1e3", "ClientSNP", "location"},
        {"\"location\": 45411941", "\"location\": 9223372036854775808", "ClientSNP", "location"},
        {"\"location\": 45411941", "\"location\": 007", "ClientSNP", "location"},
        {"\"location\": 45411941", "\"location\": true", "ClientSNP", "location"},
        {"\"location\": 45411941", "\"location\": []", "ClientSNP", "location"},
        {"\"phased\": false", "\"phased\": 0", "ClientSNP", "phased"},
        {"\"phased\": false", "\"phased\": \"false\"", "ClientSNP", "phased"},
        {"\"snp_id\": \"rs429358\"", "\"snp_id\": 429358", "ClientSNP", "snp_id"},
        {"\"snp_id\": \"rs429358\"", "\"snp_id\": {\"a\": 1}", "ClientSNP", "snp_id"},
        {"[\"C\", \"T\"]", "\"CT\"", "ClientSNP", "genotyped_alleles"},
        {"[\"C\", \"T\"]", "[\"C\", 1]", "ClientSNP", "genotyped_alleles"},
        {"[\"C\", \"T\"]", "{\"0\": \"C\"}", "ClientSNP", "genotyped_alleles"},
    };
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    char json[512];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strstr(snp_full, cases[i].from);
        int rc = 0;
        snprintf(json, sizeof json, "%.*s%s%s", (int)(at - snp_full), snp_full, cases[i].to,
                 at + strlen(cases[i].from));
        DECODE(rc, t, json, 512);
        if (rc != LUM_ERR_JSON_TYPE || jerr.field == NULL || strcmp(jerr.field, cases[i].field) != 0 ||
            strcmp(jerr.model, cases[i].model) != 0)
            TL_FAIL("case %zu (%s): %d %s.%s", i, cases[i].to, rc, jerr.model ? jerr.model : "-",
                    jerr.field ? jerr.field : "-");
    }
}

static void nested_wrong_types(void)
{
    static lum_authorization out;
    lum_json_target t = object_target(&lum_model_authorization, &out);
    int rc = 0;
    DECODE(rc, t,
           "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
           "\"create_timestamp\": 1, \"is_active\": true, \"state\": \"s\", \"scopes\": []}", 1024);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    CHECK_ERR_FIELD("Authorization", "scopes");
    DECODE(rc, t,
           "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
           "\"create_timestamp\": 1, \"is_active\": true, \"state\": \"s\", \"scopes\": {}, "
           "\"report_files\": [\"f\"]}", 1024);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    CHECK_STR_EQ(jerr.model, "ReportFile");
    DECODE(rc, t,
           "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", "
           "\"create_timestamp\": 1, \"is_active\": true, \"state\": \"s\", \"scopes\": {\"dataset\": 5}}", 1024);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    CHECK_ERR_FIELD("AccessScope", "dataset");
}

static void integer_limits(void)
{
    static const struct {
        const char *text;
        int rc;
        int64_t v;
    } cases[] = {
        {"0", LUM_OK, 0},
        {"-0", LUM_OK, 0},
        {"9223372036854775807", LUM_OK, INT64_MAX},
        {"-9223372036854775808", LUM_OK, INT64_MIN},
        {"9223372036854775808", LUM_ERR_JSON_TYPE, 0},
        {"-9223372036854775809", LUM_ERR_JSON_TYPE, 0},
        {"99999999999999999999", LUM_ERR_JSON_TYPE, 0},
        {"-", LUM_ERR_JSON_TYPE, 0},
        {"", LUM_ERR_JSON_TYPE, 0},
        {"01", LUM_ERR_JSON_TYPE, 0},
        {"-01", LUM_ERR_JSON_TYPE, 0},
        {"1.0", LUM_ERR_JSON_TYPE, 0},
        {"+1", LUM_ERR_JSON_TYPE, 0},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 12345;
        int rc = lum_parse_int64(cases[i].text, strlen(cases[i].text), &v);
        if (rc != cases[i].rc) TL_FAIL("\"%s\": %d, want %d", cases[i].text, rc, cases[i].rc);
        if (rc == LUM_OK && v != cases[i].v) TL_FAIL("\"%s\": %lld", cases[i].text, (long long)v);
        if (rc != LUM_OK && v != 12345) TL_FAIL("\"%s\": wrote %lld on failure", cases[i].text, (long long)v);
    }
}

/* ---------------------------------------------------------------- limits */

static void streamed_element_larger_than_buffer(void)
{
    static char json[4096];
    lum_client_snp scratch;
    lum_json_target t = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    char pad[600];
    int rc = 0;
    memset(pad, 'p', sizeof pad);
    pad[sizeof pad - 1] = '\0';
    snprintf(json, sizeof json, "[%s, {\"snp_id\": \"rs2\", \"note\": \"%s\"}, %s]", snp_full, pad, snp_full);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_ELEMENT_TOO_LARGE);
    CHECK_STR_EQ(jerr.model, "ClientSNP");
    /* The elements before it were delivered. */
    CHECK_INT_EQ(col.n, 1);
    /* The same list with a buffer that holds the element decodes. */
    DECODE(rc, t, json, 1024);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_MISSING); /* the big one lacks fields */
    CHECK_INT_EQ(col.n, 1);
}

static void element_with_too_many_tokens(void)
{
    static char json[4096];
    lum_client_snp scratch;
    lum_json_target t = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    size_t o;
    int i, rc = 0;
    /* root + element object + 12 tokens of fields = 14; the unknown list adds 2 + n. */
    o = (size_t)snprintf(json, sizeof json, "[%s, {\"extra\": [", snp_full);
    for (i = 0; i < LUM_JSON_MAX_TOKENS; i++) o += (size_t)snprintf(json + o, sizeof json - o, "%s%d", i ? "," : "", i);
    snprintf(json + o, sizeof json - o, "]}]");
    DECODE(rc, t, json, 4096);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TOKENS);
    CHECK_INT_EQ(col.n, 1);
    /* Exactly LUM_JSON_MAX_TOKENS tokens in flight is fine: root, element, key, list, n numbers. */
    o = (size_t)snprintf(json, sizeof json, "[{\"extra\": [");
    for (i = 0; i < LUM_JSON_MAX_TOKENS - 4; i++) o += (size_t)snprintf(json + o, sizeof json - o, "%s%d", i ? "," : "", i);
    snprintf(json + o, sizeof json - o, "]}]");
    t.relaxed = true;
    DECODE(rc, t, json, 4096);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(col.n, 1);
    o = (size_t)snprintf(json, sizeof json, "[{\"extra\": [");
    for (i = 0; i < LUM_JSON_MAX_TOKENS - 3; i++) o += (size_t)snprintf(json + o, sizeof json - o, "%s%d", i ? "," : "", i);
    snprintf(json + o, sizeof json - o, "]}]");
    DECODE(rc, t, json, 4096);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TOKENS);
}

static void object_body_larger_than_buffer(void)
{
    static char json[4096];
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    char pad[700];
    int rc = 0;
    memset(pad, 'p', sizeof pad);
    pad[sizeof pad - 1] = '\0';
    snprintf(json, sizeof json, "{\"note\": \"%s\", %s", pad, snp_full + 1);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_BODY_TOO_LARGE);
    /* Exactly the buffer's size fits. */
    snprintf(json, sizeof json, "%s", snp_full);
    DECODE(rc, t, json, strlen(snp_full));
    CHECK_INT_EQ(rc, LUM_OK);
    DECODE(rc, t, json, strlen(snp_full) - 1);
    CHECK_INT_EQ(rc, LUM_ERR_BODY_TOO_LARGE);
}

/* ---------------------------------------------------------------- malformed documents */

static void malformed_documents_are_json_errors(void)
{
    static const char *const cases[] = {
        "",
        "   \r\n\t ",
        "{\"snp_id\": \"rs1\"",
        "{\"snp_id\": \"rs1",
        "{\"location\": 12",
        "{\"snp_id\": \"rs1\"} x",
        "{\"snp_id\": \"rs1\"}}",
        "{\"snp_id\": \"rs1\"}]",
        "{\"snp_id\": \"rs1\"}{\"snp_id\": \"rs1\"}",
        "{\"snp_id\": \"rs1\"} {}",
        "{\"snp_id\": \"rs1\"} 1",
        "{\"snp_id\": \"rs1\"} \"x\"",
        "{\"snp_id\" \"rs1\"}",
        "{\"snp_id\"}",
        "{1: 2}",
        "{\"a\": [1, 2}",
        "{\"a\": 1]",
        "{'a': 1}",
    };
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    size_t i;
    t.relaxed = true; /* so that only the syntax can fail */
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = 0;
        DECODE(rc, t, cases[i], 512);
        if (rc != LUM_ERR_JSON) TL_FAIL("case %zu \"%s\": %d (%s)", i, cases[i], rc, lum_strerror(rc));
    }
    /* Trailing whitespace is fine. */
    {
        int rc = 0;
        DECODE(rc, t, "\n {\"snp_id\": \"rs1\"} \r\n\t ", 512);
        CHECK_INT_EQ(rc, LUM_OK);
    }
}

static void malformed_lists_are_json_errors(void)
{
    static const char *const cases[] = {
        "[",
        "[{\"snp_id\": \"rs1\"}",
        "[{\"snp_id\": \"rs1\"},",
        "[{\"snp_id\": \"rs1\"}]]",
        "[{\"snp_id\": \"rs1\"}] []",
        "[{\"snp_id\": \"rs1\"}]{}",
        "[{\"snp_id\": \"rs1\"}}",
        /* jsmn does not check separators; the streamer does. */
        "[{\"snp_id\": \"rs1\"} {\"snp_id\": \"rs2\"}]",
        "[{\"snp_id\": \"rs1\"},, {\"snp_id\": \"rs2\"}]",
        "[, {\"snp_id\": \"rs1\"}]",
        "[{\"snp_id\": \"rs1\"},]",
        "[{\"snp_id\": \"rs1\"} ,\n, ]",
        "[{\"snp_id\": \"rs1\"}:]",
        "[,]",
    };
    lum_client_snp scratch;
    lum_json_target t = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    size_t i;
    t.relaxed = true;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = 0;
        DECODE(rc, t, cases[i], 512);
        if (rc != LUM_ERR_JSON) TL_FAIL("case %zu \"%s\": %d (%s)", i, cases[i], rc, lum_strerror(rc));
    }
}

/*
 * Found by fuzz_json: jsmn accepts a ':' after an element of a list, which
 * makes the element a key. Once the streamer had handed out and dropped that
 * element's tokens, jsmn's parent links pointed at recycled tokens and the
 * next ']' could walk them in a cycle forever. Such a list is not JSON.
 */
static void colon_inside_a_streamed_list_is_an_error(void)
{
    static const char *const product_cases[] = {
        "{\"snps_authorized\": [\"rs1\": [\"rs2\"]], \"x\": 1}",
        "{\"snps_authorized\": [\"rs1\", \"rs2\": \"rs3\", \"rs4\"]}",
        "{\"snps_authorized\": [\"rs1\", \"a\": [\"b\", \"c\"], \"d\": [\"e\"]]}",
        "{\"snps_authorized\": [\"rs1\":",
        /* the shape fuzz_json found */
        "{\"snps_authorized\": [\"rs1\", \"r2\", \"authorized_scopes\": [\"dataset\"], \"snps_authorized\": [\"rs4\"]}",
    };
    static const char *const list_cases[] = {
        "[{\"snp_id\": \"rs1\"}: {\"snp_id\": \"rs2\"}]",
        "[{\"snp_id\": \"rs1\", \"location\": 1}: {\"a\": [1]}, {\"b\": 2}]",
    };
    lum_product out;
    char rsid[LUM_MAX_RSID];
    lum_json_target t = object_target(&lum_model_product, &out);
    lum_client_snp scratch;
    size_t i;
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = on_element;
    t.relaxed = true;
    for (i = 0; i < sizeof product_cases / sizeof product_cases[0]; i++) {
        int rc = 0;
        DECODE(rc, t, product_cases[i], 512);
        if (rc != LUM_ERR_JSON) TL_FAIL("product case %zu: %d (%s)", i, rc, lum_strerror(rc));
    }
    t = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    t.relaxed = true;
    for (i = 0; i < sizeof list_cases / sizeof list_cases[0]; i++) {
        int rc = 0;
        DECODE(rc, t, list_cases[i], 512);
        if (rc != LUM_ERR_JSON) TL_FAIL("list case %zu: %d (%s)", i, rc, lum_strerror(rc));
    }
}

/*
 * Found by fuzz_json (which decodes every input whole and in pieces): the
 * end of the document was taken from jsmn's return value, which depends on
 * what follows the root in the same read. With the buffer full of trailing
 * bytes the result was LUM_ERR_BODY_TOO_LARGE, in small reads LUM_ERR_JSON
 * or the document's own error. The document ends where its root closes.
 */
static void document_ends_where_its_root_closes(void)
{
    static char json[2048];
    char pad[700];
    lum_client_snp out, scratch;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    lum_json_target tl = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    int rc = 0;
    memset(pad, ' ', sizeof pad);
    pad[sizeof pad - 1] = '\0';
    snprintf(json, sizeof json, "{\"snp_id\": \"rs1\"} {\"x\": \"%s\"}", pad);
    t.relaxed = true;
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    /* The document's own error comes first. */
    t.relaxed = false;
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_MISSING);
    CHECK_ERR_FIELD("ClientSNP", "chromosome_accession");
    snprintf(json, sizeof json, "{\"snp_id\": \"rs1\", \"a\": \"b\": \"c\"} , {%s", pad);
    DECODE(rc, t, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    /* Found by fuzz_json: jsmn refuses a container where a key should be
       only after allocating its token, which then sat half-made (start -1,
       any type) among the real ones: `{}` then `: [` was LUM_ERR_JSON when
       read at once and the document's own error when cut after the `}`. */
    t.relaxed = false;
    DECODE(rc, t, "{}: [l", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_MISSING);
    CHECK_ERR_FIELD("ClientSNP", "snp_id");
    t.relaxed = true;
    DECODE(rc, t, "{}: [l", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    DECODE(rc, t, "{\"snp_id\": \"rs1\"} {\"a\": {}: {", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    /* Found by fuzz_json: a ':' after the root hung on the last element of
       a list that closed in the same read made that read an error of its own. */
    {
        lum_product p;
        char rsid[LUM_MAX_RSID];
        lum_json_target tp = object_target(&lum_model_product, &p);
        tp.elem = rsid;
        tp.elem_size = sizeof rsid;
        tp.on_element = on_element;
        DECODE(rc, tp, "{\"snps_authorized\":[\"\"]}:", 512);
        CHECK_INT_EQ(rc, LUM_ERR_JSON_MISSING);
        CHECK_ERR_FIELD("Product", "product_uuid");
        tp.relaxed = true;
        DECODE(rc, tp, "{\"snps_authorized\":[\"\"]}:", 512);
        CHECK_INT_EQ(rc, LUM_ERR_JSON);
    }
    /* Found by fuzz_json: after the root, jsmn hangs `, "snps_authorized":
       [...]` back onto it; read at once, that list was streamed too. */
    {
        lum_product p;
        char rsid[LUM_MAX_RSID];
        lum_json_target tp = object_target(&lum_model_product, &p);
        tp.elem = rsid;
        tp.elem_size = sizeof rsid;
        tp.on_element = on_element;
        DECODE(rc, tp, "{\"x\"}: \"v\", \"snps_authorized\": [\"rs1\", \"0123456789012345678901234567\"]", 512);
        CHECK_INT_EQ(rc, LUM_ERR_JSON);
        CHECK_INT_EQ(col.n, 0);
        tp.relaxed = true;
        DECODE(rc, tp, "{\"x\"}: \"v\", \"snps_authorized\": [\"rs1\", \"0123456789012345678901234567\"]", 512);
        CHECK_INT_EQ(rc, LUM_ERR_JSON);
        CHECK_INT_EQ(col.n, 0);
    }
    /* Found by fuzz_json: jsmn makes a value after the root the value of
       the root's last key, which made `{"snp_id"}, : "rs1"` read at once a
       ClientSNP with an snp_id (then missing its other fields). */
    t.relaxed = false;
    DECODE(rc, t, "{\"snp_id\"}, : \"rs1\"", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    t.relaxed = true;
    DECODE(rc, t, "{\"snp_id\"}, : \"rs1\"", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    DECODE(rc, t, "{\"snp_id\": \"rs1\", \"x\": {\"y\"}}: 1", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    snprintf(json, sizeof json, "[{\"snp_id\": \"rs1\"}] [%s]", pad);
    tl.relaxed = true;
    DECODE(rc, tl, json, 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON);
    CHECK_INT_EQ(col.n, 1);
}

/* A NUL byte is never JSON, wherever it is (jsmn would stop at it). */
static void nul_byte_in_body(void)
{
    static const char body[] = "{\"snp_id\": \"rs1\"}\0  ";
    static const char body2[] = "{\"snp_id\": \0\"rs1\"}";
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    int w;
    t.relaxed = true;
    for (w = 0; w < NWAYS; w++) {
        int rc = decode_way(&t, body, sizeof body - 1, 512, w);
        if (rc != LUM_ERR_JSON) TL_FAIL("way %d: trailing NUL gave %d", w, rc);
        rc = decode_way(&t, body2, sizeof body2 - 1, 512, w);
        if (rc != LUM_ERR_JSON) TL_FAIL("way %d: inner NUL gave %d", w, rc);
    }
}

static void separators_of_streamed_rsid_lists(void)
{
    static const struct {
        const char *json;
        int rc;
        int n;
    } cases[] = {
        {"{\"snps_authorized\": [\"rs1\" \"rs2\"]}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [\"rs1\",,\"rs2\"]}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [\"rs1\",]}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [,]}", LUM_ERR_JSON, 0},
        {"{\"snps_authorized\": [ ], \"snps_min_required\": [\"rs1\" , \"rs2\"\n,\t\"rs3\"\r\n]}", LUM_OK, 3},
        {"{\"snps_authorized\": [\"rs1\", \"rs2\"], \"snps_min_required\": [\"rs3\" \"rs4\"]}", LUM_ERR_JSON, 3},
        /* Found by fuzz_json: after a list, only ',' or '}'. A ':' there made
           jsmn hang what follows on the list's last element, or on the list
           once its elements were dropped: JSON or not depending on the reads. */
        {"{\"snps_authorized\": [\"rs1\", \"rs2\"]: [\"rs3\"], \"snps_authorized_any\": fals}", LUM_ERR_JSON, 2},
        {"{\"snps_authorized_any\": fals%, \"snps_min_required\": [\"rs429358\"]:[]}", LUM_ERR_JSON, 1},
        /* ...nor after `],`: a key must follow. */
        {"{\"snps_min_required_any\":[],\"snps_authorized\":[],:1}", LUM_ERR_JSON, 0},
        {"{\"snps_authorized\":0 [],:\"\"}", LUM_ERR_JSON, 0},
        {"{\"snps_authorized\":0 [\"\"],:1}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [\"rs1\"],:\"rs2\", \"snps_authorized_any\": 1}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [\"rs1\"] , \n \"snps_authorized_any\": true}", LUM_OK, 1},
        {"{\"snps_authorized\": [\"rs1\"] \n : 5, \"x\": {}}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [\"rs1\"] \"x\": 1}", LUM_ERR_JSON, 1},
        {"{\"snps_authorized\": [\"rs1\"]\r\n}", LUM_OK, 1},
    };
    lum_product out;
    char rsid[LUM_MAX_RSID];
    lum_json_target t = object_target(&lum_model_product, &out);
    size_t i;
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = on_element;
    t.relaxed = true;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = 0;
        DECODE(rc, t, cases[i].json, 512);
        if (rc != cases[i].rc || col.n != cases[i].n)
            TL_FAIL("case %zu: %d after %d elements, want %d after %d", i, rc, col.n, cases[i].rc, cases[i].n);
    }
}

static void root_of_the_wrong_kind(void)
{
    lum_client_snp out, scratch;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    lum_json_target tl = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    int rc = 0;
    DECODE(rc, t, "[]", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    DECODE(rc, t, "\"x\"", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    DECODE(rc, tl, "{}", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    DECODE(rc, tl, "[1]", 512);
    CHECK_INT_EQ(rc, LUM_ERR_JSON_TYPE);
    CHECK_STR_EQ(jerr.model, "ClientSNP");
    DECODE(rc, tl, "[]", 512);
    CHECK_INT_EQ(rc, LUM_OK);
    CHECK_INT_EQ(col.n, 0);
    DECODE(rc, tl, " [ ] ", 512);
    CHECK_INT_EQ(rc, LUM_OK);
}

static void callback_stop_is_aborted(void)
{
    static char json[2048];
    lum_client_snp scratch;
    lum_json_target t = list_target(&lum_model_client_snp, &scratch, sizeof scratch);
    int rc = 0;
    snprintf(json, sizeof json, "[%s, %s, %s]", snp_full, snp_full, snp_full);
    col.stop_at = 2;
    DECODE(rc, t, json, 512);
    col.stop_at = 0;
    CHECK_INT_EQ(rc, LUM_ERR_ABORTED);
    CHECK_INT_EQ(col.n, 2);
}

static void fill_errors_pass_through(void)
{
    lum_client_snp out;
    lum_json_target t = object_target(&lum_model_client_snp, &out);
    fx_feed f;
    int rc;
    memset(&f, 0, sizeof f);
    f.data = (const uint8_t *)snp_full;
    f.len = strlen(snp_full);
    f.piece = 10;
    f.fail_at = 3;
    f.fail_code = LUM_ERR_TRUNCATED;
    rc = lum_json_decode(&t, jbuf, 512, 0, fx_fill, &f, toks, LUM_JSON_MAX_TOKENS, &jerr);
    CHECK_INT_EQ(rc, LUM_ERR_TRUNCATED);
    CHECK_INT_EQ(f.fills, 3);
    /* Also after the document, while checking that only whitespace follows. */
    memset(&f, 0, sizeof f);
    f.data = (const uint8_t *)snp_full;
    f.len = strlen(snp_full);
    f.piece = f.len;
    f.fail_at = 2;
    f.fail_code = LUM_ERR_TIMEOUT;
    rc = lum_json_decode(&t, jbuf, 512, 0, fx_fill, &f, toks, LUM_JSON_MAX_TOKENS, &jerr);
    CHECK_INT_EQ(rc, LUM_ERR_TIMEOUT);
}

/* ---------------------------------------------------------------- error bodies */

static void error_message_extraction(void)
{
    static const struct {
        const char *body;
        size_t cap;
        const char *want;
    } cases[] = {
        {"{\"message\": \"Authorization is not active\"}", 160, "Authorization is not active"},
        {"{\"status\": 404, \"message\": \"Not \\\"found\\\" \\u00e9\"}", 160, "Not \"found\" \xc3\xa9"},
        {"{\"message\": \"0123456789abcdef\"}", 10, "012345..."},
        {"{\"message\": \"0123456789\"}", 11, "0123456789"},
        {"{\"message\": \"0123456789\"}", 10, "012345..."},
        {"{\"message\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}", 8, "\xc3\xa9\xc3\xa9..."},
        {"{\"message\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}", 7, "\xc3\xa9..."},
        {"{\"message\": 404}", 160, ""},
        {"{\"error\": {\"message\": \"nested\"}}", 160, ""},
        {"[\"message\", \"x\"]", 160, ""},
        {"<html>502 Bad Gateway</html>", 160, ""},
        {"", 160, ""},
        {"{\"message\": \"bad\\u0000\"}", 160, ""},
        {"{\"message\": \"x\"", 160, ""},
    };
    char out[160];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(out, 'Z', sizeof out);
        lum_json_error_message((const uint8_t *)cases[i].body, strlen(cases[i].body), toks,
                               LUM_JSON_MAX_TOKENS, out, cases[i].cap);
        if (strcmp(out, cases[i].want) != 0) TL_FAIL("case %zu: \"%s\", want \"%s\"", i, out, cases[i].want);
    }
}

/* ---------------------------------------------------------------- through the client */

static script s;
static lum_client c;
static uint8_t cbuf[2048];

static int client_rsid(void *user, int list, const char *rsid)
{
    return on_rsid(user, list, (void *)(uintptr_t)rsid);
}

static void product_through_the_client(void)
{
    script_conn *conn;
    lum_product out;
    CHECK_INT_EQ(fx_client(&s, &c, cbuf, sizeof cbuf, NULL), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(product_full))->chunk = 5;
    memset(&col, 0, sizeof col);
    CHECK_INT_EQ(lum_get_product(&c, UUID_P, NULL, &out, client_rsid, NULL), LUM_OK);
    CHECK_STR_EQ(col.rsids, "2:rs429358,2:rs7412,2:i3003137,4:rs429358,");
    CHECK_INT_EQ(out.snps_authorized_count, 3);
    CHECK_INT_EQ(out.present, 0xff);
    /* NULL callback: only counted. */
    script_add_text(conn, fx_ok(product_full));
    CHECK_INT_EQ(lum_get_product(&c, UUID_P, NULL, &out, NULL, NULL), LUM_OK);
    CHECK_INT_EQ(out.snps_authorized_count, 3);
    CHECK_INT_EQ(out.snps_min_required_count, 1);
    CHECK_INT_EQ(s.connects, 1);
}

static int stop_queue(void *user, const lum_authorization *a)
{
    int *n = (int *)user;
    (void)a;
    return ++*n == 1;
}

static int count_queue(void *user, const lum_authorization *a)
{
    int *n = (int *)user;
    if (*n == 0 && strcmp(a->scopes.name.last_name, "O'Neil") != 0) return 1;
    ++*n;
    return 0;
}

static void json_errors_through_the_client(void)
{
    static char body[8192];
    script_conn *conn;
    static lum_authorization scratch;
    int n = 0;
    CHECK_INT_EQ(fx_client(&s, &c, cbuf, sizeof cbuf, NULL), LUM_OK);
    conn = script_add_conn(&s);
    snprintf(body, sizeof body, "[%s, %s]", authorization_full, authorization_minimal);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(body))->chunk = 3;
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", LUM_SEQ_NONE, NULL, &scratch, count_queue, &n), LUM_OK);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(s.connects, 1);

    /* A callback stop fails the call and closes the connection (the rest is unread). */
    n = 0;
    script_add_text(conn, fx_ok(body));
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", 3, NULL, &scratch, stop_queue, &n), LUM_ERR_ABORTED);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_ABORTED);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 200);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(s.closes, 1);
    CHECK(s.current < 0);

    /* A missing field names model and field through lum_client_error. */
    conn = script_add_conn(&s);
    script_add_text(conn, fx_ok("[{\"authorization_uuid\": \"a\"}]"));
    n = 0;
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", 3, NULL, &scratch, count_queue, &n), LUM_ERR_JSON_MISSING);
    CHECK_STR_EQ(lum_client_error(&c)->model, "Authorization");
    CHECK_STR_EQ(lum_client_error(&c)->field, "client_uuid");
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(s.closes, 2);
}

int main(void)
{
    RUN("json", jwt_full);
    RUN("json", client_snp_full);
    RUN("json", client_snp_haploid_and_no_call);
    RUN("json", authorization_full_decodes_every_field);
    RUN("json", authorization_at_full_capacity_fits_the_tokens);
    RUN("json", authorization_minimal_sets_only_required_bits);
    RUN("json", nulls_read_as_absent);
    RUN("json", product_streams_rsids_in_order);
    RUN("json", product_long_rsid_lists_stream_through_a_small_buffer);
    RUN("json", product_authorized_scopes_keep_first_n_and_count_all);
    RUN("json", authorization_report_files_keep_first_n);
    RUN("json", client_gene_streams_its_snps);
    RUN("json", report_file_and_credentials);
    RUN("json", unknown_fields_are_skipped_whole);
    RUN("json", escapes_decode_to_utf8);
    RUN("json", bad_escapes_are_errors);
    RUN("json", string_capacity_is_exact);
    RUN("json", three_alleles_are_too_long);
    RUN("json", unescape_stays_inside_its_input);
    RUN("json", each_required_field_missing_is_named);
    RUN("json", relaxed_mask_leaves_presence_exact);
    RUN("json", wrong_types_name_the_field);
    RUN("json", nested_wrong_types);
    RUN("json", integer_limits);
    RUN("json", streamed_element_larger_than_buffer);
    RUN("json", element_with_too_many_tokens);
    RUN("json", object_body_larger_than_buffer);
    RUN("json", malformed_documents_are_json_errors);
    RUN("json", malformed_lists_are_json_errors);
    RUN("json", colon_inside_a_streamed_list_is_an_error);
    RUN("json", document_ends_where_its_root_closes);
    RUN("json", nul_byte_in_body);
    RUN("json", separators_of_streamed_rsid_lists);
    RUN("json", root_of_the_wrong_kind);
    RUN("json", callback_stop_is_aborted);
    RUN("json", fill_errors_pass_through);
    RUN("json", error_message_extraction);
    RUN("json", product_through_the_client);
    RUN("json", json_errors_through_the_client);
    return TESTS_DONE();
}
