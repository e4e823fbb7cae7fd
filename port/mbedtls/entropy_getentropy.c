/*
 * lum_tls_psa_entropy() for Unix-like systems: getentropy(3), which glibc
 * >= 2.25, musl >= 1.1.20, the BSDs and macOS provide. On Linux it is
 * getrandom(2) underneath: it blocks until the kernel pool is seeded at boot
 * and never falls back to an unseeded /dev/urandom (the mistake behind
 * CVE-2026-34871 in mbedTLS's own Linux entropy source).
 *
 * mk/mbedtls.mk links this file for boards that use port/posix
 * (TLS_ENTROPY_HOOK=getentropy); any other board provides its own hook.
 */
#define _DEFAULT_SOURCE /* getentropy on glibc with -std=c99 */
#define _DARWIN_C_SOURCE

#include "lum_tls.h"

#include "lumminary/error.h"

#include <errno.h>
#include <unistd.h>
#if defined(__linux__) || defined(__APPLE__)
#include <sys/random.h>
#endif

int lum_tls_psa_entropy(uint8_t *buf, size_t len)
{
    while (len > 0) {
        size_t chunk = len > 256 ? 256 : len; /* getentropy's per-call limit */
        if (getentropy(buf, chunk) != 0) {
            if (errno == EINTR) continue;
            return LUM_ERR_ENTROPY;
        }
        buf += chunk;
        len -= chunk;
    }
    return LUM_OK;
}
