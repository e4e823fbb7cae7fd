/*
 * The reference client's helpers: chromosome symbols, ISO-8601 timestamps
 * (checked against an independent day-by-day calendar walk), authorization
 * metadata, and the streamed 23andMe-style TSV export.
 */
#include <stdlib.h>
#include <string.h>

#include "support/fixture.h"
#include "testlib.h"

/* ---------------------------------------------------------------- chromosome_common_symbol */

static void chromosome_symbols(void)
{
    static const struct {
        const char *in, *out;
    } good[] = {
        {"NC_000001.10", "1"}, {"NC_000001", "1"},    {"NC_000009.11", "9"},   {"NC_000010.10", "10"},
        {"NC_000019.8", "19"}, {"NC_000019.9", "19"}, {"NC_000022.10", "22"},  {"NC_000023.10", "X"},
        {"NC_000023", "X"},    {"NC_000024.9", "Y"},  {"NC_012920.1", "MT"},   {"NC_012920", "MT"},
        {"NC_000002.123456", "2"},
    };
    static const char *const bad[] = {
        "",           "NC_",          "NC_000000.1", "NC_000025.1", "NC_000001.",  "NC_000001.x",
        "NC_000001.1.", "NC_00001.10", "NC_0000001.10", "nc_000001.10", "NT_000001.10", "NC_012921.1",
        "XNC_000001.1", "NC_000001.10 ", " NC_000001.10", "NC_00001a.1", "NC_000001-1", "NC_+00001.1",
        "1",          "chr1",         "MT",
    };
    char out[3];
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        memcpy(out, "??", 3);
        if (lum_chromosome_common_symbol(good[i].in, out) != LUM_OK) TL_FAIL("%s refused", good[i].in);
        CHECK_STR_EQ(out, good[i].out);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(out, "??", 3);
        if (lum_chromosome_common_symbol(bad[i], out) != LUM_ERR_INVALID_ARG) TL_FAIL("\"%s\" accepted", bad[i]);
        CHECK_STR_EQ(out, "");
    }
    CHECK_INT_EQ(lum_chromosome_common_symbol(NULL, out), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_chromosome_common_symbol("NC_000001.1", NULL), LUM_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- timestamps */

static void iso8601_known_values(void)
{
    static const struct {
        int64_t t;
        const char *want;
    } t[] = {
        {0, "1970-01-01T00:00:00Z"},
        {951782400, "2000-02-29T00:00:00Z"},
        {951868799, "2000-02-29T23:59:59Z"},
        {951868800, "2000-03-01T00:00:00Z"},
        {4102444800LL, "2100-01-01T00:00:00Z"},
        {4107456000LL, "2100-02-28T00:00:00Z"},
        {4107542400LL, "2100-03-01T00:00:00Z"}, /* 2100 is not a leap year */
        {1551398400, "2019-03-01T00:00:00Z"},
        {1700000000, "2023-11-14T22:13:20Z"},
        {-1, "1969-12-31T23:59:59Z"},
        {-86400, "1969-12-31T00:00:00Z"},
        {-86401, "1969-12-30T23:59:59Z"},
        {-2208988800LL, "1900-01-01T00:00:00Z"},
        {-62135596800LL, "0001-01-01T00:00:00Z"},
        {-62167219200LL, "0000-01-01T00:00:00Z"},
        {253402300799LL, "9999-12-31T23:59:59Z"},
        {2147483647, "2038-01-19T03:14:07Z"},
    };
    char out[LUM_ISO8601_UTC_LEN];
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        CHECK_INT_EQ(lum_iso8601_utc(t[i].t, out), LUM_OK);
        CHECK_STR_EQ(out, t[i].want);
    }
    CHECK_INT_EQ(lum_iso8601_utc(253402300800LL, out), LUM_ERR_INVALID_ARG);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(lum_iso8601_utc(-62167219201LL, out), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_iso8601_utc(INT64_MAX, out), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_iso8601_utc(INT64_MIN, out), LUM_ERR_INVALID_ARG);
}

/* Every day from 1600 to 2400 (noon), against a plain calendar walk. */
static void iso8601_matches_a_calendar_walk(void)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 1600, m = 1, d = 1;
    int64_t t = -11676096000LL + 43200; /* 1600-01-01T12:00:00Z */
    char out[LUM_ISO8601_UTC_LEN], want[48];
    while (y < 2400) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        CHECK_INT_EQ(lum_iso8601_utc(t, out), LUM_OK);
        snprintf(want, sizeof want, "%04d-%02d-%02dT12:00:00Z", y, m, d);
        if (strcmp(out, want) != 0) TL_FAIL("t=%lld: %s, want %s", (long long)t, out, want);
        t += 86400;
        if (++d > mdays[m - 1] + (m == 2 && leap)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}

/* ---------------------------------------------------------------- authorization_metadata */

