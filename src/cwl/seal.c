/*
 * AES-GCM through mbedTLS's GCM module, streamed in both directions so that
 * a payload never needs a second buffer: plaintext goes in block by block
 * and leaves as base64 text; base64 text comes in and leaves as plaintext.
 *
 * The tag is 12 bytes (the reference client's mac_len), the nonce 12 bytes,
 * no associated data. On the way in, the tag is compared in constant time
 * and, if it does not match, every plaintext byte already written is wiped.
 */
#include <string.h>

#include "cwl/cwl_internal.h"
#include "lumminary/error.h"
#include "mbedtls/gcm.h"
#include "mbedtls/platform_util.h"

/* Input is fed to GCM in whole 16-byte blocks, so that an implementation
   that buffers partial blocks (an MBEDTLS_GCM_ALT) outputs as it goes. */
#define CHUNK 48

struct cwl_seal {
    mbedtls_gcm_context gcm;
    cwl_b64enc b64;
    uint8_t in[CHUNK];
    size_t n_in;
    int err;
};

void cwl_wipe(void *p, size_t n)
{
    mbedtls_platform_zeroize(p, n);
}

static int start(mbedtls_gcm_context *gcm, int mode, const uint8_t *key, size_t key_len,
                 const uint8_t nonce[LUM_CWL_NONCE_LEN])
{
    if (mbedtls_gcm_setkey(gcm, MBEDTLS_CIPHER_ID_AES, key, (unsigned)(key_len * 8u)) != 0 ||
        mbedtls_gcm_starts(gcm, mode, nonce, LUM_CWL_NONCE_LEN) != 0)
        return LUM_ERR_INVALID_ARG; /* key sizes were checked: not expected */
    return LUM_OK;
}

static void seal_chunk(cwl_seal *s)
{
    uint8_t ct[CHUNK + 16];
    size_t olen = 0;
    if (s->err == LUM_OK && mbedtls_gcm_update(&s->gcm, s->in, s->n_in, ct, sizeof ct, &olen) != 0)
        s->err = LUM_ERR_INVALID_ARG;
    if (s->err == LUM_OK) cwl_b64enc_put(&s->b64, ct, olen);
    s->n_in = 0;
}

void cwl_seal_put(cwl_seal *s, const uint8_t *data, size_t n)
{
    while (n > 0) {
        size_t k = CHUNK - s->n_in;
        if (k > n) k = n;
        memcpy(s->in + s->n_in, data, k);
        s->n_in += k;
        data += k;
        n -= k;
        if (s->n_in == CHUNK) seal_chunk(s);
    }
}

int cwl_seal_run(const uint8_t *key, size_t key_len, const uint8_t nonce[LUM_CWL_NONCE_LEN], cwl_out *out,
                 cwl_produce_fn produce, void *ctx)
{
    cwl_seal s;
    uint8_t last[16], tag[LUM_CWL_TAG_LEN];
    size_t olen = 0;
    int rc;

    mbedtls_gcm_init(&s.gcm);
    s.n_in = 0;
    s.err = start(&s.gcm, MBEDTLS_GCM_ENCRYPT, key, key_len, nonce);
    cwl_b64enc_init(&s.b64, out);
    cwl_b64enc_put(&s.b64, nonce, LUM_CWL_NONCE_LEN);
    if (s.err == LUM_OK) {
        rc = produce(ctx, &s);
        if (s.err == LUM_OK) s.err = rc;
    }
    if (s.n_in > 0) seal_chunk(&s);
    if (s.err == LUM_OK) {
        if (mbedtls_gcm_finish(&s.gcm, last, sizeof last, &olen, tag, sizeof tag) != 0) {
            s.err = LUM_ERR_INVALID_ARG;
        } else {
            cwl_b64enc_put(&s.b64, last, olen);
            cwl_b64enc_put(&s.b64, tag, sizeof tag);
            cwl_b64enc_finish(&s.b64);
        }
    }
    mbedtls_gcm_free(&s.gcm);
    cwl_wipe(s.in, sizeof s.in);
    return s.err;
}

/* Constant-time comparison: the time taken does not depend on where they differ. */
static bool same_tag(const uint8_t *a, const uint8_t *b, size_t n)
{
    volatile uint8_t diff = 0;
    size_t i;
    for (i = 0; i < n; i++) diff |= (uint8_t)(a[i] ^ b[i]);
    return diff == 0;
}

int cwl_open(const uint8_t *key, size_t key_len, const char *payload, size_t len, size_t decoded,
             uint8_t *out, size_t cap, size_t *out_len)
{
    mbedtls_gcm_context gcm;
    cwl_b64dec d;
    uint8_t nonce[LUM_CWL_NONCE_LEN], in[CHUNK], plain[CHUNK + 16], tag[LUM_CWL_TAG_LEN],
        want[LUM_CWL_TAG_LEN], last[16];
    size_t ct_len, done = 0, written = 0, olen = 0;
    int rc;

    *out_len = 0;
    ct_len = decoded - LUM_CWL_NONCE_LEN - LUM_CWL_TAG_LEN; /* decoded >= both, checked */
    if (ct_len >= cap) return LUM_ERR_TOO_LONG;              /* no room for it and the NUL */

    cwl_b64dec_init(&d, payload, len);
    cwl_b64dec_get(&d, nonce, sizeof nonce);
    mbedtls_gcm_init(&gcm);
    rc = start(&gcm, MBEDTLS_GCM_DECRYPT, key, key_len, nonce);
    while (rc == LUM_OK && done < ct_len) {
        size_t k = ct_len - done < CHUNK ? ct_len - done : CHUNK;
        cwl_b64dec_get(&d, in, k);
        if (mbedtls_gcm_update(&gcm, in, k, plain, sizeof plain, &olen) != 0 || olen > cap - 1 - written) {
            rc = LUM_ERR_INVALID_ARG;
            break;
        }
        memcpy(out + written, plain, olen);
        written += olen;
        done += k;
    }
    if (rc == LUM_OK) {
        cwl_b64dec_get(&d, tag, sizeof tag);
        if (mbedtls_gcm_finish(&gcm, last, sizeof last, &olen, want, sizeof want) != 0 ||
            olen > cap - 1 - written) {
            rc = LUM_ERR_INVALID_ARG;
        } else {
            memcpy(out + written, last, olen);
            written += olen;
            if (!same_tag(tag, want, sizeof tag)) rc = LUM_ERR_DECRYPT;
        }
    }
    mbedtls_gcm_free(&gcm);
    cwl_wipe(plain, sizeof plain);
    cwl_wipe(last, sizeof last);
    if (rc != LUM_OK) {
        cwl_wipe(out, written < cap ? written + 1 : cap);
        return rc;
    }
    out[written] = '\0';
    *out_len = written;
    return LUM_OK;
}
