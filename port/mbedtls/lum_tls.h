/*
 * port/mbedtls/lum_tls.h - a TLS transport (mbedTLS 3.6) that wraps any
 * other lum_transport.
 *
 *     lum_posix_tcp tcp;  lum_transport plain, secure;  lum_tls tls;
 *     lum_posix_tcp_init(&tcp, &plain);
 *     lum_tls_init(&tls, &cfg, &plain, &platform);
 *     lum_tls_transport(&tls, &secure);    // hand `secure` to the client
 *
 * The wrapper is a lum_transport like any other: connect() opens the inner
 * transport and runs the whole handshake within its timeout; send/recv carry
 * application data with the inner transport's timeout rules; close() sends
 * close_notify and closes the inner transport; connect() may be called again.
 *
 * Security: the server certificate is always verified (chain to one of the
 * configured CAs, validity dates on hosted builds, host name). There is no
 * way to turn that off: plain HTTP simply does not wrap in TLS.
 *
 * Memory: the caller owns the lum_tls struct (mbedTLS contexts inline, about
 * 1.8 KiB on 64-bit hosts; may be static). Everything mbedTLS allocates -
 * record buffers (MBEDTLS_SSL_IN_CONTENT_LEN + OUT_CONTENT_LEN + ~100 bytes
 * each side, held while connected), handshake state, the parsed CA
 * certificates (~2 KiB each, held from lum_tls_init to lum_tls_free) - comes
 * from the one pool given to lum_tls_pool_init(). Nothing is taken from the
 * libc heap. Pool needed for a handshake plus one request with two CAs
 * loaded (x86-64, `make test-tls` prints them): default buffers 37-38.5 KiB,
 * LUM_TLS_SMALL 19-22.5 KiB; size yours with lum_tls_pool_peak() and add a
 * margin. A pool that is too small fails cleanly (LUM_ERR_TLS_CONFIG, or
 * LUM_ERR_TLS when mbedTLS cannot tell the cause).
 *
 * Threads: mbedTLS keeps the pool allocator and the PSA crypto core in
 * process-wide state (mbedTLS's globals, not ours). Use the TLS port from one
 * thread at a time; several lum_tls objects may exist and be used in turn.
 *
 * Randomness (two sources, both required to be cryptographically secure):
 *   - per connection, a CTR_DRBG seeded from lum_platform.entropy (TLS 1.2
 *     key exchange, record nonces, client random);
 *   - process-wide, the PSA crypto core (TLS 1.3 key shares) calls
 *     lum_tls_psa_entropy() below, a function the board links in.
 *     `make` links port/mbedtls/entropy_getentropy.c for boards that use
 *     port/posix (getentropy(2): Linux, BSDs, macOS); other boards write
 *     their own (a hardware TRNG driver). Builds with LUM_TLS12_ONLY have no
 *     PSA core and need no hook.
 */
#ifndef LUM_TLS_H
#define LUM_TLS_H

#include "lumminary/port.h"

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Protocol versions for lum_tls_config.min_version / max_version. */
enum { LUM_TLS_V1_2 = 2, LUM_TLS_V1_3 = 3 };

typedef struct lum_tls_config {
    /* Trusted CA certificates: ca_data, ca_file, or both (all are loaded).
       At least one certificate must load, or lum_tls_init fails.
       ca_data: PEM (ca_data_len counts the terminating NUL) or DER; may hold
       several PEM certificates. Read during lum_tls_init only.
       ca_file: a PEM/DER file, read during lum_tls_init only; only on hosted
       builds (LUM_TLS_HOSTED), elsewhere it must be NULL. */
    const uint8_t *ca_data;
    size_t ca_data_len;
    const char *ca_file;

    /* Name sent as SNI and checked against the certificate (DNS name or IP
       literal). NULL: the host passed to connect(). Borrowed: must stay valid
       as long as the lum_tls is used. */
    const char *server_name;

    /* LUM_TLS_V1_2 or LUM_TLS_V1_3; 0 = the build's lowest / highest
       (1.2 / 1.3; 1.2 / 1.2 with LUM_TLS12_ONLY or a max_fragment_len). */
    uint8_t min_version;
    uint8_t max_version;

    /* max_fragment_length to negotiate (RFC 6066): 512, 1024, 2048 or 4096
       bytes, or 0 = only when the input buffer needs it (below 16384 bytes:
       the largest value mbedTLS can advertise, i.e. at most the smaller of
       MBEDTLS_SSL_IN/OUT_CONTENT_LEN: 2048 for LUM_TLS_SMALL).
       A bounded fragment limits the connection to TLS 1.2: mbedTLS 3.6's
       TLS 1.3 client aborts when a server acknowledges the extension, so
       max_version LUM_TLS_V1_3 with a fragment length is LUM_ERR_TLS_CONFIG.
       The server must support the extension (OpenSSL, nginx do) or send
       records that fit MBEDTLS_SSL_IN_CONTENT_LEN anyway.
       No io_timeout here on purpose: every call carries its own timeout. */
    uint16_t max_fragment_len;
} lum_tls_config;

/* All fields are private; they are here so that the caller can own the
   memory. */
