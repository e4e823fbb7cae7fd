/*
 * The client's request policy over the scripted transport: configuration,
 * the token lifecycle on the fake clock, keep-alive reuse and reconnection,
 * the retry rules (stale connection, 401), status mapping with the server's
 * message, Retry-After, and the timeouts.
 */
#include <stdio.h>
#include <string.h>

#include "support/fixture.h"
#include "testlib.h"

static script s;
static lum_client c;
static uint8_t buf[2048];

static const char snp_body[] =
    "{\"snp_id\": \"rs429358\", \"chromosome_accession\": \"NC_000019.9\", \"location\": 45411941, "
    "\"genotyped_alleles\": [\"C\", \"T\"], \"phased\": false, \"reference_genome\": \"GRCh37\"}";

static const char *login(const char *token)
{
    static char body[8][128];
    static unsigned next;
    char *b = body[next++ % 8];
    snprintf(b, sizeof body[0], "{\"access_token\": \"%s\"}", token);
    return fx_ok(b);
}

/* A client whose connections are kept for a minute (so token tests are not
   mixed with idle reconnects), with the given io / request timeouts. */
static int setup(uint32_t idle_reuse_ms, uint32_t io_timeout_ms, uint32_t request_timeout_ms)
{
    lum_client_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "api.example";
    cfg.product_uuid = "p-1";
    cfg.api_key = "k/e y";
    cfg.idle_reuse_ms = idle_reuse_ms;
    cfg.io_timeout_ms = io_timeout_ms;
    cfg.request_timeout_ms = request_timeout_ms;
    return fx_client(&s, &c, buf, sizeof buf, &cfg);
}

static int get_snp(void)
{
    lum_client_snp snp;
    return lum_get_client_snp(&c, "c", "d", "rs429358", NULL, &snp);
}

#define REQUESTS(from) fx_count_sent(&s, (from), " HTTP/1.1\r\nHost: ")
#define LOGINS(from) fx_count_sent(&s, (from), "POST /v1/auth/jwt ")

/* ---------------------------------------------------------------- init */

static void init_validates_its_arguments(void)
{
    lum_client_config cfg;
    lum_transport t;
    lum_platform p;
    char long_host[LUM_MAX_HOST + 1], long_key[LUM_MAX_API_KEY + 1];
    script_init(&s);
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "h";
    t = s.transport;
    p = s.platform;

    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_OK);
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 511), LUM_ERR_BUFFER_TOO_SMALL);
    CHECK_INT_EQ(lum_client_init(NULL, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_client_init(&c, NULL, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_client_init(&c, &cfg, NULL, &p, buf, 512), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, NULL, buf, 512), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, NULL, 512), LUM_ERR_INVALID_ARG);

    t.connect = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    t = s.transport;
    t.send = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    t = s.transport;
    t.recv = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    t = s.transport;
    t.close = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    t = s.transport;
    p.now_ms = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    p = s.platform;
    p.entropy = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    p = s.platform;
    p.log = NULL; /* optional */
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_OK);

    cfg.host = NULL;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.host = "";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.host = "api.example\r\nX-Evil: 1";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    memset(long_host, 'h', sizeof long_host);
    long_host[LUM_MAX_HOST - 1] = '\0';
    cfg.host = long_host;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_OK);
    long_host[LUM_MAX_HOST - 1] = 'h';
    long_host[LUM_MAX_HOST] = '\0';
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_TOO_LONG);
    cfg.host = "h";
    memset(long_key, 'k', sizeof long_key);
    long_key[LUM_MAX_API_KEY] = '\0';
    cfg.api_key = long_key;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_TOO_LONG);
    cfg.api_key = "key\x7f";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.api_key = NULL;
    cfg.product_uuid = "p\t1";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.product_uuid = NULL;
    cfg.role = "role\n";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.role = NULL;

    cfg.base_path = "v1";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.base_path = "/v1/";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.base_path = "/";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.base_path = "";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_OK);
    cfg.base_path = "/api/v1";
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_OK);
    cfg.base_path = NULL;

    cfg.token_lifetime_ms = 10000;
    cfg.token_margin_ms = 10000;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
    cfg.token_margin_ms = 9999;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_OK);
    cfg.token_lifetime_ms = 4000; /* below the default margin of 5 s */
    cfg.token_margin_ms = 0;
    CHECK_INT_EQ(lum_client_init(&c, &cfg, &t, &p, buf, 512), LUM_ERR_INVALID_ARG);
}

/* Defaults: port 443, "/v1", "role_product"; init itself never connects. */
static void init_defaults_and_no_io(void)
{
    script_conn *conn;
    CHECK_INT_EQ(fx_client(&s, &c, buf, sizeof buf, NULL), LUM_OK);
    CHECK_INT_EQ(s.connects, 0);
    CHECK_INT_EQ(s.recv_calls, 0);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_STR_EQ(s.connect_host, "api.example");
    CHECK_INT_EQ(s.connect_port, 443);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "POST /v1/auth/jwt HTTP/1.1\r\n"), 1);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "&role=role_product"), 1);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "GET /v1/clients/c/datasets/d/snps/rs429358 HTTP/1.1\r\n"), 1);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_OK);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 200);
}

