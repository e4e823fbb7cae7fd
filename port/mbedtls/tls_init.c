/*
 * Setting a lum_tls up and tearing it down: the mbedTLS configuration (what
 * we offer and accept), the CA certificates, the per-connection DRBG.
 */
#include "tls_internal.h"

#include "lumminary/error.h"

#if defined(MBEDTLS_PSA_CRYPTO_C)
#include "psa/crypto.h"
#endif

#include <string.h>

/*
 * signature_algorithms, in order of preference. PKCS#1 v1.5 comes before
 * RSA-PSS on purpose (mbedTLS issue 10668): mbedTLS 3.6.6 offers
 * rsa_pss_rsae_* in a 1.2+1.3 ClientHello but then rejects them in a TLS 1.2
 * ServerKeyExchange (-0x6600). A TLS 1.2-only server that follows the
 * client's order (OpenSSL's default) thus picks PKCS#1 and the handshake
 * works; servers that impose their own order are handled by the retry in
 * tls_connect (tls_transport.c). TLS 1.3 never uses PKCS#1 for the
 * handshake signature (RFC 8446 4.2.3), so there the order changes nothing.
 */
static const uint16_t sig_algs[] = {
    MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256,
    MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
    MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
    MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,
    MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
    MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256,
    MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384,
    MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512,
    MBEDTLS_TLS1_3_SIG_NONE,
};

/* x25519 first: the TLS 1.3 key share is sent for the first group only. */
static const uint16_t groups[] = {
    MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
    MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
    MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,
    MBEDTLS_SSL_IANA_TLS_GROUP_NONE,
};

/* What a server certificate chain may use: SHA-2 signatures, RSA of 2048
   bits or more, ECDSA on the two curves we implement. */
static const mbedtls_x509_crt_profile cert_profile = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSASSA_PSS) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1),
    2048,
};

static int drbg_entropy(void *ctx, unsigned char *buf, size_t len)
{
    lum_tls *tls = (lum_tls *)ctx;
    return tls->platform.entropy(tls->platform.ctx, buf, len) == LUM_OK
               ? 0
               : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

/* ------------------------------------------------------------- set-up */

static int version_of(uint8_t v, int dflt, mbedtls_ssl_protocol_version *out)
{
    switch (v) {
    case 0:
        *out = (mbedtls_ssl_protocol_version)dflt;
        return LUM_OK;
    case LUM_TLS_V1_2:
        *out = MBEDTLS_SSL_VERSION_TLS1_2;
        return LUM_OK;
    case LUM_TLS_V1_3:
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
        *out = MBEDTLS_SSL_VERSION_TLS1_3;
        return LUM_OK;
#else
        return LUM_ERR_TLS_CONFIG; /* a LUM_TLS12_ONLY build */
#endif
    default:
        return LUM_ERR_INVALID_ARG;
    }
}

#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
#define MAX_VERSION MBEDTLS_SSL_VERSION_TLS1_3
#else
#define MAX_VERSION MBEDTLS_SSL_VERSION_TLS1_2
#endif

/* mbedTLS advertises at most the smaller of its two buffers. */
#define MFL_MAX (MBEDTLS_SSL_IN_CONTENT_LEN < MBEDTLS_SSL_OUT_CONTENT_LEN \
                     ? MBEDTLS_SSL_IN_CONTENT_LEN : MBEDTLS_SSL_OUT_CONTENT_LEN)

/* max_fragment_length: bytes -> RFC 6066 code. 0 asks for the largest
   fragment mbedTLS can advertise, if our input buffer cannot hold a full
   16 KiB record (LUM_TLS_SMALL: 2048, the output buffer's size; the 4096-byte
   input buffer then still reassembles a certificate chain of that size). */
static int mfl_code(uint16_t len, unsigned char *code)
{
    if (len == 0) {
        if (MBEDTLS_SSL_IN_CONTENT_LEN >= 16384) len = 0;
        else if (MFL_MAX >= 4096) len = 4096;
        else if (MFL_MAX >= 2048) len = 2048;
        else if (MFL_MAX >= 1024) len = 1024;
        else len = 512;
    }
    switch (len) {
    case 0: *code = MBEDTLS_SSL_MAX_FRAG_LEN_NONE; return LUM_OK;
    case 512: *code = MBEDTLS_SSL_MAX_FRAG_LEN_512; return LUM_OK;
    case 1024: *code = MBEDTLS_SSL_MAX_FRAG_LEN_1024; return LUM_OK;
    case 2048: *code = MBEDTLS_SSL_MAX_FRAG_LEN_2048; return LUM_OK;
    case 4096: *code = MBEDTLS_SSL_MAX_FRAG_LEN_4096; return LUM_OK;
    default: return LUM_ERR_TLS_CONFIG;
    }
}