typedef struct lum_tls {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_ctr_drbg_context drbg;
    lum_transport inner;    /* copy of the wrapped transport */
    lum_platform platform;  /* copy: clock, entropy, log */
    const char *server_name;
    uint32_t op_start;      /* deadline of the call in progress, used by */
    uint32_t op_timeout;    /*   the mbedTLS I/O callbacks                */
    int io_err;             /* last inner-transport error seen by a callback */
    uint16_t max_version;   /* as configured (mbedtls_ssl_protocol_version) */
    uint8_t state;          /* closed / open / broken (see tls_transport.c) */
    uint8_t verify_oom;     /* certificate check ran out of pool (tls_verify.c) */
} lum_tls;

/*
 * Installs pool as mbedTLS's heap: every mbedTLS allocation of the process
 * comes from it from now on. The pool is global inside mbedTLS (one per
 * process); the caller owns the memory and must keep it valid until
 * lum_tls_pool_deinit(). Call once, before lum_tls_init. Never blocks.
 * Returns LUM_OK, or LUM_ERR_INVALID_ARG (NULL or smaller than 1 KiB).
 */
int lum_tls_pool_init(uint8_t *pool, size_t len);

/*
 * Bytes of pool ever in use since lum_tls_pool_init: the high-water mark of
 * the allocator including its block headers and fragmentation, i.e. the pool
 * size this run would have needed (to within a few bytes). Pass the same
 * pool and len as to lum_tls_pool_init. Reads the pool; never blocks.
 */
size_t lum_tls_pool_peak(const uint8_t *pool, size_t len);

/*
 * Releases mbedTLS's process-wide state (PSA crypto core) and detaches the
 * pool; afterwards every mbedTLS allocation fails until lum_tls_pool_init is
 * called again. Every lum_tls must have been freed first. Never blocks.
 */
void lum_tls_pool_deinit(void);

/*
 * Prepares tls (closed) to wrap inner. Copies *inner and *platform (the
 * transport's ctx and the platform's ctx must outlive tls); cfg is read now
 * (see the fields for what is borrowed). Loads the CA certificates into the
 * pool and seeds the DRBG from platform->entropy. Blocks only to read
 * cfg->ca_file and for the entropy source.
 * Returns LUM_OK, or LUM_ERR_INVALID_ARG (NULL argument, bad version range),
 * LUM_ERR_TLS_CONFIG (no CA loaded, bad CA data, ca_file unreadable or not
 * supported, max_fragment_len not accepted or combined with TLS 1.3, TLS 1.3
 * asked of a LUM_TLS12_ONLY build, pool too small), LUM_ERR_ENTROPY.
 * tls must not move in memory afterwards (mbedTLS keeps pointers into it).
 * On failure tls holds nothing (lum_tls_free is optional but harmless).
 */
int lum_tls_init(lum_tls *tls, const lum_tls_config *cfg, const lum_transport *inner,
                 const lum_platform *platform);

/*
 * Fills *out with the TLS transport whose ctx is tls. Never fails.
 *
 *  connect(host, port, timeout_ms): inner connect, then the full handshake,
 *    all within timeout_ms (measured with platform.now_ms). Returns LUM_OK or
 *    an inner error (LUM_ERR_DNS, LUM_ERR_CONNECT, ...), LUM_ERR_TIMEOUT,
 *    LUM_ERR_TLS_CERT (chain, dates or host name did not verify),
 *    LUM_ERR_TLS (any other handshake failure, e.g. no common version or
 *    suite), LUM_ERR_CLOSED (the server hung up mid-handshake),
 *    LUM_ERR_TLS_CONFIG (pool too small), LUM_ERR_ENTROPY. Connecting an
 *    open transport closes it first.
 *  send(data, len, timeout_ms): encrypts up to one record of data
 *    (MBEDTLS_SSL_OUT_CONTENT_LEN or the negotiated fragment) and sends it;
 *    returns the bytes taken (never 0 for len > 0: an encrypted record cannot
 *    be taken back), LUM_ERR_TIMEOUT if the record could not be sent within
 *    timeout_ms (the stream is then unusable: close it), LUM_ERR_CLOSED,
 *    LUM_ERR_TLS or an inner error.
 *  recv(buf, cap, timeout_ms): returns 1..cap decrypted bytes, 0 if none
 *    within timeout_ms (0 never blocks), LUM_ERR_CLOSED after close_notify or
 *    end of stream, LUM_ERR_TLS on a bad record, or an inner error.
 *  close(): sends close_notify without waiting, frees the session (the pool
 *    memory of the connection) and closes the inner transport. Safe to call
 *    when closed.
 * Calls on a transport that is not open return LUM_ERR_CLOSED.
 */
void lum_tls_transport(lum_tls *tls, lum_transport *out);

/* Closes the connection if open and releases everything tls took from the
   pool. tls may then be initialized again. Never blocks (close_notify is
   best effort). */
void lum_tls_free(lum_tls *tls);

/*
 * Board hook, PSA builds only (not LUM_TLS12_ONLY): fills buf with len bytes
 * from a cryptographically secure source; called by mbedTLS's PSA core, from
 * inside TLS 1.3 handshakes. May block until the source is ready. Returns
 * LUM_OK or LUM_ERR_ENTROPY (the handshake then fails with LUM_ERR_ENTROPY).
 */
int lum_tls_psa_entropy(uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LUM_TLS_H */
