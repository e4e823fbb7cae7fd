/*
 * The scripted transport and fake platform (see script.h).
 */
#include "script.h"

#include <stdio.h>
#include <string.h>

#include "lumminary/error.h"

static int s_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    script *s = (script *)ctx;
    int i = s->connects++;
    (void)timeout_ms;
    snprintf(s->connect_host, sizeof s->connect_host, "%s", host);
    s->connect_port = port;
    if (i >= s->n_conns) return LUM_ERR_CONNECT;
    if (s->conns[i].connect_rc != LUM_OK) return s->conns[i].connect_rc;
    s->current = i;
    s->response = 0;
    s->pos = 0;
    s->sent_since_response = false;
    s->stalled_once = false;
    s->sent_on_conn = 0;
    s->conn_sent_start[i] = s->sent_len;
    return LUM_OK;
}

static int s_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    script *s = (script *)ctx;
    script_conn *c;
    (void)timeout_ms;
    s->sends++;
    if (s->current < 0) return LUM_ERR_CLOSED;
    c = &s->conns[s->current];
    if (c->send_fail_after != 0 && s->sent_on_conn + len > c->send_fail_after) {
        len = c->send_fail_after - s->sent_on_conn;
        if (len == 0) return LUM_ERR_CLOSED;
    }
    if (c->send_chunk != 0 && len > c->send_chunk) len = c->send_chunk;
    if (s->sent_len + len > SCRIPT_SENT_CAP) return LUM_ERR_TRANSPORT;
    memcpy(s->sent + s->sent_len, data, len);
    s->sent_len += len;
    s->sent_on_conn += len;
    s->sent_since_response = true;
    return (int)len;
}

/* Waits out a timeout: the fake clock jumps, nothing arrives. */
static int stall(script *s, uint32_t timeout_ms)
{
    s->clock_ms += timeout_ms;
    return 0;
}

static int idle(script *s, uint32_t timeout_ms)
{
    return timeout_ms == 0 ? 0 : stall(s, timeout_ms);
}

static int s_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    script *s = (script *)ctx;
    script_conn *c;
    script_response *r;
    size_t n, limit;

    s->recv_calls++;
    if (timeout_ms == 0) s->probes++;
    if (s->current < 0) return LUM_ERR_CLOSED;
    c = &s->conns[s->current];

    if (s->response >= c->n_responses) {
        switch (c->end) {
        case SCRIPT_END_CLOSE: return LUM_ERR_CLOSED;
        case SCRIPT_END_CLOSE_ON_SEND: return s->sent_since_response ? LUM_ERR_CLOSED : idle(s, timeout_ms);
        case SCRIPT_END_RESET_ON_SEND: return s->sent_since_response ? LUM_ERR_TRANSPORT : idle(s, timeout_ms);
        default: return idle(s, timeout_ms);
        }
    }
    /* A response only starts once a request has been sent for it. */
    if (s->pos == 0 && !s->sent_since_response) return idle(s, timeout_ms);

    r = &c->responses[s->response];
    if (s->pos == r->close_at) return LUM_ERR_CLOSED;
    if (s->pos == r->reset_at) return LUM_ERR_TRANSPORT;
    if (s->pos == r->stall_at && !s->stalled_once) {
        s->stalled_once = true;
        return idle(s, timeout_ms);
    }
    if (r->delay_ms != 0) {
        if (r->delay_ms >= timeout_ms) return stall(s, timeout_ms);
        s->clock_ms += r->delay_ms;
    }
    limit = r->len;
    if (r->close_at < limit) limit = r->close_at;
    if (r->reset_at < limit) limit = r->reset_at;
    if (r->stall_at > s->pos && r->stall_at < limit) limit = r->stall_at;
    n = limit - s->pos;
    if (n > cap) n = cap;
    if (r->chunk != 0) {
        size_t lim = r->chunk;
        if (r->chunk_rng != 0) {
            uint32_t x = r->chunk_rng;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            r->chunk_rng = x;
            lim = 1 + x % r->chunk;
        }
        if (n > lim) n = lim;
    }
    memcpy(buf, r->data + s->pos, n);
    s->pos += n;
    if (s->pos == r->len) {
        s->response++;
        s->pos = 0;
        s->stalled_once = false;
        s->sent_since_response = false;
    }
    return (int)n;
}

static void s_close(void *ctx)
{
    script *s = (script *)ctx;
    if (s->current >= 0) s->closes++;
    s->current = -1;
}

static uint32_t s_now(void *ctx)
{
    return ((script *)ctx)->clock_ms;
}

static int s_entropy(void *ctx, uint8_t *buf, size_t len)
{
    script *s = (script *)ctx;
    size_t i;
    for (i = 0; i < len; i++) buf[i] = s->entropy_byte++;
    return LUM_OK;
}

void script_init(script *s)
{
    memset(s, 0, sizeof *s);
    s->current = -1;
    s->transport.ctx = s;
    s->transport.connect = s_connect;
    s->transport.send = s_send;
    s->transport.recv = s_recv;
    s->transport.close = s_close;
    s->platform.ctx = s;
    s->platform.now_ms = s_now;
    s->platform.entropy = s_entropy;
    s->platform.log = NULL;
    s->clock_ms = 1000;
}

script_conn *script_add_conn(script *s)
{
    script_conn *c = &s->conns[s->n_conns++];
    memset(c, 0, sizeof *c);
    c->end = SCRIPT_END_IDLE;
    return c;
}

script_response *script_add_response(script_conn *c, const void *data, size_t len)
{
    script_response *r = &c->responses[c->n_responses++];
    r->data = (const uint8_t *)data;
    r->len = len;
    r->chunk = 0;
    r->stall_at = SCRIPT_NEVER;
    r->reset_at = SCRIPT_NEVER;
    r->close_at = SCRIPT_NEVER;
    return r;
}

script_response *script_add_text(script_conn *c, const char *text)
{
    return script_add_response(c, text, strlen(text));
}