/* ---------------------------------------------------------------- token lifecycle */

static void token_reused_within_lifetime_minus_margin(void)
{
    script_conn *conn;
    uint32_t t0;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    /* 30 s lifetime, 5 s margin: still good 24.999 s after the login began... */
    s.clock_ms = t0 + 24999;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 1);
    CHECK_STR_EQ(fx_bearer(&s, 1), "tok1");
    /* ...but not at 25 s. */
    s.clock_ms = t0 + 25000;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 2);
    CHECK_STR_EQ(fx_bearer(&s, 2), "tok2");
    CHECK_INT_EQ(s.connects, 1);
    CHECK_INT_EQ(REQUESTS(0), 5);
}

/* The token's age counts from when its login started, on our clock. */
static void token_age_counts_from_the_login_request(void)
{
    script_conn *conn;
    uint32_t t0;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"))->delay_ms = 2000; /* a slow login */
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.clock_ms, t0 + 2000);
    s.clock_ms = t0 + 24999;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    s.clock_ms = t0 + 25000;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 2);
}

static void custom_lifetime_and_margin(void)
{
    lum_client_config cfg;
    script_conn *conn;
    uint32_t t0;
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "h";
    cfg.product_uuid = "p";
    cfg.api_key = "k";
    cfg.token_lifetime_ms = 10000;
    cfg.token_margin_ms = 1000;
    cfg.idle_reuse_ms = 60000;
    CHECK_INT_EQ(fx_client(&s, &c, buf, sizeof buf, &cfg), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    s.clock_ms = t0 + 8999;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    s.clock_ms = t0 + 9000;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 2);
    CHECK_STR_EQ(fx_bearer(&s, 2), "tok2");
}

/* The monotonic clock may wrap at 2^32; ages must survive it. */
static void token_age_survives_clock_wrap(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    s.clock_ms = 0xFFFFF000u;
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    s.clock_ms = 0xFFFFF000u + 20000u; /* wrapped */
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 1);
    s.clock_ms = 0xFFFFF000u + 25000u;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 2);
    CHECK_INT_EQ(s.connects, 1);
}

static void close_forgets_the_token(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_ok(snp_body));
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    lum_client_close(&c);
    CHECK_INT_EQ(s.closes, 1);
    lum_client_close(&c); /* twice is harmless */
    CHECK_INT_EQ(s.closes, 1);
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_STR_EQ(fx_bearer(&s, 1), "tok2");
}

static void a_401_reauthenticates_once_and_retries_once(void)
{
    script_conn *conn;
    lum_client_snp snp;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Token expired\"}"));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_client_snp(&c, "c", "d", "rs429358", NULL, &snp), LUM_OK);
    CHECK_STR_EQ(snp.snp_id, "rs429358");
    CHECK_INT_EQ(REQUESTS(0), 4);
    CHECK_INT_EQ(LOGINS(0), 2);
    CHECK_STR_EQ(fx_bearer(&s, 0), "tok1");
    CHECK_STR_EQ(fx_bearer(&s, 1), "tok2");
    CHECK_INT_EQ(s.connects, 1); /* the 401 was read to its end: the connection stays */
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_OK);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 200);
    CHECK_STR_EQ(lum_client_error(&c)->message, "");
}

/* A 401 that also closes the connection: the login and the retry go on a new one. */
static void a_401_with_connection_close(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "Connection: close\r\n", "{}"));
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(LOGINS(s.conn_sent_start[1]), 1);
    CHECK_STR_EQ(fx_bearer(&s, 1), "tok2");
}

/* A body nobody wants (201 of post_product_authorization) is drained to keep
   the connection, up to LUM_DRAIN_MAX; a longer one costs the connection. */
static void unwanted_bodies_are_drained(void)
{
    static char big[LUM_DRAIN_MAX + 4096];
    script_conn *conn;
    size_t head;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("201 CREATED", "", "{\"whatever\": [1, 2, 3]}"))->chunk = 5;
    head = (size_t)snprintf(big, sizeof big, "HTTP/1.1 201 CREATED\r\nContent-Length: %u\r\n\r\n",
                            (unsigned)(LUM_DRAIN_MAX + 2048));
    memset(big + head, 'x', LUM_DRAIN_MAX + 2048);
    script_add_response(conn, big, head + LUM_DRAIN_MAX + 2048);
    CHECK_INT_EQ(lum_post_product_authorization(&c, "p", "a"), LUM_OK);
    CHECK_INT_EQ(s.closes, 0);
    CHECK_INT_EQ(lum_post_product_authorization(&c, "p", "a"), LUM_OK);
    CHECK_INT_EQ(s.closes, 1);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 201);
}

