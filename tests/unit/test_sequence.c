/*
 * ReferenceSequence streaming (json_string_stream.c): a sequence far larger
 * than the working buffer reaches the callback whole and in order, escapes
 * decoded even when a read ends inside one, however the body is cut; the
 * document around it is checked; and the same through the client
 * (lum_get_reference_chromosome and _into) over a chunked response.
 */
#include <stdlib.h>
#include <string.h>

#include "api/models.h"
#include "json/json.h"
#include "support/fixture.h"
#include "testlib.h"

#define LONG_BASES 200000

static struct lum_json_tok toks[4];
static uint8_t jbuf[4096];
static lum_error_info jerr;

/* What the callback received, concatenated. */
static char got[LONG_BASES + 64];
static size_t got_len;
static int pieces, stop_after;
static size_t smallest_piece = (size_t)-1;

static int on_text(void *user, const char *p, size_t n)
{
    (void)user;
    pieces++;
    if (n < smallest_piece) smallest_piece = n;
    if (n == 0 || got_len + n > sizeof got) return 1; /* an empty piece is a bug */
    memcpy(got + got_len, p, n);
    got_len += n;
    return stop_after != 0 && pieces >= stop_after;
}

static void reset(void)
{
    got_len = 0;
    pieces = 0;
    stop_after = 0;
}

/* A fill that cuts the body once at `split`, then hands out the rest. */
typedef struct split_feed {
    const char *data;
    size_t len, pos, split;
} split_feed;

static int split_fill(void *ctx, uint8_t *dst, size_t cap)
{
    split_feed *f = (split_feed *)ctx;
    size_t end = f->pos < f->split ? f->split : f->len, n = end - f->pos;
    if (n > cap) n = cap;
    memcpy(dst, f->data + f->pos, n);
    f->pos += n;
    return (int)n;
}

static lum_json_target target(bool relaxed, lum_reference_sequence *seq)
{
    lum_json_target t;
    memset(&t, 0, sizeof t);
    t.model = &lum_model_reference_sequence;
    t.out = seq;
    t.relaxed = relaxed;
    t.decode = lum_json_decode_text;
    t.on_text = on_text;
    return t;
}

/* Decodes json cut at `split` into a cap-byte buffer; with preload, the first
   piece is already in the buffer (as the HTTP layer leaves it). */
static int decode_split(const char *json, size_t len, size_t split, size_t cap, bool preload)
{
    lum_reference_sequence seq;
    lum_json_target t = target(false, &seq);
    split_feed f;
    size_t have = 0;
    f.data = json;
    f.len = len;
    f.pos = 0;
    f.split = split;
    reset();
    if (preload) {
        have = split < cap ? split : cap;
        memcpy(jbuf, json, have);
        f.pos = have;
    }
    memset(&jerr, 0, sizeof jerr);
    return lum_json_decode_text(&t, jbuf, cap, have, split_fill, &f, toks, 4, &jerr);
}

/* Every escape form, a skipped member of every JSON type before and after. */
static const char short_doc[] =
    "\r\n {\"before\" : {\"a\":[1,-0.5e-3,1E+2,true,false,null,\"s\\\"\\u00e9\",{}],\"b\":[]} ,"
    "\"sequence\":\"GA\\u0054\\/C\\\\A\\\"\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\xc3\xa9" "CAGGT\","
    "\"after\":\"sequence\"} \n";
static const char short_want[] = "GAT/C\\A\"\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3\xa9" "CAGGT";

static void short_document_split_at_every_offset(void)
{
    size_t len = strlen(short_doc), split;
    int preload;
    for (preload = 0; preload < 2; preload++) {
        for (split = 0; split <= len; split++) {
            int rc = decode_split(short_doc, len, split, 512, preload != 0);
            if (rc != LUM_OK) TL_FAIL("split %zu: %s", split, lum_strerror(rc));
            CHECK_MEM_EQ(got, got_len, short_want, strlen(short_want));
            CHECK(smallest_piece > 0);
        }
    }
}

static void short_document_in_pieces_of_every_size(void)
{
    size_t len = strlen(short_doc), piece;
    for (piece = 1; piece <= len; piece++) {
        lum_reference_sequence seq;
        lum_json_target t = target(false, &seq);
        fx_feed f;
        memset(&f, 0, sizeof f);
        f.data = (const uint8_t *)short_doc;
        f.len = len;
        f.piece = piece;
        reset();
        CHECK_INT_EQ(lum_json_decode_text(&t, jbuf, 512, 0, fx_fill, &f, toks, 4, &jerr), LUM_OK);
        CHECK_MEM_EQ(got, got_len, short_want, strlen(short_want));
        CHECK_INT_EQ(seq.present, 1);
    }
}

