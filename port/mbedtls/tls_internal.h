/*
 * port/mbedtls/tls_internal.h - what the files of the TLS port share.
 * Not installed, not for users.
 */
#ifndef LUM_TLS_INTERNAL_H
#define LUM_TLS_INTERNAL_H

#include "lum_tls.h"

/* Maps an mbedTLS (or PSA) error code to a lum_err code:
   certificate problems -> LUM_ERR_TLS_CERT, allocation failures ->
   LUM_ERR_TLS_CONFIG (pool too small), entropy -> LUM_ERR_ENTROPY,
   end of stream -> LUM_ERR_CLOSED, anything else -> LUM_ERR_TLS. */
int lum_tls__map_error(int mbedtls_err);

/* Logs "tls: <what> -0x<code>" through platform->log, if there is one.
   Formats without printf so that no stdio is linked on small boards. */
void lum_tls__log(const lum_platform *platform, int level, const char *what, int code);

/* Loads cfg's CA certificates into ca. Returns LUM_OK or LUM_ERR_TLS_CONFIG
   (nothing loaded, unreadable file, bad data, pool too small). */
int lum_tls__load_ca(mbedtls_x509_crt *ca, const lum_tls_config *cfg,
                     const lum_platform *platform);

/* Verification callback (ctx: the lum_tls): sets tls->verify_oom when an
   "untrusted" verdict was really the pool running out. Never changes the
   verdict. */
int lum_tls__verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags);

/* The transport's close(): close_notify if open, then frees the session and
   closes the inner transport. Safe in any state (tls_transport.c). */
void lum_tls__close(lum_tls *tls);

#endif /* LUM_TLS_INTERNAL_H */
