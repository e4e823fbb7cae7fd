/*
 * The TLS transport: mbedTLS's client on top of any lum_transport.
 *
 * mbedTLS's I/O callbacks map one to one onto the inner transport: the
 * deadline of the lum call in progress (op_start + op_timeout, on the port
 * clock) is what the callbacks pass down as the inner timeout, an inner
 * "nothing within the timeout" becomes WANT_READ/WANT_WRITE, and the loops
 * here retry until the deadline. So no call blocks longer than its timeout,
 * and the same code serves blocking and non-blocking inner transports.
 *
 * A connection's mbedTLS session (record buffers, handshake state) exists
 * only between connect and close, so the pool is free while disconnected and
 * every connect starts a fresh session. Set-up and tear-down: tls_init.c.
 */
#include "tls_internal.h"

#include "lumminary/error.h"

#include <limits.h>
#include <string.h>

enum { ST_CLOSED = 0, ST_OPEN = 1, ST_BROKEN = 2 };

/* What the bio callbacks return for a failed inner call; the real lum_err is
   kept in tls->io_err (same values as MBEDTLS_ERR_NET_*_FAILED). */
#define BIO_SEND_FAILED (-0x004E)
#define BIO_RECV_FAILED (-0x004C)

/* ------------------------------------------------------------- deadlines */

static void start_op(lum_tls *tls, uint32_t timeout_ms)
{
    tls->op_start = tls->platform.now_ms(tls->platform.ctx);
    tls->op_timeout = timeout_ms;
    tls->io_err = 0;
}

static uint32_t remaining(const lum_tls *tls)
{
    /* Unsigned subtraction: correct across the 2^32 wrap of now_ms. */
    uint32_t elapsed = tls->platform.now_ms(tls->platform.ctx) - tls->op_start;
    return elapsed >= tls->op_timeout ? 0 : tls->op_timeout - elapsed;
}

/* ------------------------------------------------------ mbedTLS callbacks */

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    lum_tls *tls = (lum_tls *)ctx;
    int r = tls->inner.send(tls->inner.ctx, buf, len, remaining(tls));
    if (r > 0) return r;
    if (r == 0) return MBEDTLS_ERR_SSL_WANT_WRITE;
    tls->io_err = r;
    return BIO_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    lum_tls *tls = (lum_tls *)ctx;
    int r = tls->inner.recv(tls->inner.ctx, buf, len, remaining(tls));
    if (r > 0) return r;
    if (r == 0) return MBEDTLS_ERR_SSL_WANT_READ;
    if (r == LUM_ERR_CLOSED) return 0; /* end of stream: mbedTLS reports CONN_EOF */
    tls->io_err = r;
    return BIO_RECV_FAILED;
}

/* ------------------------------------------------------------- helpers */

static int is_want(int ret)
{
    return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE;
}

/* The lum_err for a failed mbedTLS call: the inner transport's own error if
   that is what broke it, else the mapped mbedTLS code. Logs either way. */
static int failure(lum_tls *tls, int ret, const char *what)
{
    lum_tls__log(&tls->platform, LUM_LOG_ERROR, what, ret);
    return tls->io_err != 0 ? tls->io_err : lum_tls__map_error(ret);
}

/* Ends the connection's session and the inner connection, without a word. */
static void drop_session(lum_tls *tls)
{
    mbedtls_ssl_free(&tls->ssl);
    mbedtls_ssl_init(&tls->ssl);
    if (tls->inner.close != NULL) tls->inner.close(tls->inner.ctx);
    tls->state = ST_CLOSED;
}

/* One handshake on an open inner connection, within the current deadline.
   Returns a lum_err; *mbed_ret gets the mbedTLS code (0 on success). */
static int handshake(lum_tls *tls, const char *host, int *mbed_ret)
{
    int ret;

    *mbed_ret = 0;
    tls->verify_oom = 0;
    ret = mbedtls_ssl_setup(&tls->ssl, &tls->conf); /* allocates the record buffers */
    if (ret == 0)
        ret = mbedtls_ssl_set_hostname(&tls->ssl,
                                       tls->server_name != NULL ? tls->server_name : host);
    if (ret != 0) {
        *mbed_ret = ret;
        return failure(tls, ret, "session setup failed");
    }
    mbedtls_ssl_set_bio(&tls->ssl, tls, bio_send, bio_recv, NULL);
    for (;;) {
        ret = mbedtls_ssl_handshake(&tls->ssl);
        if (ret == 0) return LUM_OK;
        if (!is_want(ret)) break;
        if (remaining(tls) == 0) {
            lum_tls__log(&tls->platform, LUM_LOG_ERROR, "handshake timed out", 0);
            return LUM_ERR_TIMEOUT;
        }
    }
    *mbed_ret = ret;
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        if (tls->verify_oom) {
            lum_tls__log(&tls->platform, LUM_LOG_ERROR,
                         "pool too small to verify the certificate chain", 0);
            return LUM_ERR_TLS_CONFIG;
        }
        lum_tls__log(&tls->platform, LUM_LOG_ERROR, "certificate verify flags",
                     (int)(mbedtls_ssl_get_verify_result(&tls->ssl) & 0x7FFFFFFFu));
    }
    return failure(tls, ret, "handshake failed");
}