/* 200,000 bases; every 997th is written as an escape of some form. */
static char long_doc[LONG_BASES * 2 + 64];
static char long_bases[LONG_BASES + 1];
static size_t long_len;

static void make_long(void)
{
    fx_rng r = {12345};
    size_t i, n = 0;
    if (long_len != 0) return;
    n += (size_t)sprintf(long_doc, "{\"x\":[{\"y\":\"z\"}],\"sequence\":\"");
    for (i = 0; i < LONG_BASES; i++) {
        char b = "ACGT"[fx_rand(&r) & 3u];
        long_bases[i] = b;
        if (i % 997 == 5) n += (size_t)sprintf(long_doc + n, "\\u00%02X", (unsigned)b);
        else if (i % 997 == 500) n += (size_t)sprintf(long_doc + n, "\\u%04x", (unsigned)b);
        else long_doc[n++] = b;
    }
    n += (size_t)sprintf(long_doc + n, "\",\"tail\":[1,2,3]}\n");
    long_len = n;
}

/* Random piece sizes up to max. */
typedef struct random_feed {
    const char *data;
    size_t len, pos, max;
    fx_rng rng;
} random_feed;

static int random_fill(void *ctx, uint8_t *dst, size_t cap)
{
    random_feed *f = (random_feed *)ctx;
    size_t n = f->len - f->pos, want = fx_range(&f->rng, 1, (uint32_t)f->max);
    if (n > want) n = want;
    if (n > cap) n = cap;
    memcpy(dst, f->data + f->pos, n);
    f->pos += n;
    return (int)n;
}

static void long_sequence_in_random_pieces_through_small_buffers(void)
{
    static const size_t caps[] = {512, 2048};
    static const size_t maxes[] = {7, 600, 4096};
    size_t c, m;
    make_long();
    for (c = 0; c < 2; c++) {
        for (m = 0; m < 3; m++) {
            lum_reference_sequence seq;
            lum_json_target t = target(false, &seq);
            random_feed f;
            f.data = long_doc;
            f.len = long_len;
            f.pos = 0;
            f.max = maxes[m];
            f.rng.s = (uint32_t)(c * 10 + m + 1);
            reset();
            CHECK_INT_EQ(lum_json_decode_text(&t, jbuf, caps[c], 0, random_fill, &f, toks, 4, &jerr), LUM_OK);
            CHECK_MEM_EQ(got, got_len, long_bases, (size_t)LONG_BASES);
        }
    }
}

