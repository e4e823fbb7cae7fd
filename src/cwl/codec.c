/*
 * The text codecs of CWL payloads, each matched to what the reference
 * Python client does: base64.b64encode / b64decode (standard alphabet,
 * padded), urllib.parse.quote (safe='/'), and json.dumps's escaping of a
 * str with ensure_ascii. All streamed, so that no payload is ever held
 * twice.
 */
#include <string.h>

#include "cwl/cwl_internal.h"
#include "lumminary/error.h"

/* ------------------------------------------------------------ text output */

void cwl_out_init(cwl_out *o, char *buf, size_t cap, bool url)
{
    o->buf = buf;
    o->cap = cap;
    o->len = 0;
    o->url = url;
    o->err = cap == 0 ? LUM_ERR_TOO_LONG : LUM_OK;
}

static void out_raw(cwl_out *o, const char *s, size_t n)
{
    if (o->err != LUM_OK) return;
    if (n >= o->cap - o->len) {
        o->err = LUM_ERR_TOO_LONG;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void cwl_out_put(cwl_out *o, const char *s, size_t n)
{
    size_t i, run = 0;
    if (!o->url) {
        out_raw(o, s, n);
        return;
    }
    /* Of the base64 alphabet, quote() leaves letters, digits and '/' alone. */
    for (i = 0; i < n; i++) {
        if (s[i] == '+' || s[i] == '=') {
            out_raw(o, s + run, i - run);
            out_raw(o, s[i] == '+' ? "%2B" : "%3D", 3);
            run = i + 1;
        }
    }
    out_raw(o, s + run, n - run);
}

int cwl_out_finish(cwl_out *o, size_t *out_len)
{
    if (o->err != LUM_OK) {
        if (o->cap > 0) {
            memset(o->buf, 0, o->len < o->cap ? o->len + 1 : o->cap);
        }
        if (out_len != NULL) *out_len = 0;
        return o->err;
    }
    o->buf[o->len] = '\0';
    if (out_len != NULL) *out_len = o->len;
    return LUM_OK;
}

/* ------------------------------------------------------------ base64 out */

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void cwl_b64enc_init(cwl_b64enc *e, cwl_out *out)
{
    e->out = out;
    e->n = 0;
}

static void b64_group(cwl_b64enc *e, unsigned n)
{
    char q[4];
    uint32_t v = ((uint32_t)e->part[0] << 16) | ((uint32_t)(n > 1 ? e->part[1] : 0) << 8) |
                 (uint32_t)(n > 2 ? e->part[2] : 0);
    q[0] = b64_alphabet[(v >> 18) & 63];
    q[1] = b64_alphabet[(v >> 12) & 63];
    q[2] = n > 1 ? b64_alphabet[(v >> 6) & 63] : '=';
    q[3] = n > 2 ? b64_alphabet[v & 63] : '=';
    cwl_out_put(e->out, q, 4);
}

void cwl_b64enc_put(cwl_b64enc *e, const uint8_t *data, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        e->part[e->n++] = data[i];
        if (e->n == 3) {
            b64_group(e, 3);
            e->n = 0;
        }
    }
}

void cwl_b64enc_finish(cwl_b64enc *e)
{
    if (e->n > 0) b64_group(e, e->n);
    e->n = 0;
}

/* ------------------------------------------------------------ base64 in */

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* The 6-bit value of a base64 character, 64 for '=', -1 for anything else. */
static int b64_value(int ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    if (ch == '=') return 64;
    return -1;
}

/* Next character of text once %XX is decoded: >= 0, or -1 at the end, -2 if malformed. */
static int next_char(const char *text, size_t len, size_t *pos)
{
    int hi, lo;
    if (*pos >= len) return -1;
    if (text[*pos] != '%') return (unsigned char)text[(*pos)++];
    if (len - *pos < 3) return -2;
    hi = hexval((unsigned char)text[*pos + 1]);
    lo = hexval((unsigned char)text[*pos + 2]);
    if (hi < 0 || lo < 0) return -2;
    *pos += 3;
    return hi * 16 + lo;
}

int cwl_b64_measure(const char *text, size_t len, size_t *decoded)
{
    size_t pos = 0, chars = 0, pad = 0;
    int ch;
    *decoded = 0;
    while ((ch = next_char(text, len, &pos)) != -1) {
        int v = ch < 0 ? -1 : b64_value(ch);
        if (v < 0) return LUM_ERR_INVALID_ARG;
        if (v == 64) {
            pad++;
        } else if (pad > 0) {
            return LUM_ERR_INVALID_ARG; /* data after padding */
        }
        chars++;
    }
    if (chars % 4 != 0 || pad > 2) return LUM_ERR_INVALID_ARG;
    *decoded = chars / 4 * 3 - pad;
    return LUM_OK;
}

void cwl_b64dec_init(cwl_b64dec *d, const char *text, size_t len)
{
    d->text = text;
    d->len = len;
    d->pos = 0;
    d->have = d->used = 0;
}

/* Decodes the next group of four characters. The text was checked. */
static void b64_refill(cwl_b64dec *d)
{
    uint32_t v = 0;
    unsigned i, pad = 0;
    for (i = 0; i < 4; i++) {
        int c = b64_value(next_char(d->text, d->len, &d->pos));
        if (c == 64) {
            pad++;
            c = 0;
        }
        v = (v << 6) | (uint32_t)c;
    }
    d->part[0] = (uint8_t)(v >> 16);
    d->part[1] = (uint8_t)(v >> 8);
    d->part[2] = (uint8_t)v;
    d->have = 3 - pad;
    d->used = 0;
}

void cwl_b64dec_get(cwl_b64dec *d, uint8_t *dst, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (d->used == d->have) b64_refill(d);
        dst[i] = d->part[d->used++];
    }
}