static void a_second_401_is_the_answer(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Token expired\"}"));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Authorization is not active\"}"));
    conn->end = SCRIPT_END_CLOSE_ON_SEND; /* a third attempt would fail loudly */
    CHECK_INT_EQ(get_snp(), LUM_ERR_UNAUTHORIZED);
    CHECK_INT_EQ(REQUESTS(0), 4);
    CHECK_INT_EQ(LOGINS(0), 2);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_UNAUTHORIZED);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 401);
    CHECK_STR_EQ(lum_client_error(&c)->message, "Authorization is not active");
    /* The connection is still good for the next call, which logs in again
       only if needed: tok2 is fresh, so no login. */
    script_add_text(conn, fx_ok(snp_body));
    conn->end = SCRIPT_END_IDLE;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(LOGINS(0), 2);
    CHECK_STR_EQ(fx_bearer(&s, 2), "tok2");
}

static void rejected_login_is_auth_error_without_retry(void)
{
    script_conn *conn;
    lum_javascript_web_token jwt;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Invalid credentials\"}"));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "p-1", "wrong", NULL, NULL, &jwt), LUM_ERR_AUTH);
    CHECK_INT_EQ(REQUESTS(0), 1);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_AUTH);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 401);
    CHECK_STR_EQ(lum_client_error(&c)->message, "Invalid credentials");

    /* The same through an authenticated call: one login attempt, no loop. */
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Invalid credentials\"}"));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    CHECK_INT_EQ(get_snp(), LUM_ERR_AUTH);
    CHECK_INT_EQ(REQUESTS(0), 1);
    CHECK_INT_EQ(LOGINS(0), 1);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_AUTH);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 401);

    /* A 401 from the operation, then a refused login: AUTH, 3 requests. */
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{}"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Product disabled\"}"));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    CHECK_INT_EQ(get_snp(), LUM_ERR_AUTH);
    CHECK_INT_EQ(REQUESTS(0), 3);
    CHECK_STR_EQ(lum_client_error(&c)->message, "Product disabled");
}

/*
 * Found by fuzz_response: when the automatic login failed in a way of its
 * own (a token that cannot go in a header, missing credentials), the call
 * returned that error but lum_client_error()->code still said LUM_OK.
 */
static void failed_login_sets_the_calls_error_code(void)
{
    script_conn *conn;
    lum_client_config cfg;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("two words"));
    CHECK_INT_EQ(get_snp(), LUM_ERR_PROTOCOL);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_PROTOCOL);
    CHECK_INT_EQ(REQUESTS(0), 1);

    memset(&cfg, 0, sizeof cfg);
    cfg.host = "h";
    CHECK_INT_EQ(fx_client(&s, &c, buf, sizeof buf, &cfg), LUM_OK);
    CHECK_INT_EQ(get_snp(), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(s.connects, 0);

    /* A login that fails with a transport error reports it as well. */
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    conn->connect_rc = LUM_ERR_DNS;
    CHECK_INT_EQ(get_snp(), LUM_ERR_DNS);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_DNS);
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 0);
}

/* A result upload answered 401 is sent again, whole, after the new login. */
static void a_401_on_upload_resends_the_whole_body(void)
{
    static const char report[] = "rsid\tgenotype\nrs429358\tCT\n";
    static const char file_json[] =
        "{\"report_file_uuid\": \"f1\", \"authorization_uuid\": \"a\", \"create_timestamp\": 1, "
        "\"file_location\": {\"filename_original\": \"r.tsv\", \"host\": \"h\", \"path\": \"/p\"}}";
    script_conn *conn;
    lum_memory_source src;
    lum_reader reader;
    lum_report_file out;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{}"));
    script_add_text(conn, login("tok2"));
    script_add_text(conn, fx_response("201 CREATED", "", file_json));
    lum_reader_memory(&reader, &src, report, sizeof report - 1, "r.tsv");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, &out), LUM_OK);
    CHECK_INT_EQ(fx_count_sent(&s, 0, report), 2);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "POST /v1/products/p/authorizations/a/file HTTP/1.1"), 2);
    CHECK_STR_EQ(out.file_location.filename_original, "r.tsv");

    /* A reader that cannot rewind cannot be replayed: the 401 is the answer. */
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("tok1"));
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"m\"}"));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    lum_reader_memory(&reader, &src, report, sizeof report - 1, "r.tsv");
    reader.rewind = NULL;
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, &out),
                 LUM_ERR_UNAUTHORIZED);
    CHECK_INT_EQ(fx_count_sent(&s, 0, report), 1);
    CHECK_INT_EQ(LOGINS(0), 1);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_UNAUTHORIZED);
    CHECK_STR_EQ(lum_client_error(&c)->message, "m");
}

/* ---------------------------------------------------------------- connections */

