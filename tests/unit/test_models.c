/*
 * Every model, table-driven: each case lists a model's members in table
 * order with a value, and the required set as the contract states it
 * (reference/lumminary-api.md). From that one list every model gets
 *  (a) the full example: decoded, every present bit set, and encoded back
 *      to exactly the same bytes (the document is written the way
 *      lum_json_encode writes: compact, in table order), streamed elements
 *      seen in order, and encode -> decode giving the same struct;
 *  (b) the required members only: exactly the required bits;
 *  (c) optional members as null and unknown nested members around them;
 *  (d) escapes and non-ASCII UTF-8 in every string member, decoded and
 *      encoded back;
 *  (e) each required member left out in turn: LUM_ERR_JSON_MISSING naming
 *      the model and the member (and accepted under an X-Fields mask).
 * ReferenceSequence, which has its own streaming decoder, is tested by hand
 * the same ways (test_sequence.c has the streaming in depth).
 */
#include <stdlib.h>
#include <string.h>

#include "api/models.h"
#include "json/json.h"
#include "support/fixture.h"
#include "testlib.h"

/* ---------------------------------------------------------------- harness */

static struct lum_json_tok toks[LUM_JSON_MAX_TOKENS];
static uint8_t jbuf[4096];
static lum_error_info jerr;
static char streamed[2048];
static union {
    lum_client_snp snp;
    char rsid[LUM_MAX_RSID];
} scratch;

typedef union anyobj {
    lum_javascript_web_token jwt;
    lum_client_snp snp;
    lum_customer_name name;
    lum_customer_address address;
    lum_access_scope scope;
    lum_file_location file_location;
    lum_report_file report_file;
    lum_report_credentials report_credentials;
    lum_authorization authorization;
    lum_product product;
    lum_molecular_location molecular_location;
    lum_client_gene client_gene;
    lum_public_snp public_snp;
    lum_public_gene public_gene;
    lum_reference_overview overview;
} anyobj;
static anyobj obj1, obj2;

static int collect(void *user, int list, void *elem)
{
    const lum_model *sub = (const lum_model *)user;
    size_t used = strlen(streamed);
    snprintf(streamed + used, sizeof streamed - used, "%d:%s|", list,
             sub != NULL ? ((const lum_client_snp *)elem)->snp_id : (const char *)elem);
    return 0;
}

/* Decodes json into out with model m, in random pieces (seed). */
static int decode(const lum_model *m, void *out, const char *json, bool relaxed, uint32_t seed)
{
    lum_json_target t;
    fx_feed f;
    int i;
    memset(&t, 0, sizeof t);
    t.model = m;
    t.out = out;
    t.relaxed = relaxed;
    for (i = 0; i < m->nfields; i++) {
        const lum_field *fd = &m->fields[i];
        if (fd->type != LUM_FT_STREAM) continue;
        t.elem_model = fd->sub;
        t.elem = &scratch;
        t.elem_size = fd->sub != NULL ? fd->sub->size : LUM_MAX_RSID;
        t.on_element = collect;
        t.user = (void *)(uintptr_t)fd->sub; /* which kind of element to print */
    }
    streamed[0] = '\0';
    memset(&f, 0, sizeof f);
    f.data = (const uint8_t *)json;
    f.len = strlen(json);
    f.rng.s = seed;
    memset(&jerr, 0, sizeof jerr);
    return lum_json_decode(&t, jbuf, sizeof jbuf, 0, fx_fill, &f, toks, LUM_JSON_MAX_TOKENS, &jerr);
}

static char enc_out[4096];
static size_t enc_len;
static int enc_calls, enc_fail_at;
static size_t enc_largest;

static int sink(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    enc_calls++;
    if (enc_fail_at != 0 && enc_calls >= enc_fail_at) return -1;
    if (len > enc_largest) enc_largest = len;
    if (enc_len + len < sizeof enc_out) {
        memcpy(enc_out + enc_len, data, len);
        enc_len += len;
        enc_out[enc_len] = '\0';
    }
    return 0;
}

static int encode(const lum_model *m, const void *obj)
{
    enc_len = 0;
    enc_out[0] = '\0';
    enc_calls = 0;
    enc_largest = 0;
    return lum_json_encode(m, obj, sink, NULL);
}

/* ---------------------------------------------------------------- the cases */

typedef struct member {
    const char *key, *value;
} member;

typedef struct mcase {
    const lum_model *m;
    const member *mem;        /* m->nfields members, in table order */
    uint32_t required;        /* as the contract marks them */
    const char *streamed_full; /* elements the full example streams */
    const char *streamed_min;  /* ... and the required-only one */
} mcase;

