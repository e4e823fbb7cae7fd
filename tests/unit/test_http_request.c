/*
 * What goes on the wire: the exact bytes of every operation of api.h
 * (method, encoded path and query, headers, bodies: urlencoded forms, the
 * JSON list of post_client_snp_group, multipart with its boundary from the
 * fake entropy, chunked uploads), the refusals that send nothing, broken
 * readers, partial sends and a send that fails mid-body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "support/fixture.h"
#include "testlib.h"

static script s;
static lum_client c;
static uint8_t buf[2048];
static script_conn *conn;

#define COMMON "Host: api.example\r\nUser-Agent: lumminary-c/0.1\r\nAccept: application/json\r\n"
#define BEARER "Authorization: Bearer " FX_TOKEN "\r\n"
#define LOGIN_REQUEST                                                                         \
    "POST /v1/auth/jwt HTTP/1.1\r\n" COMMON                                                   \
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 49\r\n\r\n" FX_LOGIN_BODY
#define BOUNDARY "lumminary-000102030405060708090a0b"

/* A client with one connection that first answers the login. */
static void setup_with_login(void)
{
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
}

static void setup_cfg(const lum_client_config *cfg)
{
    fx_client(&s, &c, buf, sizeof buf, cfg);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
}

/* An expected byte stream, built request by request. */
static char want_buf[65536];
static size_t want_len;

static void want_reset(void)
{
    want_len = 0;
    want_buf[0] = '\0';
}

/* head: the request line and headers up to (not including) Content-Length. */
static void want_body(const char *head, const char *body)
{
    want_len += (size_t)snprintf(want_buf + want_len, sizeof want_buf - want_len, "%sContent-Length: %zu\r\n\r\n%s",
                                 head, strlen(body), body);
}

/* The bytes sent after the login. */
#define CHECK_SENT_AFTER_LOGIN(want)                                                         \
    do {                                                                                     \
        const char *w_ = (want);                                                             \
        CHECK_MEM_EQ(s.sent, sizeof LOGIN_REQUEST - 1 < s.sent_len ? sizeof LOGIN_REQUEST - 1 : s.sent_len, \
                     LOGIN_REQUEST, sizeof LOGIN_REQUEST - 1);                              \
        CHECK_MEM_EQ(s.sent + sizeof LOGIN_REQUEST - 1, s.sent_len - (sizeof LOGIN_REQUEST - 1), w_, strlen(w_)); \
    } while (0)

static int ignore_snp(void *user, const lum_client_snp *snp)
{
    (void)user;
    (void)snp;
    return 0;
}

static int ignore_authorization(void *user, const lum_authorization *a)
{
    (void)user;
    (void)a;
    return 0;
}

static const char snp_body[] =
    "{\"snp_id\": \"rs1\", \"chromosome_accession\": \"NC_000001.10\", \"location\": 1, "
    "\"genotyped_alleles\": [\"A\"], \"phased\": false, \"reference_genome\": \"GRCh37\"}";
static const char authz_body[] =
    "{\"authorization_uuid\": \"a\", \"client_uuid\": \"c\", \"product_uuid\": \"p\", \"create_timestamp\": 1, "
    "\"is_active\": true, \"scopes\": {}, \"state\": \"s\"}";
static const char file_body[] =
    "{\"report_file_uuid\": \"f\", \"authorization_uuid\": \"a\", \"create_timestamp\": 1, "
    "\"file_location\": {\"filename_original\": \"r\", \"host\": \"h\", \"path\": \"/p\"}}";
static const char creds_body[] =
    "{\"report_credentials_uuid\": \"r\", \"authorization_uuid\": \"a\", \"create_timestamp\": 1}";

/* ---------------------------------------------------------------- operations */

static void post_jwt_auth_bytes(void)
{
    lum_javascript_web_token jwt;
    want_reset();
    want_body("POST /v1/auth/jwt HTTP/1.1\r\n" COMMON "X-Fields: access_token\r\n"
              "Content-Type: application/x-www-form-urlencoded\r\n",
              "username=prod%20uuid&password=k%26%3D%2B%25%C3%A9~._-&role=role_x");
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_auth_response);
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "prod uuid", "k&=+%\xc3\xa9~._-", "role_x", "access_token", &jwt), LUM_OK);
    CHECK_MEM_EQ(s.sent, s.sent_len, want_buf, want_len);
    CHECK_STR_EQ(jwt.access_token, FX_TOKEN);
    /* NULL role: role_product. No X-Fields. */
    s.sent_len = 0;
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "p-1", "k/e y", NULL, NULL, &jwt), LUM_OK);
    CHECK_MEM_EQ(s.sent, s.sent_len, LOGIN_REQUEST, sizeof LOGIN_REQUEST - 1);
    /* Required arguments. */
    CHECK_INT_EQ(lum_post_jwt_auth(&c, NULL, "k", NULL, NULL, &jwt), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", NULL, NULL, NULL, &jwt), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "k", NULL, NULL, NULL), LUM_ERR_INVALID_ARG);
}

