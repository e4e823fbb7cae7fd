/*
 * The PSA crypto core's random generator (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG).
 *
 * mbedTLS calls this process-wide function with no way to reach a particular
 * lum_tls or lum_platform, so it draws from a link-time board hook,
 * lum_tls_psa_entropy(), rather than from a registered pointer (which would
 * be a mutable global of ours). Every byte comes straight from that secure
 * source: PSA asks only for key-share private keys and a few nonces, so no
 * DRBG is needed in between.
 */
#include "tls_internal.h"

#if defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG)

#include "lumminary/error.h"

#include "psa/crypto.h"

psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context,
                                             uint8_t *output, size_t output_size,
                                             size_t *output_length)
{
    (void)context;
    *output_length = 0;
    if (output_size > 0 && lum_tls_psa_entropy(output, output_size) != LUM_OK)
        return PSA_ERROR_INSUFFICIENT_ENTROPY;
    *output_length = output_size;
    return PSA_SUCCESS;
}

#endif /* MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG */
