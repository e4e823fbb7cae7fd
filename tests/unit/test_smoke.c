/*
 * First end-to-end checks of the client over the scripted transport: the
 * exact bytes of an authenticated request, and the decoded values of a
 * response fed in every possible split.
 */
#include <stdlib.h>
#include <string.h>

#include "lumminary.h"
#include "support/script.h"
#include "testlib.h"

static script s;
static lum_client c;
static uint8_t buf[2048];

static const char auth_response[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n"
    "{\"access_token\": \"aaa.bbb.ccc\"}";

static const char snp_body[] =
    "{\"snp_id\": \"rs429358\", \"chromosome_accession\": \"NC_000019.8\", \"location\": 50103781, "
    "\"genotyped_alleles\": [\"C\", \"T\"], \"phased\": false, \"reference_genome\": \"NCBI36\"}";

static void setup(void)
{
    lum_client_config cfg;
    script_init(&s);
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "api.example";
    cfg.product_uuid = "p-1";
    cfg.api_key = "k/e y";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &s.transport, &s.platform, buf, sizeof buf), LUM_OK);
}

static char response[4096];

static const char *ok_json(const char *body)
{
    snprintf(response, sizeof response,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    return response;
}

static void get_client_snp_sends_exact_bytes(void)
{
    script_conn *conn;
    lum_client_snp snp;
    static const char want[] =
        "POST /v1/auth/jwt HTTP/1.1\r\n"
        "Host: api.example\r\n"
        "User-Agent: lumminary-c/0.1\r\n"
        "Accept: application/json\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 49\r\n"
        "\r\n"
        "username=p-1&password=k%2Fe%20y&role=role_product"
        "GET /v1/clients/c%201/datasets/d%2F2/snps/rs429358 HTTP/1.1\r\n"
        "Host: api.example\r\n"
        "User-Agent: lumminary-c/0.1\r\n"
        "Accept: application/json\r\n"
        "Authorization: Bearer aaa.bbb.ccc\r\n"
        "\r\n";

    setup();
    conn = script_add_conn(&s);
    script_add_text(conn, auth_response);
    script_add_text(conn, ok_json(snp_body));
    CHECK_INT_EQ(lum_get_client_snp(&c, "c 1", "d/2", "rs429358", NULL, &snp), LUM_OK);
    CHECK_MEM_EQ(s.sent, s.sent_len, want, strlen(want));
    CHECK_STR_EQ(snp.snp_id, "rs429358");
    CHECK_STR_EQ(snp.chromosome_accession, "NC_000019.8");
    CHECK_INT_EQ(snp.location, 50103781);
    CHECK_INT_EQ(snp.genotyped_alleles_count, 2);
    CHECK_STR_EQ(snp.genotyped_alleles[0], "C");
    CHECK_STR_EQ(snp.genotyped_alleles[1], "T");
    CHECK_INT_EQ(snp.phased, 0);
    CHECK_STR_EQ(snp.reference_genome, "NCBI36");
    CHECK_INT_EQ(snp.present, 0x3f);
    CHECK_INT_EQ(s.connects, 1);
}

typedef struct collected {
    int n;
    long long location_sum;
    char last_id[LUM_MAX_RSID];
    char alleles[64];
} collected;

static int collect(void *user, const lum_client_snp *snp)
{
    collected *col = (collected *)user;
    size_t i;
    col->n++;
    col->location_sum += snp->location;
    strcpy(col->last_id, snp->snp_id);
    for (i = 0; i < snp->genotyped_alleles_count && strlen(col->alleles) < 60; i++)
        strcat(col->alleles, snp->genotyped_alleles[i]);
    strcat(col->alleles, "|");
    return 0;
}

static const char group_body[] =
    "[{\"snp_id\": \"rs1\", \"chromosome_accession\": \"NC_000001.10\", \"location\": 100, "
    "\"genotyped_alleles\": [\"A\", \"G\"], \"phased\": false, \"reference_genome\": \"GRCh37\"}, "
    "{\"snp_id\": \"rs\\u0032\", \"chromosome_accession\": \"NC_000001.10\", \"location\": 200, "
    "\"genotyped_alleles\": [], \"phased\": false, \"reference_genome\": \"GRCh37\", \"extra\": {\"a\": [1, 2, {\"b\": null}]}}, "
    "{\"snp_id\": \"rs3\", \"chromosome_accession\": \"NC_012920.1\", \"location\": 300, "
    "\"genotyped_alleles\": [\"T\"], \"phased\": true, \"reference_genome\": \"GRCh37\"}]";

/* The same list, chunked, split into recvs of every size from 1 byte up. */
static void snp_group_streams_in_every_split(void)
{
    static char chunked[4096];
    size_t split, half = strlen(group_body) / 2;
    snprintf(chunked, sizeof chunked,
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%zx;ext=1\r\n%.*s\r\n%zx\r\n%s\r\n0\r\nX-Trailer: t\r\n\r\n",
             half, (int)half, group_body, strlen(group_body) - half, group_body + half);
    for (split = 1; split <= strlen(chunked); split++) {
        script_conn *conn;
        lum_client_snp scratch;
        collected col;
        memset(&col, 0, sizeof col);
        setup();
        conn = script_add_conn(&s);
        script_add_text(conn, auth_response);
        script_add_text(conn, chunked)->chunk = split;
        if (lum_get_client_snp_group(&c, "c", "d", NULL, &scratch, collect, &col) != LUM_OK)
            TL_FAIL("split %zu: %s (%s.%s)", split, lum_strerror(c.err.code),
                    c.err.model ? c.err.model : "-", c.err.field ? c.err.field : "-");
        CHECK_INT_EQ(col.n, 3);
        CHECK_INT_EQ(col.location_sum, 600);
        CHECK_STR_EQ(col.last_id, "rs3");
        CHECK_STR_EQ(col.alleles, "AG||T|");
    }
}

/* Regression: the Content-Type buffer was 1 byte short, so the header went
   out empty and the sandbox answered 400. */
static void result_file_sends_exact_multipart(void)
{
    static const char body[] =
        "--lumminary-000102030405060708090a0b\r\n"
        "Content-Disposition: form-data; name=\"file_report\"; filename=\"r one.txt\"\r\n"
        "Content-Type: application/octet-stream\r\n"
        "\r\n"
        "hello\nworld"
        "\r\n--lumminary-000102030405060708090a0b--\r\n";
    static const char report_file[] =
        "{\"report_file_uuid\": \"rf-1\", \"authorization_uuid\": \"a-1\", \"create_timestamp\": 1700000000, "
        "\"file_location\": {\"filename_original\": \"r one.txt\", \"host\": \"sandbox\", \"path\": \"/reports/rf-1\"}}";
    char want[2048];
    script_conn *conn;
    lum_memory_source src;
    lum_reader reader;
    lum_report_file out;
    size_t auth_len;

    setup();
    conn = script_add_conn(&s);
    script_add_text(conn, auth_response);
    snprintf(response, sizeof response,
             "HTTP/1.1 201 CREATED\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(report_file), report_file);
    script_add_text(conn, response);
    lum_reader_memory(&reader, &src, "hello\nworld", 11, "r one.txt");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p-1", "a-1", &reader, "r one.txt", NULL, &out), LUM_OK);
    snprintf(want, sizeof want,
             "POST /v1/products/p-1/authorizations/a-1/file?original_filename=r%%20one.txt HTTP/1.1\r\n"
             "Host: api.example\r\n"
             "User-Agent: lumminary-c/0.1\r\n"
             "Accept: application/json\r\n"
             "Authorization: Bearer aaa.bbb.ccc\r\n"
             "Content-Type: multipart/form-data; boundary=lumminary-000102030405060708090a0b\r\n"
             "Content-Length: %zu\r\n"
             "\r\n%s",
             strlen(body), body);
    auth_len = s.conn_sent_start[0] + (size_t)(strstr((const char *)s.sent, "POST /v1/products") - (const char *)s.sent);
    CHECK_MEM_EQ(s.sent + auth_len, s.sent_len - auth_len, want, strlen(want));
    CHECK_STR_EQ(out.report_file_uuid, "rf-1");
    CHECK_INT_EQ(out.create_timestamp, 1700000000);
    CHECK_STR_EQ(out.file_location.filename_original, "r one.txt");
    CHECK_STR_EQ(out.file_location.path, "/reports/rf-1");
}

int main(void)
{
    RUN("smoke", get_client_snp_sends_exact_bytes);
    RUN("smoke", snp_group_streams_in_every_split);
    RUN("smoke", result_file_sends_exact_multipart);
    return TESTS_DONE();
}