static void keep_alive_serves_several_calls(void)
{
    script_conn *conn;
    int i;
    CHECK_INT_EQ(setup(0, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    for (i = 0; i < 4; i++) script_add_text(conn, fx_ok(snp_body))->chunk = (size_t)i * 7;
    for (i = 0; i < 4; i++) {
        CHECK_INT_EQ(get_snp(), LUM_OK);
        s.clock_ms += 1000;
    }
    CHECK_INT_EQ(s.connects, 1);
    CHECK_INT_EQ(s.closes, 0);
    CHECK_INT_EQ(REQUESTS(0), 5);
    /* Every request on a kept connection was preceded by a probe (the first
       GET follows the login on the same connection). */
    CHECK_INT_EQ(s.probes, 4);
}

static void connection_close_header_reconnects(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(0, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("200 OK", "Connection: close\r\n", snp_body));
    conn = script_add_conn(&s);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.closes, 1); /* closed as soon as the response was read */
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(REQUESTS(s.conn_sent_start[1]), 1);
}

static void server_close_after_response_reconnects(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(0, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    conn->end = SCRIPT_END_CLOSE;
    conn = script_add_conn(&s);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.closes, 0);
    CHECK_INT_EQ(get_snp(), LUM_OK);
    /* The probe saw the close: nothing was sent on the dead connection. */
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(REQUESTS(0), 3);
    CHECK_INT_EQ(REQUESTS(s.conn_sent_start[1]), 1);
    CHECK_INT_EQ(s.probes, 2);
}

static void idle_longer_than_idle_reuse_reconnects(void)
{
    script_conn *conn;
    lum_client_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "h";
    cfg.product_uuid = "p";
    cfg.api_key = "k";
    cfg.token_lifetime_ms = 600000; /* no login in the way */
    CHECK_INT_EQ(fx_client(&s, &c, buf, sizeof buf, &cfg), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    script_add_text(conn, fx_ok(snp_body));
    conn = script_add_conn(&s);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.probes, 1);
    s.clock_ms += LUM_DEFAULT_IDLE_REUSE_MS; /* exactly the limit: reused after a probe */
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.connects, 1);
    CHECK_INT_EQ(s.probes, 2);
    s.clock_ms += LUM_DEFAULT_IDLE_REUSE_MS + 1; /* longer: reopened without even probing */
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(s.closes, 1);
    CHECK_INT_EQ(s.probes, 2);
}

/* The server closed between our probe and our request: a GET is resent once. */
static void get_retried_once_on_a_reused_connection_that_dies(void)
{
    script_conn *conn;
    lum_client_snp snp;
    int end;
    for (end = SCRIPT_END_CLOSE_ON_SEND; end <= SCRIPT_END_RESET_ON_SEND; end++) {
        CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
        conn = script_add_conn(&s);
        script_add_text(conn, fx_auth_response);
        script_add_text(conn, fx_ok(snp_body));
        conn->end = (enum script_end)end;
        conn = script_add_conn(&s);
        script_add_text(conn, fx_ok(snp_body));
        CHECK_INT_EQ(get_snp(), LUM_OK);
        CHECK_INT_EQ(lum_get_client_snp(&c, "c", "d", "rs429358", NULL, &snp), LUM_OK);
        CHECK_STR_EQ(snp.snp_id, "rs429358");
        CHECK_INT_EQ(s.connects, 2);
        CHECK_INT_EQ(fx_count_sent(&s, 0, "GET /v1/clients/c/datasets/d/snps/rs429358 "), 3);
        CHECK_INT_EQ(fx_count_sent(&s, s.conn_sent_start[1], "GET "), 1);
    }
    /* A fresh connection that dies is not retried: the error is the answer. */
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    conn = script_add_conn(&s);
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    conn = script_add_conn(&s);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(get_snp(), LUM_ERR_CLOSED);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_CLOSED);
}

/* A result file that was sent whole is never posted twice behind the caller's back. */
static void post_of_a_result_file_is_not_retried(void)
{
    static const char report[] = "rsid\tgenotype\nrs429358\tCT\n";
    script_conn *conn;
    lum_memory_source src;
    lum_reader reader;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    conn = script_add_conn(&s);
    script_add_text(conn, fx_response("201 CREATED", "", "{}"));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    lum_reader_memory(&reader, &src, report, sizeof report - 1, "r.tsv");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, "r.tsv", NULL, NULL), LUM_ERR_CLOSED);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_CLOSED);
    CHECK_INT_EQ(s.connects, 1);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "POST /v1/products/p/authorizations/a/file"), 1);
    CHECK_INT_EQ(fx_count_sent(&s, 0, report), 1);

    /* Nor is the "processing complete" POST. */
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    conn->end = SCRIPT_END_RESET_ON_SEND;
    conn = script_add_conn(&s);
    script_add_text(conn, fx_response("201 CREATED", "", ""));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(lum_post_product_authorization(&c, "p", "a"), LUM_ERR_TRANSPORT);
    CHECK_INT_EQ(s.connects, 1);

}