static int configure(lum_tls *tls, const lum_tls_config *cfg)
{
    mbedtls_ssl_protocol_version min, max;
    unsigned char mfl;
    int rc, ret;

    rc = version_of(cfg->min_version, MBEDTLS_SSL_VERSION_TLS1_2, &min);
    if (rc == LUM_OK) rc = version_of(cfg->max_version, MAX_VERSION, &max);
    if (rc != LUM_OK) return rc;
    if (min > max) return LUM_ERR_INVALID_ARG;
    if (mfl_code(cfg->max_fragment_len, &mfl) != LUM_OK) {
        lum_tls__log(&tls->platform, LUM_LOG_ERROR, "max_fragment_len must be 0/512/1024/2048/4096", 0);
        return LUM_ERR_TLS_CONFIG;
    }
    if (mfl != MBEDTLS_SSL_MAX_FRAG_LEN_NONE && max > MBEDTLS_SSL_VERSION_TLS1_2) {
        /* mbedTLS 3.6's TLS 1.3 client aborts when a server acknowledges
           max_fragment_length (it is sent in every ClientHello, but only
           understood in TLS 1.2), and TLS 1.3's record_size_limit is rarely
           supported by servers: a bounded fragment means TLS 1.2. */
        if (cfg->max_version == LUM_TLS_V1_3) {
            lum_tls__log(&tls->platform, LUM_LOG_ERROR, "max_fragment_len needs TLS 1.2", 0);
            return LUM_ERR_TLS_CONFIG;
        }
        max = MBEDTLS_SSL_VERSION_TLS1_2;
        if (min > max) return LUM_ERR_TLS_CONFIG;
    }

    ret = mbedtls_ssl_config_defaults(&tls->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        lum_tls__log(&tls->platform, LUM_LOG_ERROR, "config defaults failed", ret);
        return LUM_ERR_TLS_CONFIG;
    }
    mbedtls_ssl_conf_authmode(&tls->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&tls->conf, &tls->ca, NULL);
    mbedtls_ssl_conf_cert_profile(&tls->conf, &cert_profile);
    mbedtls_ssl_conf_verify(&tls->conf, lum_tls__verify_cb, tls);
    mbedtls_ssl_conf_rng(&tls->conf, mbedtls_ctr_drbg_random, &tls->drbg);
    mbedtls_ssl_conf_min_tls_version(&tls->conf, min);
    mbedtls_ssl_conf_max_tls_version(&tls->conf, max);
    mbedtls_ssl_conf_sig_algs(&tls->conf, sig_algs);
    mbedtls_ssl_conf_groups(&tls->conf, groups);
    ret = mbedtls_ssl_conf_max_frag_len(&tls->conf, mfl);
    if (ret != 0) {
        lum_tls__log(&tls->platform, LUM_LOG_ERROR, "max_fragment_len larger than the TLS buffers", ret);
        return LUM_ERR_TLS_CONFIG;
    }
    tls->max_version = (uint16_t)max;
    return LUM_OK;
}

int lum_tls_init(lum_tls *tls, const lum_tls_config *cfg, const lum_transport *inner,
                 const lum_platform *platform)
{
    static const char personalization[] = "lumminary-c tls";
    int rc, ret;

    if (tls == NULL) return LUM_ERR_INVALID_ARG;
    /* Everything in a freeable state first, so that any failure below (and
       lum_tls_free after it) is safe. */
    memset(tls, 0, sizeof *tls);
    mbedtls_ssl_init(&tls->ssl);
    mbedtls_ssl_config_init(&tls->conf);
    mbedtls_x509_crt_init(&tls->ca);
    mbedtls_ctr_drbg_init(&tls->drbg);
    if (cfg == NULL || inner == NULL || platform == NULL || inner->connect == NULL ||
        inner->send == NULL || inner->recv == NULL || inner->close == NULL ||
        platform->now_ms == NULL || platform->entropy == NULL)
        return LUM_ERR_INVALID_ARG;
    tls->inner = *inner;
    tls->platform = *platform;
    tls->server_name = cfg->server_name;

#if defined(MBEDTLS_PSA_CRYPTO_C)
    {
        /* Process-wide and idempotent; undone by lum_tls_pool_deinit. */
        psa_status_t st = psa_crypto_init();
        if (st != PSA_SUCCESS) {
            lum_tls__log(&tls->platform, LUM_LOG_ERROR, "psa_crypto_init failed", (int)st);
            rc = st == PSA_ERROR_INSUFFICIENT_MEMORY    ? LUM_ERR_TLS_CONFIG
                 : st == PSA_ERROR_INSUFFICIENT_ENTROPY ? LUM_ERR_ENTROPY
                                                        : LUM_ERR_TLS;
            goto fail;
        }
    }
#endif
    rc = configure(tls, cfg);
    if (rc != LUM_OK) goto fail;
    rc = lum_tls__load_ca(&tls->ca, cfg, &tls->platform);
    if (rc != LUM_OK) goto fail;
    ret = mbedtls_ctr_drbg_seed(&tls->drbg, drbg_entropy, tls,
                                (const unsigned char *)personalization, sizeof personalization - 1);
    if (ret != 0) {
        lum_tls__log(&tls->platform, LUM_LOG_ERROR, "DRBG seeding failed", ret);
        rc = lum_tls__map_error(ret);
        goto fail;
    }
    return LUM_OK;

fail:
    lum_tls_free(tls);
    return rc;
}

void lum_tls_free(lum_tls *tls)
{
    if (tls == NULL) return;
    lum_tls__close(tls);
    mbedtls_ssl_config_free(&tls->conf);
    mbedtls_x509_crt_free(&tls->ca);
    mbedtls_ctr_drbg_free(&tls->drbg);
}
