/*
 * boards/cortex-m4/lwip_transport.c - lum_transport over lwIP sockets (see
 * lwip_transport.h). The rules are the port interface's (lumminary/port.h):
 * send/recv return bytes moved, 0 when nothing moved within the timeout,
 * a negative lum_err otherwise; recv(..., 0) never blocks.
 */
#include "lwip_transport.h"

#include "lumminary/config.h"
#include "lumminary/error.h"

#include <errno.h>
#include <string.h>

#if defined(BOARD_HAVE_LWIP)
#include "lwip/netdb.h"
#include "lwip/sockets.h"
#else
#include "lwip_min.h"
#endif

/* Waits up to timeout_ms for events on fd: >0 ready (revents in *got), 0 timed out, <0 error. */
static int wait_for(int fd, short events, uint32_t timeout_ms, short *got)
{
    struct pollfd p;
    int n;
    p.fd = fd;
    p.events = events;
    p.revents = 0;
    n = lwip_poll(&p, 1, timeout_ms > 0x7fffffffu ? 0x7fffffff : (int)timeout_ms);
    *got = p.revents;
    return n;
}

/* host: an IPv4 literal, or a name for lwIP's DNS client. */
static int resolve(const char *host, struct in_addr *out)
{
    struct hostent h, *res = NULL;
    char buf[32 + LUM_MAX_HOST]; /* lwIP's gethostbyname_r helper + the name */
    int herr = 0;

    if (lwip_inet_pton(AF_INET, host, out) == 1) return LUM_OK;
    if (lwip_gethostbyname_r(host, &h, buf, sizeof buf, &res, &herr) != 0 || res == NULL ||
        res->h_addr_list == NULL || res->h_addr_list[0] == NULL)
        return LUM_ERR_DNS;
    memcpy(&out->s_addr, res->h_addr_list[0], sizeof out->s_addr);
    return LUM_OK;
}

static void tcp_close(void *ctx)
{
    board_lwip_tcp *t = (board_lwip_tcp *)ctx;
    if (t->fd >= 0) lwip_close(t->fd);
    t->fd = -1;
}

static int tcp_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    board_lwip_tcp *t = (board_lwip_tcp *)ctx;
    struct sockaddr_in sa;
    int err = 0, one = 1, rc;
    socklen_t len = sizeof err;
    short got;

    tcp_close(t);
    memset(&sa, 0, sizeof sa);
    rc = resolve(host, &sa.sin_addr);
    if (rc != LUM_OK) return rc;
    sa.sin_len = sizeof sa;
    sa.sin_family = AF_INET;
    sa.sin_port = (in_port_t)(((port & 0xffu) << 8) | (port >> 8)); /* network order */

    t->fd = lwip_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (t->fd < 0) return LUM_ERR_TRANSPORT;
    lwip_fcntl(t->fd, F_SETFL, O_NONBLOCK);
    /* Requests go out in a few writes: do not let Nagle hold the last one. */
    lwip_setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* Non-blocking: -1 with EINPROGRESS is the normal case; any other
       failure shows up below as POLLERR or SO_ERROR. */
    (void)lwip_connect(t->fd, (const struct sockaddr *)&sa, sizeof sa);
    rc = wait_for(t->fd, POLLOUT, timeout_ms, &got);
    if (rc == 0) {
        tcp_close(t);
        return LUM_ERR_TIMEOUT;
    }
    if (rc < 0 || lwip_getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0 ||
        (got & (POLLERR | POLLNVAL | POLLHUP)) != 0) {
        tcp_close(t);
        return LUM_ERR_CONNECT;
    }
    return LUM_OK;
}

static int tcp_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    board_lwip_tcp *t = (board_lwip_tcp *)ctx;
    short got;
    int n;

    if (t->fd < 0) return LUM_ERR_CLOSED;
    n = wait_for(t->fd, POLLOUT, timeout_ms, &got);
    if (n == 0) return 0;
    if (n < 0 || (got & (POLLERR | POLLNVAL)) != 0) return LUM_ERR_TRANSPORT;
    if (len > 0x7fffffffu) len = 0x7fffffffu;
    n = lwip_send(t->fd, data, len, MSG_DONTWAIT);
    if (n >= 0) return n;
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : LUM_ERR_TRANSPORT;
}

static int tcp_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    board_lwip_tcp *t = (board_lwip_tcp *)ctx;
    short got;
    int n;

    if (t->fd < 0) return LUM_ERR_CLOSED;
    n = wait_for(t->fd, POLLIN, timeout_ms, &got);
    if (n == 0) return 0;
    if (n < 0 || (got & POLLNVAL) != 0) return LUM_ERR_TRANSPORT;
    if (cap > 0x7fffffffu) cap = 0x7fffffffu;
    n = lwip_recv(t->fd, buf, cap, MSG_DONTWAIT);
    if (n > 0) return n;
    if (n == 0) return LUM_ERR_CLOSED; /* orderly end of stream */
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : LUM_ERR_TRANSPORT;
}

void board_lwip_tcp_init(board_lwip_tcp *tcp, lum_transport *out)
{
    tcp->fd = -1;
    out->ctx = tcp;
    out->connect = tcp_connect;
    out->send = tcp_send;
    out->recv = tcp_recv;
    out->close = tcp_close;
}
