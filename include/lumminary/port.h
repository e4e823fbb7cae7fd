/*
 * lumminary/port.h - what a board or network stack provides to the SDK.
 *
 * The SDK never touches a socket, clock or random source directly. A port
 * fills two small structs of function pointers, each with an opaque context:
 *
 *   lum_transport  a byte stream: connect, send, recv, close (TCP, TLS over
 *                  TCP, a scripted test stream...). Transports layer: the TLS
 *                  transport in port/mbedtls wraps any other lum_transport.
 *   lum_platform   a monotonic clock, an entropy source and an optional log.
 *
 * All functions are called from the thread that calls the SDK; the SDK never
 * calls them concurrently. Every blocking call gets a timeout in milliseconds
 * and must return within roughly that time.
 */
#ifndef LUMMINARY_PORT_H
#define LUMMINARY_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lum_transport {
    void *ctx; /* passed back as the first argument of every function below */

    /*
     * Opens a connection to host:port (host is a DNS name or an IPv4/IPv6
     * literal, NUL-terminated). Blocks at most timeout_ms.
     * Returns LUM_OK, or LUM_ERR_DNS, LUM_ERR_CONNECT, LUM_ERR_TIMEOUT,
     * LUM_ERR_TLS, LUM_ERR_TLS_CERT (TLS transports), LUM_ERR_TRANSPORT.
     */
    int (*connect)(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms);

    /*
     * Sends up to len bytes of data. Blocks at most timeout_ms.
     * Returns the number of bytes accepted (1..len; partial writes are fine),
     * 0 if none could be sent within timeout_ms (the SDK keeps its own
     * deadline and may call again), or a negative lum_err code.
     */
    int (*send)(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms);

    /*
     * Receives up to cap bytes into buf. Blocks at most timeout_ms.
     * Returns the number of bytes received (1..cap), 0 if nothing arrived
     * within timeout_ms, LUM_ERR_CLOSED when the peer closed the stream
     * (orderly end of data), or another negative lum_err code.
     * A timeout_ms of 0 must not block: it is used to probe an idle
     * keep-alive connection before it is reused.
     */
    int (*recv)(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms);

    /* Closes the connection; must be safe to call when not connected. */
    void (*close)(void *ctx);
} lum_transport;

/* Log levels passed to lum_platform.log. */
enum { LUM_LOG_ERROR = 1, LUM_LOG_WARN = 2, LUM_LOG_INFO = 3, LUM_LOG_DEBUG = 4 };

typedef struct lum_platform {
    void *ctx; /* passed back as the first argument of every function below */

    /* Milliseconds from an arbitrary origin, monotonic; may wrap at 2^32. */
    uint32_t (*now_ms)(void *ctx);

    /*
     * Fills buf with len bytes from a cryptographically secure source.
     * Returns LUM_OK or LUM_ERR_ENTROPY. Used for TLS, multipart boundaries
     * and encryption nonces.
     */
    int (*entropy)(void *ctx, uint8_t *buf, size_t len);

    /* Optional (may be NULL): one NUL-terminated line, no trailing newline. */
    void (*log)(void *ctx, int level, const char *msg);
} lum_platform;

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_PORT_H */