static int count_snp(void *user, const lum_client_snp *snp)
{
    (void)snp;
    ++*(int *)user;
    return 0;
}

static void idempotent_post_is_retried(void)
{
    static const char *const rsids[] = {"rs429358"};
    script_conn *conn;
    lum_client_snp scratch;
    char list[600];
    int n = 0;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    conn->end = SCRIPT_END_CLOSE_ON_SEND;
    conn = script_add_conn(&s);
    snprintf(list, sizeof list, "[%s]", snp_body);
    script_add_text(conn, fx_ok(list));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(lum_post_client_snp_group(&c, "c", "d", rsids, 1, NULL, &scratch, count_snp, &n), LUM_OK);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "snps=%5B%22rs429358%22%5D"), 2);
}

/* A POST that never left whole (the send failed mid-body) is resent on a new connection. */
static void post_cut_during_send_on_a_reused_connection_is_resent(void)
{
    static char report[3000];
    script_conn *conn;
    lum_memory_source src;
    lum_reader reader;
    lum_report_file out;
    size_t i;
    for (i = 0; i < sizeof report; i++) report[i] = (char)('a' + i % 26);
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    conn->send_fail_after = 1500; /* the upload (2 sends of a 2 KiB buffer) breaks inside */
    conn = script_add_conn(&s);
    script_add_text(conn, fx_response("201 CREATED", "",
                                      "{\"report_file_uuid\": \"f\", \"authorization_uuid\": \"a\", \"create_timestamp\": 1, "
                                      "\"file_location\": {\"filename_original\": \"r\", \"host\": \"h\", \"path\": \"/p\"}}"));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK(s.sent_len < 1500);
    lum_reader_memory(&reader, &src, report, sizeof report, "r");
    CHECK_INT_EQ(lum_post_authorization_result_file(&c, "p", "a", &reader, NULL, NULL, &out), LUM_OK);
    CHECK_INT_EQ(s.connects, 2);
    CHECK_INT_EQ(s.conn_sent_start[1] - s.conn_sent_start[0], 1500);
    /* The second connection carries the whole body, from its first byte. */
    {
        const uint8_t *p = s.sent + s.conn_sent_start[1];
        size_t n = s.sent_len - s.conn_sent_start[1];
        const uint8_t *body = NULL;
        size_t k;
        for (k = 0; k + sizeof report <= n; k++)
            if (memcmp(p + k, report, sizeof report) == 0) body = p + k;
        CHECK(body != NULL);
    }
    CHECK_STR_EQ(out.report_file_uuid, "f");
}

static void json_failure_closes_but_http_error_keeps_the_connection(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("404 NOT FOUND", "", "{\"message\": \"No such SNP\"}"));
    script_add_text(conn, fx_ok("{\"snp_id\": 5}"));
    conn = script_add_conn(&s);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_ERR_NOT_FOUND);
    CHECK_INT_EQ(s.closes, 0);
    CHECK_INT_EQ(get_snp(), LUM_ERR_JSON_TYPE);
    CHECK_STR_EQ(lum_client_error(&c)->field, "snp_id");
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 200);
    CHECK_INT_EQ(s.closes, 1);
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.connects, 2);
}

static void connect_failures_are_reported(void)
{
    static const int codes[] = {LUM_ERR_CONNECT, LUM_ERR_DNS, LUM_ERR_TIMEOUT, LUM_ERR_TLS, LUM_ERR_TLS_CERT};
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        lum_javascript_web_token jwt;
        script_conn *conn;
        CHECK_INT_EQ(setup(0, 0, 0), LUM_OK);
        conn = script_add_conn(&s);
        conn->connect_rc = codes[i];
        CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, NULL, &jwt), codes[i]);
        CHECK_INT_EQ(lum_client_error(&c)->code, codes[i]);
        CHECK_INT_EQ(lum_client_error(&c)->http_status, 0);
        CHECK_INT_EQ(s.sent_len, 0);
    }
}

/* ---------------------------------------------------------------- statuses */

