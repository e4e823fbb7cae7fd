/*
 * Structs back into JSON, walking the decoding tables (lumminary/json.h).
 * Output goes through a 64-byte staging buffer on the stack, so a write
 * callback sees a few dozen calls per model instead of one per character.
 */
#include "lumminary/json.h"

#include <string.h>

#include "core/format.h"
#include "json/json.h"
#include "lumminary/error.h"

#define STAGE 64
#define MAX_NESTING 4 /* the tables nest three levels; more means a broken table */

typedef struct enc {
    lum_write_fn write;
    void *ctx;
    int err;
    size_t len;
    char buf[STAGE];
} enc;

static void flush(enc *e)
{
    if (e->err == LUM_OK && e->len > 0 && e->write(e->ctx, e->buf, e->len) != 0) e->err = LUM_ERR_IO;
    e->len = 0;
}

static void put(enc *e, const char *p, size_t n)
{
    while (n > 0 && e->err == LUM_OK) {
        size_t k = STAGE - e->len;
        if (k > n) k = n;
        memcpy(e->buf + e->len, p, k);
        e->len += k;
        p += k;
        n -= k;
        if (e->len == STAGE) flush(e);
    }
}

static void put_str(enc *e, const char *s)
{
    put(e, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one
   (overlong forms, surrogates and values past U+10FFFF are not valid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len, i;
    uint32_t cp;
    if (s[0] < 0xC2) return 0; /* ASCII is handled by the caller; 0x80-0xC1 never lead */
    if (s[0] < 0xE0) {
        len = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] < 0xF0) {
        len = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] < 0xF5) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* A string field of capacity cap (its NUL is within it; never read past). */
static void put_string(enc *e, const char *s, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, i = 0;
    while (n < cap && p[n] != '\0') n++;
    put(e, "\"", 1);
    while (i < n) {
        size_t run = i, k;
        /* Plain printable ASCII goes out in runs. */
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
        put(e, s + i, run - i);
        i = run;
        if (i >= n) break;
        if (p[i] == '"' || p[i] == '\\') {
            char esc[2] = {'\\', (char)p[i]};
            put(e, esc, 2);
            i++;
        } else if (p[i] < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 0xF]};
            put(e, esc, 6);
            i++;
        } else if ((k = utf8_len(p + i, n - i)) > 0) {
            put(e, s + i, k);
            i += k;
        } else {
            put(e, "\\ufffd", 6);
            i++;
        }
    }
    put(e, "\"", 1);
}

static void put_int(enc *e, int64_t v)
{
    char t[LUM_I64_CHARS];
    put(e, t, lum_format_i64(t, v));
}

static int encode_object(enc *e, const lum_model *m, const uint8_t *o, unsigned nesting);

static int encode_value(enc *e, const lum_field *f, const uint8_t *o, unsigned nesting)
{
    const uint8_t *at = o + f->offset;
    uint32_t count, k;
    int rc = LUM_OK;

    switch (f->type) {
    case LUM_FT_STRING:
        put_string(e, (const char *)at, f->size);
        break;
    case LUM_FT_INT: {
        int64_t v;
        memcpy(&v, at, sizeof v);
        put_int(e, v);
        break;
    }
    case LUM_FT_BOOL: {
        bool v;
        memcpy(&v, at, sizeof v);
        put_str(e, v ? "true" : "false");
        break;
    }
    case LUM_FT_OBJECT:
        return encode_object(e, f->sub, at, nesting + 1);
    case LUM_FT_STRINGS:
    case LUM_FT_OBJECTS:
        memcpy(&count, o + LUM_COUNT_OFFSET(f), sizeof count);
        if (count > f->max) count = f->max; /* only the stored ones exist */
        put(e, "[", 1);
        for (k = 0; k < count && rc == LUM_OK; k++) {
            if (k > 0) put(e, ",", 1);
            if (f->type == LUM_FT_STRINGS) put_string(e, (const char *)at + (size_t)k * f->size, f->size);
            else rc = encode_object(e, f->sub, at + (size_t)k * f->size, nesting + 1);
        }
        put(e, "]", 1);
        break;
    default:
        return LUM_ERR_INVALID_ARG;
    }
    return rc;
}

static int encode_object(enc *e, const lum_model *m, const uint8_t *o, unsigned nesting)
{
    uint32_t present;
    bool first = true;
    int i;

    if (nesting > MAX_NESTING || m == NULL) return LUM_ERR_INVALID_ARG;
    memcpy(&present, o, sizeof present);
    put(e, "{", 1);
    for (i = 0; i < m->nfields && e->err == LUM_OK; i++) {
        const lum_field *f = &m->fields[i];
        int rc;
        /* Streamed values were handed to a callback; nothing of them is here. */
        if (!(present & ((uint32_t)1 << i)) || f->type == LUM_FT_STREAM || f->type == LUM_FT_TEXT) continue;
        if (!first) put(e, ",", 1);
        first = false;
        put(e, "\"", 1);
        put(e, f->key, strlen(f->key));
        put(e, "\":", 2);
        rc = encode_value(e, f, o, nesting);
        if (rc != LUM_OK) return rc;
    }
    put(e, "}", 1);
    return LUM_OK;
}

int lum_json_encode(const struct lum_model *m, const void *obj, lum_write_fn write, void *ctx)
{
    enc e;
    int rc;
    if (m == NULL || obj == NULL || write == NULL) return LUM_ERR_INVALID_ARG;
    e.write = write;
    e.ctx = ctx;
    e.err = LUM_OK;
    e.len = 0;
    rc = encode_object(&e, m, (const uint8_t *)obj, 0);
    if (rc != LUM_OK) return rc;
    flush(&e);
    return e.err;
}