static void get_product_bytes(void)
{
    lum_product out;
    setup_with_login();
    script_add_text(conn, fx_ok("{\"product_uuid\": \"p\", \"authorized_scopes\": [], \"snps_authorized\": [], "
                                "\"snps_authorized_any\": true, \"snps_min_required\": [], \"snps_min_required_any\": true}"));
    CHECK_INT_EQ(lum_get_product(&c, "p/1 x?#%", NULL, &out, NULL, NULL), LUM_OK);
    CHECK_SENT_AFTER_LOGIN("GET /v1/products/p%2F1%20x%3F%23%25 HTTP/1.1\r\n" COMMON BEARER "\r\n");
}

static void get_authorizations_queue_bytes(void)
{
    lum_authorization scratch;
    char list[512];
    snprintf(list, sizeof list, "[%s]", authz_body);
    setup_with_login();
    script_add_text(conn, fx_ok(list));
    script_add_text(conn, fx_ok("[]"));
    script_add_text(conn, fx_ok("[]"));
    script_add_text(conn, fx_ok("[]"));
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", 17, NULL, &scratch, ignore_authorization, NULL), LUM_OK);
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", LUM_SEQ_NONE, "authorization_uuid,sequence_number", &scratch,
                                              ignore_authorization, NULL),
                 LUM_OK);
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", 0, NULL, &scratch, ignore_authorization, NULL), LUM_OK);
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", INT64_MAX, NULL, &scratch, ignore_authorization, NULL), LUM_OK);
    CHECK_SENT_AFTER_LOGIN("GET /v1/products/p/authorizations?seq_num_start=17 HTTP/1.1\r\n" COMMON BEARER "\r\n"
                           "GET /v1/products/p/authorizations HTTP/1.1\r\n" COMMON BEARER
                           "X-Fields: authorization_uuid,sequence_number\r\n\r\n"
                           "GET /v1/products/p/authorizations?seq_num_start=0 HTTP/1.1\r\n" COMMON BEARER "\r\n"
                           "GET /v1/products/p/authorizations?seq_num_start=9223372036854775807 HTTP/1.1\r\n" COMMON
                           BEARER "\r\n");
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", 1, NULL, NULL, ignore_authorization, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_authorizations_queue(&c, "p", 1, NULL, &scratch, NULL, NULL), LUM_ERR_INVALID_ARG);
}

static void product_authorization_operations_bytes(void)
{
    lum_authorization out;
    setup_with_login();
    script_add_text(conn, fx_ok(authz_body));
    script_add_text(conn, fx_response("201 CREATED", "", ""));
    script_add_text(conn, fx_ok(authz_body));
    script_add_text(conn, fx_ok(authz_body));
    CHECK_INT_EQ(lum_get_product_authorization(&c, "p", "a b", "{authorization_uuid,scopes{dataset}}", &out), LUM_OK);
    CHECK_INT_EQ(lum_post_product_authorization(&c, "p", "a"), LUM_OK);
    CHECK_INT_EQ(lum_post_product_authorization_unfulfillable(&c, "p", "a", NULL, &out), LUM_OK);
    CHECK_STR_EQ(out.authorization_uuid, "a");
    CHECK_INT_EQ(lum_post_product_authorization_unfulfillable(&c, "p", "a", NULL, NULL), LUM_OK);
    CHECK_SENT_AFTER_LOGIN(
        "GET /v1/products/p/authorizations/a%20b HTTP/1.1\r\n" COMMON BEARER
        "X-Fields: {authorization_uuid,scopes{dataset}}\r\n\r\n"
        "POST /v1/products/p/authorizations/a HTTP/1.1\r\n" COMMON BEARER "Content-Length: 0\r\n\r\n"
        "POST /v1/products/p/authorizations/a/unfulfillable HTTP/1.1\r\n" COMMON BEARER "Content-Length: 0\r\n\r\n"
        "POST /v1/products/p/authorizations/a/unfulfillable HTTP/1.1\r\n" COMMON BEARER "Content-Length: 0\r\n\r\n");
    CHECK_INT_EQ(lum_get_product_authorization(&c, "p", "a", NULL, NULL), LUM_ERR_INVALID_ARG);
}

