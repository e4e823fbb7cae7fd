/*
 * Buffered output over the client's working buffer. The same writer runs in
 * counting mode to learn a body's length before the headers are sent, so a
 * Content-Length can never disagree with the bytes that follow it.
 */
#include "http/http.h"

#include <string.h>

#include "lumminary/error.h"

void lum_out_init(lum_out *o, lum_client *c)
{
    o->c = c;
    o->buf = c->buf;
    o->cap = c->buf_cap;
    o->len = 0;
    o->total = 0;
    o->chunked = false;
    o->err = LUM_OK;
}

void lum_out_init_count(lum_out *o)
{
    o->c = NULL;
    o->buf = NULL;
    o->cap = 0;
    o->len = 0;
    o->total = 0;
    o->chunked = false;
    o->err = LUM_OK;
}

static void send_chunk_header(lum_out *o, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t line[2 * sizeof(size_t) + 2];
    size_t i = sizeof line - 2, digits = 0;
    do {
        line[--i] = (uint8_t)hex[n & 15u];
        n >>= 4;
        digits++;
    } while (n != 0);
    line[sizeof line - 2] = '\r';
    line[sizeof line - 1] = '\n';
    o->err = lum_conn_send_all(o->c, line + i, digits + 2);
}

int lum_out_flush(lum_out *o)
{
    if (o->err != LUM_OK || o->c == NULL || o->len == 0) return o->err;
    if (o->chunked) {
        send_chunk_header(o, o->len);
        if (o->err != LUM_OK) return o->err;
        /* The chunk's trailing CRLF goes out with the data: the buffer always
           keeps 2 bytes free in chunked mode (see lum_out_space). */
        o->buf[o->len++] = '\r';
        o->buf[o->len++] = '\n';
    }
    o->err = lum_conn_send_all(o->c, o->buf, o->len);
    o->len = 0;
    return o->err;
}

static size_t usable_cap(const lum_out *o)
{
    return o->chunked ? o->cap - 2 : o->cap;
}

uint8_t *lum_out_space(lum_out *o, size_t *avail)
{
    *avail = 0;
    if (o->err != LUM_OK || o->c == NULL) return NULL;
    if (o->len >= usable_cap(o) && lum_out_flush(o) != LUM_OK) return NULL;
    *avail = usable_cap(o) - o->len;
    return o->buf + o->len;
}

void lum_out_commit(lum_out *o, size_t n)
{
    o->len += n;
    o->total += n;
}

void lum_out_put(lum_out *o, const void *p, size_t n)
{
    const uint8_t *src = (const uint8_t *)p;
    if (o->err != LUM_OK) return;
    if (o->c == NULL) {
        o->total += n;
        return;
    }
    while (n > 0) {
        size_t avail, k;
        uint8_t *dst = lum_out_space(o, &avail);
        if (dst == NULL) return;
        k = n < avail ? n : avail;
        memcpy(dst, src, k);
        lum_out_commit(o, k);
        src += k;
        n -= k;
    }
}

void lum_out_str(lum_out *o, const char *s)
{
    lum_out_put(o, s, strlen(s));
}

void lum_out_u64(lum_out *o, uint64_t v)
{
    char digits[20];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    lum_out_put(o, digits + i, sizeof digits - i);
}

static bool unreserved(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

void lum_out_pct(lum_out *o, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        const unsigned char *run = p;
        while (*p != '\0' && unreserved(*p)) p++;
        if (p > run) lum_out_put(o, run, (size_t)(p - run));
        if (*p != '\0') {
            char esc[3];
            esc[0] = '%';
            esc[1] = hex[*p >> 4];
            esc[2] = hex[*p & 15u];
            lum_out_put(o, esc, 3);
            p++;
        }
    }
}

int lum_out_finish(lum_out *o)
{
    if (lum_out_flush(o) != LUM_OK) return o->err;
    if (o->chunked && o->c != NULL) {
        static const uint8_t last[] = "0\r\n\r\n";
        o->err = lum_conn_send_all(o->c, last, sizeof last - 1);
    }
    return o->err;
}