static void fill_authorization(lum_authorization *a, bool all_scopes)
{
    memset(a, 0, sizeof *a);
    a->present = 0x7f;
    strcpy(a->authorization_uuid, "21dde439-f110-4307-85e7-d4f474a4a39a");
    strcpy(a->client_uuid, "9d600268-9e3d-4a2f-93d3-5cb8f718f8ab");
    strcpy(a->product_uuid, "ef876efe-2080-4359-b7db-6407090aca55");
    a->create_timestamp = 951782400;
    a->is_active = true;
    strcpy(a->state, LUM_STATE_FULFILLABLE);
    if (!all_scopes) return;
    a->scopes.present = 0x3f;
    strcpy(a->scopes.dataset, "482f486c-0575-45fb-83e9-269622814029");
    strcpy(a->scopes.email, "zoe@example.com");
    strcpy(a->scopes.login, "9d600268-9e3d-4a2f-93d3-5cb8f718f8ab");
    a->scopes.name.present = 3;
    strcpy(a->scopes.name.first_name, "Zo\xc3\xab");
    strcpy(a->scopes.name.last_name, "O'Neil");
    a->scopes.address.present = 0x5d;
    strcpy(a->scopes.address.address1, "1 Main St");
    strcpy(a->scopes.address.city, "Springfield");
    strcpy(a->scopes.address.country, "US");
    strcpy(a->scopes.address.phone, "+1 555 0100");
    strcpy(a->scopes.address.zipcode, "62701");
    strcpy(a->scopes.sex, "female");
}

static void metadata_with_every_scope(void)
{
    lum_authorization a;
    lum_auth_metadata m;
    fill_authorization(&a, true);
    memset(&m, 0xee, sizeof m);
    CHECK_INT_EQ(lum_authorization_metadata(&a, &m), LUM_OK);
    CHECK_STR_EQ(m.customer, "9d600268-9e3d-4a2f-93d3-5cb8f718f8ab");
    CHECK_STR_EQ(m.product, "ef876efe-2080-4359-b7db-6407090aca55");
    CHECK_STR_EQ(m.authorization, "21dde439-f110-4307-85e7-d4f474a4a39a");
    CHECK_INT_EQ(m.created_timestamp, 951782400);
    CHECK_STR_EQ(m.created_timestamp_utc, "2000-02-29T00:00:00Z");
    /* login is not part of the reference's metadata */
    CHECK_INT_EQ(m.present, LUM_METADATA_HAS_DATASET | LUM_METADATA_HAS_CUSTOMER_EMAIL | LUM_METADATA_HAS_CUSTOMER_NAME |
                                LUM_METADATA_HAS_CUSTOMER_ADDRESS | LUM_METADATA_HAS_CUSTOMER_SEX);
    CHECK_STR_EQ(m.dataset, "482f486c-0575-45fb-83e9-269622814029");
    CHECK_STR_EQ(m.customer_email, "zoe@example.com");
    CHECK_STR_EQ(m.customer_name.first_name, "Zo\xc3\xab");
    CHECK_STR_EQ(m.customer_name.last_name, "O'Neil");
    CHECK_STR_EQ(m.customer_address.city, "Springfield");
    CHECK_INT_EQ(m.customer_address.present & LUM_CUSTOMER_ADDRESS_HAS_ADDRESS2, 0);
    CHECK_STR_EQ(m.customer_sex, "female");
}