int cwl_key_decode(const char *key_b64, uint8_t key[CWL_KEY_MAX], size_t *key_len)
{
    size_t len, n;
    cwl_b64dec d;
    *key_len = 0;
    if (key_b64 == NULL) return LUM_ERR_INVALID_ARG;
    len = strlen(key_b64);
    /* A key is given as is: no percent-encoding. */
    if (memchr(key_b64, '%', len) != NULL || cwl_b64_measure(key_b64, len, &n) != LUM_OK)
        return LUM_ERR_INVALID_ARG;
    if (n != 16 && n != 24 && n != 32) return LUM_ERR_INVALID_ARG;
    cwl_b64dec_init(&d, key_b64, len);
    cwl_b64dec_get(&d, key, n);
    cwl_wipe(d.part, sizeof d.part);
    *key_len = n;
    return LUM_OK;
}

/* ------------------------------------------------ Python json.dumps strings */

/*
 * Decodes one UTF-8 character at s[*i] (strict: no overlongs, surrogates or
 * values past U+10FFFF). Returns the code point, or -1.
 */
static long utf8_next(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    size_t need, k;
    unsigned char lo = 0x80, hi = 0xBF;
    long cp;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;      /* overlong */
        else if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0) lo = 0x90;      /* overlong */
        else if (c == 0xF4) hi = 0x8F; /* past U+10FFFF */
    } else {
        return -1;
    }
    if (n - *i <= need) return -1;
    for (k = 1; k <= need; k++) {
        unsigned char t = s[*i + k];
        if (t < (k == 1 ? lo : 0x80) || t > (k == 1 ? hi : 0xBF)) return -1;
        cp = (cp << 6) | (t & 0x3F);
    }
    *i += need + 1;
    return cp;
}

static void emit_u16(cwl_emit_fn emit, void *ctx, unsigned v)
{
    static const char hex[] = "0123456789abcdef"; /* json.dumps writes lowercase */
    char e[6];
    e[0] = '\\';
    e[1] = 'u';
    e[2] = hex[(v >> 12) & 15];
    e[3] = hex[(v >> 8) & 15];
    e[4] = hex[(v >> 4) & 15];
    e[5] = hex[v & 15];
    emit(ctx, e, 6);
}

int cwl_pyjson_escape(const char *s, size_t n, cwl_emit_fn emit, void *ctx)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = u[i];
        const char *short_form = NULL;
        long cp;
        /* json's ESCAPE_ASCII: everything but ' '..'~', and '"' and '\'. */
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (i > run) emit(ctx, s + run, i - run);
        switch (c) {
        case '"': short_form = "\\\""; break;
        case '\\': short_form = "\\\\"; break;
        case '\b': short_form = "\\b"; break;
        case '\f': short_form = "\\f"; break;
        case '\n': short_form = "\\n"; break;
        case '\r': short_form = "\\r"; break;
        case '\t': short_form = "\\t"; break;
        default: break;
        }
        if (short_form != NULL) {
            emit(ctx, short_form, 2);
            i++;
        } else {
            cp = utf8_next(u, n, &i);
            if (cp < 0) return LUM_ERR_INVALID_ARG;
            if (cp >= 0x10000) {
                cp -= 0x10000;
                emit_u16(emit, ctx, 0xD800u | (unsigned)(cp >> 10));
                emit_u16(emit, ctx, 0xDC00u | (unsigned)(cp & 0x3FF));
            } else {
                emit_u16(emit, ctx, (unsigned)cp);
            }
        }
        run = i;
    }
    if (n > run) emit(ctx, s + run, n - run);
    return LUM_OK;
}
