/*
 * src/http/http.h - the HTTP/1.1 client core (internal).
 *
 *   conn.c      the connection: open/reuse/close, send and recv bounded by
 *               the client's timeouts
 *   out.c       a buffered writer over the working buffer that can also just
 *               count, so a body's Content-Length comes from the same code
 *               that writes it
 *   request.c   request line, headers, body
 *   response.c  status line and headers, then the body (Content-Length,
 *               chunked with trailers, or until close) decoded in place
 */
#ifndef LUM_SRC_HTTP_H
#define LUM_SRC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/client.h"

/* ---------------------------------------------------------------- conn.c */

/* Milliseconds since the current request started (wrap-safe). */
uint32_t lum_conn_elapsed(const lum_client *c, uint32_t since_ms);

/*
 * Makes sure c has an open connection for a new request: reuses an idle
 * keep-alive connection unless it is older than idle_reuse_ms or a
 * non-blocking probe shows the server closed it, else connects.
 * Sets c->reused. Returns LUM_OK or a transport error.
 */
int lum_conn_ready(lum_client *c);

/* Closes the connection (if open). */
void lum_conn_close(lum_client *c);

/* Sends all n bytes or fails (LUM_ERR_TIMEOUT, LUM_ERR_CLOSED, ...). */
int lum_conn_send_all(lum_client *c, const uint8_t *p, size_t n);

/* Receives 1..cap bytes, waiting at most the client's timeouts.
   Returns the count, LUM_ERR_CLOSED at end of stream, or another error. */
int lum_conn_recv(lum_client *c, uint8_t *buf, size_t cap);

/* ---------------------------------------------------------------- out.c */

typedef struct lum_out {
    lum_client *c;   /* NULL: counting only, nothing is stored or sent */
    uint8_t *buf;
    size_t cap, len;
    uint64_t total;  /* bytes put since init (the body length in counting mode) */
    bool chunked;    /* each flush is framed as one chunk (unknown body length) */
    int err;         /* first error; once set, every later put is ignored */
} lum_out;

void lum_out_init(lum_out *o, lum_client *c);
void lum_out_init_count(lum_out *o);
void lum_out_put(lum_out *o, const void *p, size_t n);
void lum_out_str(lum_out *o, const char *s);
void lum_out_u64(lum_out *o, uint64_t v);
/* Percent-encodes every byte outside RFC 3986's unreserved set. */
void lum_out_pct(lum_out *o, const char *s);
/* Free space in the buffer for a direct write (after flushing if full);
   commit with lum_out_commit. Returns NULL (and 0 space) in counting mode. */
uint8_t *lum_out_space(lum_out *o, size_t *avail);
void lum_out_commit(lum_out *o, size_t n);
/* Sends what is buffered. Returns o->err. */
int lum_out_flush(lum_out *o);
/* Chunked mode: flushes, then sends the last chunk "0\r\n\r\n". */
int lum_out_finish(lum_out *o);

/* ---------------------------------------------------------------- request.c */

/* Writes a request body; called once to count (o->c == NULL) and once to send. */
typedef int (*lum_body_writer)(lum_out *o, const void *ctx);

typedef struct lum_http_request {
    const char *method;          /* "GET" or "POST" */
    const char *path;            /* after the base path; "{}" marks a parameter */
    const char *path_args[3];    /* the parameters, percent-encoded when written */
    const char *query_name[2];   /* NULL name ends the list; NULL value skips the pair */
    const char *query_value[2];
    const char *x_fields;        /* NULL: no X-Fields header */
    const char *content_type;    /* NULL: no body */
    lum_body_writer write_body;
    const void *body_ctx;
    bool chunked_body;           /* length unknown: Transfer-Encoding: chunked */
    bool authenticated;          /* send the bearer token; re-authenticate on 401 */
    bool idempotent;             /* safe to send twice (stale connection retry) */
    int (*rewind)(const void *body_ctx); /* NULL: body can always be rewritten */
} lum_http_request;

/* Checks the request's strings (header values, path arguments). */
int lum_http_request_check(const lum_http_request *rq);

/* Writes the whole request on c's open connection. */
int lum_http_request_send(lum_client *c, const lum_http_request *rq);

/* ---------------------------------------------------------------- response.c */

enum { LUM_BODY_NONE, LUM_BODY_LENGTH, LUM_BODY_CHUNKED, LUM_BODY_UNTIL_CLOSE };

/*
 * Reads the status line and headers into c->buf (skipping 1xx responses),
 * fills c->rsp, and leaves the first decoded body bytes at c->buf[0..*have).
 * Returns LUM_OK, a transport error, LUM_ERR_PROTOCOL,
 * LUM_ERR_HEADER_LINE_TOO_LONG or LUM_ERR_HEADERS_TOO_LARGE.
 */
int lum_http_read_head(lum_client *c, bool head_request, size_t *have);

/*
 * Decodes more body bytes into dst (which may be anywhere in c->buf).
 * Returns the count (>0), 0 at the end of the body, or an error
 * (LUM_ERR_TRUNCATED if the stream ends inside the body).
 */
int lum_http_body_read(lum_client *c, uint8_t *dst, size_t cap);

/* Decodes chunked framing in place: returns how many body bytes of
   data[0..n) remain at data[0..ret), or a negative error. Exposed for tests. */
int lum_http_dechunk(struct lum_http_response *r, uint8_t *data, size_t n);

/* True once the whole body has been read. */
bool lum_http_body_done(const lum_client *c);

#endif /* LUM_SRC_HTTP_H */