static void the_document_around_the_sequence_is_checked(void)
{
    static const struct {
        const char *json;
        int rc;
        const char *field; /* NULL: no field named */
    } t[] = {
        {"", LUM_ERR_JSON, NULL},
        {"  ", LUM_ERR_JSON, NULL},
        {"{\"sequence\":\"AC\"", LUM_ERR_JSON, NULL},                 /* truncated */
        {"{\"sequence\":\"AC", LUM_ERR_JSON, NULL},
        {"{\"sequence\":\"AC\"} x", LUM_ERR_JSON, NULL},              /* trailing bytes */
        {"{\"sequence\":\"AC\"}{}", LUM_ERR_JSON, NULL},
        {"[\"sequence\",\"AC\"]", LUM_ERR_JSON_TYPE, NULL},           /* not an object */
        {"\"AC\"", LUM_ERR_JSON_TYPE, NULL},
        {"{\"sequence\":12}", LUM_ERR_JSON_TYPE, "sequence"},         /* not a string */
        {"{\"sequence\":[\"A\"]}", LUM_ERR_JSON_TYPE, "sequence"},
        {"{\"sequence\":true}", LUM_ERR_JSON_TYPE, "sequence"},
        {"{\"sequence\":nul}", LUM_ERR_JSON, NULL},
        {"{\"sequence\":\"A\\x\"}", LUM_ERR_JSON, "sequence"},       /* bad escape */
        {"{\"sequence\":\"A\\u00G0\"}", LUM_ERR_JSON, "sequence"},
        {"{\"sequence\":\"A\\ud83d\"}", LUM_ERR_JSON_TYPE, "sequence"}, /* lone surrogates */
        {"{\"sequence\":\"A\\ud83dx\"}", LUM_ERR_JSON_TYPE, "sequence"},
        {"{\"sequence\":\"A\\ud83d\\u0041\"}", LUM_ERR_JSON_TYPE, "sequence"},
        {"{\"sequence\":\"A\\ude00\"}", LUM_ERR_JSON_TYPE, "sequence"},
        {"{\"sequence\":\"A\\u0000\"}", LUM_ERR_JSON_TYPE, "sequence"},
        {"{\"sequence\":\"A\tC\"}", LUM_ERR_JSON_TYPE, "sequence"},   /* raw control character */
        {"{\"sequence\":\"A\",\"sequence\":\"C\"}", LUM_ERR_JSON, "sequence"}, /* twice */
        {"{\"sequence\" \"A\"}", LUM_ERR_JSON, NULL},
        {"{\"sequence\":\"A\",}", LUM_ERR_JSON, NULL},
        {"{\"sequence\":\"A\" \"x\":1}", LUM_ERR_JSON, NULL},
        {"{,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":[1,],\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":[1 2],\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":{\"a\"},\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":{1:2},\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":[}],\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":01,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":-,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":1.,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":1e,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":+1,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":tru,\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":\"a\\q\",\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":\"a\nb\",\"sequence\":\"A\"}", LUM_ERR_JSON, NULL},
        {"{\"x\":-0.5E-7,\"y\":[0,1e5,-0,2.25,10],\"sequence\":\"A\"}", LUM_OK, NULL},
        {"{\"sequ\\u0065nce\":\"A\"}", LUM_ERR_JSON_MISSING, "sequence"}, /* keys match as sent */
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        int rc = decode_split(t[i].json, strlen(t[i].json), strlen(t[i].json) / 2, 512, false);
        if (rc != t[i].rc) TL_FAIL("#%zu %s: %d (%s), want %d", i, t[i].json, rc, lum_strerror(rc), t[i].rc);
        if (rc == LUM_OK) continue;
        CHECK_STR_EQ(jerr.model, "ReferenceSequence");
        if (t[i].field != NULL) CHECK_STR_EQ(jerr.field, t[i].field);
        else CHECK(jerr.field == NULL);
    }
}

static void nesting_is_bounded_without_recursion(void)
{
    char doc[200];
    size_t n = 0;
    int depth;
    for (depth = 31; depth <= 33; depth++) {
        int i, rc;
        n = (size_t)sprintf(doc, "{\"sequence\":\"A\",\"x\":");
        for (i = 1; i < depth; i++) doc[n++] = '[';
        for (i = 1; i < depth; i++) doc[n++] = ']';
        doc[n++] = '}';
        doc[n] = '\0';
        rc = decode_split(doc, n, 7, 512, false);
        CHECK_INT_EQ(rc, depth <= 32 ? LUM_OK : LUM_ERR_JSON);
    }
}

static void a_callback_can_stop_the_stream(void)
{
    lum_reference_sequence seq;
    lum_json_target t = target(false, &seq);
    random_feed f;
    make_long();
    f.data = long_doc;
    f.len = long_len;
    f.pos = 0;
    f.max = 300;
    f.rng.s = 3;
    reset();
    stop_after = 3;
    CHECK_INT_EQ(lum_json_decode_text(&t, jbuf, 512, 0, random_fill, &f, toks, 4, &jerr), LUM_ERR_ABORTED);
    CHECK_INT_EQ(pieces, 3);
    CHECK(f.pos < f.len);
}

static void a_failing_fill_is_passed_on(void)
{
    lum_reference_sequence seq;
    lum_json_target t = target(false, &seq);
    fx_feed f;
    memset(&f, 0, sizeof f);
    f.data = (const uint8_t *)short_doc;
    f.len = strlen(short_doc);
    f.piece = 10;
    f.fail_at = 4;
    f.fail_code = LUM_ERR_TRUNCATED;
    reset();
    CHECK_INT_EQ(lum_json_decode_text(&t, jbuf, 512, 0, fx_fill, &f, toks, 4, &jerr), LUM_ERR_TRUNCATED);
}

/* ---------------------------------------------------------------- through the client */

static script s;
static lum_client c;
static uint8_t cbuf[2048];
static char response[LONG_BASES * 2 + 4096];

/* The long document as a chunked response, chunk sizes from rng. */
static size_t chunked_response(const char *body, size_t len, uint32_t seed)
{
    fx_rng r;
    size_t at = 0, o;
    r.s = seed;
    o = (size_t)sprintf(response, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    while (at < len) {
        size_t n = fx_range(&r, 1, 5000);
        if (n > len - at) n = len - at;
        o += (size_t)sprintf(response + o, "%zx\r\n", n);
        memcpy(response + o, body + at, n);
        o += n;
        at += n;
        response[o++] = '\r';
        response[o++] = '\n';
    }
    o += (size_t)sprintf(response + o, "0\r\n\r\n");
    return o;
}

static void client_streams_a_long_sequence_through_512_and_2048_byte_buffers(void)
{
    static const size_t caps[] = {512, 2048};
    size_t k;
    make_long();
    for (k = 0; k < 2; k++) {
        script_conn *conn;
        size_t n;
        CHECK_INT_EQ(fx_client(&s, &c, cbuf, caps[k], NULL), LUM_OK);
        conn = script_add_conn(&s);
        script_add_text(conn, fx_auth_response);
        n = chunked_response(long_doc, long_len, 40 + (uint32_t)k);
        script_add_response(conn, response, n)->chunk = 700 + k * 333;
        reset();
        CHECK_INT_EQ(lum_get_reference_chromosome(&c, "GCF_000001405.25", "NC_000001.10", 1, LONG_BASES, NULL,
                                                  on_text, NULL),
                     LUM_OK);
        CHECK_MEM_EQ(got, got_len, long_bases, (size_t)LONG_BASES);
        /* the connection is clean for the next request */
        CHECK_INT_EQ(s.closes, 0);
    }
}

static char into[LONG_BASES + 1];

static void into_a_buffer_fits_exactly_or_is_too_long(void)
{
    script_conn *conn;
    size_t n, len = 99;
    make_long();
    CHECK_INT_EQ(fx_client(&s, &c, cbuf, 512, NULL), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    n = chunked_response(long_doc, long_len, 7);
    script_add_response(conn, response, n)->chunk = 999;
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "GCF_000001405.25", "NC_000001.10", 1, LONG_BASES, NULL,
                                                   into, LONG_BASES + 1, &len),
                 LUM_OK);
    CHECK_INT_EQ(len, LONG_BASES);
    CHECK_INT_EQ(strlen(into), LONG_BASES);
    CHECK(memcmp(into, long_bases, LONG_BASES) == 0);

    /* one byte short: no room for the NUL */
    CHECK_INT_EQ(fx_client(&s, &c, cbuf, 512, NULL), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_response(conn, response, n);
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "GCF_000001405.25", "NC_000001.10", 1, LONG_BASES, NULL,
                                                   into, LONG_BASES, &len),
                 LUM_ERR_TOO_LONG);
    CHECK_INT_EQ(len, 0);
    CHECK_STR_EQ(into, "");
    CHECK_INT_EQ(lum_client_error(&c)->code, LUM_ERR_TOO_LONG);
    CHECK_STR_EQ(lum_client_error(&c)->model, "ReferenceSequence");
    CHECK_STR_EQ(lum_client_error(&c)->field, "sequence");
    CHECK_INT_EQ(s.closes, 1); /* the rest of the body was not read */
}