#define NAME_V "{\"first_name\":\"Zoë\",\"last_name\":\"O'Neil\"}"
#define ADDRESS_V                                                                                  \
    "{\"address1\":\"1 Main St\",\"address2\":\"Flat 2\",\"city\":\"Springfield\",\"country\":\"US\"," \
    "\"phone\":\"+1 555 0100\",\"state\":\"IL\",\"zipcode\":\"62701\"}"
#define SCOPE_V                                                                                        \
    "{\"dataset\":\"482f486c-0575-45fb-83e9-269622814029\",\"email\":\"zoe@example.com\","            \
    "\"login\":\"9d600268-9e3d-4a2f-93d3-5cb8f718f8ab\",\"name\":" NAME_V ",\"address\":" ADDRESS_V \
    ",\"sex\":\"female\"}"
#define FILE_LOCATION_V "{\"filename_original\":\"report 1.pdf\",\"host\":\"sandbox\",\"path\":\"/state/reports/rf-1\"}"
#define REPORT_FILE_V(id) \
    "{\"report_file_uuid\":\"" id "\",\"authorization_uuid\":\"a-1\",\"create_timestamp\":1700000000,\"file_location\":" FILE_LOCATION_V "}"
#define REPORT_CREDENTIALS_V(id)                                                                       \
    "{\"report_credentials_uuid\":\"" id "\",\"authorization_uuid\":\"a-1\",\"create_timestamp\":1700000001," \
    "\"client_username\":\"zoe\",\"client_password\":\"s3cr3t\",\"report_url\":\"https://example.com/r/1\"}"
#define SNP_V(id, alleles)                                                                      \
    "{\"snp_id\":\"" id "\",\"chromosome_accession\":\"NC_000019.9\",\"location\":45411941," \
    "\"genotyped_alleles\":" alleles ",\"phased\":false,\"reference_genome\":\"GRCh37\"}"
#define MOLECULAR_LOCATION_V "{\"chromosome_accession\":\"NC_000019.9\",\"start\":45409053,\"stop\":45412650}"

static const member jwt_m[] = {{"access_token", "\"aaa.bbb.ccc\""}};
static const member snp_m[] = {{"snp_id", "\"rs429358\""}, {"chromosome_accession", "\"NC_000019.8\""},
                               {"location", "50103781"},   {"genotyped_alleles", "[\"C\",\"T\"]"},
                               {"phased", "false"},        {"reference_genome", "\"NCBI36\""}};
static const member name_m[] = {{"first_name", "\"Zoë\""}, {"last_name", "\"O'Neil\""}};
static const member address_m[] = {{"address1", "\"1 Main St\""}, {"address2", "\"Flat 2\""},
                                   {"city", "\"Springfield\""},   {"country", "\"US\""},
                                   {"phone", "\"+1 555 0100\""},  {"state", "\"IL\""},
                                   {"zipcode", "\"62701\""}};
static const member scope_m[] = {{"dataset", "\"482f486c-0575-45fb-83e9-269622814029\""},
                                 {"email", "\"zoe@example.com\""},
                                 {"login", "\"9d600268-9e3d-4a2f-93d3-5cb8f718f8ab\""},
                                 {"name", NAME_V},
                                 {"address", ADDRESS_V},
                                 {"sex", "\"female\""}};
static const member file_location_m[] = {
    {"filename_original", "\"report 1.pdf\""}, {"host", "\"sandbox\""}, {"path", "\"/state/reports/rf-1\""}};
static const member report_file_m[] = {{"report_file_uuid", "\"rf-1\""},
                                       {"authorization_uuid", "\"a-1\""},
                                       {"create_timestamp", "1700000000"},
                                       {"file_location", FILE_LOCATION_V}};
static const member report_credentials_m[] = {{"report_credentials_uuid", "\"rc-1\""},
                                              {"authorization_uuid", "\"a-1\""},
                                              {"create_timestamp", "1700000001"},
                                              {"client_username", "\"zoe\""},
                                              {"client_password", "\"s3cr3t\""},
                                              {"report_url", "\"https://example.com/r/1\""}};
static const member authorization_m[] = {
    {"authorization_uuid", "\"21dde439-f110-4307-85e7-d4f474a4a39a\""},
    {"client_uuid", "\"9d600268-9e3d-4a2f-93d3-5cb8f718f8ab\""},
    {"product_uuid", "\"ef876efe-2080-4359-b7db-6407090aca55\""},
    {"create_timestamp", "1551398400"},
    {"is_active", "true"},
    {"scopes", SCOPE_V},
    {"state", "\"authorization_state_fulfillable\""},
    {"sequence_number", "7"},
    {"order", "\"o-1\""},
    {"report_files", "[" REPORT_FILE_V("rf-1") "," REPORT_FILE_V("rf-2") "]"},
    {"report_credentials", "[" REPORT_CREDENTIALS_V("rc-1") "," REPORT_CREDENTIALS_V("rc-2") "]"}};
