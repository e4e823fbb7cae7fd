/*
 * src/cwl/cwl_internal.h - the pieces the CWL functions share (internal).
 *
 *   codec.c   base64 (RFC 4648, standard alphabet, padded) out and in,
 *             percent-encoding like Python's urllib.parse.quote, Python
 *             json.dumps string escaping, strict UTF-8
 *   seal.c    AES-GCM over mbedTLS, streamed: plaintext in, payload text out
 *   encrypt.c / decrypt.c / response.c  the public functions of lumminary/cwl.h
 */
#ifndef LUM_SRC_CWL_INTERNAL_H
#define LUM_SRC_CWL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/cwl.h"

#define CWL_KEY_MAX 32

/* ---- text output into a caller buffer ---- */

typedef struct cwl_out {
    char *buf;
    size_t cap, len; /* len < cap always: room for the NUL is kept */
    bool url;        /* percent-encode '+' and '=' (urllib.parse.quote's default) */
    int err;         /* LUM_OK, or LUM_ERR_TOO_LONG once something did not fit */
} cwl_out;

void cwl_out_init(cwl_out *o, char *buf, size_t cap, bool url);
void cwl_out_put(cwl_out *o, const char *s, size_t n);
/* NUL-terminates; on error wipes what was written. Returns o->err. */
int cwl_out_finish(cwl_out *o, size_t *out_len);

/* ---- base64 encoding, streamed ---- */

typedef struct cwl_b64enc {
    cwl_out *out;
    uint8_t part[3];
    unsigned n;
} cwl_b64enc;

void cwl_b64enc_init(cwl_b64enc *e, cwl_out *out);
void cwl_b64enc_put(cwl_b64enc *e, const uint8_t *data, size_t n);
void cwl_b64enc_finish(cwl_b64enc *e); /* the last group and its '=' padding */

/* ---- base64 decoding of possibly percent-encoded text ---- */

/*
 * Checks text[0..len) and tells how many bytes it decodes to. The text is
 * base64 once every %XX is decoded: length a multiple of 4, alphabet
 * A-Z a-z 0-9 + /, '=' only as one or two final pad characters.
 * Returns LUM_OK or LUM_ERR_INVALID_ARG.
 */
int cwl_b64_measure(const char *text, size_t len, size_t *decoded);

/* Decodes text (already checked by cwl_b64_measure) from its start, a few
   bytes at a time. */
typedef struct cwl_b64dec {
    const char *text;
    size_t len, pos;
    uint8_t part[3];
    unsigned have, used;
} cwl_b64dec;

void cwl_b64dec_init(cwl_b64dec *d, const char *text, size_t len);
/* Copies the next n decoded bytes to dst (n no more than remain). */
void cwl_b64dec_get(cwl_b64dec *d, uint8_t *dst, size_t n);

/* Decodes a base64 CWL key (no percent-encoding) into key[CWL_KEY_MAX].
   Returns LUM_OK with 16, 24 or 32 in *key_len, or LUM_ERR_INVALID_ARG. */
int cwl_key_decode(const char *key_b64, uint8_t key[CWL_KEY_MAX], size_t *key_len);

/* ---- Python json.dumps string escaping ---- */

typedef void (*cwl_emit_fn)(void *ctx, const char *s, size_t n);

/* Emits s[0..n) (UTF-8) as Python's json.dumps escapes a str's content
   with ensure_ascii, without the quotes. Returns LUM_OK or
   LUM_ERR_INVALID_ARG (not valid UTF-8; what came before was emitted). */
int cwl_pyjson_escape(const char *s, size_t n, cwl_emit_fn emit, void *ctx);

/* ---- AES-GCM ---- */

/* Encrypts plain (in pieces) into payload text: base64(nonce || ct || tag). */
typedef struct cwl_seal cwl_seal;

/*
 * Encrypts the bytes produce() hands to cwl_seal_put with the key and
 * nonce, writing the base64 payload to out. The callback style keeps the
 * GCM context (about 600 bytes) in one frame.
 */
typedef int (*cwl_produce_fn)(void *ctx, cwl_seal *seal);
void cwl_seal_put(cwl_seal *seal, const uint8_t *data, size_t n);
int cwl_seal_run(const uint8_t *key, size_t key_len, const uint8_t nonce[LUM_CWL_NONCE_LEN], cwl_out *out,
                 cwl_produce_fn produce, void *ctx);

/* Decrypts a checked payload into out[0..cap): returns LUM_OK with the
   plaintext length, LUM_ERR_TOO_LONG, LUM_ERR_DECRYPT (tag mismatch). */
int cwl_open(const uint8_t *key, size_t key_len, const char *payload, size_t len, size_t decoded,
             uint8_t *out, size_t cap, size_t *out_len);

/* Overwrites n bytes at p in a way the compiler keeps. */
void cwl_wipe(void *p, size_t n);

#endif /* LUM_SRC_CWL_INTERNAL_H */
