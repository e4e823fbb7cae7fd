/*
 * TCP transport for POSIX systems: non-blocking sockets, every wait bounded
 * by poll().
 */
#define _POSIX_C_SOURCE 200809L
#include "lum_posix.h"

#include "lumminary/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0
#endif

static int clamp_timeout(uint32_t ms)
{
    return ms > 0x7fffffffu ? 0x7fffffff : (int)ms;
}

/* Waits for fd to become ready for events; 1 ready, 0 timed out, <0 error. */
static int wait_fd(int fd, short events, uint32_t timeout_ms)
{
    struct pollfd p;
    int r;
    p.fd = fd;
    p.events = events;
    p.revents = 0;
    do {
        r = poll(&p, 1, clamp_timeout(timeout_ms));
    } while (r < 0 && errno == EINTR);
    if (r < 0) return LUM_ERR_TRANSPORT;
    return r;
}

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -1;
    return 0;
}

static void tcp_close(void *ctx)
{
    lum_posix_tcp *tcp = (lum_posix_tcp *)ctx;
    if (tcp->fd >= 0) {
        close(tcp->fd);
        tcp->fd = -1;
    }
}

/* One connect attempt to one resolved address, bounded by timeout_ms. */
static int connect_one(const struct addrinfo *ai, uint32_t timeout_ms, int *fd_out)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    int err = 0, r, one = 1;
    socklen_t len = sizeof err;

    if (fd < 0) return LUM_ERR_CONNECT;
    if (set_nonblocking(fd) < 0) {
        close(fd);
        return LUM_ERR_TRANSPORT;
    }
#ifdef SO_NOSIGPIPE
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    /* Requests are written in few, whole pieces: do not wait for ACKs. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        *fd_out = fd;
        return LUM_OK;
    }
    if (errno != EINPROGRESS) {
        close(fd);
        return LUM_ERR_CONNECT;
    }
    r = wait_fd(fd, POLLOUT, timeout_ms);
    if (r <= 0) {
        close(fd);
        return r == 0 ? LUM_ERR_TIMEOUT : LUM_ERR_TRANSPORT;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
        close(fd);
        return LUM_ERR_CONNECT;
    }
    *fd_out = fd;
    return LUM_OK;
}

/* An IPv4 or IPv6 literal, converted without the resolver. */
static bool numeric_address(const char *host, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)ss;
    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof *v6;
        return true;
    }
    return false;
}

static int tcp_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    lum_posix_tcp *tcp = (lum_posix_tcp *)ctx;
    struct addrinfo hints, *res = NULL, *ai;
    struct sockaddr_storage ss;
    socklen_t ss_len;
    char service[8];
    int rc = LUM_ERR_CONNECT;

    tcp_close(tcp);
    /* Address literals skip getaddrinfo, which allocates from the libc heap. */
    if (numeric_address(host, port, &ss, &ss_len)) {
        struct addrinfo one;
        memset(&one, 0, sizeof one);
        one.ai_family = ss.ss_family;
        one.ai_socktype = SOCK_STREAM;
        one.ai_addr = (struct sockaddr *)&ss;
        one.ai_addrlen = ss_len;
        return connect_one(&one, timeout_ms, &tcp->fd);
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    snprintf(service, sizeof service, "%u", (unsigned)port);
    /* getaddrinfo cannot be bounded by a timeout; on Linux with /etc/hosts
       entries or a local resolver it answers quickly. */
    if (getaddrinfo(host, service, &hints, &res) != 0 || res == NULL) return LUM_ERR_DNS;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        rc = connect_one(ai, timeout_ms, &tcp->fd);
        if (rc == LUM_OK) break;
    }
    freeaddrinfo(res);
    return rc;
}

static int tcp_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    lum_posix_tcp *tcp = (lum_posix_tcp *)ctx;
    ssize_t n;
    int r;

    if (tcp->fd < 0) return LUM_ERR_CLOSED;
    if (len > 0x40000000u) len = 0x40000000u; /* result must fit an int */
    r = wait_fd(tcp->fd, POLLOUT, timeout_ms);
    if (r <= 0) return r;
    do {
        n = send(tcp->fd, data, len, SEND_FLAGS);
    } while (n < 0 && errno == EINTR);
    if (n >= 0) return (int)n;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    if (errno == EPIPE || errno == ECONNRESET) return LUM_ERR_CLOSED;
    return LUM_ERR_TRANSPORT;
}

static int tcp_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    lum_posix_tcp *tcp = (lum_posix_tcp *)ctx;
    ssize_t n;
    int r;

    if (tcp->fd < 0) return LUM_ERR_CLOSED;
    if (cap > 0x40000000u) cap = 0x40000000u;
    r = wait_fd(tcp->fd, POLLIN, timeout_ms);
    if (r <= 0) return r;
    do {
        n = recv(tcp->fd, buf, cap, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) return (int)n;
    if (n == 0) return LUM_ERR_CLOSED;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    if (errno == ECONNRESET) return LUM_ERR_CLOSED;
    return LUM_ERR_TRANSPORT;
}

void lum_posix_tcp_init(lum_posix_tcp *tcp, lum_transport *out)
{
    tcp->fd = -1;
    out->ctx = tcp;
    out->connect = tcp_connect;
    out->send = tcp_send;
    out->recv = tcp_recv;
    out->close = tcp_close;
}