static void client_snp_operations_bytes(void)
{
    lum_client_snp out;
    setup_with_login();
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, fx_ok("[]"));
    CHECK_INT_EQ(lum_get_client_snp(&c, "c\xc3\xa9", "d", "rs1", "snp_id,genotyped_alleles", &out), LUM_OK);
    CHECK_INT_EQ(lum_get_client_snp_group(&c, "c", "d-1_2.3~", NULL, &out, ignore_snp, NULL), LUM_OK);
    CHECK_SENT_AFTER_LOGIN("GET /v1/clients/c%C3%A9/datasets/d/snps/rs1 HTTP/1.1\r\n" COMMON BEARER
                           "X-Fields: snp_id,genotyped_alleles\r\n\r\n"
                           "GET /v1/clients/c/datasets/d-1_2.3~/snps/ HTTP/1.1\r\n" COMMON BEARER "\r\n");
    CHECK_INT_EQ(lum_get_client_snp(&c, "c", "d", "rs1", NULL, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_client_snp_group(&c, "c", "d", NULL, NULL, ignore_snp, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_client_snp_group(&c, "c", "d", NULL, &out, NULL, NULL), LUM_ERR_INVALID_ARG);
}

static void post_client_snp_group_bytes(void)
{
    static const char *const rsids[] = {"rs429358", "i3003137", "a\"b\\c\x01/\xc3\xa9"};
    lum_client_snp scratch;
    setup_with_login();
    script_add_text(conn, fx_ok("[]"));
    script_add_text(conn, fx_ok("[]"));
    CHECK_INT_EQ(lum_post_client_snp_group(&c, "c", "d", rsids, 3, "snp_id", &scratch, ignore_snp, NULL), LUM_OK);
    /* An empty list is "[]", also with a NULL array. */
    CHECK_INT_EQ(lum_post_client_snp_group(&c, "c", "d", NULL, 0, NULL, &scratch, ignore_snp, NULL), LUM_OK);
    /* ["rs429358","i3003137","a\"b\\c\u0001/é"], percent-encoded */
    want_reset();
    want_body("POST /v1/clients/c/datasets/d/snps/ HTTP/1.1\r\n" COMMON BEARER
              "X-Fields: snp_id\r\nContent-Type: application/x-www-form-urlencoded\r\n",
              "snps=%5B%22rs429358%22%2C%22i3003137%22%2C%22a%5C%22b%5C%5Cc%5Cu0001%2F%C3%A9%22%5D");
    want_body("POST /v1/clients/c/datasets/d/snps/ HTTP/1.1\r\n" COMMON BEARER
              "Content-Type: application/x-www-form-urlencoded\r\n",
              "snps=%5B%5D");
    CHECK_SENT_AFTER_LOGIN(want_buf);
    CHECK_INT_EQ(lum_post_client_snp_group(&c, "c", "d", NULL, 1, NULL, &scratch, ignore_snp, NULL), LUM_ERR_INVALID_ARG);
    {
        static const char *const with_null[] = {"rs1", NULL};
        CHECK_INT_EQ(lum_post_client_snp_group(&c, "c", "d", with_null, 2, NULL, &scratch, ignore_snp, NULL),
                     LUM_ERR_INVALID_ARG);
    }
}

static void post_credentials_bytes(void)
{
    lum_report_credentials out;
    setup_with_login();
    script_add_text(conn, fx_response("201 CREATED", "", creds_body));
    script_add_text(conn, fx_response("201 CREATED", "", creds_body));
    script_add_text(conn, fx_response("201 CREATED", "", creds_body));
    CHECK_INT_EQ(lum_post_authorization_result_credentials(&c, "p", "a", "jane doe", "p@ss&w=rd",
                                                           "https://r.example/x?a=1", NULL, &out),
                 LUM_OK);
    CHECK_STR_EQ(out.report_credentials_uuid, "r");
    CHECK_INT_EQ(lum_post_authorization_result_credentials(&c, "p", "a", NULL, "pw", NULL, "report_url", NULL), LUM_OK);
    CHECK_INT_EQ(lum_post_authorization_result_credentials(&c, "p", "a", NULL, NULL, NULL, NULL, NULL), LUM_OK);
    want_reset();
    want_body("POST /v1/products/p/authorizations/a/credentials HTTP/1.1\r\n" COMMON BEARER
              "Content-Type: application/x-www-form-urlencoded\r\n",
              "credentials_username=jane%20doe&credentials_password=p%40ss%26w%3Drd&"
              "report_url=https%3A%2F%2Fr.example%2Fx%3Fa%3D1");
    want_body("POST /v1/products/p/authorizations/a/credentials HTTP/1.1\r\n" COMMON BEARER
              "X-Fields: report_url\r\nContent-Type: application/x-www-form-urlencoded\r\n",
              "credentials_password=pw");
    want_body("POST /v1/products/p/authorizations/a/credentials HTTP/1.1\r\n" COMMON BEARER
              "Content-Type: application/x-www-form-urlencoded\r\n",
              "");
    CHECK_SENT_AFTER_LOGIN(want_buf);
}

/* ---------------------------------------------------------------- uploads */

static char expected[65536];

/* The multipart body for a file part named `filename` holding data[0..n). */
static size_t multipart(char *out, size_t cap, const char *boundary, const char *filename, const char *data, size_t n)
{
    size_t o = (size_t)snprintf(out, cap,
                                "--%s\r\nContent-Disposition: form-data; name=\"file_report\"; filename=\"%s\"\r\n"
                                "Content-Type: application/octet-stream\r\n\r\n",
                                boundary, filename);
    memcpy(out + o, data, n);
    o += n;
    o += (size_t)snprintf(out + o, cap - o, "\r\n--%s--\r\n", boundary);
    return o;
}

static void upload_with_known_size_bytes(void)
{
    static const char report[] = "# rsid\tchromosome\tposition\tgenotype\nrs429358\t19\t45411941\tCT\n";
    static char want[4096];
    lum_memory_source src;
    lum_reader reader;
    lum_report_file out;
    size_t body_len, o;
    setup_with_login();
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    lum_reader_memory(&reader, &src, report, sizeof report - 1, NULL);
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, "r\xc3\xa9port 1.tsv", "report_file_uuid",
                                                    &out),
                 LUM_OK);
    body_len = multipart(expected, sizeof expected, BOUNDARY, "r\xc3\xa9port 1.tsv", report, sizeof report - 1);
    o = (size_t)snprintf(want, sizeof want,
                         "POST /v1/products/p/authorizations/a/file?original_filename=r%%C3%%A9port%%201.tsv HTTP/1.1\r\n"
                         COMMON BEARER "X-Fields: report_file_uuid\r\n"
                         "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\nContent-Length: %zu\r\n\r\n",
                         body_len);
    memcpy(want + o, expected, body_len);
    CHECK_SENT_AFTER_LOGIN(want);
    CHECK_INT_EQ(out.create_timestamp, 1);
}

