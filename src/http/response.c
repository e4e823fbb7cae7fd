/*
 * Response parser: status line and headers from the working buffer, then the
 * body delivered as decoded bytes. Chunked framing is removed in place (body
 * bytes slide down over the framing), so the JSON layer always sees one
 * contiguous run of body bytes and no second buffer is needed.
 *
 * What we accept is deliberately narrow: HTTP/1.0 or 1.1, Content-Length or
 * chunked (nothing else in Transfer-Encoding), and limits on every line and
 * on the whole head. Anything else is an error with its own code.
 */
#include "http/http.h"

#include <string.h>

#include "lumminary/error.h"

enum {
    CH_SIZE,        /* hex digits of a chunk size */
    CH_SIZE_WS,     /* whitespace after the size */
    CH_EXT,         /* chunk extension, ignored */
    CH_SIZE_LF,     /* CR seen, LF expected */
    CH_DATA,
    CH_DATA_CR,     /* CRLF after the chunk data */
    CH_DATA_LF,
    CH_TRAILER,     /* start of a trailer line (or the final empty line) */
    CH_TRAILER_LINE,
    CH_END_LF,
    CH_DONE
};

#define MAX_CHUNK_SIZE ((uint64_t)1 << 62)

static int lower(int ch)
{
    return (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
}

static bool name_is(const char *name, size_t len, const char *want)
{
    size_t i;
    if (strlen(want) != len) return false;
    for (i = 0; i < len; i++)
        if (lower((unsigned char)name[i]) != want[i]) return false;
    return true;
}

/* RFC 9110 token characters (header names). */
static bool is_tchar(unsigned char ch)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) return true;
    return ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

static int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    ch = (unsigned char)lower(ch);
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    return -1;
}