static const member product_m[] = {{"product_uuid", "\"ef876efe-2080-4359-b7db-6407090aca55\""},
                                   {"authorized_scopes", "[\"dataset\",\"email\"]"},
                                   {"snps_authorized", "[\"rs429358\",\"rs7412\"]"},
                                   {"snps_authorized_any", "false"},
                                   {"snps_min_required", "[\"rs429358\"]"},
                                   {"snps_min_required_any", "true"},
                                   {"email", "\"p@example.com\""},
                                   {"redirect_uri", "\"https://example.com/cb\""}};
static const member molecular_location_m[] = {
    {"chromosome_accession", "\"NC_000019.9\""}, {"start", "45409053"}, {"stop", "45412650"}};
static const member client_gene_m[] = {
    {"symbol", "\"APOE\""},
    {"molecular_location", MOLECULAR_LOCATION_V},
    {"snps", "[" SNP_V("rs429358", "[\"C\",\"T\"]") "," SNP_V("rs7412", "[]") "]"}};
static const member public_snp_m[] = {{"snp_id", "\"rs6025\""},
                                      {"chromosome", "\"1\""},
                                      {"chromosome_accession", "\"NC_000001.10\""},
                                      {"location", "169519049"},
                                      {"reference_allele", "\"T\""},
                                      {"alternative_alleles", "[\"C\"]"},
                                      {"reference_genome", "\"GRCh37.p13\""},
                                      {"dbsnp_version", "149"}};
static const member public_gene_m[] = {{"symbol", "\"APOE\""},
                                       {"chromosome", "\"19\""},
                                       {"parent_accession", "\"NC_000019.9\""},
                                       {"molecular_start_position", "45409053"},
                                       {"molecular_end_position", "45412650"},
                                       {"snp_ids", "[\"rs429358\",\"rs7412\"]"}};
static const member genome_m[] = {{"reference_accession", "\"GCF_000001405.25\""}};
static const member chromosome_m[] = {{"reference_accession", "\"NC_012920.1\""}};

static const mcase cases[] = {
    {&lum_model_javascript_web_token, jwt_m, 0x1, "", ""},
    {&lum_model_client_snp, snp_m, 0x3f, "", ""},
    {&lum_model_customer_name, name_m, 0x3, "", ""},
    {&lum_model_customer_address, address_m, 0x5d, "", ""},
    {&lum_model_access_scope, scope_m, 0x0, "", ""},
    {&lum_model_file_location, file_location_m, 0x7, "", ""},
    {&lum_model_report_file, report_file_m, 0xf, "", ""},
    {&lum_model_report_credentials, report_credentials_m, 0x7, "", ""},
    {&lum_model_authorization, authorization_m, 0x7f, "", ""},
    {&lum_model_product, product_m, 0x3f, "2:rs429358|2:rs7412|4:rs429358|", "2:rs429358|2:rs7412|4:rs429358|"},
    {&lum_model_molecular_location, molecular_location_m, 0x7, "", ""},
    {&lum_model_client_gene, client_gene_m, 0x3, "2:rs429358|2:rs7412|", ""},
    {&lum_model_public_snp, public_snp_m, 0xdf, "", ""},
    {&lum_model_public_gene, public_gene_m, 0x3f, "5:rs429358|5:rs7412|", "5:rs429358|5:rs7412|"},
    {&lum_model_reference_overview, genome_m, 0x1, "", ""},
    {&lum_model_reference_chromosome_overview, chromosome_m, 0x1, "", ""},
};
#define NCASES (sizeof cases / sizeof cases[0])

enum { DOC_FULL, DOC_REQUIRED, DOC_NULLS };

/*
 * Builds a document from a case. skip: a member to leave out (-1: none);
 * replace/with: a member whose value is replaced (-1: none); no_streams:
 * leave the streamed lists out (what lum_json_encode writes).
 */