/* The file name: the reader's, else original_filename, else "report";
   quotes and line breaks in it are percent-encoded. No query without
   original_filename. The boundary is new for every upload. */
static void upload_file_names_and_boundaries(void)
{
    static char want[4096];
    lum_memory_source src;
    lum_reader reader;
    size_t body_len, o;
    setup_with_login();
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    lum_reader_memory(&reader, &src, "", 0, "my \"best\"\r\nreport.pdf");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_OK);
    body_len = multipart(expected, sizeof expected, BOUNDARY, "my %22best%22%0D%0Areport.pdf", "", 0);
    o = (size_t)snprintf(want, sizeof want,
                         "POST /v1/products/p/authorizations/a/file HTTP/1.1\r\n" COMMON BEARER
                         "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\nContent-Length: %zu\r\n\r\n",
                         body_len);
    memcpy(want + o, expected, body_len);
    want[o + body_len] = '\0';
    {
        size_t first_len = o + body_len, second;
        CHECK_MEM_EQ(s.sent + sizeof LOGIN_REQUEST - 1, first_len, want, first_len);
        second = s.sent_len;
        lum_reader_memory(&reader, &src, "x", 1, NULL);
        CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_OK);
        body_len = multipart(expected, sizeof expected, "lumminary-0c0d0e0f1011121314151617", "report", "x", 1);
        o = (size_t)snprintf(want, sizeof want,
                             "POST /v1/products/p/authorizations/a/file HTTP/1.1\r\n" COMMON BEARER
                             "Content-Type: multipart/form-data; boundary=lumminary-0c0d0e0f1011121314151617\r\n"
                             "Content-Length: %zu\r\n\r\n",
                             body_len);
        memcpy(want + o, expected, body_len);
        CHECK_MEM_EQ(s.sent + second, s.sent_len - second, want, o + body_len);
    }
}

