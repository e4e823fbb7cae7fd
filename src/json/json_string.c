/*
 * JSON scalar values: strings unescaped into fixed-capacity fields, and
 * integers. Nothing here is lenient: a value that JSON forbids, or that a C
 * string cannot carry (U+0000), is an error.
 */
#include "json/json.h"

#include <string.h>

#include "lumminary/error.h"

int lum_json_hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static int hex4(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        int d = lum_json_hex_digit(s[i]);
        if (d < 0) return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

int lum_json_escape_char(char ch, char *out)
{
    switch (ch) {
    case '"': case '\\': case '/': *out = ch; return 1;
    case 'b': *out = '\b'; return 1;
    case 'f': *out = '\f'; return 1;
    case 'n': *out = '\n'; return 1;
    case 'r': *out = '\r'; return 1;
    case 't': *out = '\t'; return 1;
    default: return 0;
    }
}

size_t lum_utf8_encode(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes one escape at s[*i] (just after the backslash) into out[0..4). */
static int escape(const char *s, size_t n, size_t *i, char *out, size_t *out_len)
{
    uint32_t cp, lo;
    char ch;
    if (*i >= n) return LUM_ERR_JSON_TYPE; /* a backslash at the very end */
    ch = s[(*i)++];
    if (lum_json_escape_char(ch, out)) {
        *out_len = 1;
        return LUM_OK;
    }
    if (ch != 'u') return LUM_ERR_JSON_TYPE;
    if (n - *i < 4 || hex4(s + *i, &cp) != 0) return LUM_ERR_JSON_TYPE;
    *i += 4;
    if (cp == 0) return LUM_ERR_JSON_TYPE; /* would end the C string early */
    if (cp >= 0xDC00 && cp <= 0xDFFF) return LUM_ERR_JSON_TYPE; /* lone low surrogate */
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (n - *i < 6 || s[*i] != '\\' || s[*i + 1] != 'u' || hex4(s + *i + 2, &lo) != 0 ||
            lo < 0xDC00 || lo > 0xDFFF)
            return LUM_ERR_JSON_TYPE;
        *i += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    *out_len = lum_utf8_encode(cp, out);
    return LUM_OK;
}

/* Shared loop: copies s into dst; returns LUM_ERR_TOO_LONG at the first
   character that does not fit, having written the characters before it. */
static int unescape(const char *s, size_t n, char *dst, size_t cap, size_t *written)
{
    size_t i = 0, o = 0;
    *written = 0;
    if (cap == 0) return LUM_ERR_TOO_LONG;
    while (i < n) {
        char tmp[4];
        size_t k;
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20) return LUM_ERR_JSON_TYPE; /* raw control characters are not JSON */
        if (ch != '\\') {
            /* A run of plain bytes: copy it in one go. */
            size_t run = i;
            while (run < n && (unsigned char)s[run] >= 0x20 && s[run] != '\\') run++;
            k = run - i;
            if (o + k >= cap) {
                /* Keep what fits: lum_json_unescape_cut cuts after it. */
                memcpy(dst + o, s + i, cap - 1 - o);
                *written = cap - 1;
                return LUM_ERR_TOO_LONG;
            }
            memcpy(dst + o, s + i, k);
            o += k;
            i = run;
            *written = o;
            continue;
        }
        i++;
        {
            int rc = escape(s, n, &i, tmp, &k);
            if (rc != LUM_OK) return rc;
        }
        if (o + k >= cap) return LUM_ERR_TOO_LONG;
        memcpy(dst + o, tmp, k);
        o += k;
        *written = o;
    }
    dst[o] = '\0';
    return LUM_OK;
}

int lum_json_unescape(const char *s, size_t n, char *dst, size_t cap)
{
    size_t written;
    int rc = unescape(s, n, dst, cap, &written);
    if (rc != LUM_OK && cap > 0) dst[0] = '\0';
    return rc;
}

void lum_json_unescape_cut(const char *s, size_t n, char *dst, size_t cap)
{
    size_t written, valid;
    int rc;
    if (cap < 4) {
        if (cap > 0) dst[0] = '\0';
        return;
    }
    rc = unescape(s, n, dst, cap, &written);
    if (rc == LUM_OK) return;
    if (rc != LUM_ERR_TOO_LONG) {
        dst[0] = '\0';
        return;
    }
    /* Make room for "...", never splitting a UTF-8 sequence (only the
       written bytes can tell: a cut at their end is at a boundary). */
    valid = written;
    if (written > cap - 4) written = cap - 4;
    while (written > 0 && written < valid && ((unsigned char)dst[written] & 0xC0) == 0x80) written--;
    memcpy(dst + written, "...", 4);
}

int lum_parse_int64(const char *s, size_t n, int64_t *out)
{
    uint64_t v = 0, limit;
    size_t i = 0;
    bool neg = false;
    if (n > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i >= n) return LUM_ERR_JSON_TYPE;
    if (s[i] == '0' && n - i > 1) return LUM_ERR_JSON_TYPE; /* leading zero, or 0.5 */
    limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) return LUM_ERR_JSON_TYPE;
        if (v > (limit - d) / 10u) return LUM_ERR_JSON_TYPE;
        v = v * 10u + d;
    }
    if (neg) *out = v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v;
    else *out = (int64_t)v;
    return LUM_OK;
}