static const char *build(const mcase *k, int kind, int skip, int replace, const char *with, bool no_streams)
{
    static char doc[4096];
    size_t n = 0;
    int i;
    bool first = true;
#define ADD(...) (n += (size_t)snprintf(doc + n, sizeof doc - n, __VA_ARGS__))
    ADD("{");
    if (kind == DOC_NULLS) {
        ADD("\"x_unknown\":{\"a\":[1,{\"b\":null},[]],\"c\":\"}\"}");
        first = false;
    }
    for (i = 0; i < k->m->nfields; i++) {
        bool required = (k->required >> i) & 1u;
        const char *value = i == replace ? with : k->mem[i].value;
        if (i == skip) continue;
        if (no_streams && k->m->fields[i].type == LUM_FT_STREAM) continue;
        if (kind == DOC_REQUIRED && !required) continue;
        if (kind == DOC_NULLS && !required) value = "null";
        ADD("%s\"%s\":%s", first ? "" : ",", k->mem[i].key, value);
        first = false;
        if (kind == DOC_NULLS && i == 0) ADD(",\"y_unknown\":[[],{},{\"z\":[null,true,-1.5e3]}]");
    }
    if (kind == DOC_NULLS) ADD(",\"z_unknown\":null");
    ADD("}");
#undef ADD
    return doc;
}

static uint32_t all_bits(const mcase *k)
{
    return k->m->nfields >= 32 ? 0xffffffffu : ((uint32_t)1 << k->m->nfields) - 1u;
}

static uint32_t present_of(const void *o)
{
    uint32_t p;
    memcpy(&p, o, sizeof p);
    return p;
}

/* What encode -> decode cannot carry: streamed lists (their count and bit). */
static void drop_streams(const lum_model *m, void *o)
{
    uint32_t p = present_of(o), zero = 0;
    int i;
    for (i = 0; i < m->nfields; i++) {
        if (m->fields[i].type != LUM_FT_STREAM) continue;
        p &= ~((uint32_t)1 << i);
        memcpy((uint8_t *)o + LUM_COUNT_OFFSET(&m->fields[i]), &zero, sizeof zero);
    }
    memcpy(o, &p, sizeof p);
}

/* ---------------------------------------------------------------- (a)..(e) */

static void tables_match_the_contract(void)
{
    size_t c;
    int i;
    for (c = 0; c < NCASES; c++) {
        const mcase *k = &cases[c];
        for (i = 0; i < k->m->nfields; i++) {
            bool req = (k->m->fields[i].flags & LUM_FF_REQUIRED) != 0;
            if (strcmp(k->m->fields[i].key, k->mem[i].key) != 0)
                TL_FAIL("%s row %d is %s, the case says %s", k->m->name, i, k->m->fields[i].key, k->mem[i].key);
            if (req != (((k->required >> i) & 1u) != 0))
                TL_FAIL("%s.%s: required %d in the table, %d in the contract", k->m->name, k->mem[i].key, req,
                        !req);
        }
    }
}

static void full_examples_decode_and_encode_back_exactly(void)
{
    size_t c;
    uint32_t seed;
    for (c = 0; c < NCASES; c++) {
        const mcase *k = &cases[c];
        char want[4096];
        int rc;
        for (seed = 1; seed <= 3; seed++) {
            rc = decode(k->m, &obj1, build(k, DOC_FULL, -1, -1, NULL, false), false, seed);
            if (rc != LUM_OK) TL_FAIL("%s: %s (%s)", k->m->name, lum_strerror(rc), jerr.field ? jerr.field : "-");
            CHECK_INT_EQ(present_of(&obj1), all_bits(k));
            CHECK_STR_EQ(streamed, k->streamed_full);
        }
        snprintf(want, sizeof want, "%s", build(k, DOC_FULL, -1, -1, NULL, true));
        CHECK_INT_EQ(encode(k->m, &obj1), LUM_OK);
        CHECK_STR_EQ(enc_out, want);
        CHECK(enc_largest <= 64);
        /* encode -> decode gives the same struct, byte for byte */
        rc = decode(k->m, &obj2, enc_out, true, 9);
        if (rc != LUM_OK) TL_FAIL("%s: re-decoding: %s", k->m->name, lum_strerror(rc));
        drop_streams(k->m, &obj1);
        if (memcmp(&obj1, &obj2, k->m->size) != 0) TL_FAIL("%s: round trip differs", k->m->name);
    }
}

static void required_only_sets_exactly_the_required_bits(void)
{
    size_t c;
    for (c = 0; c < NCASES; c++) {
        const mcase *k = &cases[c];
        char want[4096];
        int rc = decode(k->m, &obj1, build(k, DOC_REQUIRED, -1, -1, NULL, false), false, 5);
        if (rc != LUM_OK) TL_FAIL("%s: %s", k->m->name, lum_strerror(rc));
        CHECK_INT_EQ(present_of(&obj1), k->required);
        CHECK_STR_EQ(streamed, k->streamed_min);
        snprintf(want, sizeof want, "%s", build(k, DOC_REQUIRED, -1, -1, NULL, true));
        CHECK_INT_EQ(encode(k->m, &obj1), LUM_OK);
        CHECK_STR_EQ(enc_out, want);
    }
}