/* Decodes the chunked body that follows the head of the request at sent[from..]. */
static int sent_chunked_body(size_t from, uint8_t *out, size_t cap, size_t *len)
{
    static uint8_t work[SCRIPT_SENT_CAP];
    struct lum_http_response r;
    const uint8_t *p = s.sent + from, *end = s.sent + s.sent_len;
    const uint8_t *body = NULL;
    int n;
    for (; p + 4 <= end; p++)
        if (memcmp(p, "\r\n\r\n", 4) == 0) {
            body = p + 4;
            break;
        }
    if (body == NULL) return -1;
    memset(&r, 0, sizeof r);
    memcpy(work, body, (size_t)(end - body));
    n = lum_http_dechunk(&r, work, (size_t)(end - body));
    if (n < 0 || !r.done || (size_t)n > cap) return -1;
    memcpy(out, work, (size_t)n);
    *len = (size_t)n;
    return 0;
}

/* A reader of unknown size that hands out at most `step` bytes per read. */
typedef struct trickle {
    const char *data;
    size_t len, pos, step;
    int fail_at_read; /* > 0: this read (1-based) returns -1 */
    int reads;
    int overrun;      /* return one more byte than asked, once */
} trickle;

static int trickle_read(void *ctx, uint8_t *out, size_t cap)
{
    trickle *t = (trickle *)ctx;
    size_t n = t->len - t->pos;
    t->reads++;
    if (t->fail_at_read > 0 && t->reads == t->fail_at_read) return -1;
    if (n > cap) n = cap;
    if (n > t->step) n = t->step;
    if (t->overrun && n > 0) {
        t->overrun = 0;
        return (int)cap + 1;
    }
    memcpy(out, t->data + t->pos, n);
    t->pos += n;
    return (int)n;
}

static int trickle_rewind(void *ctx)
{
    ((trickle *)ctx)->pos = 0;
    return 0;
}

static void upload_with_unknown_size_is_chunked(void)
{
    static char data[10000];
    static uint8_t body[65536];
    static char want_head[1024];
    trickle t;
    lum_reader reader;
    size_t body_len, got_len, i, head_len;
    int steps;
    for (i = 0; i < sizeof data; i++) data[i] = (char)(i * 7 + i / 300);
    for (steps = 0; steps < 3; steps++) {
        static const size_t step_sizes[3] = {10000, 333, 1};
        size_t from;
        memset(&t, 0, sizeof t);
        t.data = data;
        t.len = steps == 2 ? 50 : sizeof data;
        t.step = step_sizes[steps];
        reader.ctx = &t;
        reader.read = trickle_read;
        reader.rewind = trickle_rewind;
        reader.size = -1;
        reader.name = "stream.bin";
        setup_with_login();
        script_add_text(conn, fx_response("201 CREATED", "", file_body));
        from = sizeof LOGIN_REQUEST - 1;
        CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_OK);
        head_len = (size_t)snprintf(want_head, sizeof want_head,
                                    "POST /v1/products/p/authorizations/a/file HTTP/1.1\r\n" COMMON BEARER
                                    "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n");
        CHECK_MEM_EQ(s.sent + from, head_len, want_head, head_len);
        CHECK_INT_EQ(sent_chunked_body(from, body, sizeof body, &got_len), 0);
        body_len = multipart(expected, sizeof expected, BOUNDARY, "stream.bin", data, t.len);
        CHECK_MEM_EQ(body, got_len, expected, body_len);
        CHECK_INT_EQ(fx_count_sent(&s, 0, "Content-Length"), 1); /* the login's only */
    }
    /* A small body is one chunk: exact bytes. */
    memset(&t, 0, sizeof t);
    t.data = "hello";
    t.len = 5;
    t.step = 5;
    reader.name = NULL;
    setup_with_login();
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, "h.txt", NULL, NULL), LUM_OK);
    body_len = multipart(expected, sizeof expected, BOUNDARY, "h.txt", "hello", 5);
    head_len = (size_t)snprintf(want_head, sizeof want_head,
                                "POST /v1/products/p/authorizations/a/file?original_filename=h.txt HTTP/1.1\r\n" COMMON
                                BEARER "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n%zx\r\n",
                                body_len);
    {
        static char want[4096];
        memcpy(want, want_head, head_len);
        memcpy(want + head_len, expected, body_len);
        memcpy(want + head_len + body_len, "\r\n0\r\n\r\n", 8);
        CHECK_SENT_AFTER_LOGIN(want);
    }
}