static void error_statuses_are_mapped_with_the_message(void)
{
    static const struct {
        const char *status;
        int code;
        int http;
    } cases[] = {
        {"400 BAD REQUEST", LUM_ERR_BAD_REQUEST, 400},
        {"403 FORBIDDEN", LUM_ERR_FORBIDDEN, 403},
        {"404 NOT FOUND", LUM_ERR_NOT_FOUND, 404},
        {"409 CONFLICT", LUM_ERR_CONFLICT, 409},
        {"422 UNPROCESSABLE ENTITY", LUM_ERR_UNPROCESSABLE, 422},
        {"429 TOO MANY REQUESTS", LUM_ERR_RATE_LIMITED, 429},
        {"500 INTERNAL SERVER ERROR", LUM_ERR_SERVER, 500},
        {"502 BAD GATEWAY", LUM_ERR_SERVER, 502},
        {"503 SERVICE UNAVAILABLE", LUM_ERR_SERVER, 503},
        {"599 X", LUM_ERR_SERVER, 599},
        {"418 I'M A TEAPOT", LUM_ERR_HTTP_STATUS, 418},
        {"405 METHOD NOT ALLOWED", LUM_ERR_HTTP_STATUS, 405},
        {"302 FOUND", LUM_ERR_HTTP_STATUS, 302},
        {"300 MULTIPLE CHOICES", LUM_ERR_HTTP_STATUS, 300},
        {"600 WHAT", LUM_ERR_HTTP_STATUS, 600},
        {"999 WHAT", LUM_ERR_HTTP_STATUS, 999},
    };
    script_conn *conn;
    size_t i;
    char body[64];
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        script_response *r;
        if (conn->n_responses == SCRIPT_MAX_RESPONSES) {
            conn->n_responses = 0; /* replay the slots from the start */
            s.response = 0;
        }
        snprintf(body, sizeof body, "{\"message\": \"case %zu\", \"status\": %d}", i, cases[i].http);
        r = script_add_text(conn, fx_response(cases[i].status, "", body));
        (void)r;
        if (get_snp() != cases[i].code) TL_FAIL("%s: %d, want %d", cases[i].status, c.err.code, cases[i].code);
        CHECK_INT_EQ(lum_client_error(&c)->code, cases[i].code);
        CHECK_INT_EQ(lum_client_error(&c)->http_status, cases[i].http);
        snprintf(body, sizeof body, "case %zu", i);
        CHECK_STR_EQ(lum_client_error(&c)->message, body);
        CHECK(lum_client_error(&c)->model == NULL);
    }
    /* Every error was read to its end: one connection throughout. */
    CHECK_INT_EQ(s.connects, 1);
    /* A success clears the previous error. */
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_OK);
    CHECK_STR_EQ(lum_client_error(&c)->message, "");
}

static void long_messages_are_cut_and_odd_bodies_give_none(void)
{
    static char body[1024], want[LUM_MAX_MESSAGE];
    script_conn *conn;
    size_t i;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    strcpy(body, "{\"message\": \"");
    for (i = 0; i < 300; i++) body[13 + i] = (char)('a' + i % 26);
    strcpy(body + 13 + 300, "\"}");
    script_add_text(conn, fx_response("400 BAD REQUEST", "", body));
    CHECK_INT_EQ(get_snp(), LUM_ERR_BAD_REQUEST);
    memcpy(want, body + 13, LUM_MAX_MESSAGE - 4);
    strcpy(want + LUM_MAX_MESSAGE - 4, "...");
    CHECK_STR_EQ(lum_client_error(&c)->message, want);
    CHECK_INT_EQ(strlen(lum_client_error(&c)->message), LUM_MAX_MESSAGE - 1);

    script_add_text(conn, fx_response("502 BAD GATEWAY", "", "<html><body>Bad Gateway</body></html>"));
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_STR_EQ(lum_client_error(&c)->message, "");
    script_add_text(conn, fx_response("404 NOT FOUND", "", ""));
    CHECK_INT_EQ(get_snp(), LUM_ERR_NOT_FOUND);
    CHECK_STR_EQ(lum_client_error(&c)->message, "");
    script_add_text(conn, fx_response("404 NOT FOUND", "", "{\"message\": [\"not\", \"a string\"]}"));
    CHECK_INT_EQ(get_snp(), LUM_ERR_NOT_FOUND);
    CHECK_STR_EQ(lum_client_error(&c)->message, "");
    script_add_text(conn, "HTTP/1.1 500 X\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\n{\"mes\r\n11\r\nsage\": \"chunked\"}\r\n0\r\n\r\n");
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_STR_EQ(lum_client_error(&c)->message, "chunked");
    CHECK_INT_EQ(s.connects, 1);
}

/* The server's message goes into logs and terminals: control characters
   (escape sequences, CR/LF that would forge a log line) become spaces. */
static void control_characters_in_messages_become_spaces(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("500 ERR", "", "{\"message\": \"\\u001b[2J\\u001b]0;pwned\\u0007 hi\\r\\nX\\u007f\\t\u00e9\"}"));
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_STR_EQ(lum_client_error(&c)->message, " [2J ]0;pwned  hi  X  \xc3\xa9");
}

/* An error body larger than the buffer: the message is lost, the connection
   kept if the rest can be drained; past LUM_DRAIN_MAX it is closed. */
