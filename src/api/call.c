/*
 * One API exchange: the policy every operation shares (authentication,
 * the stale-connection retry, the 401 retry, error capture), so that an
 * operation is only a request description and a decoding target.
 */
#include "api/call.h"

#include <string.h>

#include "auth/auth.h"
#include "lumminary/error.h"

int lum_status_error(int status)
{
    switch (status) {
    case 400: return LUM_ERR_BAD_REQUEST;
    case 401: return LUM_ERR_UNAUTHORIZED;
    case 403: return LUM_ERR_FORBIDDEN;
    case 404: return LUM_ERR_NOT_FOUND;
    case 409: return LUM_ERR_CONFLICT;
    case 422: return LUM_ERR_UNPROCESSABLE;
    case 429: return LUM_ERR_RATE_LIMITED;
    default: return status >= 500 && status <= 599 ? LUM_ERR_SERVER : LUM_ERR_HTTP_STATUS;
    }
}

lum_json_target lum_target_object(const lum_model *m, void *out, const char *x_fields)
{
    lum_json_target t;
    memset(&t, 0, sizeof t);
    t.model = m;
    t.out = out;
    t.relaxed = x_fields != NULL;
    return t;
}

lum_json_target lum_target_list(const lum_model *elem_model, void *scratch, const char *x_fields,
                                int (*on_element)(void *user, int list, void *elem), void *user)
{
    lum_json_target t;
    memset(&t, 0, sizeof t);
    t.elem_model = elem_model;
    t.elem = scratch;
    t.elem_size = elem_model->size;
    t.on_element = on_element;
    t.user = user;
    t.relaxed = x_fields != NULL;
    return t;
}

lum_http_request lum_request(const char *method, const char *path, const char *arg0, const char *arg1,
                             const char *x_fields)
{
    lum_http_request rq;
    memset(&rq, 0, sizeof rq);
    rq.method = method;
    rq.path = path;
    rq.path_args[0] = arg0;
    rq.path_args[1] = arg1;
    rq.x_fields = x_fields;
    rq.authenticated = true;
    rq.idempotent = method[0] == 'G';
    return rq;
}

int lum_on_snp(void *user, int list, void *elem)
{
    const lum_snp_adapter *a = (const lum_snp_adapter *)user;
    (void)list;
    return a->cb != NULL ? a->cb(a->user, (const lum_client_snp *)elem) : 0;
}

int lum_on_rsid(void *user, int list, void *elem)
{
    const lum_rsid_adapter *a = (const lum_rsid_adapter *)user;
    return a->cb != NULL ? a->cb(a->user, list, (const char *)elem) : 0;
}

static int fill_from_body(void *ctx, uint8_t *dst, size_t cap)
{
    return lum_http_body_read((lum_client *)ctx, dst, cap);
}

/* Reads and drops the rest of a body, if it is short enough to keep the
   connection; a longer one is cut by closing. */
static void discard_body(lum_client *c)
{
    size_t dropped = 0;
    while (!lum_http_body_done(c) && dropped < LUM_DRAIN_MAX) {
        int n = lum_http_body_read(c, c->buf, c->buf_cap);
        if (n <= 0) {
            if (n < 0) c->rsp.keep_alive = false;
            return;
        }
        dropped += (size_t)n;
    }
}

/* An error answer: keep its status and message, leave the connection clean. */
static int read_error_body(lum_client *c, size_t have)
{
    while (!lum_http_body_done(c) && have < c->buf_cap) {
        int n = lum_http_body_read(c, c->buf + have, c->buf_cap - have);
        if (n <= 0) {
            if (n < 0) c->rsp.keep_alive = false;
            break;
        }
        have += (size_t)n;
    }
    lum_json_error_message(c->buf, have, c->tokens, LUM_JSON_MAX_TOKENS, c->err.message,
                           sizeof c->err.message);
    discard_body(c);
    return lum_status_error(c->rsp.status);
}

