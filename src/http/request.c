/*
 * Request writer: request line, headers and body through one buffered
 * writer, so the head and a small body usually leave in a single send.
 */
#include "http/http.h"

#include <string.h>

#include "lumminary/error.h"

#define USER_AGENT "lumminary-c/0.1"

/* Header values must not be able to end the header or start another. */
static bool header_safe(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f) return false;
    return true;
}

int lum_http_request_check(const lum_http_request *rq)
{
    const char *p;
    size_t arg = 0;
    for (p = rq->path; *p != '\0'; p++) {
        if (p[0] == '{' && p[1] == '}') {
            /* An empty segment would silently address another resource. */
            if (arg >= 3 || rq->path_args[arg] == NULL || rq->path_args[arg][0] == '\0')
                return LUM_ERR_INVALID_ARG;
            arg++;
        }
    }
    if (rq->x_fields != NULL && !header_safe(rq->x_fields)) return LUM_ERR_INVALID_ARG;
    return LUM_OK;
}

static void write_target(lum_out *o, const lum_client *c, const lum_http_request *rq)
{
    const char *p = rq->path, *run = p;
    size_t arg = 0, q;
    char sep = '?';

    lum_out_str(o, c->base_path);
    for (; *p != '\0'; p++) {
        if (p[0] == '{' && p[1] == '}') {
            lum_out_put(o, run, (size_t)(p - run));
            lum_out_pct(o, rq->path_args[arg++]);
            run = p + 2;
            p++;
        }
    }
    lum_out_put(o, run, (size_t)(p - run));
    for (q = 0; q < 2 && rq->query_name[q] != NULL; q++) {
        if (rq->query_value[q] == NULL) continue;
        lum_out_put(o, &sep, 1);
        lum_out_str(o, rq->query_name[q]);
        lum_out_put(o, "=", 1);
        lum_out_pct(o, rq->query_value[q]);
        sep = '&';
    }
}

static void write_host(lum_out *o, const lum_client *c)
{
    bool ipv6 = strchr(c->host, ':') != NULL;
    lum_out_str(o, "Host: ");
    if (ipv6) lum_out_put(o, "[", 1);
    lum_out_str(o, c->host);
    if (ipv6) lum_out_put(o, "]", 1);
    if (c->port != 443 && c->port != 80) {
        lum_out_put(o, ":", 1);
        lum_out_u64(o, c->port);
    }
    lum_out_str(o, "\r\n");
}

int lum_http_request_send(lum_client *c, const lum_http_request *rq)
{
    lum_out o;
    uint64_t body_len = 0;

    if (rq->content_type != NULL && !rq->chunked_body) {
        lum_out counter;
        lum_out_init_count(&counter);
        if (rq->write_body(&counter, rq->body_ctx) != LUM_OK || counter.err != LUM_OK)
            return counter.err != LUM_OK ? counter.err : LUM_ERR_IO;
        body_len = counter.total;
    }

    lum_out_init(&o, c);
    lum_out_str(&o, rq->method);
    lum_out_put(&o, " ", 1);
    write_target(&o, c, rq);
    lum_out_str(&o, " HTTP/1.1\r\n");
    write_host(&o, c);
    lum_out_str(&o, "User-Agent: " USER_AGENT "\r\nAccept: application/json\r\n");
    if (rq->authenticated) {
        lum_out_str(&o, "Authorization: Bearer ");
        lum_out_str(&o, c->jwt.access_token);
        lum_out_str(&o, "\r\n");
    }
    if (rq->x_fields != NULL) {
        lum_out_str(&o, "X-Fields: ");
        lum_out_str(&o, rq->x_fields);
        lum_out_str(&o, "\r\n");
    }
    if (rq->content_type != NULL) {
        lum_out_str(&o, "Content-Type: ");
        lum_out_str(&o, rq->content_type);
        lum_out_str(&o, "\r\n");
    }
    if (rq->content_type != NULL && rq->chunked_body) {
        lum_out_str(&o, "Transfer-Encoding: chunked\r\n");
    } else if (rq->content_type != NULL || strcmp(rq->method, "POST") == 0) {
        lum_out_str(&o, "Content-Length: ");
        lum_out_u64(&o, body_len);
        lum_out_str(&o, "\r\n");
    }
    lum_out_str(&o, "\r\n");

    if (rq->content_type != NULL) {
        uint64_t head_len;
        int rc;
        if (rq->chunked_body) {
            if (lum_out_flush(&o) != LUM_OK) return o.err;
            o.chunked = true;
        }
        head_len = o.total;
        rc = rq->write_body(&o, rq->body_ctx);
        if (o.err != LUM_OK) return o.err;
        if (rc != LUM_OK) return rc;
        /* The counted and the written body must agree, or the server would
           read our next request as part of this body. The caller closes the
           connection on any error. */
        if (!rq->chunked_body && o.total - head_len != body_len) return LUM_ERR_IO;
    }
    return lum_out_finish(&o);
}