static void nulls_and_unknown_members_read_as_absent(void)
{
    size_t c;
    for (c = 0; c < NCASES; c++) {
        const mcase *k = &cases[c];
        char want[4096];
        int rc = decode(k->m, &obj1, build(k, DOC_NULLS, -1, -1, NULL, false), false, 6);
        if (rc != LUM_OK) TL_FAIL("%s: %s", k->m->name, lum_strerror(rc));
        CHECK_INT_EQ(present_of(&obj1), k->required);
        snprintf(want, sizeof want, "%s", build(k, DOC_REQUIRED, -1, -1, NULL, true));
        CHECK_INT_EQ(encode(k->m, &obj1), LUM_OK);
        CHECK_STR_EQ(enc_out, want);
    }
}

/* A known member twice in one object is an error naming it, whatever the
   values (jsmn keeps both; "last one wins" would let a server or a proxy
   smuggle a second value past whatever checked the first). Unknown members
   may repeat. */
static void a_member_given_twice_is_an_error(void)
{
    static const char *const dups[] = {
        "{\"snp_id\": \"rs1\", \"snp_id\": \"rs2\"}",
        "{\"snp_id\": \"rs1\", \"snp_id\": null}",
        "{\"snp_id\": null, \"snp_id\": \"rs1\"}",
    };
    lum_product product;
    size_t i;
    for (i = 0; i < sizeof dups / sizeof dups[0]; i++) {
        CHECK_INT_EQ(decode(&lum_model_client_snp, &obj1, dups[i], true, 7), LUM_ERR_JSON);
        CHECK(jerr.field != NULL);
        CHECK_STR_EQ(jerr.field, "snp_id");
    }
    /* A streamed list given twice: its elements may already be out, but the
       call fails. */
    CHECK_INT_EQ(decode(&lum_model_product, &product, "{\"snps_authorized\": [\"rs1\"], \"snps_authorized\": [\"rs2\"]}",
                        true, 7),
                 LUM_ERR_JSON);
    CHECK_STR_EQ(jerr.field, "snps_authorized");
    /* Unknown members may repeat. */
    CHECK_INT_EQ(decode(&lum_model_client_snp, &obj1, "{\"x\": 1, \"x\": 2, \"snp_id\": \"rs7\"}", true, 7), LUM_OK);
    CHECK_STR_EQ(((lum_client_snp *)(void *)&obj1)->snp_id, "rs7");
}

/* The escapes every string member is tried with, by capacity. */
static const char esc_long_json[] = "\"\\u00e9\\\"x\\\\\\/\\n\\ud83d\\ude00\\t\\u001f\xc3\xa9\"";
static const char esc_long_text[] = "\xc3\xa9\"x\\/\n\xf0\x9f\x98\x80\t\x1f\xc3\xa9";
static const char esc_long_encoded[] = "\"\xc3\xa9\\\"x\\\\/\\u000a\xf0\x9f\x98\x80\\u0009\\u001f\xc3\xa9\"";
static const char esc_short_json[] = "\"\\u00e9\\n\\\"\"";
static const char esc_short_text[] = "\xc3\xa9\n\"";
static const char esc_short_encoded[] = "\"\xc3\xa9\\u000a\\\"\"";

static void escapes_and_utf8_in_every_string_member(void)
{
    size_t c;
    int i, tried = 0;
    for (c = 0; c < NCASES; c++) {
        const mcase *k = &cases[c];
        for (i = 0; i < k->m->nfields; i++) {
            const lum_field *f = &k->m->fields[i];
            bool is_long = f->size >= 24;
            char json[64];
            const char *text = is_long ? esc_long_text : esc_short_text;
            int rc;
            if (f->type != LUM_FT_STRING && !(f->type == LUM_FT_STRINGS)) continue;
            if (f->type == LUM_FT_STRINGS)
                snprintf(json, sizeof json, "[%s]", is_long ? esc_long_json : esc_short_json);
            else
                snprintf(json, sizeof json, "%s", is_long ? esc_long_json : esc_short_json);
            rc = decode(k->m, &obj1, build(k, DOC_FULL, -1, i, json, false), false, 7 + (uint32_t)i);
            if (rc != LUM_OK) TL_FAIL("%s.%s: %s", k->m->name, f->key, lum_strerror(rc));
            CHECK_STR_EQ((const char *)&obj1 + f->offset, text);
            CHECK_INT_EQ(encode(k->m, &obj1), LUM_OK);
            if (strstr(enc_out, is_long ? esc_long_encoded : esc_short_encoded) == NULL)
                TL_FAIL("%s.%s encoded as %s", k->m->name, f->key, enc_out);
            tried++;
        }
    }
    CHECK(tried >= 50);
}

