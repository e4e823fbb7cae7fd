/*
 * Telling "untrusted certificate" from "pool too small" after a failed
 * certificate verification.
 *
 * mbedTLS treats a signature check that fails for any reason - including an
 * allocation failure in the bignum code - as "this CA did not sign it", so a
 * pool a few KiB too small shows up as MBEDTLS_X509_BADCERT_NOT_TRUSTED,
 * exactly like an unknown CA. This verification callback (which never
 * changes the outcome) redoes the signature check of an untrusted
 * certificate against each configured CA whose name matches its issuer and
 * looks at the real error: out of memory means the pool was too small. (The
 * allocator is deterministic: the same check in the same pool state fails
 * the same way.)
 */
#include "tls_internal.h"

#include "lumminary/error.h"

#include "mbedtls/md.h"
#include "mbedtls/pk.h"

#include <string.h>

static int check_ran_out_of_memory(const mbedtls_x509_crt *crt, mbedtls_x509_crt *ca)
{
    unsigned char hash[MBEDTLS_MD_MAX_SIZE];
    /* sig_md, sig_pk, sig_opts, sig are MBEDTLS_PRIVATE in 3.6 (stable in
       the LTS branch); mbedTLS's own x509_crt_check_signature reads them. */
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(crt->MBEDTLS_PRIVATE(sig_md));
    int ret;

    if (md == NULL) return 0;
    ret = mbedtls_md(md, crt->tbs.p, crt->tbs.len, hash);
    if (ret == 0)
        ret = mbedtls_pk_verify_ext(crt->MBEDTLS_PRIVATE(sig_pk), crt->MBEDTLS_PRIVATE(sig_opts),
                                    &ca->pk, crt->MBEDTLS_PRIVATE(sig_md), hash,
                                    mbedtls_md_get_size(md), crt->MBEDTLS_PRIVATE(sig).p,
                                    crt->MBEDTLS_PRIVATE(sig).len);
    return ret != 0 && lum_tls__map_error(ret) == LUM_ERR_TLS_CONFIG;
}

int lum_tls__verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    lum_tls *tls = (lum_tls *)ctx;
    mbedtls_x509_crt *ca;

    (void)depth;
    if ((*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) == 0) return 0;
    for (ca = &tls->ca; ca != NULL && ca->raw.p != NULL; ca = ca->next) {
        if (crt->issuer_raw.len == ca->subject_raw.len &&
            memcmp(crt->issuer_raw.p, ca->subject_raw.p, ca->subject_raw.len) == 0 &&
            check_ran_out_of_memory(crt, ca))
            tls->verify_oom = 1;
    }
    return 0;
}
