/*
 * boards/cortex-m4/lwip_min.h - the part of lwIP's socket API (2.1) that
 * lwip_transport.c uses, declared here so that the footprint build compiles
 * and links without an lwIP tree (lwip_stub.c then stands in for lwIP).
 *
 * With a real lwIP, build with -DBOARD_HAVE_LWIP and lwIP's include paths:
 * lwip_transport.c then includes lwIP's own headers and this file is unused.
 * The constants mirror lwIP 2.1's defaults (lwip/sockets.h, lwip/errno.h).
 */
#ifndef BOARD_LWIP_MIN_H
#define BOARD_LWIP_MIN_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t socklen_t;
typedef uint8_t sa_family_t;
typedef uint16_t in_port_t;
typedef unsigned int nfds_t;

struct in_addr {
    uint32_t s_addr;
};
struct sockaddr {
    uint8_t sa_len;
    sa_family_t sa_family;
    char sa_data[14];
};
struct sockaddr_in {
    uint8_t sin_len;
    sa_family_t sin_family;
    in_port_t sin_port;
    struct in_addr sin_addr;
    char sin_zero[8];
};
struct pollfd {
    int fd;
    short events;
    short revents;
};
struct hostent {
    char *h_name;
    char **h_aliases;
    int h_addrtype;
    int h_length;
    char **h_addr_list;
};

#define AF_INET 2
#define SOCK_STREAM 1
#define IPPROTO_TCP 6
#define SOL_SOCKET 0xfff
#define SO_ERROR 0x1007
#define TCP_NODELAY 0x01
#define MSG_DONTWAIT 0x08
#define F_GETFL 3
#define F_SETFL 4
#define O_NONBLOCK 1
#define POLLIN 0x1
#define POLLOUT 0x2
#define POLLERR 0x4
#define POLLNVAL 0x8
#define POLLHUP 0x200

int lwip_socket(int domain, int type, int protocol);
int lwip_connect(int s, const struct sockaddr *name, socklen_t namelen);
int lwip_send(int s, const void *dataptr, size_t size, int flags);
int lwip_recv(int s, void *mem, size_t len, int flags);
int lwip_close(int s);
int lwip_fcntl(int s, int cmd, int val);
int lwip_poll(struct pollfd *fds, nfds_t nfds, int timeout);
int lwip_getsockopt(int s, int level, int optname, void *optval, socklen_t *optlen);
int lwip_setsockopt(int s, int level, int optname, const void *optval, socklen_t optlen);
int lwip_gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
                         struct hostent **result, int *h_errnop);
int lwip_inet_pton(int af, const char *src, void *dst);

#endif /* BOARD_LWIP_MIN_H */