static void broken_readers_fail_with_io(void)
{
    static char data[5000];
    trickle t;
    lum_reader reader;
    lum_memory_source src;
    int variant;
    memset(data, 'd', sizeof data);
    /* A reader that ends before its size, one that goes on after it. */
    for (variant = 0; variant < 2; variant++) {
        setup_with_login();
        script_add_text(conn, fx_response("201 CREATED", "", file_body));
        lum_reader_memory(&reader, &src, data, sizeof data, "r");
        reader.size = variant == 0 ? (int64_t)sizeof data + 1 : (int64_t)sizeof data - 1;
        CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_ERR_IO);
        CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_IO);
        /* The server saw a body that does not match its length: the connection goes. */
        CHECK_INT_EQ(s.closes, 1);
        CHECK(!c.connected);
    }
    /* A reader that fails, of known size and of unknown size. */
    for (variant = 0; variant < 2; variant++) {
        memset(&t, 0, sizeof t);
        t.data = data;
        t.len = sizeof data;
        t.step = 1000;
        t.fail_at_read = 3;
        reader.ctx = &t;
        reader.read = trickle_read;
        reader.rewind = trickle_rewind;
        reader.size = variant == 0 ? (int64_t)sizeof data : -1;
        reader.name = "r";
        setup_with_login();
        script_add_text(conn, fx_response("201 CREATED", "", file_body));
        CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_ERR_IO);
        CHECK_INT_EQ(t.reads, 3);
        CHECK_INT_EQ(s.closes, 1);
    }
    /* A reader that claims more bytes than it was given room for. */
    memset(&t, 0, sizeof t);
    t.data = data;
    t.len = sizeof data;
    t.step = 1000;
    t.overrun = 1;
    reader.size = sizeof data;
    setup_with_login();
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_ERR_IO);
    /* No reader. */
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", NULL, NULL, NULL, NULL), LUM_ERR_INVALID_ARG);
    reader.read = NULL;
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_ERR_INVALID_ARG);
}

static int failing_entropy(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    (void)out;
    (void)len;
    return LUM_ERR_ENTROPY;
}

static void upload_without_entropy_sends_nothing(void)
{
    lum_memory_source src;
    lum_reader reader;
    setup_with_login();
    s.platform.entropy = failing_entropy;
    lum_reader_memory(&reader, &src, "x", 1, NULL);
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_ERR_ENTROPY);
    CHECK_INT_EQ(s.sent_len, 0);
}

/* ---------------------------------------------------------------- hosts and paths */