static void each_required_member_missing_is_named(void)
{
    size_t c;
    int i;
    for (c = 0; c < NCASES; c++) {
        const mcase *k = &cases[c];
        for (i = 0; i < k->m->nfields; i++) {
            int rc;
            if (!((k->required >> i) & 1u)) continue;
            rc = decode(k->m, &obj1, build(k, DOC_FULL, i, -1, NULL, false), false, 11);
            if (rc != LUM_ERR_JSON_MISSING)
                TL_FAIL("%s without %s: %s", k->m->name, k->mem[i].key, lum_strerror(rc));
            CHECK_STR_EQ(jerr.model, k->m->name);
            CHECK_STR_EQ(jerr.field, k->mem[i].key);
            /* An X-Fields mask may leave anything out: then only `present` tells. */
            rc = decode(k->m, &obj1, build(k, DOC_FULL, i, -1, NULL, false), true, 12);
            CHECK_INT_EQ(rc, LUM_OK);
            CHECK_INT_EQ(present_of(&obj1), all_bits(k) & ~((uint32_t)1 << i));
        }
    }
}

/* Nested models name themselves, not their parent. */
static void missing_members_of_nested_models_name_the_nested_model(void)
{
    static const struct {
        const lum_model *m;
        const char *json, *model, *field;
    } t[] = {
        {&lum_model_authorization,
         "{\"authorization_uuid\":\"a\",\"client_uuid\":\"c\",\"product_uuid\":\"p\",\"create_timestamp\":1,"
         "\"is_active\":true,\"scopes\":{\"name\":{\"first_name\":\"Z\"}},\"state\":\"s\"}",
         "CustomerName", "last_name"},
        {&lum_model_authorization,
         "{\"authorization_uuid\":\"a\",\"client_uuid\":\"c\",\"product_uuid\":\"p\",\"create_timestamp\":1,"
         "\"is_active\":true,\"scopes\":{},\"state\":\"s\",\"report_files\":[" REPORT_FILE_V("x") ","
         "{\"report_file_uuid\":\"y\",\"authorization_uuid\":\"a\",\"create_timestamp\":1,"
         "\"file_location\":{\"filename_original\":\"f\",\"path\":\"/p\"}}]}",
         "FileLocation", "host"},
        {&lum_model_client_gene,
         "{\"symbol\":\"APOE\",\"molecular_location\":" MOLECULAR_LOCATION_V ",\"snps\":[" SNP_V("rs1", "[]") ","
         "{\"snp_id\":\"rs2\",\"chromosome_accession\":\"NC_000019.9\",\"location\":1,\"genotyped_alleles\":[],"
         "\"reference_genome\":\"GRCh37\"}]}",
         "ClientSNP", "phased"},
        {&lum_model_client_gene,
         "{\"symbol\":\"APOE\",\"molecular_location\":{\"chromosome_accession\":\"NC_000019.9\",\"start\":1}}",
         "MolecularLocation", "stop"},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        CHECK_INT_EQ(decode(t[i].m, &obj1, t[i].json, false, 3), LUM_ERR_JSON_MISSING);
        CHECK_STR_EQ(jerr.model, t[i].model);
        CHECK_STR_EQ(jerr.field, t[i].field);
    }
}

