/*
 * Making CWL payloads: lum_cwl_encrypt (bytes as they are) and
 * lum_cwl_data_request_build (the reference client's double JSON encoding,
 * done on the fly between the caller's text and the cipher), plus the
 * data-request object in Python's json.dumps layout.
 */
#include <string.h>

#include "cwl/cwl_internal.h"
#include "lumminary/error.h"

/* Draws the nonce and runs the cipher over what produce() feeds it. */
static int seal(const lum_platform *platform, const char *key_b64, bool url, cwl_produce_fn produce,
                void *ctx, char *out, size_t cap, size_t *out_len)
{
    uint8_t key[CWL_KEY_MAX], nonce[LUM_CWL_NONCE_LEN];
    size_t key_len;
    cwl_out o;
    int rc;

    if (out_len != NULL) *out_len = 0;
    if (out == NULL || platform == NULL || platform->entropy == NULL) return LUM_ERR_INVALID_ARG;
    if (cap > 0) out[0] = '\0';
    rc = cwl_key_decode(key_b64, key, &key_len);
    if (rc != LUM_OK) return rc;
    cwl_out_init(&o, out, cap, url);
    rc = platform->entropy(platform->ctx, nonce, sizeof nonce) == LUM_OK ? LUM_OK : LUM_ERR_ENTROPY;
    if (rc == LUM_OK) rc = cwl_seal_run(key, key_len, nonce, &o, produce, ctx);
    cwl_wipe(key, sizeof key);
    if (rc != LUM_OK && o.err == LUM_OK) o.err = rc;
    return cwl_out_finish(&o, out_len);
}

typedef struct bytes {
    const uint8_t *data;
    size_t len;
} bytes;

static int produce_bytes(void *ctx, cwl_seal *s)
{
    const bytes *b = ctx;
    cwl_seal_put(s, b->data, b->len);
    return LUM_OK;
}

int lum_cwl_encrypt(const lum_platform *platform, const char *key_b64, const uint8_t *plain,
                    size_t plain_len, unsigned flags, char *out, size_t cap, size_t *out_len)
{
    bytes b;
    if (plain == NULL && plain_len > 0) return LUM_ERR_INVALID_ARG;
    b.data = plain;
    b.len = plain_len;
    return seal(platform, key_b64, (flags & LUM_CWL_URLENCODE) != 0, produce_bytes, &b, out, cap, out_len);
}

/* ---------------------------------------------------------- data requests */

typedef struct text {
    const char *s;
    size_t len;
} text;

static void emit_to_seal(void *ctx, const char *s, size_t n)
{
    cwl_seal_put(ctx, (const uint8_t *)s, n);
}

/* json.dumps(request_json): the text as a JSON string literal. */
static int produce_json_string(void *ctx, cwl_seal *s)
{
    const text *t = ctx;
    int rc;
    cwl_seal_put(s, (const uint8_t *)"\"", 1);
    rc = cwl_pyjson_escape(t->s, t->len, emit_to_seal, s);
    cwl_seal_put(s, (const uint8_t *)"\"", 1);
    return rc;
}

int lum_cwl_data_request_build(const lum_platform *platform, const char *key_b64,
                               const char *request_json, size_t len, char *out, size_t cap,
                               size_t *out_len)
{
    text t;
    if (request_json == NULL) {
        if (out != NULL && cap > 0) out[0] = '\0';
        if (out_len != NULL) *out_len = 0;
        return LUM_ERR_INVALID_ARG;
    }
    t.s = request_json;
    t.len = len;
    return seal(platform, key_b64, true, produce_json_string, &t, out, cap, out_len);
}

/* ---------------------------------------------------------- request object */

typedef struct json_writer {
    cwl_out *out;
    int rc;
} json_writer;

static void emit_to_out(void *ctx, const char *s, size_t n)
{
    cwl_out_put(ctx, s, n);
}

static void put(json_writer *w, const char *s)
{
    cwl_out_put(w->out, s, strlen(s));
}

/* A Python str as json.dumps writes it, quotes included. */
static void put_string(json_writer *w, const char *s)
{
    int rc;
    put(w, "\"");
    rc = cwl_pyjson_escape(s, strlen(s), emit_to_out, w->out);
    if (w->rc == LUM_OK) w->rc = rc;
    put(w, "\"");
}

int lum_cwl_request_json(const lum_cwl_request *r, char *out, size_t cap, size_t *out_len)
{
    json_writer w;
    cwl_out o;
    size_t i;

    if (out_len != NULL) *out_len = 0;
    if (out == NULL) return LUM_ERR_INVALID_ARG;
    if (cap > 0) out[0] = '\0';
    if (r == NULL || r->scopes == NULL || r->product_uuid == NULL || (r->custom == NULL && r->n_custom > 0))
        return LUM_ERR_INVALID_ARG;
    for (i = 0; i < r->n_custom; i++)
        if (r->custom[i].key == NULL || r->custom[i].value == NULL) return LUM_ERR_INVALID_ARG;

    cwl_out_init(&o, out, cap, false);
    w.out = &o;
    w.rc = LUM_OK;
    /* json.dumps's default separators are ", " and ": ". */
    put(&w, "{\"scopes\": ");
    put_string(&w, r->scopes);
    put(&w, ", \"productUuid\": ");
    put_string(&w, r->product_uuid);
    if (r->n_custom > 0) {
        put(&w, ", \"customData\": {");
        for (i = 0; i < r->n_custom; i++) {
            if (i > 0) put(&w, ", ");
            put_string(&w, r->custom[i].key);
            put(&w, ": ");
            put_string(&w, r->custom[i].value);
        }
        put(&w, "}");
    }
    put(&w, "}");
    if (w.rc != LUM_OK && o.err == LUM_OK) o.err = w.rc;
    return cwl_out_finish(&o, out_len);
}