/* mbedTLS issue 10668: the server chose TLS 1.2 and then signed its key
   exchange with RSA-PSS, which mbedTLS 3.6.6 offered but rejects in 1.2.
   Fixed upstream by PR 10674 (3.6 branch); drop this and the retry in
   tls_connect once the pinned mbedTLS has the fix. */
static int is_issue_10668(lum_tls *tls, int mbed_ret)
{
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    return mbed_ret == MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER &&
           tls->max_version == MBEDTLS_SSL_VERSION_TLS1_3 &&
           mbedtls_ssl_get_version_number(&tls->ssl) == MBEDTLS_SSL_VERSION_TLS1_2;
#else
    (void)tls;
    (void)mbed_ret;
    return 0;
#endif
}

/* ------------------------------------------------------------ transport */

void lum_tls__close(lum_tls *tls)
{
    if (tls->state == ST_OPEN) {
        int ret;
        start_op(tls, 0); /* close never waits: close_notify goes if it fits */
        ret = mbedtls_ssl_close_notify(&tls->ssl);
        if (ret != 0 && !is_want(ret))
            lum_tls__log(&tls->platform, LUM_LOG_DEBUG, "close_notify not sent", ret);
    }
    drop_session(tls);
}

static void tls_close(void *ctx)
{
    lum_tls__close((lum_tls *)ctx);
}

static int tls_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    lum_tls *tls = (lum_tls *)ctx;
    int rc, mbed_ret, attempt, retry;

    if (host == NULL) return LUM_ERR_INVALID_ARG;
    lum_tls__close(tls);
    start_op(tls, timeout_ms);
    for (attempt = 0;; attempt++) {
        /* The second attempt (issue 10668 only) offers TLS 1.2 alone, so no
           RSA-PSS code point is offered for 1.2. The server chose 1.2 itself
           on the first attempt; the 1.2 we allow is ECDHE + AEAD only. */
        mbedtls_ssl_conf_max_tls_version(&tls->conf, attempt == 0
                                                         ? (mbedtls_ssl_protocol_version)tls->max_version
                                                         : MBEDTLS_SSL_VERSION_TLS1_2);
        rc = tls->inner.connect(tls->inner.ctx, host, port, remaining(tls));
        if (rc != LUM_OK) return rc;
        rc = handshake(tls, host, &mbed_ret);
        if (rc == LUM_OK) {
            tls->state = ST_OPEN;
            return LUM_OK;
        }
        retry = attempt == 0 && is_issue_10668(tls, mbed_ret);
        drop_session(tls);
        if (!retry) return rc;
        lum_tls__log(&tls->platform, LUM_LOG_WARN,
                     "TLS 1.2 server signed with RSA-PSS (mbedTLS #10668): retrying as TLS 1.2", 0);
    }
}

static int tls_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    lum_tls *tls = (lum_tls *)ctx;
    int ret;

    if (tls->state != ST_OPEN) return LUM_ERR_CLOSED;
    if (len == 0) return 0;
    if (len > INT_MAX) len = INT_MAX;
    start_op(tls, timeout_ms);
    for (;;) {
        ret = mbedtls_ssl_write(&tls->ssl, data, len);
        if (ret > 0) return ret;
        if (!is_want(ret)) break;
        if (remaining(tls) == 0) {
            /* The record is encrypted and partly sent: it cannot be taken
               back, and a later write would have to repeat it exactly. */
            tls->state = ST_BROKEN;
            return LUM_ERR_TIMEOUT;
        }
    }
    tls->state = ST_BROKEN;
    return failure(tls, ret, "send failed");
}

static int tls_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    lum_tls *tls = (lum_tls *)ctx;
    int ret;

    if (tls->state != ST_OPEN) return LUM_ERR_CLOSED;
    if (cap == 0) return 0;
    if (cap > INT_MAX) cap = INT_MAX;
    start_op(tls, timeout_ms);
    for (;;) {
        ret = mbedtls_ssl_read(&tls->ssl, buf, cap);
        if (ret > 0) return ret;
        /* Partial records stay buffered inside mbedTLS: a later call resumes. */
        if (is_want(ret)) {
            if (remaining(tls) == 0) return 0;
            continue;
        }
        break;
    }
    tls->state = ST_BROKEN;
    /* 0 (end of stream without close_notify) and close_notify both end the
       data; whether the body was complete is the HTTP layer's business. */
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == MBEDTLS_ERR_SSL_CONN_EOF)
        return tls->io_err != 0 ? tls->io_err : LUM_ERR_CLOSED;
    return failure(tls, ret, "recv failed");
}

void lum_tls_transport(lum_tls *tls, lum_transport *out)
{
    out->ctx = tls;
    out->connect = tls_connect;
    out->send = tls_send;
    out->recv = tls_recv;
    out->close = tls_close;
}
