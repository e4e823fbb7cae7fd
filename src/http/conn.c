/*
 * The connection: one transport stream, opened on demand, kept alive between
 * requests, and every wait on it bounded by the client's timeouts.
 */
#include "http/http.h"

#include "lumminary/error.h"

static uint32_t now_ms(const lum_client *c)
{
    return c->platform->now_ms(c->platform->ctx);
}

uint32_t lum_conn_elapsed(const lum_client *c, uint32_t since_ms)
{
    return (uint32_t)(now_ms(c) - since_ms); /* unsigned: correct across wrap */
}

/*
 * How long the next wait may last: the I/O timeout, cut to what is left of
 * the request's own deadline. 0 means the request deadline has passed.
 */
static uint32_t wait_budget(const lum_client *c, uint32_t io_start)
{
    uint32_t io_left, spent = lum_conn_elapsed(c, io_start);
    io_left = spent >= c->io_timeout_ms ? 0 : c->io_timeout_ms - spent;
    if (c->request_timeout_ms != 0) {
        uint32_t rq_spent = lum_conn_elapsed(c, c->request_start_ms);
        uint32_t rq_left = rq_spent >= c->request_timeout_ms ? 0 : c->request_timeout_ms - rq_spent;
        if (rq_left < io_left) io_left = rq_left;
    }
    return io_left;
}

void lum_conn_close(lum_client *c)
{
    if (c->connected) c->transport->close(c->transport->ctx);
    c->connected = false;
    c->reused = false;
    c->requests_on_conn = 0;
}

/*
 * A kept-alive connection may have been closed by the server while idle.
 * Writing into it usually "succeeds" and the failure only shows when the
 * response should arrive, too late to know whether a POST was processed.
 * So before reuse, peek without blocking: an idle healthy connection has
 * nothing to read; EOF, a reset or unexpected bytes mean reconnect.
 */
static bool idle_connection_usable(lum_client *c)
{
    uint8_t probe;
    int r;
    if (lum_conn_elapsed(c, c->last_used_ms) > c->idle_reuse_ms) return false;
    r = c->transport->recv(c->transport->ctx, &probe, 1, 0);
    return r == 0;
}

int lum_conn_ready(lum_client *c)
{
    int rc;
    if (c->connected) {
        if (idle_connection_usable(c)) {
            c->reused = true;
            return LUM_OK;
        }
        lum_conn_close(c);
    }
    rc = c->transport->connect(c->transport->ctx, c->host, c->port, c->connect_timeout_ms);
    if (rc != LUM_OK) {
        /* Some transports keep partial state after a failed connect. */
        c->transport->close(c->transport->ctx);
        return rc;
    }
    c->connected = true;
    c->reused = false;
    c->requests_on_conn = 0;
    return LUM_OK;
}

int lum_conn_send_all(lum_client *c, const uint8_t *p, size_t n)
{
    uint32_t io_start = now_ms(c);
    while (n > 0) {
        uint32_t budget = wait_budget(c, io_start);
        int r;
        if (budget == 0) return LUM_ERR_TIMEOUT;
        r = c->transport->send(c->transport->ctx, p, n, budget);
        if (r < 0) return r;
        if ((size_t)r > n) return LUM_ERR_TRANSPORT; /* a broken port must not overrun */
        if (r > 0) io_start = now_ms(c);             /* progress resets the idle timer */
        p += r;
        n -= (size_t)r;
    }
    return LUM_OK;
}

int lum_conn_recv(lum_client *c, uint8_t *buf, size_t cap)
{
    uint32_t io_start = now_ms(c);
    for (;;) {
        uint32_t budget = wait_budget(c, io_start);
        int r;
        if (budget == 0) return LUM_ERR_TIMEOUT;
        r = c->transport->recv(c->transport->ctx, buf, cap, budget);
        if (r > 0 && (size_t)r > cap) return LUM_ERR_TRANSPORT;
        if (r != 0) return r;
    }
}
