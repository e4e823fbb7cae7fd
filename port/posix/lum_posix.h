/*
 * port/posix/lum_posix.h - the POSIX port: TCP sockets and a platform.
 *
 * The TCP transport resolves with getaddrinfo (IPv4 and IPv6, tried in the
 * resolver's order), connects non-blocking with a timeout, and waits with
 * poll() on every send and recv, so no call blocks longer than its timeout.
 * SIGPIPE is avoided per call (MSG_NOSIGNAL / SO_NOSIGPIPE).
 *
 * Memory: the caller owns the lum_posix_tcp struct; nothing is allocated.
 */
#ifndef LUM_POSIX_H
#define LUM_POSIX_H

#include "lumminary/port.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lum_posix_tcp {
    int fd; /* -1 when closed */
} lum_posix_tcp;

/*
 * Prepares tcp (closed state) and fills *out with the TCP transport whose
 * ctx is tcp. tcp must outlive every use of *out. Never blocks, never fails.
 */
void lum_posix_tcp_init(lum_posix_tcp *tcp, lum_transport *out);

/*
 * Fills *out with the POSIX platform: CLOCK_MONOTONIC milliseconds, entropy
 * from getrandom(2) (or /dev/urandom where it is missing), and log = NULL.
 * Stateless: ctx is NULL. Never blocks, never fails.
 */
void lum_posix_platform_init(lum_platform *out);

/* A log function for lum_platform.log that writes "lumminary: msg" to stderr. */
void lum_posix_log_stderr(void *ctx, int level, const char *msg);

#ifdef __cplusplus
}
#endif

#endif /* LUM_POSIX_H */