static void big_error_bodies(void)
{
    static char huge[LUM_DRAIN_MAX + 8192];
    static char body[8192];
    script_conn *conn;
    size_t head;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    /* The message is found when its document ends inside the buffer... */
    memset(body, ' ', 4000);
    memcpy(body, "{\"message\": \"big\"}", 18);
    body[4000] = '\0';
    script_add_text(conn, fx_response("500 X", "", body));
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_STR_EQ(lum_client_error(&c)->message, "big");
    /* ...and lost when it does not; the rest is drained either way. */
    memset(body, 'x', 4000);
    memcpy(body, "{\"x\": \"", 7);
    strcpy(body + 3990, "\", \"message\": \"late\"}");
    script_add_text(conn, fx_response("500 X", "", body));
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_STR_EQ(lum_client_error(&c)->message, "");
    CHECK_INT_EQ(s.closes, 0);
    CHECK_INT_EQ(s.connects, 1);
    /* Longer than the buffer plus LUM_DRAIN_MAX: the connection is cut. */
    head = (size_t)snprintf(huge, sizeof huge, "HTTP/1.1 500 X\r\nContent-Length: %u\r\n\r\n",
                            (unsigned)(LUM_DRAIN_MAX + 4096));
    memset(huge + head, ' ', LUM_DRAIN_MAX + 4096);
    script_add_response(conn, huge, head + LUM_DRAIN_MAX + 4096);
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_INT_EQ(s.closes, 1);
}

static void retry_after_is_captured(void)
{
    script_conn *conn;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("429 TOO MANY REQUESTS", "Retry-After: 7\r\n", "{\"message\": \"slow down\"}"));
    script_add_text(conn, fx_response("503 SERVICE UNAVAILABLE", "retry-after:  120 \r\n", "{}"));
    script_add_text(conn, fx_response("503 SERVICE UNAVAILABLE", "Retry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\n", "{}"));
    script_add_text(conn, fx_response("200 OK", "Retry-After: 5\r\n", snp_body));
    script_add_text(conn, fx_response("429 TOO MANY REQUESTS", "", "{}"));
    CHECK_INT_EQ(get_snp(), LUM_ERR_RATE_LIMITED);
    CHECK_INT_EQ(lum_client_error(&c)->retry_after_s, 7);
    CHECK_STR_EQ(lum_client_error(&c)->message, "slow down");
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_INT_EQ(lum_client_error(&c)->retry_after_s, 120);
    CHECK_INT_EQ(get_snp(), LUM_ERR_SERVER);
    CHECK_INT_EQ(lum_client_error(&c)->retry_after_s, 0); /* a date is no hint we use */
    /* Only a 429/503 carries it (client.h). */
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(lum_client_error(&c)->retry_after_s, 0);
    CHECK_INT_EQ(get_snp(), LUM_ERR_RATE_LIMITED);
    CHECK_INT_EQ(lum_client_error(&c)->retry_after_s, 0);
}

/* ---------------------------------------------------------------- timeouts */

static void server_that_never_answers_times_out_exactly(void)
{
    script_conn *conn;
    lum_javascript_web_token jwt;
    uint32_t t0;
    CHECK_INT_EQ(setup(0, 4000, 0), LUM_OK);
    conn = script_add_conn(&s);
    (void)conn;
    t0 = s.clock_ms;
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, NULL, &jwt), LUM_ERR_TIMEOUT);
    CHECK_INT_EQ(s.clock_ms - t0, 4000);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_TIMEOUT);
    CHECK_INT_EQ(s.closes, 1);
    /* Default io timeout: 30 s. */
    CHECK_INT_EQ(setup(0, 0, 0), LUM_OK);
    script_add_conn(&s);
    t0 = s.clock_ms;
    CHECK_INT_EQ(lum_post_jwt_auth(&c, "u", "p", NULL, NULL, &jwt), LUM_ERR_TIMEOUT);
    CHECK_INT_EQ(s.clock_ms - t0, LUM_DEFAULT_IO_TIMEOUT_MS);
}

/* A server that stops sending (in the head, in the body, before anything)
   fails the call after exactly io_timeout_ms of silence. */
static void stalls_time_out_exactly(void)
{
    size_t at[3];
    int i;
    for (i = 0; i < 3; i++) {
        script_conn *conn;
        script_response *r;
        uint32_t t0;
        CHECK_INT_EQ(setup(60000, 3000, 0), LUM_OK);
        conn = script_add_conn(&s);
        script_add_text(conn, fx_auth_response);
        r = script_add_text(conn, fx_ok(snp_body));
        r->chunk = 50;
        at[0] = 0;
        at[1] = 20;           /* inside the status line */
        at[2] = r->len - 10;  /* inside the body */
        r->stall_at = at[i];
        t0 = s.clock_ms;
        CHECK_INT_EQ(get_snp(), LUM_ERR_TIMEOUT);
        CHECK_INT_EQ(s.clock_ms - t0, 3000);
        CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_TIMEOUT);
        CHECK_INT_EQ(s.closes, 1);
    }
}

/* Each wait is bounded by io_timeout, and progress restarts it. */
static void slow_but_steady_server_is_not_a_timeout(void)
{
    script_conn *conn;
    script_response *r;
    uint32_t t0;
    CHECK_INT_EQ(setup(60000, 1000, 0), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    r = script_add_text(conn, fx_ok(snp_body));
    r->chunk = 16;
    r->delay_ms = 999;
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK(s.clock_ms - t0 > 10000);
    /* 1000 ms per read is one too many. */
    r = script_add_text(conn, fx_ok(snp_body));
    r->chunk = 16;
    r->delay_ms = 1000;
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_ERR_TIMEOUT);
    CHECK_INT_EQ(s.clock_ms - t0, 1000);
}