static void metadata_without_scopes_has_only_the_ids(void)
{
    lum_authorization a;
    lum_auth_metadata m;
    fill_authorization(&a, false);
    a.create_timestamp = 4102444800LL;
    strcpy(a.scopes.dataset, "not granted"); /* ignored without its bit */
    memset(&m, 0xee, sizeof m);
    CHECK_INT_EQ(lum_authorization_metadata(&a, &m), LUM_OK);
    CHECK_INT_EQ(m.present, 0);
    CHECK_STR_EQ(m.created_timestamp_utc, "2100-01-01T00:00:00Z");
    CHECK_STR_EQ(m.dataset, "");
    CHECK_STR_EQ(m.customer_email, "");
    CHECK_STR_EQ(m.customer_name.first_name, "");
    a.create_timestamp = 0;
    CHECK_INT_EQ(lum_authorization_metadata(&a, &m), LUM_OK);
    CHECK_STR_EQ(m.created_timestamp_utc, "1970-01-01T00:00:00Z");
    a.create_timestamp = INT64_MAX;
    CHECK_INT_EQ(lum_authorization_metadata(&a, &m), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_authorization_metadata(NULL, &m), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_authorization_metadata(&a, NULL), LUM_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- authorization_dna_data */

static script s;
static lum_client c;
static uint8_t buf[512];
static char tsv[4096];
static size_t tsv_len;
static int writes, fail_write_at;

static int write_tsv(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    writes++;
    if (fail_write_at != 0 && writes >= fail_write_at) return 1;
    if (tsv_len + len < sizeof tsv) {
        memcpy(tsv + tsv_len, data, len);
        tsv_len += len;
        tsv[tsv_len] = '\0';
    }
    return 0;
}

static void serve(const char *response)
{
    script_conn *conn;
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, response);
    tsv_len = 0;
    tsv[0] = '\0';
    writes = 0;
    fail_write_at = 0;
}

#define CSNP(id, acc, loc, alleles)                                                                         \
    "{\"chromosome_accession\": \"" acc "\", \"genotyped_alleles\": " alleles ", \"location\": " loc ", " \
    "\"phased\": false, \"reference_genome\": \"NCBI36\", \"snp_id\": \"" id "\"}"

static const char group[] =
    "[" CSNP("rs429358", "NC_000019.8", "50103781", "[\"C\", \"T\"]") ", "
    CSNP("rs7412", "NC_000019.8", "50103919", "[]") ", "
    CSNP("i3000043", "NC_000023.9", "2709649", "[\"A\"]") ", "
    CSNP("rs2853499", "NC_012920.1", "16519", "[\"T\"]") ", "
    CSNP("rs12564807", "NC_000001.9", "734462", "[\"A\", \"A\"]") "]\n";

static void dna_data_streams_tsv_rows(void)
{
    lum_authorization a;
    lum_client_snp scratch;
    fill_authorization(&a, true);
    serve(fx_chunked("200 OK", group, (const size_t[]){37, 5, 111}, 3));
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_OK);
    CHECK_STR_EQ(tsv, "# rsid\tchromosome\tposition\tgenotype\n"
                      "rs429358\t19\t50103781\tCT\n"
                      "rs7412\t19\t50103919\t\n" /* a no-call: "".join([]) as the reference writes it */
                      "i3000043\tX\t2709649\tA\n"
                      "rs2853499\tMT\t16519\tT\n"
                      "rs12564807\t1\t734462\tAA\n");
    CHECK_INT_EQ(writes, 6); /* one per row: nothing accumulated */
    CHECK(strstr((const char *)s.sent, "GET /v1/clients/9d600268-9e3d-4a2f-93d3-5cb8f718f8ab/datasets/"
                                       "482f486c-0575-45fb-83e9-269622814029/snps/ HTTP/1.1") != NULL);
}

static void dna_data_of_an_empty_dataset_is_the_header(void)
{
    lum_authorization a;
    lum_client_snp scratch;
    fill_authorization(&a, true);
    serve(fx_ok("[]"));
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_OK);
    CHECK_STR_EQ(tsv, "# rsid\tchromosome\tposition\tgenotype\n");
}

static void dna_data_failures(void)
{
    lum_authorization a;
    lum_client_snp scratch;

    /* no dataset scope: nothing asked, nothing written */
    fill_authorization(&a, false);
    serve(fx_ok("[]"));
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(s.sent_len, 0);
    CHECK_INT_EQ(writes, 0);

    /* the server refuses: nothing written, its answer kept */
    fill_authorization(&a, true);
    serve(fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Authorization revoked\"}"));
    script_add_text(&s.conns[0], fx_auth_response);
    script_add_text(&s.conns[0], fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Authorization revoked\"}"));
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_ERR_UNAUTHORIZED);
    CHECK_STR_EQ(lum_client_error(&c)->message, "Authorization revoked");
    CHECK_INT_EQ(writes, 0);

    /* the writer fails: LUM_ERR_IO, the download stops */
    serve(fx_ok(group));
    fail_write_at = 3;
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_ERR_IO);
    CHECK_INT_EQ(writes, 3);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_IO);
    serve(fx_ok("[]"));
    fail_write_at = 1;
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_ERR_IO);

    /* a chromosome without a common symbol */
    serve(fx_ok("[" CSNP("rs1", "NC_000001.10", "5", "[\"A\"]") ", " CSNP("rs2", "NT_113956.1", "5", "[\"A\"]") "]"));
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, write_tsv, NULL), LUM_ERR_JSON_TYPE);
    CHECK_STR_EQ(lum_client_error(&c)->model, "ClientSNP");
    CHECK_STR_EQ(lum_client_error(&c)->field, "chromosome_accession");
    CHECK_STR_EQ(tsv, "# rsid\tchromosome\tposition\tgenotype\nrs1\t1\t5\tA\n");

    CHECK_INT_EQ(lum_authorization_dna_data(&c, NULL, &scratch, write_tsv, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, NULL, write_tsv, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_authorization_dna_data(&c, &a, &scratch, NULL, NULL), LUM_ERR_INVALID_ARG);
}

int main(void)
{
    RUN("helpers", chromosome_symbols);
    RUN("helpers", iso8601_known_values);
    RUN("helpers", iso8601_matches_a_calendar_walk);
    RUN("helpers", metadata_with_every_scope);
    RUN("helpers", metadata_without_scopes_has_only_the_ids);
    RUN("helpers", dna_data_streams_tsv_rows);
    RUN("helpers", dna_data_of_an_empty_dataset_is_the_header);
    RUN("helpers", dna_data_failures);
    return TESTS_DONE();
}