/* A few values the table-driven cases only compare as bytes. */
static void decoded_values_land_in_the_right_members(void)
{
    const lum_public_snp *s = &obj1.public_snp;
    const lum_public_gene *g = &obj1.public_gene;
    const lum_authorization *a = &obj1.authorization;
    CHECK_INT_EQ(decode(&lum_model_public_snp, &obj1, build(&cases[12], DOC_FULL, -1, -1, NULL, false), false, 1),
                 LUM_OK);
    CHECK_STR_EQ(s->snp_id, "rs6025");
    CHECK_STR_EQ(s->chromosome, "1");
    CHECK_STR_EQ(s->chromosome_accession, "NC_000001.10");
    CHECK_INT_EQ(s->location, 169519049);
    CHECK_STR_EQ(s->reference_allele, "T");
    CHECK_INT_EQ(s->alternative_alleles_count, 1);
    CHECK_STR_EQ(s->alternative_alleles[0], "C");
    CHECK_STR_EQ(s->reference_genome, "GRCh37.p13");
    CHECK_INT_EQ(s->dbsnp_version, 149);
    CHECK_INT_EQ(s->present & LUM_PUBLIC_SNP_HAS_ALTERNATIVE_ALLELES, LUM_PUBLIC_SNP_HAS_ALTERNATIVE_ALLELES);

    CHECK_INT_EQ(decode(&lum_model_public_gene, &obj1, build(&cases[13], DOC_FULL, -1, -1, NULL, false), false, 1),
                 LUM_OK);
    CHECK_STR_EQ(g->symbol, "APOE");
    CHECK_STR_EQ(g->chromosome, "19");
    CHECK_STR_EQ(g->parent_accession, "NC_000019.9");
    CHECK_INT_EQ(g->molecular_start_position, 45409053);
    CHECK_INT_EQ(g->molecular_end_position, 45412650);
    CHECK_INT_EQ(g->snp_ids_count, 2);

    CHECK_INT_EQ(decode(&lum_model_authorization, &obj1, build(&cases[8], DOC_FULL, -1, -1, NULL, false), false, 1),
                 LUM_OK);
    CHECK_STR_EQ(a->scopes.name.first_name, "Zo\xc3\xab");
    CHECK_STR_EQ(a->scopes.address.zipcode, "62701");
    CHECK_INT_EQ(a->report_files_count, 2);
    CHECK_STR_EQ(a->report_files[1].report_file_uuid, "rf-2");
    CHECK_STR_EQ(a->report_credentials[1].report_credentials_uuid, "rc-2");
    CHECK_INT_EQ(a->sequence_number, 7);

    /* More alternative alleles than kept: counted, the first ones stored. */
    CHECK_INT_EQ(decode(&lum_model_public_snp, &obj1,
                        build(&cases[12], DOC_FULL, -1, 5, "[\"A\",\"C\",\"G\",\"TT\",\"AGT\",\"-\"]", false), false, 2),
                 LUM_OK);
    CHECK_INT_EQ(s->alternative_alleles_count, 6);
    CHECK_STR_EQ(s->alternative_alleles[LUM_MAX_ALT_ALLELES - 1], "TT");
    CHECK_INT_EQ(encode(&lum_model_public_snp, &obj1), LUM_OK);
    CHECK(strstr(enc_out, "\"alternative_alleles\":[\"A\",\"C\",\"G\",\"TT\"],") != NULL);
}

/* ---------------------------------------------------------------- ReferenceSequence */

static char text_out[256];
static size_t text_len;

static int on_text(void *user, const char *p, size_t n)
{
    (void)user;
    if (text_len + n < sizeof text_out) memcpy(text_out + text_len, p, n);
    text_len += n;
    text_out[text_len < sizeof text_out ? text_len : sizeof text_out - 1] = '\0';
    return 0;
}

static int decode_sequence(const char *json, bool relaxed, lum_reference_sequence *out)
{
    lum_json_target t;
    fx_feed f;
    memset(&t, 0, sizeof t);
    t.model = &lum_model_reference_sequence;
    t.out = out;
    t.relaxed = relaxed;
    t.on_text = on_text;
    t.decode = lum_json_decode_text;
    memset(&f, 0, sizeof f);
    f.data = (const uint8_t *)json;
    f.len = strlen(json);
    f.rng.s = 77;
    text_len = 0;
    text_out[0] = '\0';
    memset(&jerr, 0, sizeof jerr);
    return t.decode(&t, jbuf, 512, 0, fx_fill, &f, toks, LUM_JSON_MAX_TOKENS, &jerr);
}

static void reference_sequence_cases(void)
{
    lum_reference_sequence seq;
    /* (a) full, (b) minimal: its one member */
    CHECK_INT_EQ(decode_sequence("{\"sequence\":\"GATCACAGGT\"}", false, &seq), LUM_OK);
    CHECK_STR_EQ(text_out, "GATCACAGGT");
    CHECK_INT_EQ(seq.present, 1);
    /* (c) nulls and unknown nested members */
    CHECK_INT_EQ(decode_sequence("{\"x\":{\"a\":[1,{\"b\":null}]},\"sequence\":\"ACGT\",\"y\":null,\"z\":[[{}]]}",
                                 false, &seq),
                 LUM_OK);
    CHECK_STR_EQ(text_out, "ACGT");
    CHECK_INT_EQ(decode_sequence("{\"sequence\":null,\"x\":1}", false, &seq), LUM_ERR_JSON_MISSING);
    CHECK_INT_EQ(decode_sequence("{\"sequence\":null,\"x\":1}", true, &seq), LUM_OK);
    CHECK_INT_EQ(seq.present, 0);
    CHECK_INT_EQ(text_len, 0);
    /* (d) escapes and UTF-8 */
    CHECK_INT_EQ(decode_sequence("{\"sequence\":\"A\\u0043\\/\\n\\ud83d\\ude00\xc3\xa9T\"}", false, &seq), LUM_OK);
    CHECK_STR_EQ(text_out, "AC/\n\xf0\x9f\x98\x80\xc3\xa9T");
    /* (e) the required member missing, named */
    CHECK_INT_EQ(decode_sequence("{\"sequenc\":\"A\",\"Sequence\":\"C\",\"x\":{\"sequence\":\"G\"}}", false, &seq),
                 LUM_ERR_JSON_MISSING);
    CHECK_STR_EQ(jerr.model, "ReferenceSequence");
    CHECK_STR_EQ(jerr.field, "sequence");
    CHECK_INT_EQ(text_len, 0);
    CHECK_INT_EQ(decode_sequence("{}", true, &seq), LUM_OK); /* a mask without it */
}