static void request_timeout_bounds_the_whole_request(void)
{
    script_conn *conn;
    script_response *r;
    uint32_t t0;
    CHECK_INT_EQ(setup(60000, 1000, 5000), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    r = script_add_text(conn, fx_ok(snp_body));
    r->chunk = 16;
    r->delay_ms = 900;
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_ERR_TIMEOUT);
    /* The login was instant; the request itself hit its 5 s bound exactly. */
    CHECK_INT_EQ(s.clock_ms - t0, 5000);
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_TIMEOUT);
    CHECK_INT_EQ(s.closes, 1);

    /* The bound is per request: a second one gets its own 5 s. */
    CHECK_INT_EQ(setup(60000, 1000, 5000), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response)->delay_ms = 900;
    r = script_add_text(conn, fx_ok(snp_body));
    r->chunk = 48; /* 235 bytes: 5 reads, 4.5 s */
    r->delay_ms = 900;
    t0 = s.clock_ms;
    CHECK_INT_EQ(get_snp(), LUM_OK);
    CHECK_INT_EQ(s.clock_ms - t0, 900 + 5 * 900);
}

/* ---------------------------------------------------------------- isolation */

static void two_clients_do_not_interfere(void)
{
    static script s2;
    static lum_client c2;
    static uint8_t buf2[1024];
    script_conn *conn;
    lum_client_snp snp;
    lum_client_config cfg;
    CHECK_INT_EQ(setup(60000, 0, 0), LUM_OK);
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "other.example";
    cfg.port = 8443;
    cfg.product_uuid = "p-2";
    cfg.api_key = "k2";
    CHECK_INT_EQ(fx_client(&s2, &c2, buf2, sizeof buf2, &cfg), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, login("one"));
    script_add_text(conn, fx_response("404 NOT FOUND", "", "{\"message\": \"first\"}"));
    conn = script_add_conn(&s2);
    script_add_text(conn, login("two"));
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(get_snp(), LUM_ERR_NOT_FOUND);
    CHECK_INT_EQ(lum_get_client_snp(&c2, "c", "d", "rs1", NULL, &snp), LUM_OK);
    CHECK_STR_EQ(lum_client_error(&c)->message, "first");
    CHECK_INT_EQ(lum_client_error(&c2)->code, LUM_OK);
    CHECK_STR_EQ(fx_bearer(&s, 0), "one");
    CHECK_STR_EQ(fx_bearer(&s2, 0), "two");
    CHECK_INT_EQ(s2.connect_port, 8443);
    CHECK_INT_EQ(fx_count_sent(&s2, 0, "Host: other.example:8443\r\n"), 2);
}

int main(void)
{
    RUN("client", init_validates_its_arguments);
    RUN("client", init_defaults_and_no_io);
    RUN("client", token_reused_within_lifetime_minus_margin);
    RUN("client", token_age_counts_from_the_login_request);
    RUN("client", custom_lifetime_and_margin);
    RUN("client", token_age_survives_clock_wrap);
    RUN("client", close_forgets_the_token);
    RUN("client", a_401_reauthenticates_once_and_retries_once);
    RUN("client", a_401_with_connection_close);
    RUN("client", a_second_401_is_the_answer);
    RUN("client", rejected_login_is_auth_error_without_retry);
    RUN("client", failed_login_sets_the_calls_error_code);
    RUN("client", a_401_on_upload_resends_the_whole_body);
    RUN("client", keep_alive_serves_several_calls);
    RUN("client", connection_close_header_reconnects);
    RUN("client", server_close_after_response_reconnects);
    RUN("client", idle_longer_than_idle_reuse_reconnects);
    RUN("client", get_retried_once_on_a_reused_connection_that_dies);
    RUN("client", post_of_a_result_file_is_not_retried);
    RUN("client", idempotent_post_is_retried);
    RUN("client", post_cut_during_send_on_a_reused_connection_is_resent);
    RUN("client", json_failure_closes_but_http_error_keeps_the_connection);
    RUN("client", unwanted_bodies_are_drained);
    RUN("client", connect_failures_are_reported);
    RUN("client", error_statuses_are_mapped_with_the_message);
    RUN("client", long_messages_are_cut_and_odd_bodies_give_none);
    RUN("client", control_characters_in_messages_become_spaces);
    RUN("client", big_error_bodies);
    RUN("client", retry_after_is_captured);
    RUN("client", server_that_never_answers_times_out_exactly);
    RUN("client", stalls_time_out_exactly);
    RUN("client", slow_but_steady_server_is_not_a_timeout);
    RUN("client", request_timeout_bounds_the_whole_request);
    RUN("client", two_clients_do_not_interfere);
    return TESTS_DONE();
}