static void host_header_and_base_path(void)
{
    static const struct {
        const char *host;
        uint16_t port;
        const char *base;
        const char *request_line;
        const char *host_line;
    } cases[] = {
        {"api.example", 0, NULL, "GET /v1/products/p HTTP/1.1\r\n", "Host: api.example\r\n"},
        {"api.example", 443, "", "GET /products/p HTTP/1.1\r\n", "Host: api.example\r\n"},
        {"127.0.0.1", 8443, "/api/v1", "GET /api/v1/products/p HTTP/1.1\r\n", "Host: 127.0.0.1:8443\r\n"},
        {"::1", 0, NULL, "GET /v1/products/p HTTP/1.1\r\n", "Host: [::1]\r\n"},
        {"fe80::1", 4443, NULL, "GET /v1/products/p HTTP/1.1\r\n", "Host: [fe80::1]:4443\r\n"},
        {"sandbox-api.lumminary.com", 65535, "/v1", "GET /v1/products/p HTTP/1.1\r\n",
         "Host: sandbox-api.lumminary.com:65535\r\n"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lum_client_config cfg;
        lum_product out;
        char want[256];
        memset(&cfg, 0, sizeof cfg);
        cfg.host = cases[i].host;
        cfg.port = cases[i].port;
        cfg.base_path = cases[i].base;
        cfg.product_uuid = "p-1";
        cfg.api_key = "k/e y";
        setup_cfg(&cfg);
        script_add_text(conn, fx_ok("{}"));
        CHECK_INT_EQ(lum_get_product(&c, "p", "product_uuid", &out, NULL, NULL), LUM_OK);
        CHECK_STR_EQ(s.connect_host, cases[i].host);
        CHECK_INT_EQ(s.connect_port, cases[i].port != 0 ? cases[i].port : 443);
        snprintf(want, sizeof want, "%s%sUser-Agent", cases[i].request_line, cases[i].host_line);
        if (fx_count_sent(&s, 0, want) != 1) TL_FAIL("case %zu: no \"%s\"", i, want);
        if (fx_count_sent(&s, 0, cases[i].host_line) != 2) TL_FAIL("case %zu: login without \"%s\"", i, cases[i].host_line);
    }
}

/* ---------------------------------------------------------------- refusals */

static void header_injection_is_refused_before_sending(void)
{
    static const char *const masks[] = {"snp_id\r\nX-Evil: 1", "snp_id\n", "snp\rid", "a\tb", "\x7f", "a\x1b"};
    size_t i;
    for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        lum_client_snp out;
        lum_javascript_web_token jwt;
        setup_with_login();
        CHECK_INT_EQ(lum_get_client_snp(&c, "c", "d", "rs1", masks[i], &out), LUM_ERR_INVALID_ARG);
        CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_INVALID_ARG);
        CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, masks[i], &jwt), LUM_ERR_INVALID_ARG);
        CHECK_INT_EQ(s.connects, 0);
        CHECK_INT_EQ(s.sent_len, 0);
    }
    /* UTF-8 and punctuation are fine in a mask. */
    {
        lum_client_snp out;
        setup_with_login();
        script_add_text(conn, fx_ok("{}"));
        CHECK_INT_EQ(lum_get_client_snp(&c, "c", "d", "rs1", "{snp_id,\xc3\xa9}*", &out), LUM_OK);
        CHECK_INT_EQ(fx_count_sent(&s, 0, "X-Fields: {snp_id,\xc3\xa9}*\r\n"), 1);
    }
}

/* Path arguments cannot add segments or break the request line: they are
   percent-encoded, and an empty one (which would address another resource)
   or a missing one is refused. */
static void path_arguments(void)
{
    static const struct {
        const char *a, *b, *c;
    } refused[] = {
        {"", "d", "rs1"}, {"c", "", "rs1"}, {"c", "d", ""}, {NULL, "d", "rs1"}, {"c", NULL, "rs1"}, {"c", "d", NULL},
    };
    lum_client_snp out;
    size_t i;
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        setup_with_login();
        CHECK_INT_EQ(lum_get_client_snp(&c, refused[i].a, refused[i].b, refused[i].c, NULL, &out), LUM_ERR_INVALID_ARG);
        CHECK_INT_EQ(s.sent_len, 0);
        CHECK_INT_EQ(s.connects, 0);
    }
    setup_with_login();
    CHECK_INT_EQ(lum_post_product_authorization(&c, "", "a"), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_post_product_authorization(&c, "p", NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(s.sent_len, 0);

    setup_with_login();
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_client_snp(&c, "..", "a/../../x", "rs1 HTTP/1.1\r\nX: y", NULL, &out), LUM_OK);
    CHECK_SENT_AFTER_LOGIN("GET /v1/clients/../datasets/a%2F..%2F..%2Fx/snps/rs1%20HTTP%2F1.1%0D%0AX%3A%20y HTTP/1.1\r\n"
                           COMMON BEARER "\r\n");
}

/* ---------------------------------------------------------------- transport behaviour */

/* However the transport takes the bytes, the stream is the same. */
static void partial_sends_give_the_same_bytes(void)
{
    static uint8_t reference[16384];
    static char data[5000];
    size_t reference_len = 0, i;
    static const size_t chunks[] = {0, 1, 3, 7, 100, 2047};
    for (i = 0; i < sizeof data; i++) data[i] = (char)('A' + i % 61);
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        static const char *const rsids[] = {"rs1", "rs2"};
        lum_memory_source src;
        lum_reader reader;
        lum_client_snp scratch;
        setup_with_login();
        conn->send_chunk = chunks[i];
        script_add_text(conn, fx_response("201 CREATED", "", file_body));
        script_add_text(conn, fx_ok("[]"));
        lum_reader_memory(&reader, &src, data, sizeof data, "r");
        CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, "r", NULL, NULL), LUM_OK);
        CHECK_INT_EQ(lum_post_client_snp_group(&c, "c", "d", rsids, 2, NULL, &scratch, ignore_snp, NULL), LUM_OK);
        if (i == 0) {
            memcpy(reference, s.sent, s.sent_len);
            reference_len = s.sent_len;
            CHECK(reference_len > sizeof data);
        } else {
            CHECK_MEM_EQ(s.sent, s.sent_len, reference, reference_len);
        }
    }
}

