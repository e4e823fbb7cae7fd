/*
 * mbedTLS error codes -> lum_err codes, and the port's one log line format.
 *
 * mbedTLS composes an error as high-level module code + low-level module code
 * (e.g. X509 "invalid format" + ASN1 "out of data"), so both halves are
 * looked at: an allocation failure deep inside certificate parsing is still
 * "pool too small", not "bad certificate".
 */
#include "tls_internal.h"

#include "lumminary/error.h"

#include "mbedtls/asn1.h"
#include "mbedtls/bignum.h"
#include "mbedtls/cipher.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecp.h"
#include "mbedtls/md.h"
#include "mbedtls/pem.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509.h"

#include <string.h>

/* Not in our build's headers without the entropy module; the PSA layer
   still reports it. */
#define ERR_ENTROPY_SOURCE_FAILED (-0x003C)

static int is_alloc_failure(int high, int low)
{
    switch (-high) {
    case -MBEDTLS_ERR_SSL_ALLOC_FAILED:
    case -MBEDTLS_ERR_X509_ALLOC_FAILED:
    case -MBEDTLS_ERR_PK_ALLOC_FAILED:
    case -MBEDTLS_ERR_PEM_ALLOC_FAILED:
    case -MBEDTLS_ERR_ECP_ALLOC_FAILED:
    case -MBEDTLS_ERR_MD_ALLOC_FAILED:
    case -MBEDTLS_ERR_CIPHER_ALLOC_FAILED:
        return 1;
    default:
        break;
    }
    return low == MBEDTLS_ERR_MPI_ALLOC_FAILED || low == MBEDTLS_ERR_ASN1_ALLOC_FAILED;
}

int lum_tls__map_error(int err)
{
    int high, low;

    if (err >= 0) return LUM_ERR_TLS; /* not an error code: treat as a failure anyway */
    high = -((-err) & 0xFF80);
    low = -((-err) & 0x007F);

    if (is_alloc_failure(high, low)) return LUM_ERR_TLS_CONFIG;
    if (low == MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED || low == ERR_ENTROPY_SOURCE_FAILED ||
        err == MBEDTLS_ERR_ECP_RANDOM_FAILED || err == MBEDTLS_ERR_RSA_RNG_FAILED)
        return LUM_ERR_ENTROPY;
    /* Verification failures (unknown CA, expired, host name mismatch, weak
       key) and unparseable certificates in the server's chain. */
    if (err == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || err == MBEDTLS_ERR_SSL_BAD_CERTIFICATE ||
        (high <= MBEDTLS_ERR_X509_FEATURE_UNAVAILABLE && high >= MBEDTLS_ERR_X509_FATAL_ERROR))
        return LUM_ERR_TLS_CERT;
    if (err == MBEDTLS_ERR_SSL_CONN_EOF || err == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
        return LUM_ERR_CLOSED;
    return LUM_ERR_TLS;
}

void lum_tls__log(const lum_platform *platform, int level, const char *what, int code)
{
    static const char hex[] = "0123456789ABCDEF";
    char line[96];
    size_t n = 0, wlen;
    unsigned v;
    int shift;

    if (platform->log == NULL) return;
    wlen = strlen(what);
    if (wlen > sizeof line - 24) wlen = sizeof line - 24;
    memcpy(line, "tls: ", 5);
    n = 5;
    memcpy(line + n, what, wlen);
    n += wlen;
    if (code != 0) {
        v = code < 0 ? (unsigned)-(long)code : (unsigned)code;
        line[n++] = ' ';
        if (code < 0) line[n++] = '-';
        line[n++] = '0';
        line[n++] = 'x';
        /* error codes have 4 hex digits; verification flags may need 8 */
        for (shift = v > 0xFFFFu ? 28 : 12; shift >= 0; shift -= 4)
            line[n++] = hex[(v >> shift) & 0xFu];
    }
    line[n] = '\0';
    platform->log(platform->ctx, level, line);
}