/* Parses 1*DIGIT into *out (at most max); false on anything else. */
static bool parse_digits(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;
    if (len == 0) return false;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        if (v > (max - (uint64_t)(s[i] - '0')) / 10u) return false;
        v = v * 10u + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Case-insensitive search for a token in a comma-separated header value. */
static bool list_has(const char *v, size_t len, const char *token)
{
    size_t i = 0;
    while (i < len) {
        size_t start, end;
        while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
        start = i;
        while (i < len && v[i] != ',') i++;
        end = i;
        while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t')) end--;
        if (end > start && name_is(v + start, end - start, token)) return true;
    }
    return false;
}

/* What the headers said, before the body mode is decided. */
typedef struct head_info {
    bool http10;
    bool have_length;
    bool chunked;
    bool conn_close;
    bool conn_keep_alive;
    uint64_t length;
} head_info;

static int parse_status_line(lum_client *c, const char *line, size_t len, head_info *h)
{
    uint64_t status;
    if (len < 12 || memcmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') ||
        line[8] != ' ')
        return LUM_ERR_PROTOCOL;
    if (!parse_digits(line + 9, 3, 999, &status) || status < 100) return LUM_ERR_PROTOCOL;
    if (len > 12 && line[12] != ' ') return LUM_ERR_PROTOCOL;
    c->rsp.status = (int)status;
    h->http10 = line[7] == '0';
    return LUM_OK;
}

static int parse_header_line(lum_client *c, const char *line, size_t len, head_info *h)
{
    size_t n = 0, vs, ve;
    const char *value;

    while (n < len && is_tchar((unsigned char)line[n])) n++;
    /* No obs-fold, no space before the colon, no empty name. */
    if (n == 0 || n >= len || line[n] != ':') return LUM_ERR_PROTOCOL;
    vs = n + 1;
    ve = len;
    while (vs < ve && (line[vs] == ' ' || line[vs] == '\t')) vs++;
    while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t')) ve--;
    value = line + vs;

    if (name_is(line, n, "content-length")) {
        uint64_t v;
        if (!parse_digits(value, ve - vs, MAX_CHUNK_SIZE, &v)) return LUM_ERR_PROTOCOL;
        /* Two different lengths: one of them is a lie; which, we cannot know. */
        if (h->have_length && h->length != v) return LUM_ERR_PROTOCOL;
        h->have_length = true;
        h->length = v;
    } else if (name_is(line, n, "transfer-encoding")) {
        /* We ask for no codings, so only "chunked" alone can be decoded. */
        if (!name_is(value, ve - vs, "chunked") || h->chunked) return LUM_ERR_PROTOCOL;
        h->chunked = true;
    } else if (name_is(line, n, "connection")) {
        if (list_has(value, ve - vs, "close")) h->conn_close = true;
        if (list_has(value, ve - vs, "keep-alive")) h->conn_keep_alive = true;
    } else if (name_is(line, n, "retry-after")) {
        uint64_t v;
        /* Delta-seconds only; an HTTP-date is left as 0 (no hint). */
        if (parse_digits(value, ve - vs, 86400u, &v)) c->rsp.retry_after_s = (uint32_t)v;
    }
    return LUM_OK;
}

static void reset_response(lum_client *c, head_info *h)
{
    memset(&c->rsp, 0, sizeof c->rsp);
    memset(h, 0, sizeof *h);
}

/* Chooses how the body is delimited (RFC 9112 section 6.3). */
static void decide_body(lum_client *c, const head_info *h, bool head_request)
{
    struct lum_http_response *r = &c->rsp;
    int s = r->status;

    r->keep_alive = h->http10 ? (h->conn_keep_alive && !h->conn_close) : !h->conn_close;
    if (head_request || s == 204 || s == 304) {
        r->body_mode = LUM_BODY_NONE;
        r->done = true;
    } else if (h->chunked) {
        r->body_mode = LUM_BODY_CHUNKED;
        r->chunk_state = CH_SIZE;
        /* Both framings at once is how request smuggling starts: use
           chunked as RFC 9112 says, but never reuse this connection. */
        if (h->have_length) r->keep_alive = false;
    } else if (h->have_length) {
        r->body_mode = LUM_BODY_LENGTH;
        r->remaining = h->length;
        r->done = h->length == 0;
    } else {
        r->body_mode = LUM_BODY_UNTIL_CLOSE;
        r->keep_alive = false;
    }
}

int lum_http_dechunk(struct lum_http_response *r, uint8_t *data, size_t n)
{
    size_t in = 0, out = 0;

    while (in < n) {
        unsigned char ch;
        if (r->chunk_state == CH_DATA) {
            size_t k = n - in;
            if ((uint64_t)k > r->remaining) k = (size_t)r->remaining;
            if (out != in) memmove(data + out, data + in, k);
            out += k;
            in += k;
            r->remaining -= k;
            if (r->remaining == 0) r->chunk_state = CH_DATA_CR;
            continue;
        }
        ch = data[in++];
        if (r->chunk_state == CH_DONE) return LUM_ERR_PROTOCOL; /* bytes after the message */
        if (++r->framing_len > LUM_MAX_HEADER_LINE) return LUM_ERR_HEADER_LINE_TOO_LONG;
        switch (r->chunk_state) {
        case CH_SIZE: {
            int v = hexval(ch);
            if (v >= 0) {
                if (r->remaining >= MAX_CHUNK_SIZE >> 4) return LUM_ERR_PROTOCOL;
                r->remaining = (r->remaining << 4) | (uint64_t)v;
                break;
            }
            if (r->framing_len == 1) return LUM_ERR_PROTOCOL; /* no digit at all */
            if (ch == ' ' || ch == '\t') r->chunk_state = CH_SIZE_WS;
            else if (ch == ';') r->chunk_state = CH_EXT;
            else if (ch == '\r') r->chunk_state = CH_SIZE_LF;
            else if (ch == '\n') goto size_line_done;
            else return LUM_ERR_PROTOCOL;
            break;
        }
        case CH_SIZE_WS:
            if (ch == ';') r->chunk_state = CH_EXT;
            else if (ch == '\r') r->chunk_state = CH_SIZE_LF;
            else if (ch == '\n') goto size_line_done;
            else if (ch != ' ' && ch != '\t') return LUM_ERR_PROTOCOL;
            break;
        case CH_EXT:
            if (ch == '\r') r->chunk_state = CH_SIZE_LF;
            else if (ch == '\n') goto size_line_done;
            break;
        case CH_SIZE_LF:
            if (ch != '\n') return LUM_ERR_PROTOCOL;
        size_line_done:
            r->framing_len = 0;
            r->chunk_state = r->remaining == 0 ? CH_TRAILER : CH_DATA;
            break;
        case CH_DATA_CR:
            if (ch == '\r') r->chunk_state = CH_DATA_LF;
            else if (ch == '\n') goto data_done;
            else return LUM_ERR_PROTOCOL; /* the chunk was longer than its size */
            break;
        case CH_DATA_LF:
            if (ch != '\n') return LUM_ERR_PROTOCOL;
        data_done:
            r->framing_len = 0;
            r->chunk_state = CH_SIZE;
            break;
        case CH_TRAILER:
            if (ch == '\r') r->chunk_state = CH_END_LF;
            else if (ch == '\n') goto message_done;
            else r->chunk_state = CH_TRAILER_LINE;
            break;
        case CH_TRAILER_LINE:
            if (ch == '\n') {
                r->trailer_bytes += r->framing_len;
                if (r->trailer_bytes > LUM_MAX_HEADER_BYTES) return LUM_ERR_HEADERS_TOO_LARGE;
                r->framing_len = 0;
                r->chunk_state = CH_TRAILER;
            }
            break;
        case CH_END_LF:
            if (ch != '\n') return LUM_ERR_PROTOCOL;
        message_done:
            r->chunk_state = CH_DONE;
            r->done = true;
            break;
        default:
            return LUM_ERR_PROTOCOL;
        }
    }
    return (int)out;
}

/* Turns the raw bytes left after the head into decoded body bytes. */
static int decode_leftover(lum_client *c, size_t raw, size_t *have)
{
    struct lum_http_response *r = &c->rsp;
    int n;
    *have = 0;
    if (raw == 0) return LUM_OK;
    switch (r->body_mode) {
    case LUM_BODY_NONE:
        return LUM_ERR_PROTOCOL; /* we never pipeline: nothing may follow */
    case LUM_BODY_LENGTH:
        if ((uint64_t)raw > r->remaining) return LUM_ERR_PROTOCOL; /* longer than its length */
        r->remaining -= raw;
        r->done = r->remaining == 0;
        *have = raw;
        return LUM_OK;
    case LUM_BODY_CHUNKED:
        n = lum_http_dechunk(r, c->buf, raw);
        if (n < 0) return n;
        *have = (size_t)n;
        return LUM_OK;
    default:
        *have = raw;
        return LUM_OK;
    }
}

int lum_http_read_head(lum_client *c, bool head_request, size_t *have)
{
    uint8_t *buf = c->buf;
    size_t len = 0, pos = 0, head_bytes = 0;
    bool in_status = true, got_any = false;
    head_info h;

    reset_response(c, &h);
    for (;;) {
        uint8_t *nl = len > pos ? (uint8_t *)memchr(buf + pos, '\n', len - pos) : NULL;
        size_t line_len, full;
        const char *line;
        int rc;

        if (nl == NULL) {
            int r;
            /* A CR at the end may be this line's own, its LF still to come:
               the limit must not depend on where a read ended. */
            size_t partial = len - pos - (len > pos && buf[len - 1] == '\r' ? 1u : 0u);
            if (partial > LUM_MAX_HEADER_LINE) return LUM_ERR_HEADER_LINE_TOO_LONG;
            if (head_bytes + (len - pos) > LUM_MAX_HEADER_BYTES) return LUM_ERR_HEADERS_TOO_LARGE;
            memmove(buf, buf + pos, len - pos);
            len -= pos;
            pos = 0;
            if (len == c->buf_cap) return LUM_ERR_HEADER_LINE_TOO_LONG; /* the line cannot fit */
            r = lum_conn_recv(c, buf + len, c->buf_cap - len);
            if (r == LUM_ERR_CLOSED && got_any) return LUM_ERR_TRUNCATED;
            if (r < 0) return r;
            got_any = true;
            len += (size_t)r;
            continue;
        }
        full = (size_t)(nl - (buf + pos)) + 1;
        line = (const char *)buf + pos;
        line_len = full - 1;
        if (line_len > 0 && line[line_len - 1] == '\r') line_len--;
        if (line_len > LUM_MAX_HEADER_LINE) return LUM_ERR_HEADER_LINE_TOO_LONG;
        head_bytes += full;
        if (head_bytes > LUM_MAX_HEADER_BYTES) return LUM_ERR_HEADERS_TOO_LARGE;
        if (memchr(line, '\r', line_len) != NULL || memchr(line, '\0', line_len) != NULL)
            return LUM_ERR_PROTOCOL;
        pos += full;

        if (in_status) {
            rc = parse_status_line(c, line, line_len, &h);
            in_status = false;
        } else if (line_len == 0) {
            if (c->rsp.status >= 100 && c->rsp.status < 200) {
                /* An interim response (100 Continue...): the real one follows.
                   101 would switch protocols, which we never ask for. */
                if (c->rsp.status == 101) return LUM_ERR_PROTOCOL;
                reset_response(c, &h);
                in_status = true;
                continue;
            }
            break;
        } else {
            rc = parse_header_line(c, line, line_len, &h);
        }
        if (rc != LUM_OK) return rc;
    }

    decide_body(c, &h, head_request);
    memmove(buf, buf + pos, len - pos);
    return decode_leftover(c, len - pos, have);
}

int lum_http_body_read(lum_client *c, uint8_t *dst, size_t cap)
{
    struct lum_http_response *r = &c->rsp;
    int n;

    if (r->done || cap == 0) return 0;
    switch (r->body_mode) {
    case LUM_BODY_LENGTH:
        if ((uint64_t)cap > r->remaining) cap = (size_t)r->remaining;
        n = lum_conn_recv(c, dst, cap);
        if (n == LUM_ERR_CLOSED) return LUM_ERR_TRUNCATED;
        if (n < 0) return n;
        r->remaining -= (uint64_t)n;
        r->done = r->remaining == 0;
        return n;
    case LUM_BODY_CHUNKED:
        for (;;) {
            n = lum_conn_recv(c, dst, cap);
            if (n == LUM_ERR_CLOSED) return LUM_ERR_TRUNCATED;
            if (n < 0) return n;
            n = lum_http_dechunk(r, dst, (size_t)n);
            if (n != 0 || r->done) return n;
            /* Only framing arrived: read on. */
        }
    case LUM_BODY_UNTIL_CLOSE:
        n = lum_conn_recv(c, dst, cap);
        if (n == LUM_ERR_CLOSED) {
            r->done = true;
            return 0;
        }
        return n;
    default:
        return 0;
    }
}

bool lum_http_body_done(const lum_client *c)
{
    return c->rsp.done;
}