static void a_mask_without_the_sequence_gives_nothing(void)
{
    script_conn *conn;
    size_t len = 99;
    CHECK_INT_EQ(fx_client(&s, &c, cbuf, 512, NULL), LUM_OK);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok("{}\n"));
    script_add_text(conn, fx_ok("{}\n"));
    script_add_text(conn, fx_ok("{}\n"));
    reset();
    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "g", "c", 1, 2, "reference_accession", on_text, NULL), LUM_OK);
    CHECK_INT_EQ(pieces, 0);
    into[0] = 'x';
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "g", "c", 1, 2, "x", into, 4, &len), LUM_OK);
    CHECK_STR_EQ(into, "");
    CHECK_INT_EQ(len, 0);
    /* without a mask the same body is an error naming the field */
    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "g", "c", 1, 2, NULL, on_text, NULL), LUM_ERR_JSON_MISSING);
    CHECK_STR_EQ(lum_client_error(&c)->field, "sequence");
}

int main(void)
{
    RUN("sequence", short_document_split_at_every_offset);
    RUN("sequence", short_document_in_pieces_of_every_size);
    RUN("sequence", long_sequence_in_random_pieces_through_small_buffers);
    RUN("sequence", the_document_around_the_sequence_is_checked);
    RUN("sequence", nesting_is_bounded_without_recursion);
    RUN("sequence", a_callback_can_stop_the_stream);
    RUN("sequence", a_failing_fill_is_passed_on);
    RUN("sequence", client_streams_a_long_sequence_through_512_and_2048_byte_buffers);
    RUN("sequence", into_a_buffer_fits_exactly_or_is_too_long);
    RUN("sequence", a_mask_without_the_sequence_gives_nothing);
    return TESTS_DONE();
}