static void send_failing_mid_body(void)
{
    static char data[5000];
    lum_memory_source src;
    lum_reader reader;
    memset(data, 'z', sizeof data);
    setup_with_login();
    conn->end = SCRIPT_END_CLOSE; /* the upload gets a connection of its own */
    conn = script_add_conn(&s);
    conn->send_fail_after = 3000;
    lum_reader_memory(&reader, &src, data, sizeof data, "r");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_ERR_CLOSED);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_CLOSED);
    CHECK_INT_EQ(s.sent_len - s.conn_sent_start[1], 3000);
    CHECK_INT_EQ(s.closes, 2);
    CHECK_INT_EQ(s.connects, 2); /* a fresh connection: not retried */
}

static int zero_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    script *sc = (script *)ctx;
    (void)data;
    (void)len;
    sc->clock_ms += timeout_ms; /* a full send buffer: nothing goes for the whole wait */
    return 0;
}

static int overlong_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)data;
    (void)timeout_ms;
    return (int)len + 1;
}

static void stuck_and_broken_sends(void)
{
    lum_javascript_web_token jwt;
    uint32_t t0;
    /* A peer that accepts nothing: LUM_ERR_TIMEOUT after io_timeout_ms. */
    fx_client(&s, &c, buf, sizeof buf, NULL);
    script_add_conn(&s);
    s.transport.send = zero_send;
    t0 = s.clock_ms;
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, NULL, &jwt), LUM_ERR_TIMEOUT);
    CHECK_INT_EQ(s.clock_ms - t0, LUM_DEFAULT_IO_TIMEOUT_MS);
    /* A port that claims to have sent more than it was given. */
    fx_client(&s, &c, buf, sizeof buf, NULL);
    script_add_conn(&s);
    s.transport.send = overlong_send;
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, NULL, &jwt), LUM_ERR_TRANSPORT);
}

/* The request head and a small body leave in one send; a large body in
   buffer-sized sends. */
static void small_requests_are_one_send(void)
{
    static char data[5000];
    lum_javascript_web_token jwt;
    lum_memory_source src;
    lum_reader reader;
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    script_add_text(conn, fx_response("201 CREATED", "", file_body));
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, NULL, &jwt), LUM_OK);
    CHECK_INT_EQ(s.sends, 1);
    lum_reader_memory(&reader, &src, data, 100, "r");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_OK);
    CHECK_INT_EQ(s.sends, 1 + 2); /* its login, then the upload */
    lum_reader_memory(&reader, &src, data, sizeof data, "r");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, NULL), LUM_OK);
    CHECK_INT_EQ(s.sends, 3 + 3); /* about 5.3 KiB through a 2 KiB buffer */
}

int main(void)
{
    RUN("http_request", post_jwt_auth_bytes);
    RUN("http_request", get_product_bytes);
    RUN("http_request", get_authorizations_queue_bytes);
    RUN("http_request", product_authorization_operations_bytes);
    RUN("http_request", client_snp_operations_bytes);
    RUN("http_request", post_client_snp_group_bytes);
    RUN("http_request", post_credentials_bytes);
    RUN("http_request", upload_with_known_size_bytes);
    RUN("http_request", upload_file_names_and_boundaries);
    RUN("http_request", upload_with_unknown_size_is_chunked);
    RUN("http_request", broken_readers_fail_with_io);
    RUN("http_request", upload_without_entropy_sends_nothing);
    RUN("http_request", host_header_and_base_path);
    RUN("http_request", header_injection_is_refused_before_sending);
    RUN("http_request", path_arguments);
    RUN("http_request", partial_sends_give_the_same_bytes);
    RUN("http_request", send_failing_mid_body);
    RUN("http_request", stuck_and_broken_sends);
    RUN("http_request", small_requests_are_one_send);
    return TESTS_DONE();
}
