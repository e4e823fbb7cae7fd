/*
 * The mbedTLS heap: one caller-owned pool behind MBEDTLS_MEMORY_BUFFER_ALLOC_C.
 *
 * Peak measurement without MBEDTLS_MEMORY_DEBUG (which would link fprintf
 * into every image): after the allocator has written its first block header,
 * the rest of the pool is painted with a byte pattern. The allocator is
 * deterministic and first-fit, writes a header at every split and zeroes
 * every block it hands out, so the last byte that no longer holds the
 * pattern marks the furthest the pool was ever used: the size this run needed.
 */
#include "tls_internal.h"

#include "lumminary/error.h"

#include "mbedtls/memory_buffer_alloc.h"
#if defined(MBEDTLS_PSA_CRYPTO_C)
#include "psa/crypto.h"
#endif

#include <string.h>

#define PAINT 0xA5u
/* Past the allocator's first header (at most 64 bytes on LP64, plus up to 7
   bytes of alignment); the rest of the pool is untouched after init. */
#define PAINT_FROM 128u
#define POOL_MIN 1024u

int lum_tls_pool_init(uint8_t *pool, size_t len)
{
    if (pool == NULL || len < POOL_MIN) return LUM_ERR_INVALID_ARG;
    mbedtls_memory_buffer_alloc_init(pool, len);
    memset(pool + PAINT_FROM, PAINT, len - PAINT_FROM);
    return LUM_OK;
}

size_t lum_tls_pool_peak(const uint8_t *pool, size_t len)
{
    while (len > 0 && pool[len - 1] == PAINT) len--;
    return len;
}

void lum_tls_pool_deinit(void)
{
#if defined(MBEDTLS_PSA_CRYPTO_C)
    /* PSA keeps its key store in the pool; it is initialized again by the
       next lum_tls_init. */
    mbedtls_psa_crypto_free();
#endif
    mbedtls_memory_buffer_alloc_free();
}