/* ---------------------------------------------------------------- encoder */

static void encoder_escapes_control_and_invalid_utf8(void)
{
    lum_javascript_web_token j;
    memset(&j, 0, sizeof j);
    j.present = 1;
    /* control chars, DEL (allowed raw), 2/3/4-byte UTF-8, then invalid:
       a lone continuation byte, an overlong "/", a surrogate, a cut sequence */
    strcpy(j.access_token, "a\x01\x1f\x7f\"\\\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\x80|\xc0\xaf|\xed\xa0\x80|\xf5|\xe2\x82");
    CHECK_INT_EQ(encode(&lum_model_javascript_web_token, &j), LUM_OK);
    CHECK_STR_EQ(enc_out, "{\"access_token\":\"a\\u0001\\u001f\x7f\\\"\\\\\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                          "|\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd|\\ufffd\\ufffd\"}");
    /* a field that fills its capacity without a NUL is never read past */
    memset(j.access_token, 'x', sizeof j.access_token);
    CHECK_INT_EQ(encode(&lum_model_javascript_web_token, &j), LUM_OK);
    CHECK_INT_EQ(enc_len, strlen("{\"access_token\":\"\"}") + sizeof j.access_token);
}

static void encoder_reports_a_failing_writer_and_bad_arguments(void)
{
    lum_client_snp s;
    memset(&s, 0, sizeof s);
    s.present = 0x3f;
    strcpy(s.snp_id, "rs1");
    enc_fail_at = 1;
    CHECK_INT_EQ(encode(&lum_model_client_snp, &s), LUM_ERR_IO);
    CHECK_INT_EQ(enc_calls, 1);
    enc_fail_at = 0;
    CHECK_INT_EQ(lum_json_encode(NULL, &s, sink, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_json_encode(&lum_model_client_snp, NULL, sink, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_json_encode(&lum_model_client_snp, &s, NULL, NULL), LUM_ERR_INVALID_ARG);
    /* empty: no bits */
    s.present = 0;
    CHECK_INT_EQ(encode(&lum_model_client_snp, &s), LUM_OK);
    CHECK_STR_EQ(enc_out, "{}");
    /* extreme integers */
    s.present = LUM_BIT(2);
    s.location = INT64_MIN;
    CHECK_INT_EQ(encode(&lum_model_client_snp, &s), LUM_OK);
    CHECK_STR_EQ(enc_out, "{\"location\":-9223372036854775808}");
    s.location = INT64_MAX;
    CHECK_INT_EQ(encode(&lum_model_client_snp, &s), LUM_OK);
    CHECK_STR_EQ(enc_out, "{\"location\":9223372036854775807}");
}

/* Through the public header only, as the CLI uses it. */
static void public_model_objects_are_the_tables(void)
{
    const struct lum_model *pub[] = {&lum_model_client_snp,          &lum_model_authorization,
                                     &lum_model_product,             &lum_model_client_gene,
                                     &lum_model_public_snp,          &lum_model_public_gene,
                                     &lum_model_report_file,         &lum_model_report_credentials,
                                     &lum_model_reference_overview,  &lum_model_javascript_web_token};
    size_t i;
    for (i = 0; i < sizeof pub / sizeof pub[0]; i++) CHECK(pub[i]->nfields > 0);
    CHECK_STR_EQ(lum_model_reference_overview.name, "ReferenceGenomeOverview");
}

int main(void)
{
    RUN("models", tables_match_the_contract);
    RUN("models", full_examples_decode_and_encode_back_exactly);
    RUN("models", required_only_sets_exactly_the_required_bits);
    RUN("models", nulls_and_unknown_members_read_as_absent);
    RUN("models", escapes_and_utf8_in_every_string_member);
    RUN("models", each_required_member_missing_is_named);
    RUN("models", a_member_given_twice_is_an_error);
    RUN("models", missing_members_of_nested_models_name_the_nested_model);
    RUN("models", decoded_values_land_in_the_right_members);
    RUN("models", reference_sequence_cases);
    RUN("models", encoder_escapes_control_and_invalid_utf8);
    RUN("models", encoder_reports_a_failing_writer_and_bad_arguments);
    RUN("models", public_model_objects_are_the_tables);
    return TESTS_DONE();
}