/* Connects (or reuses), sends the request, reads the response head. */
static int exchange(lum_client *c, const lum_http_request *rq, size_t *have, bool *sent)
{
    int rc;
    *sent = false;
    c->request_start_ms = c->platform->now_ms(c->platform->ctx);
    rc = lum_conn_ready(c);
    if (rc != LUM_OK) return rc;
    rc = lum_http_request_send(c, rq);
    if (rc != LUM_OK) return rc;
    *sent = true;
    return lum_http_read_head(c, false, have);
}

static void reset_error(lum_client *c)
{
    memset(&c->err, 0, sizeof c->err);
}

static int finish(lum_client *c, int rc)
{
    c->err.code = rc;
    /* A hint only where client.h promises one: after a 429 or a 503. */
    c->err.retry_after_s = c->rsp.status == 429 || c->rsp.status == 503 ? c->rsp.retry_after_s : 0;
    return rc;
}

int lum_call(lum_client *c, const lum_http_request *rq, const lum_json_target *t)
{
    bool reauthenticated = false, reconnected = false;
    int rc;

    reset_error(c);
    memset(&c->rsp, 0, sizeof c->rsp);
    rc = lum_http_request_check(rq);
    if (rc != LUM_OK) return finish(c, rc);

    for (;;) {
        size_t have = 0;
        bool sent, was_reused;

        if (rq->authenticated) {
            rc = lum_auth_ensure(c);
            /* c->err describes the failed login; its code must be this call's. */
            if (rc != LUM_OK) return finish(c, rc);
        }
        reset_error(c);
        rc = exchange(c, rq, &have, &sent);
        was_reused = c->reused;
        if (rc != LUM_OK) {
            lum_conn_close(c);
            /*
             * A kept-alive connection can die between our probe and our
             * request. Sending again is safe when the request is idempotent,
             * or when it never fully left (the server cannot have acted on
             * half a request). A POST that was sent whole is not retried:
             * only the caller can check whether it arrived.
             */
            if (was_reused && !reconnected && (rq->idempotent || !sent) &&
                (rc == LUM_ERR_CLOSED || rc == LUM_ERR_TRANSPORT) &&
                (rq->rewind == NULL || rq->rewind(rq->body_ctx) == LUM_OK)) {
                reconnected = true;
                continue;
            }
            return finish(c, rc);
        }
        c->err.http_status = c->rsp.status;

        if (c->rsp.status == 401 && rq->authenticated && !reauthenticated) {
            /* The token may have expired in flight or been revoked: log in
               again and retry once; a second 401 is the answer. So is this
               one when the body cannot be sent again: it is read below,
               message included, like any error. */
            lum_auth_invalidate(c);
            reauthenticated = true;
            if (rq->rewind == NULL || rq->rewind(rq->body_ctx) == LUM_OK) {
                discard_body(c);
                if (!c->rsp.keep_alive || !lum_http_body_done(c)) lum_conn_close(c);
                continue;
            }
        }

        if (c->rsp.status >= 200 && c->rsp.status <= 299) {
            if (t != NULL) {
                lum_json_decoder decode = t->decode != NULL ? t->decode : lum_json_decode;
                rc = decode(t, c->buf, c->buf_cap, have, fill_from_body, c, c->tokens,
                            LUM_JSON_MAX_TOKENS, &c->err);
            } else {
                discard_body(c);
                rc = LUM_OK;
            }
        } else {
            rc = read_error_body(c, have);
        }

        /* After a JSON or transport failure the stream position is unknown;
           an HTTP error status, read to its end, leaves a clean connection. */
        if (rc != LUM_OK && !(rc <= LUM_ERR_HTTP_STATUS && rc >= LUM_ERR_SERVER))
            c->rsp.keep_alive = false;
        if (c->rsp.keep_alive && lum_http_body_done(c)) {
            c->last_used_ms = c->platform->now_ms(c->platform->ctx);
            c->requests_on_conn++;
        } else {
            lum_conn_close(c);
        }
        return finish(c, rc);
    }
}
