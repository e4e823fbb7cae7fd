/*
 * boards/cortex-m4/lwip_stub.c - stands in for lwIP so that the footprint
 * image links without a network stack in this repository. Every call fails
 * (as a stack with no interface up would), so the image is complete and
 * honest about the transport shim's own size, but it does not reach a
 * network: link lwIP instead (build with -DBOARD_HAVE_LWIP and drop this
 * file) for a working device.
 */
#include "lwip_min.h"

int lwip_socket(int domain, int type, int protocol)
{
    (void)domain, (void)type, (void)protocol;
    return -1;
}

int lwip_connect(int s, const struct sockaddr *name, socklen_t namelen)
{
    (void)s, (void)name, (void)namelen;
    return -1;
}

int lwip_send(int s, const void *dataptr, size_t size, int flags)
{
    (void)s, (void)dataptr, (void)size, (void)flags;
    return -1;
}

int lwip_recv(int s, void *mem, size_t len, int flags)
{
    (void)s, (void)mem, (void)len, (void)flags;
    return -1;
}

int lwip_close(int s)
{
    (void)s;
    return 0;
}

int lwip_fcntl(int s, int cmd, int val)
{
    (void)s, (void)cmd, (void)val;
    return -1;
}

int lwip_poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    (void)fds, (void)nfds, (void)timeout;
    return -1;
}

int lwip_getsockopt(int s, int level, int optname, void *optval, socklen_t *optlen)
{
    (void)s, (void)level, (void)optname, (void)optval, (void)optlen;
    return -1;
}

int lwip_setsockopt(int s, int level, int optname, const void *optval, socklen_t optlen)
{
    (void)s, (void)level, (void)optname, (void)optval, (void)optlen;
    return -1;
}

int lwip_gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
                         struct hostent **result, int *h_errnop)
{
    (void)name, (void)ret, (void)buf, (void)buflen;
    *result = 0;
    *h_errnop = 1; /* HOST_NOT_FOUND */
    return -1;
}

int lwip_inet_pton(int af, const char *src, void *dst)
{
    (void)af, (void)src, (void)dst;
    return 0;
}
