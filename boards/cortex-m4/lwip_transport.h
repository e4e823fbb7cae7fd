/*
 * boards/cortex-m4/lwip_transport.h - a lum_transport over lwIP's socket API.
 *
 * The bare-metal counterpart of port/posix's TCP transport: non-blocking
 * sockets, every wait bounded with lwip_poll(), so no call blocks longer than
 * its timeout (except name resolution: lwIP's DNS client has its own timeout,
 * DNS_MAX_RETRIES x DNS_TMR_INTERVAL; use an address literal to avoid it).
 * IPv4 only, like most lwIP configurations on small parts.
 *
 * Needs lwIP with LWIP_SOCKET, LWIP_SOCKET_POLL and LWIP_DNS, running in its
 * own thread (NO_SYS=0), and the network interface up before connect.
 * Memory: the caller owns the struct; lwIP's pools hold the socket and TCP
 * buffers (sized in lwipopts.h); nothing comes from the C heap.
 */
#ifndef BOARD_LWIP_TRANSPORT_H
#define BOARD_LWIP_TRANSPORT_H

#include "lumminary/port.h"

typedef struct board_lwip_tcp {
    int fd; /* -1 when closed */
} board_lwip_tcp;

/* Prepares tcp (closed) and fills *out with the transport whose ctx is tcp. */
void board_lwip_tcp_init(board_lwip_tcp *tcp, lum_transport *out);

#endif /* BOARD_LWIP_TRANSPORT_H */
